#include "cli.h"
#include "interruptguard.h"

#include "core/agent/agent.h"
#include "core/agent/systemclock.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace envsync::cli {

namespace {

constexpr const char *agentDescription
        = R"(Run what the calendar says is due (data flow 2, unattended).

For every region inside its refresh window the agent refreshes it from the newest ready golden
snapshot, unless the region already holds it (read from the database's EnvSync marker) or a
blackout covers the window. A failed refresh is retried inside the window with backoff (1, 2,
4 … 30 min; at most 5 attempts); the agent gives up when the window would close first. The
attempts are recorded in the control database, so runs from cron keep no state of their own.
A region whose refresh lock is held is left to whoever holds it; one rolled back during the
window stays as it is until the next window. Refreshes run one after the other;
golden.max_parallel_refreshes still limits agents and people together.

Audited as actor "envsync-agent": each refresh started and its outcome, "holds the newest
snapshot" and "gave up" (those two once per window). One log line per region on stderr; --format json also prints one
JSON object per region on stdout.

With --once (for cron, a systemd timer or a Kubernetes CronJob) it decides once and exits.
Without it, it keeps running: it wakes when a window opens or a backoff ends, at least once a
minute, until SIGINT/SIGTERM (a running refresh is cancelled cleanly).

Exit codes: 0 nothing failed (also when nothing was due), 2 usage/config, 3 a refresh or the
control database failed, 4 a safety guard refused a due refresh.

Examples:
  envsyncctl agent -c /etc/envsync/envsync.yaml --once
  envsyncctl agent -c envsync.yaml --once --now 2026-11-30T01:30:00Z --format json)";

std::string isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate).toStdString() : std::string();
}

std::string describe(const agent::AgentOutcome &outcome)
{
    const auto &decision = outcome.decision;
    std::string line = "region " + decision.region + " [" + agent::stateName(decision.state)
                       + "]: " + decision.reason;
    switch (outcome.action) {
    case agent::AgentAction::None:
        break;
    case agent::AgentAction::Refreshed:
        line += fmt::format("; refreshed from {} in {:.1f} s", decision.snapshot, outcome.seconds);
        break;
    case agent::AgentAction::Busy:
        line += "; someone else is on it";
        break;
    case agent::AgentAction::Failed:
    case agent::AgentAction::Cancelled:
        line += std::string("; ") + agent::actionName(outcome.action);
        break;
    }
    if (outcome.error)
        line += ": " + cli::describe(*outcome.error);
    return line;
}

void log(const agent::AgentOutcome &outcome)
{
    const std::string line = describe(outcome);
    if (outcome.action == agent::AgentAction::Failed)
        spdlog::error("{}", line);
    else if (outcome.action == agent::AgentAction::Cancelled
             || outcome.decision.state == agent::RegionState::GaveUp)
        spdlog::warn("{}", line);
    else
        spdlog::info("{}", line);
}

void printJsonLine(const agent::AgentOutcome &outcome)
{
    const auto &decision = outcome.decision;
    QJsonObject object{
            {QStringLiteral("at"), QString::fromStdString(isoUtc(outcome.decidedAt))},
            {QStringLiteral("region"), QString::fromStdString(decision.region)},
            {QStringLiteral("state"), QString::fromLatin1(agent::stateName(decision.state))},
            {QStringLiteral("reason"), QString::fromStdString(decision.reason)},
            {QStringLiteral("snapshot"), QString::fromStdString(decision.snapshot)},
            {QStringLiteral("failed_attempts"), decision.failedAttempts},
            {QStringLiteral("action"), QString::fromLatin1(agent::actionName(outcome.action))}};
    if (decision.until.isValid())
        object.insert(QStringLiteral("until"), QString::fromStdString(isoUtc(decision.until)));
    if (decision.window) {
        object.insert(QStringLiteral("window_start"),
                      QString::fromStdString(isoUtc(decision.window->startUtc)));
        object.insert(QStringLiteral("window_end"),
                      QString::fromStdString(isoUtc(decision.window->endUtc)));
    }
    if (outcome.action == agent::AgentAction::Refreshed)
        object.insert(QStringLiteral("seconds"), outcome.seconds);
    if (outcome.error)
        object.insert(QStringLiteral("error"),
                      QString::fromStdString(cli::describe(*outcome.error)));
    std::puts(QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout); // a log collector reads the lines as they come
}

/// `--now`: ISO 8601; without an offset it is taken as UTC (not the machine's zone).
std::optional<QDateTime> parseNow(const QString &text)
{
    QDateTime now = QDateTime::fromString(text, Qt::ISODate);
    if (!now.isValid())
        return std::nullopt;
    if (now.timeSpec() == Qt::LocalTime)
        now.setTimeSpec(Qt::UTC);
    return now.toUTC();
}

/// The exit code of a pass: the first failure decides (refusals 4, everything else 3).
int exitCodeOf(const std::vector<agent::AgentOutcome> &outcomes)
{
    for (const auto &outcome : outcomes) {
        if (outcome.action == agent::AgentAction::Failed && outcome.error)
            return outcome.error->exitCode();
        if (outcome.action == agent::AgentAction::Cancelled)
            return Exit::Runtime;
    }
    return Exit::Ok;
}

} // namespace

int runAgent(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(agentDescription));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("once"),
                      QStringLiteral("Decide and run what is due once, then exit (cron, systemd "
                                     "timer, Kubernetes CronJob).")});
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("text (default: log lines on stderr only) or json (also one "
                                     "JSON object per region on stdout)."),
                      QStringLiteral("FORMAT"), QStringLiteral("text")});
    parser.addOption({QStringLiteral("now"),
                      QStringLiteral("For testing: pretend the current time is ISO (UTC unless "
                                     "it carries an offset), e.g. 2026-11-30T01:30:00Z."),
                      QStringLiteral("ISO")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    if (auto stop = requireFormat(parser, {"text", "json"}))
        return *stop;
    const QString format = parser.value(QStringLiteral("format"));
    std::optional<QDateTime> now;
    if (parser.isSet(QStringLiteral("now"))) {
        now = parseNow(parser.value(QStringLiteral("now")));
        if (!now) {
            printError("--now: not an ISO 8601 date-time: \""
                       + parser.value(QStringLiteral("now")).toStdString() + '"');
            return Exit::Usage;
        }
    }
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    // The agent's decisions are its log: show them unless the user asked for more already.
    if (spdlog::get_level() > spdlog::level::info)
        spdlog::set_level(spdlog::level::info);

    agent::SystemClock clock(now.value_or(QDateTime()));
    const bool json = format == QLatin1String("json");
    const InterruptGuard interrupt;
    agent::AgentOptions options;
    options.cancel = interrupt.token();
    options.onOutcome = [json](const agent::AgentOutcome &outcome) {
        log(outcome);
        if (json)
            printJsonLine(outcome);
    };
    if (!parser.isSet(QStringLiteral("once"))) {
        agent::runLoop(*config, clock, options);
        return Exit::Ok;
    }
    auto outcomes = agent::runOnce(*config, clock, options);
    if (!outcomes)
        return reportError(outcomes.error());
    return exitCodeOf(*outcomes);
}

} // namespace envsync::cli
