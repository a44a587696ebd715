#pragma once

#include "core/config/config.h"
#include "core/db/controldb.h"
#include "core/error.h"
#include "core/schedule/windowexpander.h"

#include <QDateTime>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace envsync::agent {

/// What the agent makes of one region at one instant.
enum class RegionState {
    OutsideWindow, ///< no window open now (or the region has none: refreshed on demand only)
    BlackedOut,    ///< a window is open but a blackout covers it
    NoSnapshot,    ///< a window is open but golden has no ready snapshot yet
    HoldsNewest,   ///< the region already holds the newest ready snapshot
    RolledBack,    ///< a refresh in this window was rolled back: a person decided, leave it
    BackingOff,    ///< the last attempt in this window failed; retry at `until`
    GaveUp,        ///< too many failures, or the window ends before the next retry
    Due,           ///< refresh now
};

/// Stable lower-case name ("outside-window", "due", …) for logs, JSON and audit records.
[[nodiscard]] const char *stateName(RegionState state);

/// Retry rules inside a window.
struct AgentPolicy
{
    std::string actor = "envsync-agent"; ///< refresh_log / audit_log actor of the agent's work
    std::chrono::seconds firstBackoff{60};
    std::chrono::seconds maxBackoff{std::chrono::minutes(30)};
    int maxAttempts = 5; ///< failed attempts per window before giving up
};

/// How long to wait after the n-th failed attempt (n ≥ 1): first, 2×first, 4×first … capped.
[[nodiscard]] std::chrono::seconds backoffAfter(int failedAttempts, const AgentPolicy &policy);

/// One failed refresh attempt of the agent, as its audit record tells (agent clock times).
struct FailedAttempt
{
    QDateTime at;    ///< when the agent decided to refresh
    QDateTime ended; ///< when the refresh had failed
};

/// What the agent knows about a region when it decides; gathered from the databases by
/// regionfacts.h, written by hand in tests.
struct RegionFacts
{
    std::optional<std::string> holds;       ///< the snapshot in the region's marker
    std::vector<db::RefreshRecord> history; ///< refresh_log rows (any actor), any order
    std::vector<FailedAttempt> failures;    ///< the agent's failed attempts, any order
};

struct RegionDecision
{
    std::string region;
    RegionState state = RegionState::OutsideWindow;
    std::optional<schedule::WindowInterval> window; ///< the open window (absent outside one)
    /// The next instant worth looking again: next window start (outside / blacked out),
    /// retry time (backing off); invalid when nothing is scheduled.
    QDateTime until;
    std::string snapshot;   ///< the newest ready snapshot (what a refresh would use)
    int failedAttempts = 0; ///< by the agent in this window
    std::string reason;     ///< one human sentence: why this state
};

/// The pure decision (no database, no clock): which state `region` is in at `nowUtc`, given
/// the newest ready golden snapshot and the region's facts. The agent's failed attempts made
/// inside the open window count towards backoff and giving up; they come from the control
/// database, so `--once` runs from cron keep no state of their own.
/// Fails (Config) only on a bad window rule, zone or blackout date.
[[nodiscard]] Result<RegionDecision>
decideRegion(const config::Config &config, const config::RegionConfig &region,
             const QDateTime &nowUtc, const std::optional<std::string> &newestSnapshot,
             const RegionFacts &facts, const AgentPolicy &policy = {});

/// When the agent should look again after deciding `decisions` at `nowUtc`: the earliest
/// `until` in the future, never later than `nowUtc + cap` (new snapshots appear at any time)
/// and never sooner than one second (no busy loop).
[[nodiscard]] std::chrono::seconds nextLook(const std::vector<RegionDecision> &decisions,
                                            const QDateTime &nowUtc, std::chrono::seconds cap);

} // namespace envsync::agent
