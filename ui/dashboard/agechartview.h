#pragma once

#include "ui/dashboard/agechartmapping.h"

#include <QChartView>

#include <vector>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QBarSet;
class QLineSeries;
class QStackedBarSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace envsync::ui {

/// Data age per region as vertical bars coloured by freshness, with each region's SLA drawn as
/// a dark marker across its bar. Takes ready-made AgeBar values; all arithmetic lives in
/// AgeChartMapping.
class AgeChartView : public QChartView
{
    Q_OBJECT

public:
    explicit AgeChartView(QWidget *parent = nullptr);

    /// Updates values in place when the regions are the same, rebuilds otherwise.
    void setBars(const std::vector<AgeBar> &bars);
    [[nodiscard]] const std::vector<AgeBar> &bars() const { return m_bars; }

    /// For tests: the bar sets, in the order ok, due, overdue, unknown.
    [[nodiscard]] const std::vector<QBarSet *> &barSets() const { return m_sets; }
    [[nodiscard]] const std::vector<QLineSeries *> &slaMarkers() const { return m_slaMarkers; }

private:
    void rebuildSlaMarkers();

    QStackedBarSeries *m_barSeries = nullptr;
    QBarCategoryAxis *m_categoryAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    std::vector<QBarSet *> m_sets;
    std::vector<QLineSeries *> m_slaMarkers;
    std::vector<AgeBar> m_bars;
};

} // namespace envsync::ui
