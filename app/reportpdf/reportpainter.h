#pragma once

#include "core/report/reportmodel.h"

QT_BEGIN_NAMESPACE
class QPagedPaintDevice;
class QPainter;
QT_END_NAMESPACE

namespace envsync::report {

/// How the region table's pages are laid out.
enum class TablePages {
    Landscape,    ///< turn the device to landscape for the table (PDF files)
    AsConfigured, ///< keep the device's orientation (printers and their previews)
};

/// Paints the report on an active painter of a paged device (QPdfWriter, QPrinter, a print
/// preview): page 1 the summary and the freshness chart, page 2 the refresh timeline and the
/// drift bars (the drift bars on a page of their own when both do not fit), then the region
/// table continued over pages with its header repeated. Resolution-independent: charts are
/// scaled to the page width (and down to the page height when taller), text sizes in points. Shared
/// by the PDF file and the console's preview and Print, so what is previewed is what is written.
void paintReport(const FreshnessReport &report, QPagedPaintDevice &device, QPainter &painter,
                 TablePages tablePages);

} // namespace envsync::report
