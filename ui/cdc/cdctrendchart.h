#pragma once

#include "ui/cdc/cdchistory.h"

#include <QChartView>
#include <QColor>

QT_BEGIN_NAMESPACE
class QValueAxis;
QT_END_NAMESPACE

namespace envsync::ui {

/// One CDC figure over time, one line per region (lag in seconds, or changes/s), redrawn from
/// the controller's CdcHistory on every poll. Samples without a value (region not streamed)
/// break the line: a gap, never the last value carried on. The time axis counts minutes back
/// from the newest poll (0 = now): the last hour, or back to the first sample (at least two
/// minutes) while there is less.
class CdcTrendChart : public QChartView
{
    Q_OBJECT

public:
    enum class Metric { LagSeconds, ChangesPerSecond };

    explicit CdcTrendChart(Metric metric, QWidget *parent = nullptr);

    void setHistory(const CdcHistory &history, const QDateTime &nowUtc);

    /// For tests: the points drawn for `region` (all its line pieces).
    [[nodiscard]] int pointCount(const QString &region) const;
    /// For tests: the line pieces of `region` (a gap splits a line).
    [[nodiscard]] int pieceCount(const QString &region) const;
    [[nodiscard]] QValueAxis *valueAxis() const { return m_valueAxis; }

    /// The region's line colour (a categorical palette, stable by the region's position).
    [[nodiscard]] static QColor regionColor(int index);

private:
    [[nodiscard]] std::optional<double> valueOf(const CdcSample &sample) const;
    void setValueRange(double maximum);
    void setTimeRange(qint64 spanSeconds);

    Metric m_metric;
    QValueAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
};

} // namespace envsync::ui
