#include "ui/calendar/calendartimelinelayout.h"

#include <algorithm>
#include <ranges>

namespace envsync::ui {

namespace {

constexpr qreal markRadius = 4;

bool overlaps(const schedule::Conflict &conflict, const schedule::RegionCalendar &region,
              const schedule::WindowInterval &window)
{
    return std::ranges::find(conflict.regions, region.region) != conflict.regions.end()
           && conflict.startUtc < window.endUtc && window.startUtc < conflict.endUtc;
}

} // namespace

CalendarTimelineLayout::CalendarTimelineLayout(const CalendarData &data, const CalendarRange &range,
                                               QSize size, int labelWidth, const QDateTime &nowUtc)
    : m_plot(labelWidth, headerHeight, std::max(1, size.width() - labelWidth - rightMargin),
             qreal(data.calendar.regions.size()) * rowHeight)
    , m_fromUtc(range.fromUtc())
    , m_toUtc(range.toUtc())
    , m_rows(data.calendar.regions.size())
{
    for (std::size_t row = 0; row < m_rows; ++row)
        layOutRegion(data, row, nowUtc);
}

void CalendarTimelineLayout::layOutRegion(const CalendarData &data, std::size_t row,
                                          const QDateTime &nowUtc)
{
    const schedule::RegionCalendar &region = data.calendar.regions[row];
    const QRectF rowArea = rowRect(row);
    const auto span = [this](const QDateTime &from, const QDateTime &to) {
        const qreal left = std::max(m_plot.left(), xFor(from));
        const qreal right = std::min(m_plot.right(), xFor(to));
        return std::pair{left, right};
    };

    for (std::size_t i = 0; i < region.blackouts.size(); ++i) {
        const auto [left, right] = span(region.blackouts[i].startUtc, region.blackouts[i].endUtc);
        m_blackouts.push_back(
                {row, i, QRectF(left, rowArea.top() + 1, right - left, rowArea.height() - 2)});
    }

    const auto history = data.history.find(region.region);
    std::vector<bool> matched(history == data.history.end() ? 0 : history->second.size(), false);
    for (std::size_t i = 0; i < region.windows.size(); ++i) {
        const schedule::WindowInterval &interval = region.windows[i].interval;
        auto [left, right] = span(interval.startUtc, interval.endUtc);
        right = std::max(right, left + minimumWindowWidth);
        TimelineWindowItem item{row,
                                i,
                                QRectF(left, rowArea.top() + windowInset, right - left,
                                       rowArea.height() - 2 * windowInset),
                                interval.endUtc <= nowUtc,
                                {},
                                std::nullopt};
        for (std::size_t c = 0; c < data.conflicts.size(); ++c) {
            if (overlaps(data.conflicts[c], region, interval))
                item.conflicts.push_back(c);
        }
        // Newest first: the first record starting inside the window is the last one that ran.
        for (std::size_t r = 0; r < matched.size(); ++r) {
            if (interval.contains(history->second[r].startedAt)) {
                matched[r] = true;
                if (!item.ran)
                    item.ran = history->second[r];
            }
        }
        m_windows.push_back(std::move(item));
    }

    for (std::size_t r = 0; r < matched.size(); ++r) {
        const db::RefreshRecord &record = history->second[r];
        if (matched[r] || record.startedAt < m_fromUtc || record.startedAt >= m_toUtc)
            continue;
        m_marks.push_back(
                {row, QPointF(xFor(record.startedAt), rowArea.bottom() - windowInset / 2.0 - 1),
                 record});
    }
}

double CalendarTimelineLayout::pixelsPerSecond() const
{
    const qint64 seconds = std::max<qint64>(1, m_fromUtc.secsTo(m_toUtc));
    return m_plot.width() / double(seconds);
}

qreal CalendarTimelineLayout::xFor(const QDateTime &utc) const
{
    return m_plot.left() + double(m_fromUtc.secsTo(utc)) * pixelsPerSecond();
}

QDateTime CalendarTimelineLayout::timeAt(qreal x) const
{
    return m_fromUtc.addSecs(qint64((x - m_plot.left()) / pixelsPerSecond()));
}

QRectF CalendarTimelineLayout::rowRect(std::size_t row) const
{
    return {m_plot.left(), m_plot.top() + qreal(row) * rowHeight, m_plot.width(), rowHeight};
}

QRectF CalendarTimelineLayout::labelRect(std::size_t row) const
{
    return {0, m_plot.top() + qreal(row) * rowHeight, m_plot.left(), rowHeight};
}

const TimelineWindowItem *CalendarTimelineLayout::windowAt(QPointF point) const
{
    // Later items are drawn on top, so the last hit is the one the user sees.
    for (const TimelineWindowItem &item : std::views::reverse(m_windows)) {
        if (item.rect.adjusted(-1, -1, 1, 1).contains(point))
            return &item;
    }
    return nullptr;
}

const TimelineBlackoutItem *CalendarTimelineLayout::blackoutAt(QPointF point) const
{
    for (const TimelineBlackoutItem &item : m_blackouts) {
        if (item.rect.contains(point))
            return &item;
    }
    return nullptr;
}

const TimelineRefreshMark *CalendarTimelineLayout::refreshMarkAt(QPointF point) const
{
    for (const TimelineRefreshMark &mark : m_marks) {
        const QPointF d = point - mark.at;
        if (std::abs(d.x()) <= markRadius + 1 && std::abs(d.y()) <= markRadius + 1)
            return &mark;
    }
    return nullptr;
}

} // namespace envsync::ui
