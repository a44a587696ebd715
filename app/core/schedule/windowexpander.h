#pragma once

#include "core/config/config.h"
#include "core/error.h"

#include <QDateTime>

#include <optional>
#include <vector>

namespace envsync::schedule {

/// One concrete occurrence of a region's refresh window, in UTC.
struct WindowInterval
{
    QDateTime startUtc;
    QDateTime endUtc;
    [[nodiscard]] bool contains(const QDateTime &utc) const
    {
        return startUtc <= utc && utc < endUtc;
    }
};

/// Expands a region's window (RRULE, local start time, duration) in the region's IANA time
/// zone into the UTC intervals that overlap [fromUtc, toUtc). The rule is anchored at
/// 2024-01-01 (a Monday) at the local start time, so INTERVAL>1 rules have a stable phase.
/// A local start time that falls into a DST gap is moved forward by the gap; one that occurs
/// twice (DST end) takes its first occurrence (see zonedToUtc). The duration is real time, so a
/// 3h window across a DST change ends 3 h of real time later (2 h or 4 h on the wall clock).
/// Fails (Config) on a bad rule or zone.
[[nodiscard]] Result<std::vector<WindowInterval>> expandWindow(const config::RegionConfig &region,
                                                               const QDateTime &fromUtc,
                                                               const QDateTime &toUtc);

/// The window occurrence containing `nowUtc`, if any. Regions without a window have none.
[[nodiscard]] Result<std::optional<WindowInterval>> windowAt(const config::RegionConfig &region,
                                                             const QDateTime &nowUtc);

/// The next occurrence starting after `nowUtc` (within a year), if any.
[[nodiscard]] Result<std::optional<WindowInterval>> nextWindow(const config::RegionConfig &region,
                                                               const QDateTime &nowUtc);

} // namespace envsync::schedule
