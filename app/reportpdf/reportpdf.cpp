#include "reportpdf/reportpdf.h"

#include "reportpdf/reportpainter.h"
#include "core/util/savefile.h"

#include <QBuffer>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

namespace envsync::report {

namespace {

constexpr int dotsPerInch = 96; // painter units ≈ CSS px, like the charts

} // namespace

Result<QByteArray> pdfBytes(const FreshnessReport &report)
{
    // Rendered in memory: QPdfWriter on a path writes in place, and the target may be a pipe.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (!buffer.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Internal, "cannot render the PDF");
    QPdfWriter writer(&buffer);
    writer.setResolution(dotsPerInch);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    writer.setTitle(QStringLiteral("EnvSync freshness report"));
    writer.setCreator(QStringLiteral("EnvSync"));
    QPainter painter;
    if (!painter.begin(&writer))
        return fail(ErrorCode::Internal, "cannot render the PDF");
    paintReport(report, writer, painter, TablePages::Landscape);
    if (!painter.end())
        return fail(ErrorCode::Internal, "cannot finish the PDF");
    buffer.close();
    return bytes;
}

Result<void> writePdf(const FreshnessReport &report, const QString &path)
{
    auto bytes = pdfBytes(report);
    if (!bytes)
        return std::unexpected(bytes.error());
    return util::saveFile(path.toStdString(),
                          std::string_view(bytes->constData(), std::size_t(bytes->size())));
}

} // namespace envsync::report
