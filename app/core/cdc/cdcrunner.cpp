#include "core/cdc/cdcrunner.h"

#include "core/cdc/cdcsetup.h"
#include "core/cdc/regionstream.h"
#include "core/cdc/spool.h"
#include "core/cdc/streamreader.h"
#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"
#include "core/refresh/refreshlocks.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace envsync::cdc {

namespace {

using Clock = std::chrono::steady_clock;

/// Which regions are being refreshed or rolled back right now (their advisory lock is held).
Result<std::set<std::string>> regionsBeingRefreshed(db::ControlDb &control,
                                                    const std::vector<std::string> &regions)
{
    return db::guarded("golden", "look for running refreshes", [&] {
        std::vector<std::int64_t> keys;
        for (const auto &region : regions)
            keys.push_back(refresh::RefreshLocks::regionKey(region));
        pqxx::nontransaction tx(control.connection());
        std::set<std::int64_t> held;
        for (const auto &row :
             tx.exec("SELECT (l.classid::bigint << 32) | l.objid::bigint FROM pg_locks l"
                     " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                     " AND l.database = (SELECT oid FROM pg_database"
                     " WHERE datname = current_database())"))
            held.insert(row[0].as<std::int64_t>());
        std::set<std::string> out;
        for (std::size_t i = 0; i < regions.size(); ++i) {
            if (held.contains(keys[i]))
                out.insert(regions[i]);
        }
        return out;
    });
}

/// The oldest WAL position the spool must still serve: the golden versions regions hold (a
/// rollback or refresh may start from them), the newest one, and every region's position.
std::optional<Lsn> retentionFloor(db::ControlDb &control, const std::vector<RegionFigures> &live)
{
    std::optional<Lsn> floor;
    auto lower = [&](Lsn lsn) {
        if (lsn != 0)
            floor = floor ? std::min(*floor, lsn) : lsn;
    };
    for (const auto &region : live) {
        if (region.appliedLsn == 0)
            return std::nullopt; // a region whose position we do not know yet: keep everything
        lower(region.appliedLsn);
    }
    auto snapshots = control.snapshots();
    auto refreshes = control.lastSuccessfulRefreshes();
    if (!snapshots || !refreshes)
        return std::nullopt;
    std::set<std::string> inUse;
    for (const auto &[region, record] : *refreshes)
        inUse.insert(record.snapshot);
    const db::SnapshotRecord *newest = nullptr;
    for (const auto &snapshot : *snapshots) {
        if (snapshot.state == "ready")
            newest = &snapshot;
    }
    for (const auto &snapshot : *snapshots) {
        if (snapshot.state == "ready" && (inUse.contains(snapshot.name) || &snapshot == newest))
            lower(parseLsn(snapshot.cdcLsn).value_or(0));
    }
    return floor;
}

/// The run's figures as envsync_control keeps them for `cdc status` and the console.
void publishFigures(db::ControlDb &control, const ReaderFigures &reader,
                    const std::vector<RegionFigures> &regions,
                    std::map<std::string, std::int64_t> &lastChanges, double seconds)
{
    db::CdcReaderState readerRow;
    readerRow.state = reader.state;
    readerRow.detail = reader.detail;
    readerRow.durableLsn = reader.durableLsn;
    readerRow.confirmedLsn = reader.durableLsn;
    readerRow.changesPerSecond
            = seconds > 0
                      ? static_cast<double>(reader.changes - lastChanges["\x01reader"]) / seconds
                      : 0;
    lastChanges["\x01reader"] = reader.changes;
    if (auto written = control.writeCdcReader(readerRow); !written)
        spdlog::warn("cdc: {}", written.error().describe());
    const auto nowMicros = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    for (const auto &region : regions) {
        db::CdcRegionState row;
        row.region = region.region;
        row.state = regionStateName(region.state);
        row.detail = region.detail;
        row.appliedLsn = region.appliedLsn;
        row.lagBytes = reader.serverLsn > region.appliedLsn && region.appliedLsn != 0
                               ? static_cast<std::int64_t>(reader.serverLsn - region.appliedLsn)
                               : 0;
        row.lagSeconds = region.oldestPendingMicros > 0
                                 ? static_cast<double>(nowMicros - region.oldestPendingMicros) / 1e6
                                 : 0.0;
        row.changesPerSecond
                = seconds > 0 ? static_cast<double>(region.changes - lastChanges[region.region])
                                        / seconds
                              : 0;
        lastChanges[region.region] = region.changes;
        QJsonObject conflicts; // {"schema.table": {"insert_exists": n, …}, …}
        for (const auto &[key, count] : region.conflicts) {
            const auto space = key.rfind(' ');
            const QString table = QString::fromStdString(key.substr(0, space));
            const QString kind = QString::fromStdString(key.substr(space + 1));
            QJsonObject kinds = conflicts.value(table).toObject();
            kinds.insert(kind, static_cast<qint64>(count));
            conflicts.insert(table, kinds);
        }
        row.conflictsJson = QJsonDocument(conflicts).toJson(QJsonDocument::Compact).toStdString();
        if (auto written = control.writeCdcRegionStatus(row); !written)
            spdlog::warn("cdc: {}", written.error().describe());
    }
}

/// The source keeps WAL for the slot until the spool has it; above cdc.max_retained_wal the DBA
/// should know (the spool is behind, or a reader stopped).
void warnAboutRetainedWal(const config::Config &config)
{
    auto source = sourceCdcStatus(config);
    if (source && source->retainedWalExceeded)
        spdlog::warn("cdc: the source retains {} MB of WAL for slot {} (cdc.max_retained_wal is {} "
                     "MB)",
                     source->retainedWalBytes / 1000000, source->slot,
                     config.cdc.maxRetainedWal / 1000000);
}

} // namespace

Result<std::vector<const config::RegionConfig *>> cdcRegions(const config::Config &config,
                                                             const std::vector<std::string> &names)
{
    std::vector<const config::RegionConfig *> out;
    for (const auto &name : names) {
        const auto *region = config.findRegion(name);
        if (!region)
            return fail(ErrorCode::Usage, "no region named \"" + name + "\" in the config", "cdc");
        if (region->production || !region->cdc)
            return fail(ErrorCode::Usage,
                        "region " + name + " is not streamed into ("
                                + (region->production ? "production" : "cdc: false") + ")",
                        "cdc");
    }
    for (const auto &region : config.regions) {
        if (region.production || !region.cdc)
            continue;
        if (names.empty() || std::ranges::find(names, region.name) != names.end())
            out.push_back(&region);
    }
    return out;
}

Result<RunSummary> runCdc(const config::Config &config, const RunOptions &options)
{
    const auto started = Clock::now();
    auto regions = cdcRegions(config, options.regions);
    if (!regions)
        return std::unexpected(regions.error());
    auto control = db::ControlDb::open(config, db::configuredConnectOptions(config, "envsync cdc"));
    if (!control)
        return std::unexpected(control.error());
    auto estate = control->cdcEstate();
    if (!estate)
        return std::unexpected(estate.error());
    if (!*estate)
        return fail(ErrorCode::Usage, "CDC is not set up on this estate", "cdc");

    auto halt = std::make_shared<job::CancelToken>();
    std::optional<job::CancelRegistration> forward;
    if (options.stop)
        forward.emplace(options.stop->onCancel([halt] { halt->cancel(); }));

    std::vector<std::string> names;
    for (const auto *region : *regions)
        names.push_back(region->name);
    RunState state(names);
    auto log = [&](const std::string &line) {
        spdlog::info("cdc: {}", line);
        if (options.log)
            options.log(line);
    };

    std::optional<Lsn> target;
    if (options.untilCaughtUp) {
        auto lsn = StreamReader::emitHeartbeat(config);
        if (!lsn)
            return std::unexpected(lsn.error());
        target = *lsn;
        log("catching up to " + formatLsn(*target));
    }

    // Pause flags and running refreshes, polled: a region paused before the run starts must not
    // get a single batch.
    auto pollControl = [&] {
        auto rows = control->cdcRegions();
        std::set<std::string> paused;
        for (const auto &row : rows ? *rows : std::vector<db::CdcRegionState>{}) {
            if (row.paused)
                paused.insert(row.region);
        }
        auto refreshing = regionsBeingRefreshed(*control, names);
        for (const auto &name : names) {
            RegionControl regionControl;
            regionControl.paused = paused.contains(name);
            regionControl.refreshing = refreshing && refreshing->contains(name);
            state.setControl(name, regionControl);
        }
    };
    pollControl();

    const std::string spoolDir = config.cdcSpoolPath();
    StreamReaderOptions readerOptions;
    readerOptions.slot = (*estate)->slot;
    readerOptions.publication = (*estate)->publication;
    readerOptions.schemas = (*estate)->schemas;
    readerOptions.spoolDir = spoolDir;
    readerOptions.stop = halt;
    StreamReader reader(config, readerOptions, state);
    std::optional<Error> readerError;
    std::jthread readerThread([&] {
        auto result = reader.run();
        if (!result) {
            readerError = result.error();
            halt->cancel();
        }
    });

    std::vector<std::unique_ptr<RegionStream>> streams;
    std::vector<std::jthread> regionThreads;
    for (const auto *region : *regions) {
        RegionStreamOptions streamOptions;
        streamOptions.spoolDir = spoolDir;
        streamOptions.batchTransactions = config.cdc.batch;
        streamOptions.stop = halt;
        streams.push_back(std::make_unique<RegionStream>(config, *region, streamOptions, state));
        regionThreads.emplace_back([stream = streams.back().get()] { (void)stream->run(); });
    }

    std::map<std::string, std::string> lastStates;
    std::map<std::string, std::int64_t> lastChanges;
    auto lastPublish = Clock::now();
    auto lastPrune = Clock::now();
    std::optional<Error> regionError;
    while (!halt->isCancelled()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto now = Clock::now();
        const ReaderFigures readerFigures = state.reader();
        const std::vector<RegionFigures> figures = state.regions();
        if (lastStates["\x01reader"] != readerFigures.state) {
            lastStates["\x01reader"] = readerFigures.state;
            log("reader: " + readerFigures.state);
        }
        for (const auto &region : figures) {
            std::string line = regionStateName(region.state);
            if (!region.detail.empty())
                line += ": " + region.detail;
            if (lastStates[region.region] != line) {
                lastStates[region.region] = line;
                log(region.region + ": " + line);
            }
        }
        if (target) {
            bool allCaughtUp = true;
            for (const auto &region : figures) {
                // Neither an error nor a database without a usable position mends itself.
                if (region.state == RegionState::Error
                    || region.state == RegionState::NeedsRefresh) {
                    regionError
                            = Error{ErrorCode::Database, region.detail, "region " + region.region};
                    halt->cancel();
                }
                // A paused region is not waited for: it was paused on purpose.
                allCaughtUp
                        = allCaughtUp
                          && (region.appliedLsn >= *target || state.control(region.region).paused);
            }
            if (allCaughtUp) {
                log("every region caught up");
                halt->cancel();
            }
        }
        if (now - lastPublish >= std::chrono::seconds(1)) {
            const double seconds = std::chrono::duration<double>(now - lastPublish).count();
            lastPublish = now;
            publishFigures(*control, readerFigures, figures, lastChanges, seconds);
            pollControl();
        }
        if (now - lastPrune >= std::chrono::seconds(30)) {
            lastPrune = now;
            warnAboutRetainedWal(config);
            if (const auto floor = retentionFloor(*control, figures)) {
                if (auto pruned = pruneSpool(spoolDir, *floor); !pruned)
                    spdlog::warn("cdc: {}", pruned.error().describe());
            }
        }
    }
    readerThread.join();
    for (auto &thread : regionThreads)
        thread.join();

    RunSummary summary;
    summary.reader = state.reader();
    summary.regions = state.regions();
    summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    publishFigures(*control, summary.reader, summary.regions, lastChanges, 0);
    if (readerError)
        return std::unexpected(*readerError);
    if (regionError)
        return std::unexpected(*regionError);
    return summary;
}

} // namespace envsync::cdc
