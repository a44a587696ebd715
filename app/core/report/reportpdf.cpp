#include "core/report/reportpdf.h"

#include "core/report/reportpainter.h"

#include <QFileInfo>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

namespace envsync::report {

namespace {

constexpr int dotsPerInch = 96; // painter units ≈ CSS px, like the charts

} // namespace

Result<void> writePdf(const FreshnessReport &report, const QString &path)
{
    QPdfWriter writer(path);
    writer.setResolution(dotsPerInch);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    writer.setTitle(QStringLiteral("EnvSync freshness report"));
    writer.setCreator(QStringLiteral("EnvSync"));
    QPainter painter;
    if (!painter.begin(&writer))
        return fail(ErrorCode::Io, "cannot write the PDF",
                    QFileInfo(path).absoluteFilePath().toStdString());
    paintReport(report, writer, painter, TablePages::Landscape);
    if (!painter.end())
        return fail(ErrorCode::Io, "cannot finish the PDF", path.toStdString());
    return {};
}

} // namespace envsync::report
