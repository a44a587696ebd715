#include "core/schedule/timelinecheck.h"

#include <algorithm>
#include <utility>

namespace envsync::schedule {

Timeline timelineOf(const RegionCalendar &region)
{
    Timeline out;
    for (const CalendarWindow &window : region.windows) {
        if (!window.cancelled())
            out.open.push_back({window.interval.startUtc.toMSecsSinceEpoch(),
                                window.interval.endUtc.toMSecsSinceEpoch()});
    }
    return out;
}

bool exceedsCapacity(const Timeline &candidate, const std::vector<const Timeline *> &placed,
                     int capacity, qint64 fromMs, qint64 toMs)
{
    // (time, delta) edges like concurrency(): -1 sorts before +1 at the same instant.
    std::vector<std::pair<qint64, int>> edges;
    const auto addEdges = [&](const Timeline &timeline) {
        for (const Timeline::Span &span : timeline.open) {
            edges.emplace_back(std::max(span.start, fromMs), +1);
            edges.emplace_back(std::min(span.end, toMs), -1);
        }
    };
    addEdges(candidate);
    for (const Timeline *timeline : placed)
        addEdges(*timeline);
    std::ranges::sort(edges);
    int open = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        open += edges[i].second;
        const qint64 stepStart = edges[i].first;
        const qint64 stepEnd = i + 1 < edges.size() ? edges[i + 1].first : toMs;
        if (open <= capacity || stepStart >= stepEnd)
            continue;
        const bool candidateOpen = std::ranges::any_of(candidate.open, [&](const auto &span) {
            return span.start < stepEnd && stepStart < span.end;
        });
        if (candidateOpen)
            return true;
    }
    return false;
}

bool breaksSla(const Timeline &candidate, std::chrono::seconds sla, qint64 fromMs, qint64 toMs)
{
    if (sla.count() <= 0)
        return false;
    const qint64 slaMs = sla.count() * 1000;
    std::vector<qint64> ends;
    for (const Timeline::Span &span : candidate.open) {
        if (span.end <= toMs)
            ends.push_back(span.end);
    }
    std::ranges::sort(ends);
    qint64 previous = fromMs;
    for (const qint64 end : ends) {
        if (end - previous > slaMs)
            return true;
        previous = end;
    }
    return toMs - previous > slaMs;
}

} // namespace envsync::schedule
