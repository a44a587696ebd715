#include "core/agent/dueplan.h"

#include "core/schedule/blackouts.h"

#include <algorithm>

namespace envsync::agent {

namespace {

std::string isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate).toStdString();
}

bool startedInside(const db::RefreshRecord &record, const schedule::WindowInterval &window)
{
    return record.startedAt.isValid() && window.contains(record.startedAt);
}

/// The agent's failed attempts in the open window, and when the last one ended.
struct FailureCount
{
    int count = 0;
    QDateTime lastEnded;
};

FailureCount failuresIn(const RegionFacts &facts, const schedule::WindowInterval &window)
{
    FailureCount failures;
    for (const auto &failure : facts.failures) {
        if (!failure.at.isValid() || !window.contains(failure.at))
            continue;
        ++failures.count;
        const QDateTime ended = failure.ended.isValid() ? failure.ended : failure.at;
        if (!failures.lastEnded.isValid() || ended > failures.lastEnded)
            failures.lastEnded = ended;
    }
    return failures;
}

bool rolledBackIn(const RegionFacts &facts, const schedule::WindowInterval &window)
{
    return std::ranges::any_of(facts.history, [&](const db::RefreshRecord &record) {
        return record.result == "rolled_back" && startedInside(record, window);
    });
}

Result<RegionDecision> outsideWindow(const config::RegionConfig &region, const QDateTime &nowUtc,
                                     RegionDecision decision)
{
    decision.state = RegionState::OutsideWindow;
    if (!region.window) {
        decision.reason = "no refresh window (refreshed on demand only)";
        return decision;
    }
    auto next = schedule::nextWindow(region, nowUtc);
    if (!next)
        return std::unexpected(next.error());
    if (*next) {
        decision.until = (*next)->startUtc;
        decision.reason = "next window opens " + isoUtc(decision.until);
    } else {
        decision.reason = "no window opens within a year";
    }
    return decision;
}

/// Inside an open window, with a snapshot the region does not hold yet.
RegionDecision retryState(const RegionFacts &facts, const QDateTime &nowUtc,
                          const AgentPolicy &policy, RegionDecision decision)
{
    const schedule::WindowInterval &window = *decision.window;
    if (rolledBackIn(facts, window)) {
        decision.state = RegionState::RolledBack;
        decision.reason = "a refresh in this window was rolled back; leaving the region as it is "
                          "until the next window";
        return decision;
    }
    const FailureCount failures = failuresIn(facts, window);
    decision.failedAttempts = failures.count;
    const std::string attempts = std::to_string(failures.count) + " failed attempt"
                                 + (failures.count == 1 ? "" : "s") + " in this window";
    if (failures.count >= policy.maxAttempts) {
        decision.state = RegionState::GaveUp;
        decision.reason = attempts + " (the limit is " + std::to_string(policy.maxAttempts) + ')';
        return decision;
    }
    if (failures.count > 0) {
        const QDateTime retryAt
                = failures.lastEnded.addSecs(backoffAfter(failures.count, policy).count());
        if (retryAt >= window.endUtc) {
            decision.state = RegionState::GaveUp;
            decision.reason = attempts + "; the window closes at " + isoUtc(window.endUtc)
                              + ", before the next retry";
            return decision;
        }
        if (retryAt > nowUtc) {
            decision.state = RegionState::BackingOff;
            decision.until = retryAt;
            decision.reason = attempts + "; retrying at " + isoUtc(retryAt);
            return decision;
        }
    }
    decision.state = RegionState::Due;
    decision.reason = (facts.holds ? "holds " + *facts.holds : std::string("holds no snapshot"))
                      + ", newest is " + decision.snapshot
                      + (failures.count > 0 ? "; retry after " + attempts : std::string());
    return decision;
}

} // namespace

const char *stateName(RegionState state)
{
    switch (state) {
    case RegionState::OutsideWindow:
        return "outside-window";
    case RegionState::BlackedOut:
        return "blacked-out";
    case RegionState::NoSnapshot:
        return "no-snapshot";
    case RegionState::HoldsNewest:
        return "holds-newest";
    case RegionState::RolledBack:
        return "rolled-back";
    case RegionState::BackingOff:
        return "backing-off";
    case RegionState::GaveUp:
        return "gave-up";
    case RegionState::Due:
        return "due";
    }
    return "unknown";
}

std::chrono::seconds backoffAfter(int failedAttempts, const AgentPolicy &policy)
{
    std::chrono::seconds wait = policy.firstBackoff;
    for (int i = 1; i < failedAttempts && wait < policy.maxBackoff; ++i)
        wait *= 2;
    return std::min(wait, policy.maxBackoff);
}

Result<RegionDecision> decideRegion(const config::Config &config,
                                    const config::RegionConfig &region, const QDateTime &nowUtc,
                                    const std::optional<std::string> &newestSnapshot,
                                    const RegionFacts &facts, const AgentPolicy &policy)
{
    RegionDecision decision;
    decision.region = region.name;
    decision.snapshot = newestSnapshot.value_or("");
    auto open = schedule::windowAt(region, nowUtc);
    if (!open)
        return std::unexpected(open.error());
    if (!*open)
        return outsideWindow(region, nowUtc, std::move(decision));
    decision.window = **open;
    auto blackout = schedule::blackoutAt(config, region, nowUtc);
    if (!blackout)
        return std::unexpected(blackout.error());
    if (*blackout) {
        auto after = outsideWindow(region, nowUtc, std::move(decision));
        if (after) {
            after->state = RegionState::BlackedOut;
            after->reason = "blackout \"" + (*blackout)->reason + "\" until "
                            + isoUtc((*blackout)->endUtc);
        }
        return after;
    }
    if (!newestSnapshot) {
        decision.state = RegionState::NoSnapshot;
        decision.reason = "golden has no ready snapshot yet";
        return decision;
    }
    if (facts.holds == newestSnapshot) {
        decision.state = RegionState::HoldsNewest;
        decision.reason = "already holds " + *newestSnapshot;
        return decision;
    }
    return retryState(facts, nowUtc, policy, std::move(decision));
}

std::chrono::seconds nextLook(const std::vector<RegionDecision> &decisions, const QDateTime &nowUtc,
                              std::chrono::seconds cap)
{
    qint64 waitMs = std::chrono::milliseconds(cap).count();
    for (const auto &decision : decisions) {
        if (decision.until.isValid() && decision.until > nowUtc)
            waitMs = std::min(waitMs, nowUtc.msecsTo(decision.until));
    }
    // Round up: waking a little early would only find the same state again.
    return std::max(std::chrono::seconds(1), std::chrono::seconds((waitMs + 999) / 1000));
}

} // namespace envsync::agent
