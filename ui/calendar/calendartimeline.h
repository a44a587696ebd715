#pragma once

#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendarrange.h"
#include "ui/calendar/calendartimelinelayout.h"

#include <QDateTime>
#include <QWidget>

#include <cstddef>
#include <memory>
#include <optional>

namespace envsync::ui {

/// The Gantt-like part of the Calendar tab: a row per region, its windows coloured per
/// region, blackouts shaded, conflicts outlined red, past windows marked with the refresh
/// that ran, a "now" line. Windows of simple weekly rules can be dragged to another day or
/// time (snapping to 15 minutes of the region's clock); a drop emits windowDropped and the
/// view decides what happens. Paints only: the data comes from CalendarController.
class CalendarTimeline : public QWidget
{
    Q_OBJECT

public:
    explicit CalendarTimeline(QWidget *parent = nullptr);

    void setData(std::shared_ptr<const CalendarData> data, const CalendarRange &range);
    /// The clock deciding which windows are past (invalid: the real time).
    void setNow(const QDateTime &nowUtc);
    [[nodiscard]] QDateTime now() const;

    [[nodiscard]] const CalendarTimelineLayout &timelineLayout() const { return m_layout; }
    /// Width of the region label column (the chart below aligns its plot with it).
    [[nodiscard]] int labelWidth() const;
    /// What hovering at `point` shows (empty: nothing there).
    [[nodiscard]] QString toolTipAt(QPoint point) const;
    /// Colour of the row's windows (a fixed palette, cycling).
    [[nodiscard]] static QColor regionColor(std::size_t row);

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

signals:
    /// A window of `region`'s occurrence `window` was dropped so that it starts at
    /// `newStartUtc` (already snapped to the region's 15 minutes).
    void windowDropped(std::size_t region, std::size_t window, const QDateTime &newStartUtc);
    /// The plot's horizontal extent changed (left edge, right margin), for the chart below.
    void plotGeometryChanged(int left, int rightMargin);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    struct Drag
    {
        std::size_t item = 0; ///< index into the layout's windows
        QPoint pressedAt;
        QDateTime newStartUtc; ///< snapped; invalid until the mouse moved far enough
    };

    void relayout();
    [[nodiscard]] bool canDrag(const TimelineWindowItem &item) const;
    [[nodiscard]] QDateTime droppedStart(const Drag &drag, QPoint at) const;

    void paintHeader(QPainter &painter) const;
    void paintGrid(QPainter &painter) const;
    void paintRowLabels(QPainter &painter) const;
    void paintBlackouts(QPainter &painter) const;
    void paintWindows(QPainter &painter) const;
    void paintWindow(QPainter &painter, const TimelineWindowItem &item) const;
    void paintRefreshMarks(QPainter &painter) const;
    void paintDragGhost(QPainter &painter) const;
    void paintNowLine(QPainter &painter) const;

    std::shared_ptr<const CalendarData> m_data;
    CalendarRange m_range;
    CalendarTimelineLayout m_layout;
    QDateTime m_now;
    std::optional<Drag> m_drag;
};

} // namespace envsync::ui
