#include "core/report/reportpdf.h"

#include "core/report/reportcharts.h"
#include "core/report/reporthtml.h"

#include <QAbstractTextDocumentLayout>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>

namespace envsync::report {

namespace {

constexpr int dotsPerInch = 96; // painter units ≈ CSS px, like the charts
constexpr double chartGap = 24;

const QString fontFamily = QStringLiteral("DejaVu Sans");

QFont chartFont(const ChartShape &shape)
{
    QFont font(fontFamily);
    font.setPointSizeF(shape.fontSize * 72.0 / dotsPerInch);
    font.setBold(shape.bold);
    return font;
}

void paintShape(QPainter &painter, const ChartShape &shape)
{
    const QColor color(QString::fromStdString(shape.color));
    switch (shape.kind) {
    case ChartShape::Kind::Rect:
        painter.fillRect(QRectF(shape.x, shape.y, shape.width, shape.height), color);
        return;
    case ChartShape::Kind::Line:
        painter.setPen(QPen(color, 1));
        painter.drawLine(QPointF(shape.x, shape.y),
                         QPointF(shape.x + shape.width, shape.y + shape.height));
        return;
    case ChartShape::Kind::Text:
        break;
    }
    const QFont font = chartFont(shape);
    const QString text = QString::fromStdString(shape.text);
    double x = shape.x;
    const double advance = QFontMetricsF(font, painter.device()).horizontalAdvance(text);
    if (shape.anchor == ChartShape::Anchor::Middle)
        x -= advance / 2;
    else if (shape.anchor == ChartShape::Anchor::End)
        x -= advance;
    painter.setFont(font);
    painter.setPen(color);
    painter.drawText(QPointF(x, shape.y), text);
}

/// Paints the chart scaled to `width` with its top at `top`; returns its height on the page.
double paintChart(QPainter &painter, const Chart &chart, double top, double width)
{
    const double scale = width / chart.width;
    painter.save();
    painter.translate(0, top);
    painter.scale(scale, scale);
    for (const ChartShape &shape : chart.shapes)
        paintShape(painter, shape);
    painter.restore();
    return chart.height * scale;
}

/// Lays out XHTML at the page's content width (text metrics of the PDF device).
std::unique_ptr<QTextDocument> document(const std::string &html, QPaintDevice &device,
                                        const QSizeF &pageSize, int pointSize)
{
    auto doc = std::make_unique<QTextDocument>();
    doc->documentLayout()->setPaintDevice(&device);
    doc->setDefaultFont(QFont(fontFamily, pointSize));
    doc->setDocumentMargin(0);
    doc->setPageSize(pageSize);
    doc->setHtml(QString::fromStdString(html));
    return doc;
}

/// Paints a paginated document, one page size per page, starting on the current page.
void paintPaged(QPainter &painter, QPdfWriter &writer, QTextDocument &doc, const QSizeF &page)
{
    for (int i = 0; i < doc.pageCount(); ++i) {
        if (i > 0)
            writer.newPage();
        painter.save();
        const QRectF slice(0, page.height() * i, page.width(), page.height());
        painter.translate(0, -slice.top());
        doc.drawContents(&painter, slice);
        painter.restore();
    }
}

} // namespace

Result<void> writePdf(const FreshnessReport &report, const QString &path)
{
    QPdfWriter writer(path);
    writer.setResolution(dotsPerInch);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    writer.setTitle(QStringLiteral("EnvSync freshness report"));
    writer.setCreator(QStringLiteral("envsyncctl report"));
    QPainter painter;
    if (!painter.begin(&writer))
        return fail(ErrorCode::Io, "cannot write the PDF",
                    QFileInfo(path).absoluteFilePath().toStdString());

    const QSizeF page(writer.width(), writer.height());
    auto title = document(summaryHtml(report), writer, QSizeF(page.width(), 1e6), 9);
    title->drawContents(&painter);
    const double titleHeight = title->size().height() + chartGap;
    paintChart(painter, freshnessChart(report), titleHeight, page.width());

    writer.newPage();
    const double timelineHeight
            = paintChart(painter, refreshTimelineChart(report), 0, page.width());
    paintChart(painter, driftChart(report), timelineHeight + chartGap, page.width());

    // The table has eleven columns: landscape pages keep times and names on one line.
    writer.setPageOrientation(QPageLayout::Landscape);
    writer.newPage();
    const QSizeF landscape(writer.width(), writer.height());
    auto table = document("<h2>Regions</h2>" + regionTableHtml(report), writer, landscape, 8);
    paintPaged(painter, writer, *table, landscape);
    if (!painter.end())
        return fail(ErrorCode::Io, "cannot finish the PDF", path.toStdString());
    return {};
}

} // namespace envsync::report
