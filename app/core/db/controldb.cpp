#include "core/db/controldb.h"

#include "core/cdc/lsn.h"

#include "core/db/dsn.h"
#include "core/db/goldenguard.h"
#include "core/db/sqlquote.h"

#include <pqxx/pqxx>

#include <pwd.h>
#include <unistd.h>

#include <array>

namespace envsync::db {

namespace {

constexpr const char *who = "control database";
constexpr std::int64_t migrationLockKey = 0x456e7653796e63; // "EnvSync"

struct Migration
{
    int version;
    const char *description;
    const char *sql;
};

// Append-only: never edit a migration that has shipped; add a new one.
constexpr std::array migrations = {
        Migration{1, "refresh_log, audit_log, snapshots", R"sql(
CREATE SCHEMA IF NOT EXISTS envsync;
CREATE TABLE envsync.refresh_log (
    id           bigserial PRIMARY KEY,
    region       text        NOT NULL,
    snapshot     text,
    source_as_of timestamptz,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    result       text        NOT NULL
                 CHECK (result IN ('running','success','failed','cancelled','rolled_back')),
    rows_copied  bigint      NOT NULL DEFAULT 0,
    actor        text        NOT NULL,
    detail       text        NOT NULL DEFAULT ''
);
CREATE INDEX refresh_log_region_finished ON envsync.refresh_log (region, finished_at DESC);
CREATE TABLE envsync.audit_log (
    id     bigserial PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT now(),
    actor  text        NOT NULL,
    action text        NOT NULL,
    target text        NOT NULL,
    result text        NOT NULL,
    detail jsonb       NOT NULL DEFAULT '{}'
);
CREATE TABLE envsync.snapshots (
    version      integer PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    state        text        NOT NULL CHECK (state IN ('building','ready','pruned')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    source_as_of timestamptz,
    source_lsn   pg_lsn,
    rules_hash   text,
    row_counts   jsonb       NOT NULL DEFAULT '{}',
    size_bytes   bigint,
    duration_ms  bigint,
    created_by   text        NOT NULL
);
)sql"},
        Migration{2, "environments (ephemeral databases cloned from golden)", R"sql(
CREATE TABLE envsync.environments (
    name        text        PRIMARY KEY,
    snapshot    text        NOT NULL,
    owner       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    created_by  text        NOT NULL
);
)sql"},
        Migration{3, "snapshots.copy_facts (what verify checks golden against)", R"sql(
ALTER TABLE envsync.snapshots ADD COLUMN copy_facts jsonb;
COMMENT ON COLUMN envsync.snapshots.copy_facts IS
    'Recorded by the copy: per-table row counts and row digests, keyed hashes of sampled '
    'source values of masked columns (never the values). NULL: made before facts were recorded.';
)sql"},
        Migration{4, "CDC: snapshots.cdc_lsn, cdc_estate, cdc_regions, cdc_reader", R"sql(
ALTER TABLE envsync.snapshots ADD COLUMN cdc_lsn pg_lsn;
COMMENT ON COLUMN envsync.snapshots.cdc_lsn IS
    'Slot-consistent point of the exported snapshot: source transactions committing at or after '
    'it are not in the snapshot. NULL: taken without one.';
CREATE TABLE envsync.cdc_estate (
    one              boolean     PRIMARY KEY DEFAULT true CHECK (one),
    slot             text        NOT NULL,
    publication      text        NOT NULL,
    schemas          text[]      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    source_system_id text        NOT NULL,
    created_by       text        NOT NULL
);
CREATE TABLE envsync.cdc_regions (
    region             text             PRIMARY KEY,
    paused             boolean          NOT NULL DEFAULT false,
    state              text             NOT NULL DEFAULT 'stopped',
    detail             text             NOT NULL DEFAULT '',
    applied_lsn        pg_lsn,
    lag_bytes          bigint           NOT NULL DEFAULT 0,
    lag_seconds        double precision NOT NULL DEFAULT 0,
    changes_per_second double precision NOT NULL DEFAULT 0,
    conflicts          jsonb            NOT NULL DEFAULT '{}',
    updated_at         timestamptz      NOT NULL DEFAULT now()
);
CREATE TABLE envsync.cdc_reader (
    one                boolean          PRIMARY KEY DEFAULT true CHECK (one),
    state              text             NOT NULL,
    detail             text             NOT NULL DEFAULT '',
    durable_lsn        pg_lsn,
    confirmed_lsn      pg_lsn,
    changes_per_second double precision NOT NULL DEFAULT 0,
    updated_at         timestamptz      NOT NULL DEFAULT now()
);
)sql"},
};

/// Timestamps travel as epoch milliseconds: no parsing of server-formatted dates.
QDateTime fromEpochMs(const std::optional<std::int64_t> &ms)
{
    if (!ms)
        return {};
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC);
}

std::optional<std::string> toSql(const QDateTime &time)
{
    if (!time.isValid())
        return std::nullopt;
    return time.toUTC().toString(Qt::ISODateWithMs).toStdString();
}

/// pg_lsn text for a bound parameter; 0 (InvalidXLogRecPtr) is NULL.
std::optional<std::string> lsnParam(cdc::Lsn lsn)
{
    return lsn == 0 ? std::nullopt : std::optional(cdc::formatLsn(lsn));
}

cdc::Lsn lsnValue(const pqxx::field &field)
{
    if (field.is_null())
        return 0;
    auto lsn = cdc::parseLsn(field.as<std::string>());
    return lsn ? *lsn : 0;
}

} // namespace

std::string currentActor()
{
    if (const passwd *pw = ::getpwuid(::geteuid()))
        return pw->pw_name;
    return "uid " + std::to_string(::geteuid());
}

ControlDb::ControlDb(ConnectionPtr connection)
    : m_connection(std::move(connection))
{}

Result<std::string> ControlDb::controlDsn(const std::string &goldenDsn)
{
    auto dsn = Dsn::parse(goldenDsn);
    if (!dsn)
        return std::unexpected(withContext(dsn.error(), "golden"));
    return dsn->with("dbname", databaseName).toConnectionString();
}

Result<std::optional<ControlDb>> ControlDb::openExisting(const std::string &goldenDsn,
                                                         const ConnectOptions &options)
{
    auto dsn = controlDsn(goldenDsn);
    if (!dsn)
        return std::unexpected(dsn.error());
    auto connection = connect(*dsn, options, who);
    if (!connection) {
        // 3D000 invalid_catalog_name: not created yet, which is not a failure.
        if (connection.error().message.find("does not exist") != std::string::npos)
            return std::optional<ControlDb>{};
        return std::unexpected(connection.error());
    }
    auto applied = guarded(who, "read schema version", [&] {
        pqxx::nontransaction tx(**connection);
        tx.exec0("SET TIME ZONE 'UTC'");
        return tx.exec1("SELECT to_regclass('envsync.schema_migrations') IS NOT NULL")[0]
                .as<bool>();
    });
    if (!applied)
        return std::unexpected(applied.error());
    if (!*applied)
        return std::optional<ControlDb>{};
    return std::optional<ControlDb>(ControlDb(std::move(*connection)));
}

Result<ControlDb> ControlDb::open(const config::Config &config, const ConnectOptions &options)
{
    return open(config.golden.dsn, options, &config);
}

Result<ControlDb> ControlDb::openUnguarded(const std::string &goldenDsn,
                                           const ConnectOptions &options)
{
    return open(goldenDsn, options, nullptr);
}

Result<ControlDb> ControlDb::open(const std::string &goldenDsn, const ConnectOptions &options,
                                  const config::Config *guardedBy)
{
    auto dsn = controlDsn(goldenDsn);
    if (!dsn)
        return std::unexpected(dsn.error());
    auto connection = connect(*dsn, options, who);
    const bool missing
            = !connection && connection.error().message.find("does not exist") != std::string::npos;
    if (!connection && !missing)
        return std::unexpected(connection.error());
    ConnectionPtr admin;
    if (missing) {
        auto adminConnection = connect(goldenDsn, options, "golden");
        if (!adminConnection)
            return std::unexpected(adminConnection.error());
        admin = std::move(*adminConnection);
    }
    // Before the first write of any command (CREATE DATABASE, a migration, an audit row).
    if (guardedBy) {
        auto identity = checkGoldenCluster(*guardedBy, admin ? *admin : **connection, options);
        if (!identity)
            return std::unexpected(identity.error());
        if (missing && *identity == GoldenIdentity::SourceUnreachable)
            return fail(ErrorCode::Refused,
                        "the source is unreachable, so the golden cluster cannot be proven not to "
                        "be production; envsync_control is created only once the source can be "
                        "compared with it",
                        "golden");
    }
    if (missing) {
        auto created = guarded("golden", "create envsync_control", [&] {
            pqxx::nontransaction tx(*admin);
            try {
                tx.exec0("CREATE DATABASE " + quoteIdentifier(databaseName));
            } catch (const pqxx::sql_error &e) {
                // duplicate_database, or the catalog's unique index: a concurrent first use won.
                if (e.sqlstate() != "42P04" && e.sqlstate() != "23505")
                    throw;
            }
        });
        if (!created)
            return std::unexpected(created.error());
        connection = connect(*dsn, options, who);
    }
    if (!connection)
        return std::unexpected(connection.error());
    ControlDb control(std::move(*connection));
    if (auto migrated = control.migrate(); !migrated)
        return std::unexpected(migrated.error());
    return control;
}

Result<void> ControlDb::migrate()
{
    // Fast path, two round trips: every command opens the catalogue, and the locked,
    // transactional check below costs several more (measurable in `env create`).
    auto current = guarded(who, "read schema version", [&] {
        pqxx::nontransaction tx(*m_connection);
        tx.exec0("SET TIME ZONE 'UTC'");
        if (!tx.exec1("SELECT to_regclass('envsync.schema_migrations') IS NOT NULL")[0].as<bool>())
            return 0;
        return tx.exec1("SELECT coalesce(max(version), 0) FROM envsync.schema_migrations")[0].as<int>();
    });
    if (current && *current >= migrations.back().version)
        return {};
    return guarded(who, "migrate", [&] {
        pqxx::work tx(*m_connection);
        tx.exec0("SET TIME ZONE 'UTC'");
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", migrationLockKey);
        tx.exec0("CREATE SCHEMA IF NOT EXISTS envsync");
        tx.exec0("CREATE TABLE IF NOT EXISTS envsync.schema_migrations ("
                 " version integer PRIMARY KEY,"
                 " description text NOT NULL,"
                 " applied_at timestamptz NOT NULL DEFAULT now())");
        const int applied = tx.exec1("SELECT coalesce(max(version), 0) FROM "
                                     "envsync.schema_migrations")[0]
                                    .as<int>();
        for (const Migration &migration : migrations) {
            if (migration.version <= applied)
                continue;
            tx.exec0(migration.sql);
            tx.exec_params0("INSERT INTO envsync.schema_migrations (version, description) "
                            "VALUES ($1, $2)",
                            migration.version, migration.description);
        }
        tx.commit();
    });
}

Result<int> ControlDb::appliedVersion()
{
    return guarded(who, "read schema version", [&] {
        pqxx::nontransaction tx(*m_connection);
        return tx.exec1("SELECT coalesce(max(version), 0) FROM envsync.schema_migrations")[0]
                .as<int>();
    });
}

Result<std::map<std::string, RefreshRecord>> ControlDb::lastSuccessfulRefreshes()
{
    return guarded(who, "read refresh_log", [&] {
        pqxx::nontransaction tx(*m_connection);
        tx.exec0("SET TIME ZONE 'UTC'");
        const pqxx::result rows = tx.exec(
                "SELECT DISTINCT ON (region) region, snapshot,"
                " (extract(epoch FROM source_as_of) * 1000)::bigint,"
                " (extract(epoch FROM started_at) * 1000)::bigint,"
                " (extract(epoch FROM finished_at) * 1000)::bigint,"
                " rows_copied, actor, detail"
                " FROM envsync.refresh_log WHERE result = 'success'"
                " ORDER BY region, finished_at DESC NULLS LAST");
        std::map<std::string, RefreshRecord> last;
        for (const auto &row : rows) {
            RefreshRecord record;
            record.region = row[0].as<std::string>();
            record.snapshot = row[1].get<std::string>().value_or("");
            record.sourceAsOf = fromEpochMs(row[2].get<std::int64_t>());
            record.startedAt = fromEpochMs(row[3].get<std::int64_t>());
            record.finishedAt = fromEpochMs(row[4].get<std::int64_t>());
            record.rows = row[5].as<std::int64_t>();
            record.actor = row[6].as<std::string>();
            record.detail = row[7].as<std::string>();
            last.emplace(record.region, std::move(record));
        }
        return last;
    });
}

Result<std::optional<std::string>> ControlDb::newestReadySnapshot()
{
    return guarded(who, "read snapshots", [&] {
        pqxx::nontransaction tx(*m_connection);
        const pqxx::result rows = tx.exec("SELECT name FROM envsync.snapshots"
                                          " WHERE state = 'ready' ORDER BY version DESC LIMIT 1");
        return rows.empty() ? std::optional<std::string>{}
                            : std::optional(rows[0][0].as<std::string>());
    });
}

Result<void> ControlDb::recordRefresh(const RefreshRecord &record)
{
    return guarded(who, "write refresh_log", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO envsync.refresh_log (region, snapshot, source_as_of,"
                        " started_at, finished_at, result, rows_copied, actor, detail)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        record.region, record.snapshot, toSql(record.sourceAsOf),
                        toSql(record.startedAt).value_or("now"), toSql(record.finishedAt),
                        record.result, record.rows, record.actor, record.detail);
        tx.commit();
    });
}

Result<void> ControlDb::audit(const std::string &actor, const std::string &action,
                              const std::string &target, const std::string &result,
                              const std::string &detailJson)
{
    return guarded(who, "write audit_log", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO envsync.audit_log (actor, action, target, result, detail)"
                        " VALUES ($1, $2, $3, $4, $5::jsonb)",
                        actor, action, target, result, detailJson);
        tx.commit();
    });
}

Result<std::vector<SnapshotRecord>> ControlDb::snapshots()
{
    return guarded(who, "read snapshots", [&] {
        pqxx::nontransaction tx(*m_connection);
        // openExisting does not migrate: a catalogue older than migration 4 has no cdc_lsn
        const bool hasCdcLsn = tx.exec1("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid ="
                                        " 'envsync.snapshots'::regclass AND attname = 'cdc_lsn'"
                                        " AND NOT attisdropped)")[0]
                                       .as<bool>();
        const pqxx::result rows = tx.exec(
                std::string("SELECT version, name, state, (extract(epoch FROM created_at) * 1000)::bigint,"
                " (extract(epoch FROM source_as_of) * 1000)::bigint, source_lsn::text,"
                " rules_hash, row_counts::text, size_bytes, duration_ms, created_by, ")
                + (hasCdcLsn ? "cdc_lsn::text" : "NULL::text")
                + " FROM envsync.snapshots ORDER BY version");
        std::vector<SnapshotRecord> out;
        for (const auto &row : rows) {
            SnapshotRecord record;
            record.version = row[0].as<int>();
            record.name = row[1].as<std::string>();
            record.state = row[2].as<std::string>();
            record.createdAt = fromEpochMs(row[3].get<std::int64_t>());
            record.sourceAsOf = fromEpochMs(row[4].get<std::int64_t>());
            record.sourceLsn = row[5].get<std::string>().value_or("");
            record.rulesHash = row[6].get<std::string>().value_or("");
            record.rowCountsJson = row[7].as<std::string>();
            record.sizeBytes = row[8].get<std::int64_t>().value_or(0);
            record.durationMs = row[9].get<std::int64_t>().value_or(0);
            record.createdBy = row[10].as<std::string>();
            record.cdcLsn = row[11].get<std::string>().value_or("");
            out.push_back(std::move(record));
        }
        return out;
    });
}

Result<int> ControlDb::reserveSnapshotVersion(const std::string &namePrefix,
                                              const std::string &actor)
{
    return guarded(who, "reserve snapshot version", [&] {
        pqxx::work tx(*m_connection);
        tx.exec0("LOCK TABLE envsync.snapshots IN SHARE ROW EXCLUSIVE MODE");
        const int version =
                tx.exec1("SELECT coalesce(max(version), 0) + 1 FROM envsync.snapshots")[0].as<int>();
        tx.exec_params0("INSERT INTO envsync.snapshots (version, name, state, created_by)"
                        " VALUES ($1, $2, 'building', $3)",
                        version, namePrefix + std::to_string(version), actor);
        tx.commit();
        return version;
    });
}

Result<void> ControlDb::markSnapshotReady(const SnapshotRecord &record)
{
    return guarded(who, "update snapshot", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("UPDATE envsync.snapshots SET state = 'ready', source_as_of = $2,"
                        " source_lsn = $3::pg_lsn, rules_hash = $4, row_counts = $5::jsonb,"
                        " size_bytes = $6, duration_ms = $7, copy_facts = $8::jsonb,"
                        " cdc_lsn = $9::pg_lsn WHERE version = $1",
                        record.version, toSql(record.sourceAsOf),
                        record.sourceLsn.empty() ? std::optional<std::string>()
                                                 : std::optional(record.sourceLsn),
                        record.rulesHash, record.rowCountsJson, record.sizeBytes, record.durationMs,
                        record.copyFactsJson.empty() ? std::optional<std::string>()
                                                     : std::optional(record.copyFactsJson),
                        record.cdcLsn.empty() ? std::optional<std::string>()
                                              : std::optional(record.cdcLsn));
        tx.commit();
    });
}

Result<std::optional<std::string>> ControlDb::snapshotCopyFacts(int version)
{
    return guarded(who, "read snapshot facts", [&] {
        pqxx::nontransaction tx(*m_connection);
        // openExisting does not migrate: a catalogue older than migration 3 has no facts
        if (!tx.exec1("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid ="
                      " 'envsync.snapshots'::regclass AND attname = 'copy_facts'"
                      " AND NOT attisdropped)")[0]
                     .as<bool>())
            return std::optional<std::string>{};
        const pqxx::result rows = tx.exec_params(
                "SELECT copy_facts::text FROM envsync.snapshots WHERE version = $1", version);
        return rows.empty() ? std::optional<std::string>{} : rows[0][0].get<std::string>();
    });
}

Result<void> ControlDb::markSnapshotPruned(int version)
{
    return guarded(who, "update snapshot", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("UPDATE envsync.snapshots SET state = 'pruned' WHERE version = $1",
                        version);
        tx.commit();
    });
}

Result<void> ControlDb::deleteSnapshotRow(int version)
{
    return guarded(who, "delete snapshot row", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("DELETE FROM envsync.snapshots WHERE version = $1", version);
        tx.commit();
    });
}

Result<std::vector<std::string>> ControlDb::deleteBuildingSnapshots()
{
    return guarded(who, "delete unfinished snapshots", [&] {
        pqxx::work tx(*m_connection);
        const pqxx::result rows =
                tx.exec("DELETE FROM envsync.snapshots WHERE state = 'building' RETURNING name");
        tx.commit();
        std::vector<std::string> names;
        for (const auto &row : rows)
            names.push_back(row[0].as<std::string>());
        return names;
    });
}

Result<std::optional<CdcEstate>> ControlDb::cdcEstate()
{
    return guarded(who, "read cdc_estate", [&] {
        pqxx::nontransaction tx(*m_connection);
        const pqxx::result rows
                = tx.exec("SELECT slot, publication, NULL,"
                          " (extract(epoch FROM created_at) * 1000)::bigint, source_system_id,"
                          " created_by FROM envsync.cdc_estate");
        if (rows.empty())
            return std::optional<CdcEstate>{};
        CdcEstate estate;
        estate.slot = rows[0][0].as<std::string>();
        estate.publication = rows[0][1].as<std::string>();
        // one element per row: names may hold anything, array text would need a parser here
        const pqxx::result schemas = tx.exec(
                "SELECT s FROM envsync.cdc_estate, unnest(schemas) WITH ORDINALITY AS u(s, i)"
                " ORDER BY i");
        for (const auto &schema : schemas)
            estate.schemas.push_back(schema[0].as<std::string>());
        estate.createdAt = fromEpochMs(rows[0][3].get<std::int64_t>());
        estate.sourceSystemId = rows[0][4].as<std::string>();
        estate.createdBy = rows[0][5].as<std::string>();
        return std::optional(std::move(estate));
    });
}

Result<void> ControlDb::writeCdcEstate(const CdcEstate &estate)
{
    return guarded(who, "write cdc_estate", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO envsync.cdc_estate (slot, publication, schemas,"
                        " source_system_id, created_by) VALUES ($1, $2, $3::text[], $4, $5)"
                        " ON CONFLICT (one) DO UPDATE SET slot = excluded.slot,"
                        " publication = excluded.publication, schemas = excluded.schemas,"
                        " source_system_id = excluded.source_system_id,"
                        " created_by = excluded.created_by",
                        estate.slot, estate.publication, textArray(estate.schemas),
                        estate.sourceSystemId, estate.createdBy);
        tx.commit();
    });
}

Result<void> ControlDb::deleteCdcState()
{
    return guarded(who, "delete cdc state", [&] {
        pqxx::work tx(*m_connection);
        tx.exec0("DELETE FROM envsync.cdc_estate");
        tx.exec0("DELETE FROM envsync.cdc_regions");
        tx.exec0("DELETE FROM envsync.cdc_reader");
        tx.commit();
    });
}

Result<std::vector<CdcRegionState>> ControlDb::cdcRegions()
{
    return guarded(who, "read cdc_regions", [&] {
        pqxx::nontransaction tx(*m_connection);
        const pqxx::result rows = tx.exec(
                "SELECT region, paused, state, detail, applied_lsn::text, lag_bytes, lag_seconds,"
                " changes_per_second, conflicts::text,"
                " (extract(epoch FROM updated_at) * 1000)::bigint"
                " FROM envsync.cdc_regions ORDER BY region");
        std::vector<CdcRegionState> out;
        for (const auto &row : rows) {
            CdcRegionState region;
            region.region = row[0].as<std::string>();
            region.paused = row[1].as<bool>();
            region.state = row[2].as<std::string>();
            region.detail = row[3].as<std::string>();
            region.appliedLsn = lsnValue(row[4]);
            region.lagBytes = row[5].as<std::int64_t>();
            region.lagSeconds = row[6].as<double>();
            region.changesPerSecond = row[7].as<double>();
            region.conflictsJson = row[8].as<std::string>();
            region.updatedAt = fromEpochMs(row[9].get<std::int64_t>());
            out.push_back(std::move(region));
        }
        return out;
    });
}

Result<void> ControlDb::writeCdcRegionStatus(const CdcRegionState &status)
{
    return guarded(who, "write cdc_regions", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO envsync.cdc_regions (region, state, detail, applied_lsn,"
                        " lag_bytes, lag_seconds, changes_per_second, conflicts, updated_at)"
                        " VALUES ($1, $2, $3, $4::pg_lsn, $5, $6, $7, $8::jsonb, now())"
                        " ON CONFLICT (region) DO UPDATE SET state = excluded.state,"
                        " detail = excluded.detail, applied_lsn = excluded.applied_lsn,"
                        " lag_bytes = excluded.lag_bytes, lag_seconds = excluded.lag_seconds,"
                        " changes_per_second = excluded.changes_per_second,"
                        " conflicts = excluded.conflicts, updated_at = now()",
                        status.region, status.state, status.detail, lsnParam(status.appliedLsn),
                        status.lagBytes, status.lagSeconds, status.changesPerSecond,
                        status.conflictsJson.empty() ? std::string("{}") : status.conflictsJson);
        tx.commit();
    });
}

Result<void> ControlDb::setCdcRegionPaused(const std::string &region, bool paused)
{
    return guarded(who, "write cdc_regions", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO envsync.cdc_regions (region, paused) VALUES ($1, $2)"
                        " ON CONFLICT (region) DO UPDATE SET paused = excluded.paused",
                        region, paused);
        tx.commit();
    });
}

Result<std::optional<CdcReaderState>> ControlDb::cdcReader()
{
    return guarded(who, "read cdc_reader", [&] {
        pqxx::nontransaction tx(*m_connection);
        const pqxx::result rows = tx.exec(
                "SELECT state, detail, durable_lsn::text, confirmed_lsn::text, changes_per_second,"
                " (extract(epoch FROM updated_at) * 1000)::bigint FROM envsync.cdc_reader");
        if (rows.empty())
            return std::optional<CdcReaderState>{};
        CdcReaderState reader;
        reader.state = rows[0][0].as<std::string>();
        reader.detail = rows[0][1].as<std::string>();
        reader.durableLsn = lsnValue(rows[0][2]);
        reader.confirmedLsn = lsnValue(rows[0][3]);
        reader.changesPerSecond = rows[0][4].as<double>();
        reader.updatedAt = fromEpochMs(rows[0][5].get<std::int64_t>());
        return std::optional(std::move(reader));
    });
}

Result<void> ControlDb::writeCdcReader(const CdcReaderState &reader)
{
    return guarded(who, "write cdc_reader", [&] {
        pqxx::work tx(*m_connection);
        tx.exec_params0("INSERT INTO envsync.cdc_reader (state, detail, durable_lsn,"
                        " confirmed_lsn, changes_per_second, updated_at)"
                        " VALUES ($1, $2, $3::pg_lsn, $4::pg_lsn, $5, now())"
                        " ON CONFLICT (one) DO UPDATE SET state = excluded.state,"
                        " detail = excluded.detail, durable_lsn = excluded.durable_lsn,"
                        " confirmed_lsn = excluded.confirmed_lsn,"
                        " changes_per_second = excluded.changes_per_second, updated_at = now()",
                        reader.state, reader.detail, lsnParam(reader.durableLsn),
                        lsnParam(reader.confirmedLsn), reader.changesPerSecond);
        tx.commit();
    });
}

Result<bool> ControlDb::tryAdvisoryLock(std::int64_t key)
{
    return guarded(who, "advisory lock", [&] {
        pqxx::nontransaction tx(*m_connection);
        return tx.exec_params1("SELECT pg_try_advisory_lock($1)", key)[0].as<bool>();
    });
}

Result<void> ControlDb::advisoryUnlock(std::int64_t key)
{
    return guarded(who, "advisory unlock", [&] {
        pqxx::nontransaction tx(*m_connection);
        tx.exec_params("SELECT pg_advisory_unlock($1)", key);
    });
}

} // namespace envsync::db
