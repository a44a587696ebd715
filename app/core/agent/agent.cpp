#include "core/agent/agent.h"

#include "core/agent/regionfacts.h"
#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"
#include "core/refresh/refreshlocks.h"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace envsync::agent {

namespace {

constexpr const char *controlWho = "control database";

std::string isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate).toStdString();
}

std::string auditDetail(const AgentOutcome &outcome)
{
    const RegionDecision &decision = outcome.decision;
    QJsonObject detail{{QStringLiteral("state"), QString::fromLatin1(stateName(decision.state))},
                       {QStringLiteral("reason"), QString::fromStdString(decision.reason)},
                       {QStringLiteral("snapshot"), QString::fromStdString(decision.snapshot)},
                       {QStringLiteral("at"), QString::fromStdString(isoUtc(outcome.decidedAt))}};
    if (outcome.endedAt.isValid())
        detail.insert(QStringLiteral("ended_at"), QString::fromStdString(isoUtc(outcome.endedAt)));
    if (outcome.error)
        detail.insert(QStringLiteral("error"), QString::fromStdString(outcome.error->describe()));
    if (decision.window) {
        // The window's identity: "once per window" audits look it up (the agent's clock may be
        // injected, so audit_log.at cannot tell which window a record belongs to).
        detail.insert(QStringLiteral("window_start"),
                      QString::fromStdString(isoUtc(decision.window->startUtc)));
        detail.insert(QStringLiteral("window_end"),
                      QString::fromStdString(isoUtc(decision.window->endUtc)));
    }
    return QJsonDocument(detail).toJson(QJsonDocument::Compact).toStdString();
}

void audit(db::ControlDb &control, const AgentOptions &options, const std::string &action,
           const AgentOutcome &outcome, const std::string &result)
{
    auto written = control.audit(options.policy.actor, action, outcome.decision.region, result,
                                 auditDetail(outcome));
    if (!written)
        spdlog::warn("agent: audit {} {}: {}", action, outcome.decision.region,
                     written.error().describe());
}

Result<bool> auditedInWindow(db::ControlDb &control, const AgentOptions &options,
                             const std::string &action, const RegionDecision &decision)
{
    return db::guarded(controlWho, "read audit_log", [&] {
        pqxx::nontransaction tx(control.connection());
        const pqxx::result rows = tx.exec_params(
                "SELECT 1 FROM envsync.audit_log WHERE actor = $1 AND action = $2"
                " AND target = $3 AND detail->>'window_start' = $4 LIMIT 1",
                options.policy.actor, action, decision.region, isoUtc(decision.window->startUtc));
        return !rows.empty();
    });
}

/// "Holds the newest" and "gave up" hold for the rest of a window: one record each, not one
/// per cron run.
void auditOncePerWindow(db::ControlDb &control, const AgentOptions &options,
                        const std::string &action, const AgentOutcome &outcome)
{
    auto seen = auditedInWindow(control, options, action, outcome.decision);
    if (seen && *seen)
        return;
    audit(control, options, action, outcome, stateName(outcome.decision.state));
}

/// Whether another session holds the region's refresh lock now (read from pg_locks, without
/// taking it: taking it, even briefly, could refuse a concurrent agent).
Result<bool> regionLockHeld(db::ControlDb &control, const std::string &region)
{
    // The key of RefreshLocks::lockRegion.
    const std::int64_t key = refresh::RefreshLocks::regionKey(region);
    return db::guarded(controlWho, "read pg_locks", [&] {
        pqxx::nontransaction tx(control.connection());
        const pqxx::result rows = tx.exec_params(
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND objsubid = 1 AND pid <> pg_backend_pid()"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                " AND ((classid::bigint << 32) | objid::bigint) = $1",
                key);
        return !rows.empty();
    });
}

/// Facts matter only inside an open, unblocked window with a snapshot: elsewhere the region's
/// database is not even contacted (an unreachable region outside its window is no news).
Result<RegionDecision> decide(const config::Config &config, const config::RegionConfig &region,
                              db::ControlDb &control, const QDateTime &now,
                              const std::optional<std::string> &newest, const AgentPolicy &policy)
{
    auto cheap = decideRegion(config, region, now, newest, {}, policy);
    if (!cheap || cheap->state != RegionState::Due)
        return cheap;
    auto facts = readRegionFacts(config, region, control, policy.actor);
    if (!facts)
        return std::unexpected(facts.error());
    return decideRegion(config, region, now, newest, *facts, policy);
}

AgentAction classifyFailure(db::ControlDb &control, const std::string &region, const Error &error)
{
    if (error.code == ErrorCode::Cancelled)
        return AgentAction::Cancelled;
    if (error.code != ErrorCode::Refused)
        return AgentAction::Failed;
    auto held = regionLockHeld(control, region);
    return held && *held ? AgentAction::Busy : AgentAction::Failed;
}

void runRefresh(const config::Config &config, db::ControlDb &control, AgentClock &clock,
                const AgentOptions &options, AgentOutcome &outcome)
{
    audit(control, options, "agent.refresh", outcome, "started");
    refresh::RefreshOptions refreshOptions;
    refreshOptions.region = outcome.decision.region;
    refreshOptions.snapshot = outcome.decision.snapshot;
    refreshOptions.actor = options.policy.actor;
    refreshOptions.cancel = options.cancel;
    refreshOptions.step = options.step;
    refreshOptions.now = clock.now();
    auto result = refresh::refreshRegion(config, refreshOptions);
    outcome.endedAt = clock.now();
    if (result) {
        outcome.action = AgentAction::Refreshed;
        outcome.seconds = result->seconds;
    } else {
        outcome.error = result.error();
        outcome.action = classifyFailure(control, outcome.decision.region, result.error());
    }
    audit(control, options, "agent.refresh", outcome, actionName(outcome.action));
}

bool cancelled(const AgentOptions &options)
{
    return options.cancel && options.cancel->isCancelled();
}

} // namespace

const char *actionName(AgentAction action)
{
    switch (action) {
    case AgentAction::None:
        return "none";
    case AgentAction::Refreshed:
        return "refreshed";
    case AgentAction::Busy:
        return "busy";
    case AgentAction::Failed:
        return "failed";
    case AgentAction::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

Result<std::vector<AgentOutcome>> runOnce(const config::Config &config, AgentClock &clock,
                                          const AgentOptions &options)
{
    auto control
            = db::ControlDb::open(config, db::configuredConnectOptions(config, "envsync agent"));
    if (!control)
        return std::unexpected(control.error());
    auto newest = control->newestReadySnapshot();
    if (!newest)
        return std::unexpected(newest.error());
    std::vector<AgentOutcome> outcomes;
    // One region after the other, each decided at the clock's current instant: a long
    // refresh of one region must not leave the next one acting on a stale decision.
    for (const auto &region : config.regions) {
        if (cancelled(options))
            break;
        AgentOutcome outcome;
        outcome.decidedAt = clock.now();
        auto decision
                = decide(config, region, *control, outcome.decidedAt, *newest, options.policy);
        if (!decision)
            return std::unexpected(decision.error());
        outcome.decision = std::move(*decision);
        if (outcome.decision.state == RegionState::Due)
            runRefresh(config, *control, clock, options, outcome);
        else if (outcome.decision.state == RegionState::HoldsNewest)
            auditOncePerWindow(*control, options, "agent.skip", outcome);
        else if (outcome.decision.state == RegionState::GaveUp)
            auditOncePerWindow(*control, options, "agent.give_up", outcome);
        if (options.onOutcome)
            options.onOutcome(outcome);
        outcomes.push_back(std::move(outcome));
    }
    return outcomes;
}

void runLoop(const config::Config &config, AgentClock &clock, const AgentOptions &options)
{
    AgentOptions looping = options;
    if (!looping.cancel)
        looping.cancel = std::make_shared<job::CancelToken>();
    while (!looping.cancel->isCancelled()) {
        std::vector<RegionDecision> decisions;
        if (auto outcomes = runOnce(config, clock, looping)) {
            for (const auto &outcome : *outcomes)
                decisions.push_back(outcome.decision);
        } else {
            spdlog::error("agent: {}", outcomes.error().describe());
        }
        const auto wait = nextLook(decisions, clock.now(), looping.maxSleep);
        spdlog::debug("agent: next look in {} s", wait.count());
        if (!clock.sleepFor(wait, *looping.cancel))
            break;
    }
}

} // namespace envsync::agent
