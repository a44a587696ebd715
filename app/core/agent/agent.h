#pragma once

#include "core/agent/agentclock.h"
#include "core/agent/dueplan.h"
#include "core/config/config.h"
#include "core/error.h"
#include "core/refresh/refresh.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace envsync::agent {

/// What the agent did about a region in one pass.
enum class AgentAction {
    None,      ///< nothing to do in this state
    Refreshed, ///< a due refresh succeeded
    Busy,      ///< a due refresh found the region locked: someone else is on it
    Failed,    ///< a due refresh failed (audited: the next pass backs off)
    Cancelled, ///< stopped by SIGINT/SIGTERM; the region is untouched
};

[[nodiscard]] const char *actionName(AgentAction action);

struct AgentOutcome
{
    RegionDecision decision;
    AgentAction action = AgentAction::None;
    QDateTime decidedAt;        ///< the agent clock's instant of the decision
    QDateTime endedAt;          ///< the agent clock when the refresh ended
    double seconds = 0;         ///< how long the refresh took
    std::optional<Error> error; ///< Failed (and Busy: who holds the lock)
};

struct AgentOptions
{
    AgentPolicy policy;
    std::shared_ptr<job::CancelToken> cancel;           ///< stops the loop and a running refresh
    std::chrono::seconds maxSleep{60};                   ///< the loop looks at least this often
    std::function<void(const AgentOutcome &)> onOutcome; ///< one call per region per pass
    refresh::StepFn step;                                ///< progress lines of a running refresh
};

/// One pass: decides every region at `clock.now()` and runs the due refreshes one after the
/// other (golden.max_parallel_refreshes and the region locks still apply across processes).
/// Acting decisions are audited with the policy's actor: "agent.refresh" started, then its
/// outcome (refreshed, failed, busy, cancelled; the failures drive the backoff), "agent.skip"
/// (holds the newest snapshot) and "agent.give_up", those two once per window. Fails only
/// when the control database cannot be used or the config's schedule is invalid; a failed
/// refresh is an outcome.
[[nodiscard]] Result<std::vector<AgentOutcome>>
runOnce(const config::Config &config, AgentClock &clock, const AgentOptions &options);

/// Passes until `options.cancel` fires, sleeping on `clock` in between until the next
/// interesting instant (a window opens, a backoff ends; at most `maxSleep`). A failed pass is
/// logged and retried after `maxSleep`.
void runLoop(const config::Config &config, AgentClock &clock, const AgentOptions &options);

} // namespace envsync::agent
