#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/schedule/calendar.h"
#include "core/schedule/conflicts.h"

#include <QDateTime>

#include <optional>
#include <string>
#include <vector>

namespace envsync::schedule {

/// One region's window as the plan changes it.
struct WindowChange
{
    std::string region;
    std::optional<config::WindowConfig> before; ///< unset: the region had no window
    config::WindowConfig after;
    std::string reason; ///< the conflict that made it move, one line
};

struct PlanResult
{
    QDateTime fromUtc;
    QDateTime toUtc;
    std::vector<WindowChange> changes; ///< config order; empty when nothing needs to change
    /// Why the plan leaves conflicts, one line per region (empty when everything is satisfied).
    std::vector<std::string> unsatisfied;
    /// Conflicts (other than blackouts) the planned config still has over the range.
    std::vector<Conflict> remaining;
    [[nodiscard]] bool satisfied() const { return unsatisfied.empty(); }
};

/// Proposes window changes so that the calendar over [fromUtc, toUtc) has no capacity, SLA-gap
/// or too-short conflict, changing as little of today's config as it can:
/// - regions without such a conflict keep their window; of two regions fighting over capacity
///   the one in more conflicts (then the later one in the config) moves;
/// - for a region that moves, the candidates of windowCandidates() are tried in order (duration,
///   then start time, then days; the local night first) and the first one that adds no conflict
///   to the regions already placed is taken (greedy, region by region in config order); when
///   none holds the region's SLA, the first that at least adds no capacity conflict;
/// - windows get at least windowWithMargin() of the expected refresh duration when one is known.
/// Blackouts are fixed: the occurrences they cancel (ConflictKind::Blackout) are accepted, but
/// the SLA gaps they cause are not. Production regions are never moved. The result is verified
/// with findConflicts() on the planned config; what is left is explained in `unsatisfied`.
/// Fails (Config) on a bad rule, zone or blackout of the input config.
[[nodiscard]] Result<PlanResult> planCalendar(const config::Config &config,
                                              const QDateTime &fromUtc, const QDateTime &toUtc,
                                              const ExpectedDurations &expected = {});

/// The config with the plan's window changes applied.
[[nodiscard]] config::Config applyPlan(const config::Config &config, const PlanResult &plan);

/// The conflicts a plan has to remove: all but ConflictKind::Blackout.
[[nodiscard]] std::vector<Conflict> plannableConflicts(std::vector<Conflict> conflicts);

} // namespace envsync::schedule
