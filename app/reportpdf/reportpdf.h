#pragma once

#include "core/error.h"
#include "core/report/reportmodel.h"

#include <QByteArray>
#include <QString>

namespace envsync::report {

/// Writes the report as an A4 PDF with Qt (QPdfWriter; fonts embedded): a title page with the
/// summary and the freshness chart, a page with the refresh timeline and the drift bars, then
/// the region table (one row per region, continued over pages). Needs a QGuiApplication (see
/// makeReportApplication). Part of envsync_reportpdf (app/reportpdf), the only QtGui piece of the CLI.
[[nodiscard]] Result<QByteArray> pdfBytes(const FreshnessReport &report);
/// pdfBytes() written with util::saveFile (atomic over a regular file; see savefile.h).
[[nodiscard]] Result<void> writePdf(const FreshnessReport &report, const QString &path);

} // namespace envsync::report
