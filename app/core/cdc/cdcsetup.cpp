#include "core/cdc/cdcsetup.h"

#include "core/db/cancelguard.h"
#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/sqlquote.h"
#include "core/db/systemidentifier.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <thread>

namespace envsync::cdc {

namespace {

constexpr const char *sourceWho = "source";

/// Schemas that are never published: the catalogs and EnvSync's own.
const std::vector<std::string> &unpublishedSchemas()
{
    static const std::vector<std::string> schemas
            = {"pg_catalog", "information_schema", "pg_toast", "envsync", "_envsync"};
    return schemas;
}

std::string joined(const std::vector<std::string> &items)
{
    std::string text;
    for (const auto &item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

/// A guarded body that returns a Result itself: one level of Result.
template<typename T> Result<T> flatten(Result<Result<T>> nested)
{
    if (!nested)
        return std::unexpected(nested.error());
    return std::move(*nested);
}

std::string actorOf(const CdcSetupOptions &options)
{
    return options.actor.empty() ? db::currentActor() : options.actor;
}

Result<db::ConnectionPtr> connectSource(const config::Config &config)
{
    return db::connect(config.source.dsn, db::configuredConnectOptions(config, "envsync cdc setup"),
                       sourceWho);
}

Result<void> checkWalLevelAndRole(pqxx::connection &source)
{
    auto facts = db::guarded(sourceWho, "check wal_level", [&] {
        pqxx::nontransaction tx(source);
        const auto row = tx.exec1("SELECT current_setting('wal_level'),"
                                  " (SELECT rolsuper OR rolreplication FROM pg_roles"
                                  "  WHERE rolname = current_user)");
        return std::pair(row[0].as<std::string>(), row[1].as<bool>(false));
    });
    if (!facts)
        return std::unexpected(facts.error());
    if (facts->first != "logical")
        return fail(ErrorCode::Refused,
                    "wal_level is " + facts->first
                            + "; CDC needs wal_level = logical (ALTER SYSTEM SET wal_level = "
                              "logical, then restart the server)",
                    sourceWho);
    if (!facts->second)
        return fail(ErrorCode::Refused,
                    "the connecting role may not replicate (it needs the REPLICATION attribute)",
                    sourceWho);
    return {};
}

std::string systemIdentifier(pqxx::transaction_base &tx)
{
    return tx.exec1("SELECT system_identifier::text FROM pg_control_system()")[0].as<std::string>();
}

/// The configured schemas (each must exist), or every schema that has tables.
Result<std::vector<std::string>> publishedSchemas(pqxx::connection &source,
                                                  const config::Config &config)
{
    return flatten(
            db::guarded(sourceWho, "list schemas", [&]() -> Result<std::vector<std::string>> {
                pqxx::nontransaction tx(source);
                std::vector<std::string> schemas;
                if (config.cdc.schemas.empty()) {
                    const pqxx::result rows = tx.exec_params(
                            "SELECT DISTINCT n.nspname FROM pg_class c"
                            " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            " WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'"
                            " AND n.nspname <> ALL($1::text[]) AND n.nspname NOT LIKE "
                            "'pg\\_temp\\_%'"
                            " AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%' ORDER BY 1",
                            db::textArray(unpublishedSchemas()));
                    for (const auto &row : rows)
                        schemas.push_back(row[0].as<std::string>());
                    if (schemas.empty())
                        return fail(ErrorCode::Config, "the source has no tables to publish",
                                    sourceWho);
                    std::ranges::sort(schemas); // byte order, whatever the collation
                    return schemas;
                }
                for (const std::string &schema : config.cdc.schemas) {
                    if (std::ranges::find(unpublishedSchemas(), schema)
                        != unpublishedSchemas().end())
                        return fail(ErrorCode::Config,
                                    "schema " + db::quoteIdentifier(schema)
                                            + " cannot be published",
                                    "cdc.schemas");
                    if (tx.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema)
                                .empty())
                        return fail(ErrorCode::Config,
                                    "schema " + db::quoteIdentifier(schema)
                                            + " does not exist on the source",
                                    "cdc.schemas");
                    schemas.push_back(schema);
                }
                std::ranges::sort(schemas);
                return schemas;
            }));
}

/// Tables whose UPDATE and DELETE cannot be streamed: no replica identity (no primary key and
/// not REPLICA IDENTITY FULL or USING INDEX), or REPLICA IDENTITY NOTHING.
Result<std::vector<std::string>> keylessTables(pqxx::connection &source,
                                               const std::vector<std::string> &schemas)
{
    return db::guarded(sourceWho, "check replica identity", [&] {
        pqxx::nontransaction tx(source);
        const pqxx::result rows = tx.exec_params(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'r' AND c.relpersistence = 'p'"
                " AND n.nspname = ANY($1::text[])"
                " AND (c.relreplident = 'n'"
                "   OR (c.relreplident = 'd' AND NOT EXISTS (SELECT 1 FROM pg_index i"
                "        WHERE i.indrelid = c.oid AND i.indisprimary))"
                "   OR (c.relreplident = 'i' AND NOT EXISTS (SELECT 1 FROM pg_index i"
                "        WHERE i.indrelid = c.oid AND i.indisreplident)))"
                " ORDER BY 1",
                db::textArray(schemas));
        std::vector<std::string> tables;
        for (const auto &row : rows)
            tables.push_back(row[0].as<std::string>());
        return tables;
    });
}

struct SlotRow
{
    std::string plugin;
    std::string type;
    std::string database;
    bool active = false;
};

std::optional<SlotRow> findSlot(pqxx::transaction_base &tx, const std::string &slot)
{
    const pqxx::result rows = tx.exec_params(
            "SELECT coalesce(plugin, ''), slot_type, coalesce(database::text, ''), active"
            " FROM pg_replication_slots WHERE slot_name = $1",
            slot);
    if (rows.empty())
        return std::nullopt;
    return SlotRow{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                   rows[0][2].as<std::string>(), rows[0][3].as<bool>()};
}

bool publicationExists(pqxx::transaction_base &tx, const std::string &publication)
{
    return !tx.exec_params("SELECT 1 FROM pg_publication WHERE pubname = $1", publication).empty();
}

/// Refuses what would make init touch something that is not EnvSync's.
Result<void> checkOwnership(pqxx::connection &source, const config::Config &config,
                            const std::optional<db::CdcEstate> &estate, const std::string &systemId)
{
    const std::string &slot = config.cdc.slot;
    const std::string &publication = config.cdc.publication;
    if (estate) {
        if (estate->sourceSystemId != systemId)
            return fail(ErrorCode::Refused,
                        "CDC was initialised on another source cluster (system identifier "
                                + estate->sourceSystemId + ", this one is " + systemId
                                + "); run cdc drop with the config it was initialised with",
                        "cdc init");
        if (estate->slot != slot || estate->publication != publication)
            return fail(ErrorCode::Refused,
                        "CDC is initialised with slot " + estate->slot + " and publication "
                                + estate->publication + ", the config names " + slot + " and "
                                + publication + "; run cdc drop first",
                        "cdc init");
    }
    return flatten(db::guarded(sourceWho, "check slot and publication", [&]() -> Result<void> {
        pqxx::nontransaction tx(source);
        const std::optional<SlotRow> found = findSlot(tx, slot);
        const bool hasPublication = publicationExists(tx, publication);
        if (!estate && found)
            return fail(ErrorCode::Refused,
                        "a replication slot named " + slot
                                + " exists that EnvSync did not create; choose another cdc.slot",
                        sourceWho);
        if (!estate && hasPublication)
            return fail(ErrorCode::Refused,
                        "a publication named " + publication
                                + " exists that EnvSync did not create; choose another "
                                  "cdc.publication",
                        sourceWho);
        if (found) {
            const std::string database = tx.exec1("SELECT current_database()")[0].as<std::string>();
            if (found->type != "logical" || found->plugin != "pgoutput"
                || found->database != database)
                return fail(ErrorCode::Refused,
                            "replication slot " + slot
                                    + " is not a pgoutput logical slot of this database",
                            sourceWho);
            return {};
        }
        const auto free = tx.exec1("SELECT current_setting('max_replication_slots')::int"
                                   " - (SELECT count(*) FROM pg_replication_slots)")[0]
                                  .as<int>();
        if (free <= 0)
            return fail(ErrorCode::Refused,
                        "no free replication slot (max_replication_slots is reached)", sourceWho);
        return {};
    }));
}

/// Creates the publication, or sets an existing one (EnvSync's) to exactly these schemas.
Result<void> ensurePublication(pqxx::connection &source, const std::string &publication,
                               const std::vector<std::string> &schemas, InitReport &report)
{
    return db::guarded(sourceWho, "publication " + publication, [&] {
        pqxx::nontransaction tx(source);
        std::string schemaList;
        for (const std::string &schema : schemas)
            schemaList += (schemaList.empty() ? "" : ", ") + db::quoteIdentifier(schema);
        if (!publicationExists(tx, publication)) {
            tx.exec0("CREATE PUBLICATION " + db::quoteIdentifier(publication)
                     + " FOR TABLES IN SCHEMA " + schemaList
                     + " WITH (publish = 'insert, update, delete, truncate')");
            report.publicationCreated = true;
            return;
        }
        const pqxx::result current = tx.exec_params(
                "SELECT n.nspname FROM pg_publication p"
                " JOIN pg_publication_namespace pn ON pn.pnpubid = p.oid"
                " JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE p.pubname = $1 ORDER BY 1",
                publication);
        std::vector<std::string> published;
        for (const auto &row : current)
            published.push_back(row[0].as<std::string>());
        std::ranges::sort(published);
        const auto shape = tx.exec_params1(
                "SELECT puballtables OR NOT (pubinsert AND pubupdate AND pubdelete AND pubtruncate)"
                " OR EXISTS (SELECT 1 FROM pg_publication_rel r WHERE r.prpubid = p.oid)"
                " FROM pg_publication p WHERE pubname = $1",
                publication);
        if (published == schemas && !shape[0].as<bool>())
            return;
        tx.exec0("ALTER PUBLICATION " + db::quoteIdentifier(publication) + " SET TABLES IN SCHEMA "
                 + schemaList);
        tx.exec0("ALTER PUBLICATION " + db::quoteIdentifier(publication)
                 + " SET (publish = 'insert, update, delete, truncate')");
        report.publicationChanged = true;
    });
}

Result<void> ensureSlot(pqxx::connection &source, const std::string &slot, InitReport &report,
                        const std::shared_ptr<job::CancelToken> &cancel)
{
    // Creating a logical slot waits for the transactions running on the source to end.
    const db::CancelGuard guard(source, cancel);
    auto done = db::guarded(sourceWho, "replication slot " + slot, [&] {
        pqxx::nontransaction tx(source);
        if (!findSlot(tx, slot)) {
            tx.exec_params("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", slot);
            report.slotCreated = true;
        }
        const pqxx::result rows = tx.exec_params(
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1",
                slot);
        if (!rows.empty() && !rows[0][0].is_null()) {
            if (auto lsn = parseLsn(rows[0][0].as<std::string>()))
                report.slotConsistentPoint = *lsn;
        }
    });
    if (!done)
        return std::unexpected(db::cancelledOr(done.error(), cancel));
    return {};
}

} // namespace

Result<InitReport> initCdc(const config::Config &config, const CdcSetupOptions &options)
{
    if (job::cancelled(options.cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "cdc init");
    auto source = connectSource(config);
    if (!source)
        return std::unexpected(source.error());
    if (auto checked = checkWalLevelAndRole(**source); !checked)
        return std::unexpected(checked.error());
    auto schemas = publishedSchemas(**source, config);
    if (!schemas)
        return std::unexpected(schemas.error());
    auto keyless = keylessTables(**source, *schemas);
    if (!keyless)
        return std::unexpected(keyless.error());
    if (!keyless->empty())
        return fail(ErrorCode::Refused,
                    "tables without a key cannot stream their updates and deletes (add a primary "
                    "key or ALTER TABLE ... REPLICA IDENTITY FULL): "
                            + joined(*keyless),
                    sourceWho);
    auto systemId = db::systemIdentifier(**source, sourceWho);
    if (!systemId)
        return std::unexpected(systemId.error());

    auto control = db::ControlDb::open(config, db::configuredConnectOptions(config, "envsync cdc"));
    if (!control)
        return std::unexpected(control.error());
    auto estate = control->cdcEstate();
    if (!estate)
        return std::unexpected(estate.error());
    if (auto owned = checkOwnership(**source, config, *estate, *systemId); !owned)
        return std::unexpected(owned.error());
    if (job::cancelled(options.cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "cdc init");

    // Claimed before anything is created: a run killed half-way is EnvSync's to finish or drop.
    db::CdcEstate record;
    record.slot = config.cdc.slot;
    record.publication = config.cdc.publication;
    record.schemas = *schemas;
    record.sourceSystemId = *systemId;
    record.createdBy = actorOf(options);
    if (auto written = control->writeCdcEstate(record); !written)
        return std::unexpected(written.error());

    InitReport report;
    report.slot = config.cdc.slot;
    report.publication = config.cdc.publication;
    report.schemas = *schemas;
    report.sourceSystemId = *systemId;
    if (auto published = ensurePublication(**source, report.publication, *schemas, report);
        !published)
        return std::unexpected(published.error());
    if (auto slot = ensureSlot(**source, report.slot, report, options.cancel); !slot)
        return std::unexpected(slot.error());
    (void)control->audit(record.createdBy, "cdc.init", "slot " + report.slot, "success");
    return report;
}

Result<DropReport> dropCdc(const config::Config &config, const CdcSetupOptions &options)
{
    DropReport report;
    auto control = db::ControlDb::open(config, db::configuredConnectOptions(config, "envsync cdc"));
    if (!control)
        return std::unexpected(control.error());
    auto estate = control->cdcEstate();
    if (!estate)
        return std::unexpected(estate.error());
    if (!*estate)
        return report; // nothing of ours to drop
    report.wasInitialised = true;
    const db::CdcEstate &ours = **estate;

    auto source = connectSource(config);
    if (!source)
        return std::unexpected(source.error());
    auto dropped = flatten(db::guarded(sourceWho, "drop slot " + ours.slot, [&]() -> Result<void> {
        pqxx::nontransaction tx(**source);
        const std::string systemId = systemIdentifier(tx);
        if (systemId != ours.sourceSystemId)
            return fail(ErrorCode::Refused,
                        "CDC was initialised on another source cluster (system identifier "
                                + ours.sourceSystemId + ", this one is " + systemId + ")",
                        "cdc drop");
        report.walsendersTerminated
                = tx.exec_params1("SELECT count(pg_terminate_backend(active_pid))"
                                  " FROM pg_replication_slots"
                                  " WHERE slot_name = $1 AND active_pid IS NOT NULL",
                                  ours.slot)[0]
                          .as<int>();
        // The walsender releases the slot as it exits: wait for that, briefly.
        for (int attempt = 0; attempt < 100; ++attempt) {
            const std::optional<SlotRow> slot = findSlot(tx, ours.slot);
            if (!slot || !slot->active)
                break;
            if (job::cancelled(options.cancel))
                return fail(ErrorCode::Cancelled, "cancelled", "cdc drop");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (findSlot(tx, ours.slot)) {
            tx.exec_params("SELECT pg_drop_replication_slot($1)", ours.slot);
            report.slotDropped = true;
        }
        if (publicationExists(tx, ours.publication)) {
            tx.exec0("DROP PUBLICATION " + db::quoteIdentifier(ours.publication));
            report.publicationDropped = true;
        }
        return {};
    }));
    if (!dropped)
        return std::unexpected(dropped.error());
    if (auto deleted = control->deleteCdcState(); !deleted)
        return std::unexpected(deleted.error());
    (void)control->audit(actorOf(options), "cdc.drop", "slot " + ours.slot, "success");
    return report;
}

Result<SourceCdcStatus> sourceCdcStatus(const config::Config &config,
                                        const CdcSetupOptions &options)
{
    if (job::cancelled(options.cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "cdc status");
    auto source = connectSource(config);
    if (!source)
        return std::unexpected(source.error());
    return db::guarded(sourceWho, "slot status", [&] {
        pqxx::nontransaction tx(**source);
        SourceCdcStatus status;
        status.slot = config.cdc.slot;
        auto lsnOf = [](const pqxx::field &field) -> Lsn {
            if (field.is_null())
                return 0;
            auto lsn = parseLsn(field.as<std::string>());
            return lsn ? *lsn : 0;
        };
        status.currentWalLsn = lsnOf(tx.exec1("SELECT pg_current_wal_lsn()::text")[0]);
        const pqxx::result rows = tx.exec_params(
                "SELECT active, confirmed_flush_lsn::text, restart_lsn::text,"
                " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint"
                " FROM pg_replication_slots WHERE slot_name = $1",
                status.slot);
        if (rows.empty())
            return status;
        status.slotExists = true;
        status.slotActive = rows[0][0].as<bool>();
        status.confirmedFlushLsn = lsnOf(rows[0][1]);
        status.restartLsn = lsnOf(rows[0][2]);
        status.retainedWalBytes = rows[0][3].as<std::int64_t>();
        status.retainedWalExceeded = status.retainedWalBytes > config.cdc.maxRetainedWal;
        return status;
    });
}

} // namespace envsync::cdc
