#include "reportpdf/reportpainter.h"

#include "core/report/reportcharts.h"
#include "core/report/reporthtml.h"

#include <QAbstractTextDocumentLayout>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPagedPaintDevice>
#include <QPainter>
#include <QTextDocument>

#include <algorithm>
#include <memory>

namespace envsync::report {

namespace {

constexpr double chartGap = 24;

const QString fontFamily = QStringLiteral("DejaVu Sans");

/// Chart coordinates are CSS pixels; the painter is scaled from them to the device, so a font of
/// `fontSize` chart pixels is that many pixels at the device's own resolution.
QFont chartFont(const ChartShape &shape, const QPaintDevice &device)
{
    QFont font(fontFamily);
    font.setPointSizeF(shape.fontSize * 72.0 / device.logicalDpiY());
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
    const QFont font = chartFont(shape, *painter.device());
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

/// Places charts down the pages: each at the page width, on a new page when it does not fit
/// below the previous one, and scaled down to the page height when taller than a page (a
/// large estate), so no chart is ever cut.
class ChartFlow
{
public:
    ChartFlow(QPainter &painter, QPagedPaintDevice &device, double top)
        : m_painter(painter)
        , m_device(device)
        , m_page(static_cast<double>(device.width()), static_cast<double>(device.height()))
        , m_top(top)
    {
    }

    void place(const Chart &chart)
    {
        const double scale = std::min(m_page.width() / chart.width, m_page.height() / chart.height);
        const double height = chart.height * scale;
        if (m_top > 0 && m_top + height > m_page.height()) {
            m_device.newPage();
            m_top = 0;
        }
        m_painter.save();
        m_painter.translate(0, m_top);
        m_painter.scale(scale, scale);
        for (const ChartShape &shape : chart.shapes)
            paintShape(m_painter, shape);
        m_painter.restore();
        m_top += height + chartGap;
    }

    void newPage()
    {
        m_device.newPage();
        m_top = 0;
    }

private:
    QPainter &m_painter;
    QPagedPaintDevice &m_device;
    QSizeF m_page;
    double m_top;
};

/// Lays out XHTML at the page's content width (text metrics of the device).
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
void paintPaged(QPainter &painter, QPagedPaintDevice &device, QTextDocument &doc,
                const QSizeF &page)
{
    for (int i = 0; i < doc.pageCount(); ++i) {
        if (i > 0)
            device.newPage();
        painter.save();
        const QRectF slice(0, page.height() * i, page.width(), page.height());
        painter.translate(0, -slice.top());
        doc.drawContents(&painter, slice);
        painter.restore();
    }
}

QSizeF pageSize(const QPagedPaintDevice &device)
{
    return {static_cast<double>(device.width()), static_cast<double>(device.height())};
}

} // namespace

void paintReport(const FreshnessReport &report, QPagedPaintDevice &device, QPainter &painter,
                 TablePages tablePages)
{
    const QSizeF page = pageSize(device);
    auto title = document(summaryHtml(report), device, QSizeF(page.width(), 1e6), 9);
    title->drawContents(&painter);
    ChartFlow charts(painter, device, title->size().height() + chartGap);
    charts.place(freshnessChart(report));
    charts.newPage();
    charts.place(refreshTimelineChart(report));
    charts.place(driftChart(report));

    // The table has eleven columns: landscape pages keep times and names on one line.
    if (tablePages == TablePages::Landscape)
        device.setPageOrientation(QPageLayout::Landscape);
    device.newPage();
    const QSizeF tablePage = pageSize(device);
    auto table = document("<h2>Regions</h2>" + regionTableHtml(report), device, tablePage, 8);
    paintPaged(painter, device, *table, tablePage);
}

} // namespace envsync::report
