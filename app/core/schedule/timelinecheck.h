#pragma once

#include "core/schedule/calendar.h"

#include <QtGlobal>

#include <chrono>
#include <vector>

namespace envsync::schedule {

/// A region's non-cancelled windows as [start, end) milliseconds since the epoch (UTC).
struct Timeline
{
    struct Span
    {
        qint64 start = 0;
        qint64 end = 0;
    };
    std::vector<Span> open; ///< by start
};

[[nodiscard]] Timeline timelineOf(const RegionCalendar &region);

/// The planner's fast stand-in for findConflicts() while it searches: the same rules as
/// conflicts.h documents, on plain integers and without building messages, for the one region
/// being placed. The planner confirms every window it takes with findConflicts() itself.

/// Whether `candidate` is open while more than `capacity` windows (candidate and `placed`
/// together, clipped to [fromMs, toMs), an end before a start at the same instant) are open.
[[nodiscard]] bool exceedsCapacity(const Timeline &candidate,
                                   const std::vector<const Timeline *> &placed, int capacity,
                                   qint64 fromMs, qint64 toMs);

/// Whether more than `sla` passes without a window end, counting from the range start to the
/// first end and from the last end (within the range) to the range end. No SLA (<= 0): never.
[[nodiscard]] bool breaksSla(const Timeline &candidate, std::chrono::seconds sla, qint64 fromMs,
                             qint64 toMs);

} // namespace envsync::schedule
