#include "core/snapshot/snapshot.h"

#include "core/config/formats.h"
#include "core/copy/copyengine.h"
#include "core/db/cancelguard.h"
#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/db/sqlquote.h"
#include "core/db/systemidentifier.h"
#include "core/drift/catalogreader.h"
#include "core/snapshot/copyfacts.h"
#include "core/snapshot/maskingsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

namespace envsync::snapshot {

namespace {

using db::quoteIdentifier;

constexpr const char *namePrefix = "golden_v";
constexpr const char *buildingSuffix = "__building";
constexpr std::int64_t createLockKey = 0x456e7653796e6301; // "EnvSync" + 1: snapshot create

void step(const CreateOptions &options, const std::string &text)
{
    spdlog::debug("snapshot: {}", text);
    if (options.step)
        options.step(text);
}

db::ConnectOptions connectOptions(const config::Config &config)
{
    return db::configuredConnectOptions(config, "envsync snapshot");
}

Result<std::string> databaseDsn(const std::string &clusterDsn, const std::string &database)
{
    auto dsn = db::Dsn::parse(clusterDsn);
    if (!dsn)
        return std::unexpected(withContext(dsn.error(), "golden"));
    return dsn->with("dbname", database).toConnectionString();
}

std::string rowCountsJson(const copy::CopyStats &stats)
{
    QJsonObject object;
    for (const auto &table : stats.tables) {
        object.insert(QString::fromStdString(table.schema + '.' + table.table),
                      static_cast<qint64>(table.rows));
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

std::map<std::string, std::int64_t> parseRowCounts(const std::string &json)
{
    std::map<std::string, std::int64_t> out;
    const QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    for (auto it = object.begin(); it != object.end(); ++it)
        out[it.key().toStdString()] = it.value().toInteger();
    return out;
}

SnapshotInfo toInfo(const db::SnapshotRecord &record)
{
    SnapshotInfo info;
    info.version = record.version;
    info.name = record.name;
    info.state = record.state;
    info.createdAt = record.createdAt;
    info.sourceAsOf = record.sourceAsOf;
    info.sourceLsn = record.sourceLsn;
    info.cdcLsn = record.cdcLsn;
    info.rulesHash = record.rulesHash;
    info.rowCounts = parseRowCounts(record.rowCountsJson);
    info.sizeBytes = record.sizeBytes;
    info.durationMs = record.durationMs;
    info.createdBy = record.createdBy;
    return info;
}

/// Drops a database of ours on the golden cluster, ending sessions that are still in it.
Result<void> dropDatabase(pqxx::connection &admin, const std::string &name)
{
    return db::guarded("golden", "drop " + name, [&] {
        pqxx::nontransaction tx(admin);
        tx.exec0("ALTER DATABASE " + quoteIdentifier(name) + " WITH IS_TEMPLATE false");
        tx.exec0("DROP DATABASE IF EXISTS " + quoteIdentifier(name) + " WITH (FORCE)");
    });
}

/// Leftovers of a killed or crashed create: building databases and 'building' catalogue rows.
Result<std::vector<std::string>> cleanUpLeftovers(pqxx::connection &admin, db::ControlDb &control)
{
    auto names = db::guarded("golden", "list building databases", [&] {
        pqxx::nontransaction tx(admin);
        std::vector<std::string> out;
        for (const auto &row : tx.exec("SELECT datname FROM pg_database WHERE datname ~ "
                                       "'^golden_v[0-9]+__building$' ORDER BY 1"))
            out.push_back(row[0].as<std::string>());
        return out;
    });
    if (!names)
        return std::unexpected(names.error());
    for (const auto &name : *names) {
        if (auto dropped = dropDatabase(admin, name); !dropped)
            return std::unexpected(dropped.error());
    }
    auto rows = control.deleteBuildingSnapshots();
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<std::string> cleaned = *names;
    for (const auto &row : *rows)
        cleaned.push_back("catalogue row " + row);
    return cleaned;
}

/// The production guard: never write to the source's own cluster.
Result<void> refuseSameCluster(pqxx::connection &source, pqxx::connection &golden)
{
    auto sourceId = db::systemIdentifier(source, "source");
    if (!sourceId)
        return std::unexpected(sourceId.error());
    auto goldenId = db::systemIdentifier(golden, "golden");
    if (!goldenId)
        return std::unexpected(goldenId.error());
    if (*sourceId == *goldenId)
        return fail(ErrorCode::Refused,
                    "the golden cluster is the source's own cluster (same system_identifier); "
                    "snapshots are never written next to production",
                    "golden");
    return {};
}

/// The highest N of any golden_vN database (an orphan from a run killed after its rename must
/// not collide with the next version).
Result<int> highestExistingVersion(pqxx::connection &admin)
{
    return db::guarded("golden", "list snapshots", [&] {
        pqxx::nontransaction tx(admin);
        return tx.exec1("SELECT coalesce(max(substring(datname FROM '^golden_v([0-9]+)')::int),"
                        " 0) FROM pg_database WHERE datname ~ '^golden_v[0-9]+$'")[0]
                .as<int>();
    });
}

std::string describeUnclassified(const std::vector<masking::UnclassifiedColumn> &columns)
{
    std::string text;
    for (const auto &column : columns) {
        if (!text.empty())
            text += ", ";
        text += config::formatQualifiedName({column.schema, column.table, column.column});
        if (!column.type.empty())
            text += " (" + column.type + ')';
    }
    return text;
}

/// Renames after the copy; a backend of a just-closed connection may still be exiting.
Result<void> renameWhenIdle(pqxx::connection &admin, const std::string &from, const std::string &to)
{
    for (int attempt = 0;; ++attempt) {
        auto renamed = db::guarded("golden", "rename " + from, [&] {
            pqxx::nontransaction tx(admin);
            tx.exec0("ALTER DATABASE " + quoteIdentifier(from) + " RENAME TO "
                     + quoteIdentifier(to));
        });
        if (renamed || attempt >= 50
            || renamed.error().message.find("55006") == std::string::npos)
            return renamed;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

} // namespace

std::string snapshotName(int version)
{
    return namePrefix + std::to_string(version);
}

Result<SnapshotInfo> createSnapshot(const config::Config &config, const CreateOptions &options)
{
    const auto started = std::chrono::steady_clock::now();
    const std::string actor = options.actor.empty() ? db::currentActor() : options.actor;
    const db::ConnectOptions connect = connectOptions(config);

    step(options, "opening the catalogue on the golden cluster");
    auto control = db::ControlDb::open(config, connect);
    if (!control)
        return std::unexpected(control.error());
    // Refusals (exit 4) from here on are audited, like the unclassified-columns one below.
    auto refused = [&](const Error &error) -> std::unexpected<Error> {
        if (error.exitCode() == 4) {
            const QJsonObject detail{
                    {QStringLiteral("reason"), QString::fromStdString(error.describe())}};
            (void)control->audit(
                    actor, "snapshot.create", "golden", "refused",
                    QJsonDocument(detail).toJson(QJsonDocument::Compact).toStdString());
        }
        return std::unexpected(error);
    };
    // A killed run's session may take a moment to end on the server: retry briefly.
    auto locked = control->tryAdvisoryLock(createLockKey);
    for (int attempt = 0; locked && !*locked && attempt < 20; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        locked = control->tryAdvisoryLock(createLockKey);
    }
    if (!locked)
        return std::unexpected(locked.error());
    if (!*locked)
        return refused({ErrorCode::Refused, "another snapshot create is running", "golden"});

    auto admin = db::connect(config.golden.dsn, connect, "golden");
    if (!admin)
        return std::unexpected(admin.error());
    auto source = db::connect(config.source.dsn, connect, "source");
    if (!source)
        return std::unexpected(source.error());
    if (auto guard = refuseSameCluster(**source, **admin); !guard)
        return refused(guard.error());

    step(options, "cleaning up leftovers of earlier runs");
    auto cleaned = cleanUpLeftovers(**admin, *control);
    if (!cleaned)
        return std::unexpected(cleaned.error());
    for (const auto &name : *cleaned)
        step(options, "removed leftover " + name);

    step(options, "reading the source schema and resolving masking rules");
    drift::CatalogOptions schemaOptions;
    schemaOptions.who = "source";
    schemaOptions.cancel = options.cancel;
    auto schema = drift::readCatalog(**source, schemaOptions);
    if (!schema)
        return std::unexpected(schema.error());
    source->reset();
    auto plan = buildPlan(config.masking, *schema);
    if (!plan)
        return refused(plan.error());
    std::set<std::string> nullColumns;
    if (*plan && !(*plan)->unclassified().empty()) {
        const auto &unclassified = (*plan)->unclassified();
        switch (config.masking.unclassified) {
        case config::UnclassifiedPolicy::Fail:
            (void)control->audit(actor, "snapshot.create", "golden", "refused",
                                 "{\"reason\":\"unclassified columns\"}");
            return std::unexpected(
                    Error{ErrorCode::Refused,
                          "unclassified columns (no masking rule and not in masking.keep): "
                                  + describeUnclassified(unclassified)
                                  + "; add a rule or a keep entry, or set masking.unclassified",
                          "masking", Refusal::UnclassifiedColumns});
        case config::UnclassifiedPolicy::Null:
            for (const auto &column : unclassified)
                nullColumns.insert(column.schema + '.' + column.table + '.' + column.column);
            break;
        case config::UnclassifiedPolicy::Keep:
            break;
        }
    }

    auto existing = highestExistingVersion(**admin);
    if (!existing)
        return std::unexpected(existing.error());
    auto version = control->reserveSnapshotVersion(namePrefix, actor);
    if (!version)
        return std::unexpected(version.error());
    if (*version <= *existing) {
        // An orphan golden_vN (killed between rename and catalogue update): skip past it.
        (void)control->deleteSnapshotRow(*version);
        return refused({ErrorCode::Refused,
                        "database " + snapshotName(*existing)
                                + " exists without a catalogue row; inspect and drop it first",
                        "golden"});
    }
    const std::string name = snapshotName(*version);
    const std::string building = name + buildingSuffix;
    if (job::cancelled(options.cancel)) {
        (void)control->deleteSnapshotRow(*version);
        return fail(ErrorCode::Cancelled, "cancelled", "snapshot");
    }

    auto abandon = [&](const Error &error) -> std::unexpected<Error> {
        step(options, "dropping " + building);
        if (auto dropped = dropDatabase(**admin, building); !dropped)
            spdlog::warn("snapshot: {}", dropped.error().describe());
        (void)control->deleteSnapshotRow(*version);
        (void)control->audit(actor, "snapshot.create", name,
                             error.code == ErrorCode::Cancelled ? "cancelled" : "failed");
        return std::unexpected(error);
    };

    step(options, "creating " + building);
    if (auto created = db::guarded("golden", "create " + building, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("CREATE DATABASE " + quoteIdentifier(building) + " TEMPLATE template0");
        });
        !created)
        return abandon(created.error());

    auto targetDsn = databaseDsn(config.golden.dsn, building);
    if (!targetDsn)
        return abandon(targetDsn.error());
    copy::CopyRequest request;
    request.sourceDsn = config.source.dsn;
    request.targetDsn = *targetDsn;
    request.jobs = options.jobs;
    request.plan = plan->get();
    request.nullColumns = nullColumns;
    request.progress = options.progress;
    request.cancel = options.cancel;
    request.maxRowsPerSecond = options.maxRowsPerSecond;
    request.excludeSchemas = {"envsync", "_envsync"};
    // Once CDC is initialised a region refreshed from this snapshot resumes streaming at its
    // consistent point, so a snapshot without one would be of no use to it.
    auto estate = control->cdcEstate();
    if (!estate)
        return abandon(estate.error());
    request.slotConsistency = *estate ? copy::CopyRequest::SlotConsistency::Require
                                      : copy::CopyRequest::SlotConsistency::Prefer;
    if (*plan) {
        auto key = leakSampleKey(config.masking);
        if (!key)
            return abandon(key.error());
        request.sampleKey = std::make_shared<const masking::HmacKey>(std::move(*key));
    }
    step(options, "copying the source into " + building);
    auto copied = copy::copyDatabase(request);
    if (!copied)
        return abandon(copied.error());
    if (options.cancel && options.cancel->isCancelled())
        return abandon(Error{ErrorCode::Cancelled, "cancelled", "snapshot"});

    step(options, "publishing " + name);
    auto size = db::guarded("golden", "size of " + building, [&] {
        pqxx::nontransaction tx(**admin);
        return tx.exec_params1("SELECT pg_database_size($1)", building)[0].as<std::int64_t>();
    });
    if (!size)
        return abandon(size.error());
    if (auto renamed = renameWhenIdle(**admin, building, name); !renamed)
        return abandon(renamed.error());
    auto published = db::guarded("golden", "publish " + name, [&] {
        pqxx::nontransaction tx(**admin);
        tx.exec0("ALTER DATABASE " + quoteIdentifier(name)
                 + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS true");
        tx.exec0("ALTER DATABASE " + quoteIdentifier(name)
                 + " SET default_transaction_read_only = on");
    });
    if (!published) {
        (void)dropDatabase(**admin, name);
        return abandon(published.error());
    }

    db::SnapshotRecord record;
    record.version = *version;
    record.name = name;
    record.state = "ready";
    record.sourceAsOf = copied->sourceAsOf;
    record.sourceLsn = copied->sourceLsn;
    record.cdcLsn = copied->cdcLsn;
    record.rulesHash = *plan ? (*plan)->rulesHash() : std::string("no-masking");
    record.rowCountsJson = rowCountsJson(*copied);
    record.copyFactsJson = CopyFacts::fromCopy(*copied).toJson();
    record.sizeBytes = *size;
    record.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
    record.createdBy = actor;
    if (auto marked = control->markSnapshotReady(record); !marked)
        return std::unexpected(marked.error());
    const std::string detail = "{\"rows\":" + std::to_string(copied->rows)
            + ",\"seconds\":" + std::to_string(copied->seconds) + "}";
    (void)control->audit(actor, "snapshot.create", name, "success", detail);
    (void)control->advisoryUnlock(createLockKey);

    auto rows = control->snapshots();
    if (rows) {
        for (const auto &row : *rows) {
            if (row.version == *version)
                return toInfo(row);
        }
    }
    SnapshotInfo info = toInfo(record);
    return info;
}

Result<std::vector<SnapshotInfo>> listSnapshots(const config::Config &config,
                                                const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "snapshot list");
    auto control = db::ControlDb::openExisting(config.golden.dsn, connectOptions(config));
    if (!control)
        return std::unexpected(control.error());
    std::vector<SnapshotInfo> out;
    if (!*control)
        return out;
    auto rows = (*control)->snapshots();
    if (!rows)
        return std::unexpected(rows.error());
    for (const auto &row : *rows)
        out.push_back(toInfo(row));
    return out;
}

Result<PruneResult> pruneSnapshots(const config::Config &config, int keep,
                                   const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "prune");
    if (keep < 1)
        return fail(ErrorCode::Usage, "keep must be at least 1", "prune");
    const db::ConnectOptions connect = connectOptions(config);
    auto control = db::ControlDb::open(config, connect);
    if (!control)
        return std::unexpected(control.error());
    auto rows = control->snapshots();
    if (!rows)
        return std::unexpected(rows.error());
    auto refreshes = control->lastSuccessfulRefreshes();
    if (!refreshes)
        return std::unexpected(refreshes.error());
    std::map<std::string, std::vector<std::string>> inUse; // snapshot → regions
    for (const auto &[region, record] : *refreshes)
        inUse[record.snapshot].push_back(region);
    auto admin = db::connect(config.golden.dsn, connect, "golden");
    if (!admin)
        return std::unexpected(admin.error());

    PruneResult result;
    int readySeen = 0;
    for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
        if (it->state != "ready")
            continue;
        if (++readySeen <= keep) {
            result.kept.push_back(it->name);
            continue;
        }
        if (auto used = inUse.find(it->name); used != inUse.end()) {
            std::string regions;
            for (const auto &region : used->second)
                regions += (regions.empty() ? "" : ", ") + region;
            result.keptInUse.push_back(it->name + " (last refresh of " + regions + ")");
            continue;
        }
        // Between drops only: a DROP DATABASE already sent completes (never half a snapshot).
        if (job::cancelled(cancel))
            return fail(ErrorCode::Cancelled, "cancelled", "prune");
        auto dropped = db::guarded("golden", "drop " + it->name, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("ALTER DATABASE " + quoteIdentifier(it->name) + " WITH IS_TEMPLATE false");
            try {
                tx.exec0("DROP DATABASE IF EXISTS " + quoteIdentifier(it->name));
            } catch (...) {
                // in use (an env being created from it, a session): keep it a template
                tx.exec0("ALTER DATABASE " + quoteIdentifier(it->name) + " WITH IS_TEMPLATE true");
                throw;
            }
        });
        if (!dropped) {
            result.keptInUse.push_back(it->name + " (" + dropped.error().message + ")");
            continue;
        }
        if (auto marked = control->markSnapshotPruned(it->version); !marked)
            return std::unexpected(marked.error());
        (void)control->audit(db::currentActor(), "snapshot.prune", it->name, "success");
        result.pruned.push_back(it->name);
    }
    return result;
}

} // namespace envsync::snapshot
