#pragma once

#include <QChartView>
#include <QDateTime>

#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace envsync::ui {

/// How many refresh windows are open at once over the calendar's range (a step area), with
/// golden.max_parallel_refreshes as a dashed line. Its plot spans the same x range and the
/// same horizontal pixels as the timeline above it (setPlotMargins).
class ConcurrencyChartView : public QChartView
{
    Q_OBJECT

public:
    explicit ConcurrencyChartView(QWidget *parent = nullptr);

    /// `steps` as schedule::concurrency() returns them: (time, count) held until the next point.
    void setSteps(const std::vector<std::pair<QDateTime, int>> &steps, const QDateTime &fromUtc,
                  const QDateTime &toUtc, int capacity);
    /// The plot's left edge and right margin in widget pixels (the timeline's label column).
    void setPlotMargins(int left, int right);

    [[nodiscard]] QLineSeries *concurrencySeries() const { return m_upper; }
    [[nodiscard]] QLineSeries *capacitySeries() const { return m_capacity; }
    [[nodiscard]] QValueAxis *countAxis() const { return m_countAxis; }

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void placePlot();

    QLineSeries *m_upper = nullptr;
    QLineSeries *m_lower = nullptr;
    QAreaSeries *m_area = nullptr;
    QLineSeries *m_capacity = nullptr;
    QValueAxis *m_timeAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    int m_left = 120;
    int m_right = 12;
};

} // namespace envsync::ui
