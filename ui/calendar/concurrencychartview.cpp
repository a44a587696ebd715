#include "ui/calendar/concurrencychartview.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>

namespace envsync::ui {

namespace {

constexpr int plotTop = 10;
constexpr int plotBottomMargin = 14; // room for the "0" label

double msecs(const QDateTime &utc)
{
    return double(utc.toMSecsSinceEpoch());
}

} // namespace

ConcurrencyChartView::ConcurrencyChartView(QWidget *parent)
    : QChartView(parent)
{
    setFrameShape(QFrame::NoFrame);
    setRenderHint(QPainter::Antialiasing);
    auto *chart = new QChart;
    // Only the plot is white, like the timeline's rows above it (drawBackground); QChart's
    // own plot background keeps a stale rectangle when the plot area is pinned.
    chart->setBackgroundVisible(false);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setMargins(QMargins(0, 0, 0, 0));
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->legend()->setVisible(false);

    m_upper = new QLineSeries(this);
    m_lower = new QLineSeries(this);
    m_area = new QAreaSeries(m_upper, m_lower);
    m_area->setName(QStringLiteral("Open windows"));
    m_area->setColor(QColor(0x3b, 0x6f, 0xb6, 110));
    m_area->setBorderColor(QColor(0x3b, 0x6f, 0xb6));
    m_capacity = new QLineSeries;
    m_capacity->setName(QStringLiteral("Capacity (golden.max_parallel_refreshes)"));
    m_capacity->setPen(QPen(QColor(0xd3, 0x2f, 0x2f), 1.5, Qt::DashLine));
    chart->addSeries(m_area);
    chart->addSeries(m_capacity);

    m_timeAxis = new QValueAxis;
    m_timeAxis->setLabelsVisible(false);
    m_timeAxis->setGridLineVisible(false);
    m_timeAxis->setLineVisible(false);
    m_timeAxis->setTickCount(2);
    m_countAxis = new QValueAxis;
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTitleText(QStringLiteral("open"));
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_countAxis, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_countAxis);
    }
    setChart(chart);
    setMinimumHeight(110);
}

void ConcurrencyChartView::setSteps(const std::vector<std::pair<QDateTime, int>> &steps,
                                    const QDateTime &fromUtc, const QDateTime &toUtc, int capacity)
{
    QList<QPointF> upper;
    int peak = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto &[at, count] = steps[i];
        // A vertical edge at each change: the previous count up to here, then the new one.
        if (i > 0)
            upper.append({msecs(at), double(steps[i - 1].second)});
        upper.append({msecs(at), double(count)});
        peak = std::max(peak, count);
    }
    if (!steps.empty())
        upper.append({msecs(toUtc), double(steps.back().second)});
    m_upper->replace(upper);
    m_lower->replace({{msecs(fromUtc), 0.0}, {msecs(toUtc), 0.0}});
    m_capacity->replace({{msecs(fromUtc), double(capacity)}, {msecs(toUtc), double(capacity)}});
    m_timeAxis->setRange(msecs(fromUtc), msecs(toUtc));
    const int top = std::max(peak, capacity) + 1;
    m_countAxis->setRange(0, top);
    m_countAxis->setTickCount(top + 1);
}

void ConcurrencyChartView::drawBackground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawBackground(painter, rect);
    painter->fillRect(chart()->plotArea(), palette().base());
    painter->setPen(palette().color(QPalette::Mid));
    painter->drawRect(chart()->plotArea());
}

void ConcurrencyChartView::setPlotMargins(int left, int right)
{
    m_left = left;
    m_right = right;
    placePlot();
}

void ConcurrencyChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    placePlot();
}

void ConcurrencyChartView::placePlot()
{
    // Pinned instead of computed by QChart, so x pixels match the timeline's.
    chart()->setPlotArea(QRectF(m_left, plotTop, std::max(1, width() - m_left - m_right),
                                std::max(1, height() - plotTop - plotBottomMargin)));
}

} // namespace envsync::ui
