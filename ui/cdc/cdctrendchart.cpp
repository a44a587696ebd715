#include "ui/cdc/cdctrendchart.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace envsync::ui {

namespace {

constexpr qint64 minimumSpanSeconds = 2 * 60;

/// 1, 2 or 5 × 10^k, the first step that divides `maximum` into at most four intervals.
double niceStep(double maximum)
{
    const double raw = maximum / 4;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (factor * magnitude >= raw)
            return factor * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

QColor CdcTrendChart::regionColor(int index)
{
    // Blue, purple, teal, brown…: none of them the status palette's green/amber/red/grey.
    static const std::array<QColor, 6> colors
            = {QColor(0x1f, 0x77, 0xb4), QColor(0x94, 0x67, 0xbd), QColor(0x17, 0xbe, 0xcf),
               QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x3b, 0x3b, 0x98)};
    return colors[static_cast<std::size_t>(index) % colors.size()];
}

CdcTrendChart::CdcTrendChart(Metric metric, QWidget *parent)
    : QChartView(parent)
    , m_metric(metric)
{
    auto *chart = new QChart;
    chart->setTitle(metric == Metric::LagSeconds ? QStringLiteral("Lag per region")
                                                 : QStringLiteral("Throughput per region"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_timeAxis = new QValueAxis;
    m_timeAxis->setTitleText(QStringLiteral("minutes ago"));
    m_timeAxis->setLabelFormat(QStringLiteral("%g"));
    m_timeAxis->setTickType(QValueAxis::TicksDynamic);
    m_timeAxis->setTickAnchor(0);
    m_valueAxis = new QValueAxis;
    m_valueAxis->setTitleText(metric == Metric::LagSeconds ? QStringLiteral("seconds")
                                                           : QStringLiteral("changes/s"));
    m_valueAxis->setLabelFormat(QStringLiteral("%g"));
    m_valueAxis->setTickType(QValueAxis::TicksDynamic);
    m_valueAxis->setTickAnchor(0);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setValueRange(1);
    setTimeRange(minimumSpanSeconds);
}

void CdcTrendChart::setTimeRange(qint64 spanSeconds)
{
    const double minutes = static_cast<double>(spanSeconds) / 60;
    m_timeAxis->setTickInterval(minutes > 30 ? 10 : (minutes > 10 ? 5 : (minutes > 3 ? 1 : 0.5)));
    m_timeAxis->setRange(-minutes, 0);
}

std::optional<double> CdcTrendChart::valueOf(const CdcSample &sample) const
{
    return m_metric == Metric::LagSeconds ? sample.lagSeconds : sample.changesPerSecond;
}

void CdcTrendChart::setValueRange(double maximum)
{
    maximum = std::max(maximum, 1.0);
    const double step = niceStep(maximum);
    const double top = std::ceil(maximum / step) * step;
    // A little room below 0, so a line at zero lag is drawn above the axis, not hidden in it.
    m_valueAxis->setTickInterval(step);
    m_valueAxis->setRange(-top * 0.04, top);
}

void CdcTrendChart::setHistory(const CdcHistory &history, const QDateTime &nowUtc)
{
    QChart *chart = this->chart();
    chart->removeAllSeries();
    QDateTime first = nowUtc;
    double maximum = 0;
    int regionIndex = 0;
    const int regions = static_cast<int>(history.samples().size());
    for (const auto &[region, samples] : history.samples()) {
        // Regions in step draw the same line: earlier ones wider, so each still shows.
        const double width = 2 + 1.5 * (regions - 1 - regionIndex);
        const QColor color = regionColor(regionIndex++);
        bool inLegend = false;
        QLineSeries *piece = nullptr;
        auto startPiece = [&] {
            piece = new QLineSeries;
            piece->setName(region);
            QPen pen(color);
            pen.setWidthF(width);
            piece->setPen(pen);
            piece->setPointsVisible(true); // a piece of one sample is still seen
            chart->addSeries(piece);
            piece->attachAxis(m_timeAxis);
            piece->attachAxis(m_valueAxis);
            for (QLegendMarker *marker : chart->legend()->markers(piece))
                marker->setVisible(!inLegend);
            inLegend = true;
        };
        for (const CdcSample &sample : samples) {
            first = std::min(first, sample.at);
            const std::optional<double> value = valueOf(sample);
            if (!value) {
                piece = nullptr; // the next value starts a new piece: a gap
                continue;
            }
            if (!piece)
                startPiece();
            piece->append(static_cast<qreal>(nowUtc.msecsTo(sample.at)) / 60000.0, *value);
            maximum = std::max(maximum, *value);
        }
        if (!inLegend)
            startPiece(); // in the legend even with nothing to draw yet
    }
    setTimeRange(std::clamp(first.secsTo(nowUtc), minimumSpanSeconds, CdcHistory::windowSeconds));
    setValueRange(maximum * 1.1);
}

int CdcTrendChart::pointCount(const QString &region) const
{
    int points = 0;
    for (QAbstractSeries *series : chart()->series()) {
        if (series->name() == region)
            points += static_cast<int>(static_cast<QLineSeries *>(series)->count());
    }
    return points;
}

int CdcTrendChart::pieceCount(const QString &region) const
{
    int pieces = 0;
    for (QAbstractSeries *series : chart()->series()) {
        if (series->name() == region && static_cast<QLineSeries *>(series)->count() > 0)
            ++pieces;
    }
    return pieces;
}

} // namespace envsync::ui
