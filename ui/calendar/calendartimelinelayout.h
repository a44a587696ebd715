#pragma once

#include "core/db/controldb.h"
#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendarrange.h"

#include <QDateTime>
#include <QRectF>
#include <QSize>

#include <cstddef>
#include <optional>
#include <vector>

namespace envsync::ui {

/// One window occurrence as the timeline draws it.
struct TimelineWindowItem
{
    std::size_t region = 0; ///< index into Calendar::regions (= row)
    std::size_t window = 0; ///< index into RegionCalendar::windows
    QRectF rect;
    bool past = false;                  ///< ended before "now"
    std::vector<std::size_t> conflicts; ///< indices into CalendarData::conflicts
    /// The newest refresh that started inside the window.
    std::optional<db::RefreshRecord> ran;
};

struct TimelineBlackoutItem
{
    std::size_t region = 0;
    std::size_t blackout = 0; ///< index into RegionCalendar::blackouts
    QRectF rect;
};

/// A refresh that started outside every window (forced, or a window since moved).
struct TimelineRefreshMark
{
    std::size_t region = 0;
    QPointF at;
    db::RefreshRecord record;
};

/// The geometry of the calendar timeline: a label column, a header of days, one row per
/// region; x is linear in real (UTC) time over the range. Pure: computed from the data, the
/// range and the size, so tests check rectangles instead of pixels.
class CalendarTimelineLayout
{
public:
    static constexpr int headerHeight = 40;
    static constexpr int rowHeight = 46;
    static constexpr int windowInset = 9; ///< vertical gap between a row's edge and its windows
    static constexpr int rightMargin = 12;
    static constexpr qreal minimumWindowWidth = 4;

    CalendarTimelineLayout() = default;
    CalendarTimelineLayout(const CalendarData &data, const CalendarRange &range, QSize size,
                           int labelWidth, const QDateTime &nowUtc);

    [[nodiscard]] static int heightFor(std::size_t rows)
    {
        return headerHeight + int(rows) * rowHeight + 1;
    }

    [[nodiscard]] qreal xFor(const QDateTime &utc) const;
    [[nodiscard]] QDateTime timeAt(qreal x) const;
    [[nodiscard]] double pixelsPerSecond() const;

    [[nodiscard]] const QRectF &plotRect() const { return m_plot; }
    [[nodiscard]] QRectF rowRect(std::size_t row) const;
    [[nodiscard]] QRectF labelRect(std::size_t row) const;
    [[nodiscard]] std::size_t rowCount() const { return m_rows; }

    [[nodiscard]] const std::vector<TimelineWindowItem> &windows() const { return m_windows; }
    [[nodiscard]] const std::vector<TimelineBlackoutItem> &blackouts() const { return m_blackouts; }
    [[nodiscard]] const std::vector<TimelineRefreshMark> &refreshMarks() const { return m_marks; }

    /// The item under a point (windows before blackouts before marks), or nullptr.
    [[nodiscard]] const TimelineWindowItem *windowAt(QPointF point) const;
    [[nodiscard]] const TimelineBlackoutItem *blackoutAt(QPointF point) const;
    [[nodiscard]] const TimelineRefreshMark *refreshMarkAt(QPointF point) const;

private:
    void layOutRegion(const CalendarData &data, std::size_t row, const QDateTime &nowUtc);

    QRectF m_plot;
    QDateTime m_fromUtc;
    QDateTime m_toUtc;
    std::size_t m_rows = 0;
    std::vector<TimelineWindowItem> m_windows;
    std::vector<TimelineBlackoutItem> m_blackouts;
    std::vector<TimelineRefreshMark> m_marks;
};

} // namespace envsync::ui
