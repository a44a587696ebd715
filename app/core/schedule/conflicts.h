#pragma once

#include "core/config/config.h"
#include "core/schedule/calendar.h"

#include <QDateTime>

#include <string>
#include <vector>

namespace envsync::schedule {

enum class ConflictKind {
    Capacity, ///< more windows open at once than golden.max_parallel_refreshes
    Blackout, ///< a window occurrence a blackout cancels
    SlaGap,   ///< longer than the region's freshness_sla between two refreshes
    TooShort, ///< refreshes take longer (on average) than the window lasts
};

/// "capacity", "blackout", "sla-gap", "too-short": the names used in output and JSON.
[[nodiscard]] const char *conflictKindName(ConflictKind kind);

/// One problem of the calendar, with the place in the config to fix it.
struct Conflict
{
    ConflictKind kind = ConflictKind::Capacity;
    std::vector<std::string> regions; ///< in config order
    QDateTime startUtc;
    QDateTime endUtc;
    std::string message; ///< one human line, times in the regions' own zones
    config::SourceLocation location;
};

/// Every conflict of the calendar, ordered by start time (then kind, then regions).
///
/// - Capacity: the steps of concurrency() above golden.max_parallel_refreshes; adjacent
///   over-capacity steps are merged into one conflict naming every region open in it.
/// - Blackout: one per cancelled occurrence (the refresh will not happen).
/// - SlaGap: a refresh is assumed done when its window ends (the pessimistic case), so the gap
///   is measured from one non-cancelled window's end to the next one's, in real (UTC) time, the
///   way `status` measures freshness: a weekly window with freshness_sla 7d is one hour over in
///   the week a DST change adds an hour. At the range edges only what is certain counts: from the
///   range start to the first end, and from the last end to the range end, are lower bounds of
///   the real gaps. A region without any window is a conflict of its own.
/// - TooShort: once per region whose expectedDuration is longer than its window.
///
/// Snapshot windows against source.max_parallel_reads are not checked: the config has no
/// snapshot schedule (snapshots run on demand), so there is nothing to overlap yet.
[[nodiscard]] std::vector<Conflict> findConflicts(const config::Config &config,
                                                  const Calendar &calendar);

} // namespace envsync::schedule
