#include "ui/dashboard/agechartview.h"

#include "ui/common/statuspalette.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <array>

namespace envsync::ui {

using status::Freshness;

namespace {

constexpr std::array setOrder
        = {Freshness::Ok, Freshness::Due, Freshness::Overdue, Freshness::Unknown};
/// Half the width of an SLA marker in category units (a bar is 0.5 wide at barWidth 0.5).
constexpr double markerHalfWidth = 0.34;

} // namespace

AgeChartView::AgeChartView(QWidget *parent)
    : QChartView(parent)
{
    auto *chart = new QChart;
    chart->setTitle(QStringLiteral("Data age per region vs. freshness SLA"));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);

    // One set per freshness with a value only where a region has that freshness: Qt Charts
    // colours per set, and stacking puts each region's single non-zero value in its column.
    m_barSeries = new QStackedBarSeries;
    m_barSeries->setBarWidth(0.5);
    for (Freshness freshness : setOrder) {
        auto *set = new QBarSet(StatusPalette::freshnessText(freshness));
        const QColor color = StatusPalette::freshnessColor(freshness);
        set->setColor(color);
        set->setBorderColor(color.darker(125));
        m_barSeries->append(set);
        m_sets.push_back(set);
    }
    chart->addSeries(m_barSeries);

    m_categoryAxis = new QBarCategoryAxis;
    m_valueAxis = new QValueAxis;
    m_valueAxis->setTitleText(QStringLiteral("days"));
    m_valueAxis->setLabelFormat(QStringLiteral("%g"));
    m_valueAxis->setRange(0, 1);
    m_valueAxis->setMinorTickCount(1);
    chart->addAxis(m_categoryAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_barSeries->attachAxis(m_categoryAxis);
    m_barSeries->attachAxis(m_valueAxis);

    setChart(chart);
    rebuildSlaMarkers(); // also hides the legend entries of empty sets
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 220);
}

void AgeChartView::setBars(const std::vector<AgeBar> &bars)
{
    const bool sameRegions
            = bars.size() == m_bars.size()
              && std::equal(bars.begin(), bars.end(), m_bars.begin(),
                            [](const AgeBar &a, const AgeBar &b) { return a.region == b.region; });
    if (sameRegions && bars == m_bars)
        return;
    m_bars = bars;

    QStringList categories;
    for (const AgeBar &bar : m_bars)
        categories << AgeChartMapping::categoryLabel(bar);

    for (std::size_t s = 0; s < m_sets.size(); ++s) {
        QList<qreal> values;
        values.reserve(static_cast<qsizetype>(m_bars.size()));
        for (const AgeBar &bar : m_bars) {
            const auto target = AgeChartMapping::barSetFor(bar);
            values << (target && *target == setOrder[s] ? *bar.ageDays : 0.0);
        }
        if (sameRegions) {
            for (qsizetype i = 0; i < values.size(); ++i)
                m_sets[s]->replace(i, values[i]);
        } else {
            m_sets[s]->remove(0, m_sets[s]->count());
            m_sets[s]->append(values);
        }
    }
    m_categoryAxis->setCategories(categories);

    m_valueAxis->setRange(0, AgeChartMapping::axisMaximum(m_bars));
    m_valueAxis->applyNiceNumbers();
    rebuildSlaMarkers();
}

void AgeChartView::rebuildSlaMarkers()
{
    // One short horizontal segment per region at its SLA; XY series share the category axis
    // (category i sits at x = i). Only the first one appears in the legend.
    QChart *chart = this->chart();
    for (QLineSeries *marker : m_slaMarkers) {
        chart->removeSeries(marker);
        delete marker;
    }
    m_slaMarkers.clear();

    QPen pen(StatusPalette::slaColor(), 2.5, Qt::SolidLine, Qt::FlatCap);
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        if (!m_bars[i].slaDays)
            continue;
        auto *marker = new QLineSeries;
        marker->setName(QStringLiteral("freshness SLA"));
        marker->setPen(pen);
        const double x = static_cast<double>(i);
        marker->append(x - markerHalfWidth, *m_bars[i].slaDays);
        marker->append(x + markerHalfWidth, *m_bars[i].slaDays);
        chart->addSeries(marker);
        marker->attachAxis(m_categoryAxis);
        marker->attachAxis(m_valueAxis);
        const bool firstMarker = m_slaMarkers.empty();
        for (QLegendMarker *legendMarker : chart->legend()->markers(marker))
            legendMarker->setVisible(firstMarker);
        m_slaMarkers.push_back(marker);
    }
    // Hide legend entries of freshness classes nobody has, so the legend explains the chart.
    for (std::size_t s = 0; s < m_sets.size(); ++s) {
        bool used = false;
        for (const AgeBar &bar : m_bars) {
            const auto target = AgeChartMapping::barSetFor(bar);
            used = used || (target && *target == setOrder[s]);
        }
        for (QLegendMarker *legendMarker : chart->legend()->markers(m_barSeries)) {
            if (legendMarker->label() == m_sets[s]->label())
                legendMarker->setVisible(used);
        }
    }
}

} // namespace envsync::ui
