#include "cli.h"
#include "interruptguard.h"

#include "core/cdc/cdcrunner.h"
#include "core/cdc/cdcsetup.h"
#include "core/cdc/cdcstatus.h"
#include "core/cdc/lsn.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace envsync::cli {

namespace {

constexpr const char *description
        = R"(Change data capture: production's changes, masked in flight, streamed into the regions
between refreshes (data flow 4).

  init     check the source (wal_level = logical, a free replication slot, a key or REPLICA
           IDENTITY FULL on every published table: keyless ones are listed and refused, exit
           4) and create the publication (FOR TABLES IN SCHEMA: new tables follow) and the one
           logical slot (pgoutput) of the estate. Idempotent.
  run      stream until stopped: one reader masks every row image with the golden rules and
           salt and writes it to the spool (cdc.spool, fsync'd; the slot is confirmed only up
           to what the spool holds), one applier per region applies each batch in one region
           transaction together with the region's position, so kill -9 anywhere loses and
           repeats nothing. Region triggers do not fire; sequences never fall behind the
           source. A column without a masking rule stops the stream (exit 4) before any of its
           values is written. SIGTERM or Ctrl-C: the transaction in flight is finished, exit 0.
           --until-caught-up: exit 0 once every region has everything the source had
           committed when the run started.
  status   per region: state, applied position, lag (bytes, seconds), changes/s, conflicts;
           for the source: slot, confirmed position and the WAL it retains.
  pause    stop applying to a region (--region) until resume; the spool keeps its changes.
  resume   apply again.
  drop     remove the slot and the publication EnvSync created (the source stops keeping WAL
           for it); regions fall back to refreshes. The spool directory is left for you.

A region refreshed from golden_vN resumes at the WAL position golden_vN was read at; during a
refresh its applier waits. Preserved tables are never touched. Conflicts with a squad's own
test rows follow the region's `conflicts:` (source_wins by default, skip, stop).
Exit codes: 0 ok, 2 usage/config, 3 runtime failure, 4 refused (source not ready, unclassified
column).

Examples:
  envsyncctl cdc init   -c envsync.yaml
  envsyncctl cdc run    -c envsync.yaml                  # until SIGTERM
  envsyncctl cdc run    -c envsync.yaml --until-caught-up
  envsyncctl cdc status -c envsync.yaml --format json
  envsyncctl cdc pause  -c envsync.yaml --region eu)";

QString text(const std::string &value)
{
    return QString::fromStdString(value);
}

void printJson(const QJsonObject &object)
{
    std::puts(QJsonDocument(object).toJson(QJsonDocument::Indented).constData());
}

std::vector<std::string> regionNames(const QCommandLineParser &parser)
{
    std::vector<std::string> names;
    for (const QString &name : parser.values(QStringLiteral("region")))
        names.push_back(name.toStdString());
    return names;
}

int runInit(const config::Config &config, const QCommandLineParser &parser)
{
    auto report = cdc::initCdc(config);
    if (!report)
        return reportError(report.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        QJsonArray schemas;
        for (const auto &schema : report->schemas)
            schemas.append(text(schema));
        printJson({{QStringLiteral("slot"), text(report->slot)},
                   {QStringLiteral("publication"), text(report->publication)},
                   {QStringLiteral("schemas"), schemas},
                   {QStringLiteral("created_slot"), report->slotCreated},
                   {QStringLiteral("created_publication"), report->publicationCreated}});
        return Exit::Ok;
    }
    std::printf("slot %s: %s\n", report->slot.c_str(),
                report->slotCreated ? "created" : "already there");
    std::string schemas;
    for (const auto &schema : report->schemas)
        schemas += (schemas.empty() ? "" : ", ") + schema;
    std::printf("publication %s (tables in schema %s): %s\n", report->publication.c_str(),
                schemas.c_str(), report->publicationCreated ? "created" : "already there");
    std::printf("next: envsyncctl snapshot create, refresh the regions from it, then "
                "envsyncctl cdc run\n");
    return Exit::Ok;
}

int runStream(const config::Config &config, const QCommandLineParser &parser,
              const std::shared_ptr<job::CancelToken> &stop)
{
    cdc::RunOptions options;
    options.regions = regionNames(parser);
    options.untilCaughtUp = parser.isSet(QStringLiteral("until-caught-up"));
    options.stop = stop;
    options.log = [](const std::string &line) {
        std::fprintf(stderr, "cdc: %s\n", line.c_str());
    };
    auto summary = cdc::runCdc(config, options);
    if (!summary)
        return reportError(summary.error());
    for (const auto &region : summary->regions) {
        std::printf("%-8s %-20s applied %s  %lld changes in %lld transactions\n",
                    region.region.c_str(), cdc::regionStateName(region.state),
                    cdc::formatLsn(region.appliedLsn).c_str(),
                    static_cast<long long>(region.changes),
                    static_cast<long long>(region.transactions));
    }
    return Exit::Ok;
}

QJsonObject conflictsJson(const std::map<std::string, std::int64_t> &conflicts)
{
    QJsonObject object;
    for (const auto &[key, count] : conflicts)
        object.insert(text(key), static_cast<qint64>(count));
    return object;
}

int runShowStatus(const config::Config &config, const QCommandLineParser &parser)
{
    auto status = cdc::readCdcStatus(config);
    if (!status)
        return reportError(status.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        QJsonArray regions;
        for (const auto &region : status->regions) {
            QJsonObject object{{QStringLiteral("region"), text(region.region)},
                               {QStringLiteral("state"), text(region.state)},
                               {QStringLiteral("detail"), text(region.detail)},
                               {QStringLiteral("applied_lsn"), text(region.appliedLsn)},
                               {QStringLiteral("changes_per_second"), region.changesPerSecond},
                               {QStringLiteral("paused"), region.paused},
                               {QStringLiteral("conflicts"), conflictsJson(region.conflicts)}};
            object.insert(QStringLiteral("lag_bytes"),
                          region.lagBytes >= 0 ? QJsonValue(static_cast<qint64>(region.lagBytes))
                                               : QJsonValue());
            object.insert(QStringLiteral("lag_seconds"),
                          region.lagSeconds >= 0 ? QJsonValue(region.lagSeconds) : QJsonValue());
            regions.append(object);
        }
        const QJsonObject source{{QStringLiteral("slot"), text(status->slot)},
                                 {QStringLiteral("publication"), text(status->publication)},
                                 {QStringLiteral("slot_exists"), status->slotExists},
                                 {QStringLiteral("slot_active"), status->slotActive},
                                 {QStringLiteral("confirmed_lsn"), text(status->confirmedLsn)},
                                 {QStringLiteral("current_lsn"), text(status->currentLsn)},
                                 {QStringLiteral("retained_wal_bytes"),
                                  static_cast<qint64>(status->retainedWalBytes)},
                                 {QStringLiteral("max_retained_wal_bytes"),
                                  static_cast<qint64>(status->maxRetainedWalBytes)},
                                 {QStringLiteral("retained_wal_warning"), status->retainedTooMuch}};
        const QJsonObject reader{
                {QStringLiteral("state"), text(status->readerState)},
                {QStringLiteral("detail"), text(status->readerDetail)},
                {QStringLiteral("durable_lsn"), text(status->durableLsn)},
                {QStringLiteral("changes_per_second"), status->readerChangesPerSecond},
                {QStringLiteral("spool_bytes"), static_cast<qint64>(status->spoolBytes)}};
        printJson({{QStringLiteral("initialised"), status->initialised},
                   {QStringLiteral("source"), source},
                   {QStringLiteral("reader"), reader},
                   {QStringLiteral("regions"), regions}});
        return Exit::Ok;
    }
    if (!status->initialised) {
        std::printf("CDC is not set up on this estate (envsyncctl cdc init)\n");
        return Exit::Ok;
    }
    std::printf("source  slot %s %s, confirmed %s, current %s, retains %.1f MB of WAL%s\n",
                status->slot.c_str(),
                !status->slotExists  ? "MISSING"
                : status->slotActive ? "(active)"
                                     : "(idle)",
                status->confirmedLsn.c_str(), status->currentLsn.c_str(),
                static_cast<double>(status->retainedWalBytes) / 1e6,
                status->retainedTooMuch ? "  WARNING: above cdc.max_retained_wal" : "");
    std::printf("reader  %s%s%s, spool durable to %s (%.1f MB)\n", status->readerState.c_str(),
                status->readerDetail.empty() ? "" : ": ", status->readerDetail.c_str(),
                status->durableLsn.c_str(), static_cast<double>(status->spoolBytes) / 1e6);
    std::printf("%-8s %-20s %-14s %12s %9s %10s  %s\n", "REGION", "STATE", "APPLIED", "LAG BYTES",
                "LAG S", "CHANGES/S", "CONFLICTS");
    for (const auto &region : status->regions) {
        std::int64_t conflicts = 0;
        for (const auto &[key, count] : region.conflicts)
            conflicts += count;
        const std::string lagBytes = region.lagBytes >= 0 ? std::to_string(region.lagBytes) : "-";
        char lagSeconds[32] = "-";
        if (region.lagSeconds >= 0)
            std::snprintf(lagSeconds, sizeof lagSeconds, "%.1f", region.lagSeconds);
        std::printf("%-8s %-20s %-14s %12s %9s %10.0f  %lld\n", region.region.c_str(),
                    region.state.c_str(), region.appliedLsn.c_str(), lagBytes.c_str(), lagSeconds,
                    region.changesPerSecond, static_cast<long long>(conflicts));
        if (!region.detail.empty())
            std::printf("         %s\n", region.detail.c_str());
    }
    return Exit::Ok;
}

int runPause(const config::Config &config, const QCommandLineParser &parser, bool paused)
{
    const auto names = regionNames(parser);
    if (names.empty()) {
        printError(std::string(paused ? "pause" : "resume") + " needs --region R");
        return Exit::Usage;
    }
    auto regions = cdc::cdcRegions(config, names);
    if (!regions)
        return reportError(regions.error());
    for (const auto *region : *regions) {
        if (auto done = cdc::setRegionPaused(config, region->name, paused); !done)
            return reportError(done.error());
        std::printf("%s: %s\n", region->name.c_str(), paused ? "paused" : "resumed");
    }
    return Exit::Ok;
}

int runDrop(const config::Config &config)
{
    auto dropped = cdc::dropCdc(config);
    if (!dropped)
        return reportError(dropped.error());
    std::printf("dropped the slot and the publication; regions fall back to refreshes\n");
    return Exit::Ok;
}

} // namespace

int runCdc(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(description));
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("init, run, status, pause, resume or drop"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("region"),
                      QStringLiteral("run: only this region (repeatable); pause/resume: the "
                                     "region."),
                      QStringLiteral("R")});
    parser.addOption({QStringLiteral("until-caught-up"),
                      QStringLiteral("run: exit once every region has applied what the source "
                                     "had committed at start.")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                      QStringLiteral("FORMAT"), QStringLiteral("table")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    static const QStringList actions
            = {QStringLiteral("init"),  QStringLiteral("run"),    QStringLiteral("status"),
               QStringLiteral("pause"), QStringLiteral("resume"), QStringLiteral("drop")};
    if (positional.size() != 1 || !actions.contains(action)) {
        printError("cdc takes one action: init, run, status, pause, resume or drop (see "
                   "'envsyncctl cdc --help')");
        return Exit::Usage;
    }
    if (auto stop = requireFormat(parser, {"table", "json"}))
        return *stop;
    // SIGTERM/Ctrl-C during run: finish the transaction in flight, then exit 0.
    const InterruptGuard interrupt;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    if (action == QLatin1String("init"))
        return runInit(*config, parser);
    if (action == QLatin1String("run"))
        return runStream(*config, parser, interrupt.token());
    if (action == QLatin1String("status"))
        return runShowStatus(*config, parser);
    if (action == QLatin1String("pause") || action == QLatin1String("resume"))
        return runPause(*config, parser, action == QLatin1String("pause"));
    return runDrop(*config);
}

} // namespace envsync::cli
