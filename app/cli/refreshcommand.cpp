#include "cli.h"
#include "interruptguard.h"
#include "progressprinter.h"

#include "core/refresh/refresh.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace envsync::cli {

namespace {

constexpr const char *refreshDescription = R"(Refresh a region from a golden snapshot (data flow 2).

Builds <db>__envsync_next from the snapshot (a template clone when the region lives on the
golden cluster, the parallel copy engine otherwise), runs the region's pre hooks, keeps the
tables listed in `preserve:` from the current database, runs the post hooks, then swaps it in
atomically by database rename and keeps the old database as <db>__envsync_prev (see
`envsyncctl rollback`). Sessions in the region's database are terminated at the swap; the
region is unavailable for a fraction of a second. A failed or cancelled (Ctrl-C) refresh drops
the shadow database and leaves the region exactly as it was; a killed one is cleaned up by the
next run.

Guards (exit 4; refusals are audited, except golden.dsn on the source's cluster, which refuses
before envsync_control may be written): a region flagged production, a database on the source's
cluster, golden.dsn on the source's cluster, an unreachable source (the target cannot be proven
not to be production: pass --source-unreachable-ok if you are sure), a database EnvSync did not
make (no marker: pass --i-know-this-is REGION), outside the region's window (pass
--force-outside-window --reason TEXT; audited, and so is how the forced run ends), a refresh of
the region already running. Each override lifts only its own guard.
At most golden.max_parallel_refreshes refreshes read golden at once; others wait, queued.

Exit codes: 0 done (or plan printed), 2 usage/config, 3 runtime failure, 4 refused.

Examples:
  envsyncctl refresh -c envsync.yaml --region eu --dry-run
  envsyncctl refresh -c envsync.yaml --region eu --snapshot golden_v3
  envsyncctl refresh -c envsync.yaml --region us --force-outside-window --reason "hotfix QA"
  envsyncctl rollback -c envsync.yaml --region eu)";

constexpr const char *rollbackDescription = R"(Swap a region back to its previous database.

Exchanges <db> and <db>__envsync_prev atomically (running it again swaps forward). The refresh
history follows: the undone refresh is marked rolled_back, so freshness reports the data that is
live. Same guards and lock as refresh.

Examples:
  envsyncctl rollback -c envsync.yaml --region eu)";

std::string isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate).toStdString() : std::string("-");
}

QJsonArray toArray(const std::vector<std::string> &items)
{
    QJsonArray array;
    for (const auto &item : items)
        array.append(QString::fromStdString(item));
    return array;
}

QJsonObject toJson(const refresh::RefreshPlan &plan)
{
    return {{QStringLiteral("region"), QString::fromStdString(plan.region)},
            {QStringLiteral("database"), QString::fromStdString(plan.database)},
            {QStringLiteral("snapshot"), QString::fromStdString(plan.snapshot)},
            {QStringLiteral("snapshot_as_of"), QString::fromStdString(isoUtc(plan.snapshotAsOf))},
            {QStringLiteral("snapshot_bytes"), static_cast<qint64>(plan.snapshotBytes)},
            {QStringLiteral("method"), QString::fromStdString(plan.method)},
            {QStringLiteral("expected_seconds"), plan.expectedSeconds},
            {QStringLiteral("sessions_to_terminate"), toArray(plan.sessions)},
            {QStringLiteral("preserved_tables"), toArray(plan.preserved)},
            {QStringLiteral("inside_window"), plan.insideWindow},
            {QStringLiteral("window"), QString::fromStdString(plan.window)},
            {QStringLiteral("replaces_previous"), plan.hasPrevious}};
}

void printPlan(const refresh::RefreshPlan &plan)
{
    std::printf("region      %s (database %s)\n", plan.region.c_str(), plan.database.c_str());
    std::printf("snapshot    %s, source as of %s, %.1f MB\n", plan.snapshot.c_str(),
                isoUtc(plan.snapshotAsOf).c_str(), static_cast<double>(plan.snapshotBytes) / 1e6);
    std::printf("method      %s\n", plan.method.c_str());
    if (plan.expectedSeconds >= 0)
        std::printf("expected    %.0f s (mean of recent refreshes)\n", plan.expectedSeconds);
    else
        std::printf("expected    unknown (no refresh history yet)\n");
    std::printf("window      %s\n", plan.window.c_str());
    std::printf("sessions    %zu will be terminated at the swap\n", plan.sessions.size());
    for (const auto &session : plan.sessions)
        std::printf("              %s\n", session.c_str());
    std::printf("preserve    %s\n", plan.preserved.empty() ? "-" : "");
    for (const auto &table : plan.preserved)
        std::printf("              %s\n", table.c_str());
    if (plan.hasPrevious)
        std::printf("note        %s__envsync_prev will be replaced by the current database\n",
                    plan.database.c_str());
}

/// `refreshOnly`: the options only `refresh` defines (rollback has just region and guard).
refresh::RefreshOptions optionsFrom(const QCommandLineParser &parser, bool refreshOnly)
{
    refresh::RefreshOptions options;
    options.region = parser.value(QStringLiteral("region")).toStdString();
    options.iKnowThisIs = parser.value(QStringLiteral("i-know-this-is")).toStdString();
    options.sourceUnreachableOk = parser.isSet(QStringLiteral("source-unreachable-ok"));
    if (refreshOnly) {
        options.snapshot = parser.value(QStringLiteral("snapshot")).toStdString();
        options.forceOutsideWindow = parser.isSet(QStringLiteral("force-outside-window"));
        options.reason = parser.value(QStringLiteral("reason")).toStdString();
        options.jobs = parser.value(QStringLiteral("jobs")).toInt();
    }
    return options;
}

void addCommonOptions(QCommandLineParser &parser)
{
    addConfigOption(parser);
    parser.addOption({QStringLiteral("region"), QStringLiteral("The region (required)."),
                      QStringLiteral("R")});
    parser.addOption({QStringLiteral("i-know-this-is"),
                      QStringLiteral("Confirm the target by typing the region's name (needed for a "
                                     "database EnvSync did not make)."),
                      QStringLiteral("REGION")});
    parser.addOption({QStringLiteral("source-unreachable-ok"),
                      QStringLiteral("Write although the source cannot be reached, so the target's "
                                     "cluster cannot be compared with it (you vouch that it is not "
                                     "production). Does not replace --i-know-this-is.")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                      QStringLiteral("FORMAT"), QStringLiteral("table")});
}

std::optional<int> requireRegion(const QCommandLineParser &parser)
{
    if (parser.value(QStringLiteral("region")).isEmpty()) {
        printError("--region R is required");
        return Exit::Usage;
    }
    return std::nullopt;
}

int printResult(const refresh::RefreshResult &result, bool json)
{
    if (json) {
        QJsonObject object = toJson(result.plan);
        object.insert(QStringLiteral("rows"), static_cast<qint64>(result.rows));
        object.insert(QStringLiteral("seconds"), result.seconds);
        object.insert(QStringLiteral("unavailable_ms"), result.unavailableMs);
        std::puts(QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
        return Exit::Ok;
    }
    std::printf("region %s refreshed from %s: %lld rows in %.1f s (%s); unavailable %.0f ms\n",
                result.plan.region.c_str(), result.plan.snapshot.c_str(),
                static_cast<long long>(result.rows), result.seconds, result.plan.method.c_str(),
                result.unavailableMs);
    for (const auto &kept : result.preserved) {
        if (kept.note.empty())
            std::printf("kept %s: %lld rows from the previous database\n", kept.table.c_str(),
                        static_cast<long long>(kept.rows));
        else
            std::printf("kept %s: %s\n", kept.table.c_str(), kept.note.c_str());
    }
    return Exit::Ok;
}

} // namespace

int runRefresh(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(refreshDescription));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("snapshot"),
                      QStringLiteral("The golden snapshot (default: the newest ready one)."),
                      QStringLiteral("golden_vN")});
    parser.addOption({QStringLiteral("dry-run"),
                      QStringLiteral("Print the plan (snapshot, size, expected duration, sessions "
                                     "to terminate, preserved tables, window) and stop.")});
    parser.addOption({QStringLiteral("force-outside-window"),
                      QStringLiteral("Refresh outside the region's window (needs --reason).")});
    parser.addOption({QStringLiteral("reason"),
                      QStringLiteral("Why the window is overridden (written to the audit log)."),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("jobs"),
                      QStringLiteral("Parallel copy workers (default: number of cores)."),
                      QStringLiteral("N"), QStringLiteral("0")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    if (auto stop = requireRegion(parser))
        return *stop;
    // Installed before the config is read, so Ctrl-C at any moment ends with exit 3, the
    // region's database untouched and its __envsync_next dropped.
    const InterruptGuard interrupt;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    refresh::RefreshOptions options = optionsFrom(parser, true);
    options.cancel = interrupt.token();
    const bool json = parser.value(QStringLiteral("format")) == QLatin1String("json");
    if (parser.isSet(QStringLiteral("dry-run"))) {
        auto plan = refresh::planRefresh(*config, options);
        if (!plan)
            return reportError(plan.error());
        if (json)
            std::puts(QJsonDocument(toJson(*plan)).toJson(QJsonDocument::Indented).constData());
        else
            printPlan(*plan);
        return Exit::Ok;
    }
    ProgressPrinter printer("refresh " + options.region);
    options.step = [&](const std::string &text) { printer.step(text); };
    options.progress = [&](const job::Progress &p) { printer.progress(p); };
    auto result = refresh::refreshRegion(*config, options);
    printer.finishLine();
    if (!result)
        return reportError(result.error());
    return printResult(*result, json);
}

int runRollback(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(rollbackDescription));
    addCommonOptions(parser);
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    if (auto stop = requireRegion(parser))
        return *stop;
    // Ctrl-C before the swap: exit 3 and nothing changed (the swap itself is not interrupted).
    const InterruptGuard interrupt;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    refresh::RefreshOptions options = optionsFrom(parser, false);
    options.cancel = interrupt.token();
    ProgressPrinter printer("rollback " + options.region);
    options.step = [&](const std::string &text) { printer.step(text); };
    auto result = refresh::rollbackRegion(*config, options);
    if (!result)
        return reportError(result.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        const QJsonObject object{
                {QStringLiteral("region"), QString::fromStdString(result->region)},
                {QStringLiteral("database"), QString::fromStdString(result->database)},
                {QStringLiteral("restored_snapshot"),
                 QString::fromStdString(result->restoredSnapshot)},
                {QStringLiteral("unavailable_ms"), result->unavailableMs}};
        std::puts(QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
    } else {
        std::printf("region %s rolled back to %s; unavailable %.0f ms\n", result->region.c_str(),
                    result->restoredSnapshot.empty() ? "the previous database"
                                                     : result->restoredSnapshot.c_str(),
                    result->unavailableMs);
    }
    return Exit::Ok;
}

} // namespace envsync::cli
