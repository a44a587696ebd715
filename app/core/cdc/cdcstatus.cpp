#include "core/cdc/cdcstatus.h"

#include "core/cdc/cdcsetup.h"
#include "core/cdc/lsn.h"
#include "core/cdc/regioncursor.h"
#include "core/cdc/spool.h"
#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/db/controldb.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <pqxx/pqxx>

#include <future>

namespace envsync::cdc {

namespace {

/// `cdc run` publishes every second; older figures mean it is not running.
constexpr qint64 staleAfterSeconds = 10;

/// The region's position and conflict counters, read from its own database.
struct RegionFacts
{
    std::optional<RegionCursor> cursor;
    std::map<std::string, std::int64_t> conflicts;
    std::string error;
};

RegionFacts readRegionFacts(const config::Config &config, const config::RegionConfig &region)
{
    RegionFacts facts;
    const std::string who = "region " + region.name;
    auto connection = db::connect(region.dsn,
                                  db::configuredConnectOptions(config, "envsync cdc status"), who);
    if (!connection) {
        facts.error = connection.error().describe();
        return facts;
    }
    auto cursor = readRegionCursor(**connection, who);
    if (!cursor) {
        facts.error = cursor.error().describe();
        return facts;
    }
    facts.cursor = *cursor;
    if (!facts.cursor)
        return facts;
    auto conflicts = db::guarded(who, "read CDC conflicts", [&] {
        pqxx::read_transaction tx(**connection);
        std::map<std::string, std::int64_t> out;
        for (const auto &row : tx.exec("SELECT table_name || ' ' || kind, count"
                                       " FROM _envsync.cdc_conflicts"))
            out[row[0].as<std::string>()] = row[1].as<std::int64_t>();
        return out;
    });
    if (conflicts)
        facts.conflicts = std::move(*conflicts);
    return facts;
}

} // namespace

Result<CdcStatus> readCdcStatus(const config::Config &config,
                                const std::shared_ptr<job::CancelToken> &cancel)
{
    CdcStatus status;
    status.maxRetainedWalBytes = config.cdc.maxRetainedWal;
    auto control = db::ControlDb::openExisting(
            config.golden.dsn, db::configuredConnectOptions(config, "envsync cdc status"));
    if (!control)
        return std::unexpected(control.error());
    if (!*control)
        return status;
    auto estate = (*control)->cdcEstate();
    if (!estate)
        return std::unexpected(estate.error());
    if (!*estate)
        return status;
    status.initialised = true;
    status.slot = (*estate)->slot;
    status.publication = (*estate)->publication;
    status.schemas = (*estate)->schemas;
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "cdc status");

    // The regions' own databases are asked in parallel with the source.
    std::vector<const config::RegionConfig *> regions;
    for (const auto &region : config.regions) {
        if (!region.production && region.cdc)
            regions.push_back(&region);
    }
    std::vector<std::future<RegionFacts>> facts;
    for (const auto *region : regions)
        facts.push_back(std::async(std::launch::async,
                                   [&config, region] { return readRegionFacts(config, *region); }));

    auto source = sourceCdcStatus(config);
    if (source) {
        status.slotExists = source->slotExists;
        status.slotActive = source->slotActive;
        status.confirmedLsn = formatLsn(source->confirmedFlushLsn);
        status.currentLsn = formatLsn(source->currentWalLsn);
        status.retainedWalBytes = source->retainedWalBytes;
        status.retainedTooMuch = source->retainedWalExceeded;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto reader = (*control)->cdcReader();
    if (reader && *reader) {
        const bool live = (*reader)->updatedAt.secsTo(now) <= staleAfterSeconds;
        status.readerState = live ? (*reader)->state : std::string("not running");
        status.readerDetail = (*reader)->detail;
        status.durableLsn = formatLsn((*reader)->durableLsn);
        status.readerChangesPerSecond = live ? (*reader)->changesPerSecond : 0;
    }
    if (auto usage = spoolUsage(config.cdcSpoolPath(), false); usage)
        status.spoolBytes = usage->bytes;

    auto rows = (*control)->cdcRegions();
    const Lsn current = source ? source->currentWalLsn : 0;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        RegionCdcStatus region;
        region.region = regions[i]->name;
        if (rows) {
            for (const auto &row : *rows) {
                if (row.region != region.region)
                    continue;
                region.paused = row.paused;
                region.updatedAt = row.updatedAt;
                if (row.updatedAt.isValid() && row.updatedAt.secsTo(now) <= staleAfterSeconds) {
                    region.state = row.state;
                    region.detail = row.detail;
                    region.lagSeconds = row.lagSeconds;
                    region.lagging
                            = row.lagSeconds > static_cast<double>(config.cdc.maxLag.count());
                    region.changesPerSecond = row.changesPerSecond;
                }
            }
        }
        if (region.paused && region.state == "not running")
            region.state = "paused";
        RegionFacts regionFacts = facts[i].get();
        if (!regionFacts.error.empty()) {
            region.detail = regionFacts.error;
        } else if (!regionFacts.cursor) {
            region.detail = "no CDC position: refresh it from a golden version made after cdc init";
        } else {
            region.appliedLsn = formatLsn(regionFacts.cursor->appliedLsn);
            if (current != 0)
                region.lagBytes = current > regionFacts.cursor->appliedLsn
                                          ? static_cast<std::int64_t>(
                                                  current - regionFacts.cursor->appliedLsn)
                                          : 0;
            region.conflicts = std::move(regionFacts.conflicts);
        }
        status.regions.push_back(std::move(region));
    }
    return status;
}

Result<void> setRegionPaused(const config::Config &config, const std::string &region, bool paused)
{
    auto control = db::ControlDb::open(config,
                                       db::configuredConnectOptions(config, "envsync cdc status"));
    if (!control)
        return std::unexpected(control.error());
    return control->setCdcRegionPaused(region, paused);
}

} // namespace envsync::cdc
