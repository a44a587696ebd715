#include "cli.h"
#include "interruptguard.h"
#include "progressprinter.h"

#include "core/snapshot/snapshot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>


#include <chrono>
#include <cstdio>

namespace envsync::cli {

namespace {

constexpr const char *description = R"(Masked, versioned golden snapshots of the source (data flow 1).

  create   read the source once, in one consistent snapshot, on --jobs parallel connections;
           mask every classified column; write golden_vN on the golden cluster as a read-only
           template. Refuses (exit 4) while a column has no masking rule and is not in
           masking.keep (masking.unclassified: fail). A create that was killed is cleaned up
           by the next one.
  list     the catalogue: version, state, source as-of time, rows, size, duration, who.
  prune    drop ready snapshots beyond the --keep newest (default: golden.keep), never one a
           region was last refreshed from.
  verify   prove a snapshot (--name, default the newest) against the facts its copy
           recorded, without connecting to the source: each table's row count and a hash
           of its rows as written, every foreign key holds in golden, no golden value of a
           masked column equals a sampled source value (kept as keyed hashes only), and no
           masked column or its table keeps a comment. Snapshots made before facts were
           recorded get the checks golden alone allows; the skipped ones say so. Exit 1
           when a check fails.

Progress goes to stderr (rows, MB/s, ETA); results to stdout. Ctrl-C cancels a create and
drops the half-built database. Exit codes: 0 ok, 1 verify found a problem, 2 usage/config,
3 runtime failure, 4 refused (fail-closed masking, production guard).

Examples:
  envsyncctl snapshot create -c envsync.yaml --jobs 4
  envsyncctl snapshot list   -c envsync.yaml --format json
  envsyncctl snapshot verify -c envsync.yaml --name golden_v3
  envsyncctl snapshot prune  -c envsync.yaml --keep 3)";

std::string formatTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate).toStdString() : std::string("-");
}

std::int64_t totalRows(const snapshot::SnapshotInfo &info)
{
    std::int64_t rows = 0;
    for (const auto &[table, count] : info.rowCounts)
        rows += count;
    return rows;
}

QJsonObject toJson(const snapshot::SnapshotInfo &info)
{
    QJsonObject rows;
    for (const auto &[table, count] : info.rowCounts)
        rows.insert(QString::fromStdString(table), static_cast<qint64>(count));
    return {{QStringLiteral("version"), info.version},
            {QStringLiteral("name"), QString::fromStdString(info.name)},
            {QStringLiteral("state"), QString::fromStdString(info.state)},
            {QStringLiteral("created_at"), QString::fromStdString(formatTime(info.createdAt))},
            {QStringLiteral("source_as_of"), QString::fromStdString(formatTime(info.sourceAsOf))},
            {QStringLiteral("source_lsn"), QString::fromStdString(info.sourceLsn)},
            // the slot-consistent point CDC resumes from; null: taken without one
            {QStringLiteral("cdc_lsn"), info.cdcLsn.empty()
                                                ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(QString::fromStdString(info.cdcLsn))},
            {QStringLiteral("rules_hash"), QString::fromStdString(info.rulesHash)},
            {QStringLiteral("rows"), static_cast<qint64>(totalRows(info))},
            {QStringLiteral("row_counts"), rows},
            {QStringLiteral("size_bytes"), static_cast<qint64>(info.sizeBytes)},
            {QStringLiteral("duration_ms"), static_cast<qint64>(info.durationMs)},
            {QStringLiteral("created_by"), QString::fromStdString(info.createdBy)}};
}

void printTable(const std::vector<snapshot::SnapshotInfo> &snapshots)
{
    std::printf("%-12s %-8s %-20s %10s %10s %9s  %s\n", "NAME", "STATE", "SOURCE AS OF", "ROWS",
                "SIZE MB", "SECONDS", "BY");
    for (const auto &info : snapshots) {
        std::printf("%-12s %-8s %-20s %10lld %10.1f %9.1f  %s\n", info.name.c_str(),
                    info.state.c_str(), formatTime(info.sourceAsOf).c_str(),
                    static_cast<long long>(totalRows(info)),
                    static_cast<double>(info.sizeBytes) / 1e6,
                    static_cast<double>(info.durationMs) / 1000.0, info.createdBy.c_str());
    }
}

int runCreate(const config::Config &config, const QCommandLineParser &parser,
              const std::shared_ptr<job::CancelToken> &cancel)
{
    snapshot::CreateOptions options;
    bool ok = true;
    options.jobs = parser.value(QStringLiteral("jobs")).toInt(&ok);
    if (!ok || options.jobs < 0) {
        printError("--jobs must be a number ≥ 0");
        return Exit::Usage;
    }
    if (parser.isSet(QStringLiteral("max-rows-per-second"))) {
        options.maxRowsPerSecond =
                parser.value(QStringLiteral("max-rows-per-second")).toLongLong(&ok);
        if (!ok || options.maxRowsPerSecond < 0) {
            printError("--max-rows-per-second must be a number ≥ 0");
            return Exit::Usage;
        }
    }
    ProgressPrinter printer("snapshot");
    options.step = [&](const std::string &text) { printer.step(text); };
    options.progress = [&](const job::Progress &p) { printer.progress(p); };
    options.cancel = cancel;
    auto created = snapshot::createSnapshot(config, options);
    printer.finishLine();
    if (!created)
        return reportError(created.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        std::puts(QJsonDocument(toJson(*created)).toJson(QJsonDocument::Indented).constData());
    } else {
        const double seconds = static_cast<double>(created->durationMs) / 1000.0;
        std::printf("%s ready: %lld rows, %.1f MB, %.1f s, source as of %s (LSN %s)\n",
                    created->name.c_str(), static_cast<long long>(totalRows(*created)),
                    static_cast<double>(created->sizeBytes) / 1e6, seconds,
                    formatTime(created->sourceAsOf).c_str(), created->sourceLsn.c_str());
    }
    return Exit::Ok;
}

int runList(const config::Config &config, const QCommandLineParser &parser)
{
    auto snapshots = snapshot::listSnapshots(config);
    if (!snapshots)
        return reportError(snapshots.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        QJsonArray array;
        for (const auto &info : *snapshots)
            array.append(toJson(info));
        std::puts(QJsonDocument(array).toJson(QJsonDocument::Indented).constData());
    } else {
        printTable(*snapshots);
    }
    return Exit::Ok;
}

int runPrune(const config::Config &config, const QCommandLineParser &parser,
             const std::shared_ptr<job::CancelToken> &cancel)
{
    int keep = config.golden.keep;
    if (parser.isSet(QStringLiteral("keep"))) {
        bool ok = false;
        keep = parser.value(QStringLiteral("keep")).toInt(&ok);
        if (!ok || keep < 1) {
            printError("--keep must be a number ≥ 1");
            return Exit::Usage;
        }
    }
    auto pruned = snapshot::pruneSnapshots(config, keep, cancel);
    if (!pruned)
        return reportError(pruned.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        auto array = [](const std::vector<std::string> &names) {
            QJsonArray out;
            for (const auto &name : names)
                out.append(QString::fromStdString(name));
            return out;
        };
        const QJsonObject object{{QStringLiteral("pruned"), array(pruned->pruned)},
                                 {QStringLiteral("kept"), array(pruned->kept)},
                                 {QStringLiteral("kept_in_use"), array(pruned->keptInUse)}};
        std::puts(QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
    } else {
        for (const auto &name : pruned->pruned)
            std::printf("pruned %s\n", name.c_str());
        for (const auto &name : pruned->keptInUse)
            std::printf("kept   %s: in use\n", name.c_str());
        for (const auto &name : pruned->kept)
            std::printf("kept   %s\n", name.c_str());
    }
    return Exit::Ok;
}

int runVerify(const config::Config &config, const QCommandLineParser &parser,
              const std::shared_ptr<job::CancelToken> &cancel)
{
    auto report = snapshot::verifySnapshot(
            config, parser.value(QStringLiteral("name")).toStdString(), cancel);
    if (!report)
        return reportError(report.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        QJsonArray checks;
        for (const auto &check : report->checks) {
            checks.append(QJsonObject{{QStringLiteral("check"), QString::fromStdString(check.check)},
                                      {QStringLiteral("object"), QString::fromStdString(check.object)},
                                      {QStringLiteral("ok"), check.ok},
                                      {QStringLiteral("detail"), QString::fromStdString(check.detail)}});
        }
        const QJsonObject object{{QStringLiteral("name"), QString::fromStdString(report->name)},
                                 {QStringLiteral("ok"), report->ok()},
                                 {QStringLiteral("checks"), checks}};
        std::puts(QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
    } else {
        std::printf("%-6s %-12s %-50s %s\n", "RESULT", "CHECK", "OBJECT", "DETAIL");
        for (const auto &check : report->checks) {
            std::printf("%-6s %-12s %-50s %s\n", check.ok ? "ok" : "FAIL", check.check.c_str(),
                        check.object.c_str(), check.detail.c_str());
        }
        std::printf("%s: %s\n", report->name.c_str(),
                    report->ok() ? "verified" : "PROBLEMS FOUND");
    }
    return report->ok() ? Exit::Ok : Exit::Found;
}

} // namespace

int runSnapshot(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(description));
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("create, list, prune or verify"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("jobs"),
                      QStringLiteral("create: parallel copy workers (default: number of cores)."),
                      QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("max-rows-per-second"),
                      QStringLiteral("create: throttle reads from the source (default: none)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("keep"),
                      QStringLiteral("prune: how many ready snapshots to keep (default: golden.keep)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("name"),
                      QStringLiteral("verify: the snapshot (default: the newest ready one)."),
                      QStringLiteral("golden_vN")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                      QStringLiteral("FORMAT"), QStringLiteral("table")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    static const QStringList actions = {QStringLiteral("create"), QStringLiteral("list"),
                                        QStringLiteral("prune"), QStringLiteral("verify")};
    if (positional.size() != 1 || !actions.contains(action)) {
        printError("snapshot takes one action: create, list, prune or verify (see 'envsyncctl "
                   "snapshot --help')");
        return Exit::Usage;
    }
    if (auto stop = requireFormat(parser, {"table", "json"}))
        return *stop;
    // Installed before the config is read, so Ctrl-C at any moment ends with exit 3: a create
    // drops its half-built golden_vN__building, a verify's queries are cancelled on the servers.
    const InterruptGuard interrupt;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    if (action == QLatin1String("create"))
        return runCreate(*config, parser, interrupt.token());
    if (action == QLatin1String("list"))
        return runList(*config, parser);
    if (action == QLatin1String("prune"))
        return runPrune(*config, parser, interrupt.token());
    return runVerify(*config, parser, interrupt.token());
}

} // namespace envsync::cli
