#include "regionapplier.h"

#include "core/db/cancelguard.h"
#include "core/db/servererror.h"
#include "core/db/sqlquote.h"
#include "core/drift/catalogreader.h"
#include "core/drift/ddl.h"
#include "core/refresh/faultpoint.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace envsync::cdc {

namespace {

struct ResultDeleter
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

/// The server's primary message, SQLSTATE and object only: DETAIL and CONTEXT carry row values.
std::string resultError(PGconn *conn, const PGresult *result)
{
    const db::ServerErrorFacts facts = db::factsFromResult(result);
    return facts.primary.empty() ? db::safeLibpqMessage(PQerrorMessage(conn))
                                 : db::describeServerError(facts);
}

bool succeeded(const PGresult *result)
{
    const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

Result<PgResult> execParams(PGconn *conn, const std::string &sql,
                            const std::vector<const std::string *> &params, const std::string &what)
{
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const std::string *param : params)
        values.push_back(param ? param->c_str() : nullptr);
    PgResult result(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0));
    if (!succeeded(result.get()))
        return fail(ErrorCode::Database, what + ": " + resultError(conn, result.get()));
    return result;
}

Result<PgResult> exec(PGconn *conn, const std::string &sql, const std::string &what)
{
    PgResult result(PQexec(conn, sql.c_str()));
    if (!succeeded(result.get()))
        return fail(ErrorCode::Database, what + ": " + resultError(conn, result.get()));
    return result;
}

int affectedRows(const PGresult *result)
{
    const char *text = PQcmdTuples(const_cast<PGresult *>(result));
    return text && *text ? std::atoi(text) : 0;
}

bool isBuiltinType(std::uint32_t oid)
{
    return oid < 16384; // FirstNormalObjectId: the same OID means the same type on any server
}

/// The catalog of one table and what it needs of its schema: its columns, constraints, indexes,
/// owned sequences and the types of its own schema its columns use. Triggers, policies and
/// other tables are left out: parity brings the table's shape in line, nothing else.
drift::SchemaCatalog restrictToTable(const drift::SchemaCatalog &catalog,
                                     const drift::QualifiedName &table)
{
    drift::SchemaCatalog out;
    out.database = catalog.database;
    out.serverVersion = catalog.serverVersion;
    for (const auto &schema : catalog.schemas) {
        if (schema.name == table.schema)
            out.schemas.push_back(schema);
    }
    std::set<drift::QualifiedName> usedTypes;
    for (const auto &def : catalog.tables) {
        if (def.name != table)
            continue;
        out.tables.push_back(def);
        for (const auto &column : def.columns)
            usedTypes.insert(column.typeRef);
    }
    for (const auto &constraint : catalog.constraints) {
        if (constraint.table == table)
            out.constraints.push_back(constraint);
    }
    for (const auto &index : catalog.indexes) {
        if (index.table == table)
            out.indexes.push_back(index);
    }
    for (const auto &sequence : catalog.sequences) {
        if (sequence.ownedBy && sequence.ownedBy->table == table)
            out.sequences.push_back(sequence);
    }
    for (const auto &type : catalog.enums) {
        if (usedTypes.contains(type.name))
            out.enums.push_back(type);
    }
    for (const auto &type : catalog.domains) {
        if (usedTypes.contains(type.name))
            out.domains.push_back(type);
    }
    for (const auto &type : catalog.compositeTypes) {
        if (usedTypes.contains(type.name))
            out.compositeTypes.push_back(type);
    }
    // The facts among what is kept order the creations (types and sequences before the table).
    std::set<std::string> kept;
    for (const auto &def : out.tables)
        kept.insert(drift::objectKey("table", def.name));
    for (const auto &def : out.sequences)
        kept.insert(drift::objectKey("sequence", def.name));
    for (const auto &def : out.enums)
        kept.insert(drift::objectKey("type", def.name));
    for (const auto &def : out.domains)
        kept.insert(drift::objectKey("type", def.name));
    for (const auto &def : out.compositeTypes)
        kept.insert(drift::objectKey("type", def.name));
    for (const auto &dependency : catalog.dependencies) {
        if (kept.contains(dependency.dependent) && kept.contains(dependency.referenced))
            out.dependencies.push_back(dependency);
    }
    return out;
}

} // namespace

/// One target transaction in the making: what it will write into the cursor and the conflict
/// counters at COMMIT, and what it applied (reported once it is committed).
struct RegionApplier::Batch
{
    bool open = false;
    bool moved = false; ///< the cursor changes at commit
    Lsn appliedLsn = 0;
    std::int64_t commitTimeMicros = 0;
    std::int64_t transactions = 0;
    std::int64_t changes = 0;
    std::map<std::pair<std::string, std::string>, std::int64_t> conflicts;
};

RegionApplier::RegionApplier(RegionApplierOptions options)
    : m_options(std::move(options))
{
}

RegionApplier::~RegionApplier()
{
    disconnect();
}

RegionApplier::RegionApplier(RegionApplier &&other) noexcept
    : m_options(std::move(other.m_options))
    , m_conn(std::exchange(other.m_conn, nullptr))
    , m_cursor(std::move(other.m_cursor))
    , m_relations(std::move(other.m_relations))
    , m_prepared(std::move(other.m_prepared))
    , m_nextGeneration(other.m_nextGeneration)
    , m_pipeline(std::exchange(other.m_pipeline, false))
    , m_pending(std::move(other.m_pending))
    , m_pendingBytes(std::exchange(other.m_pendingBytes, 0))
    , m_sets(std::exchange(other.m_sets, {}))
{
}

RegionApplier &RegionApplier::operator=(RegionApplier &&other) noexcept
{
    if (this != &other) {
        disconnect();
        m_options = std::move(other.m_options);
        m_conn = std::exchange(other.m_conn, nullptr);
        m_cursor = std::move(other.m_cursor);
        m_relations = std::move(other.m_relations);
        m_prepared = std::move(other.m_prepared);
        m_nextGeneration = other.m_nextGeneration;
        m_pipeline = std::exchange(other.m_pipeline, false);
        m_pending = std::move(other.m_pending);
        m_pendingBytes = std::exchange(other.m_pendingBytes, 0);
        m_sets = std::exchange(other.m_sets, {});
    }
    return *this;
}

void RegionApplier::disconnect()
{
    // Closing is the rollback: the server aborts an open transaction with its session, and
    // nothing of a pipeline in flight needs to be read first.
    if (m_conn)
        PQfinish(std::exchange(m_conn, nullptr));
    m_prepared.clear();
    m_pending.clear();
    m_pendingBytes = 0;
    m_pipeline = false;
    m_sets.clear();
}

std::string RegionApplier::who() const
{
    return "region " + m_options.region;
}

bool RegionApplier::skipped(const Relation &relation) const
{
    return m_options.skipTables.contains(relation.display());
}

void RegionApplier::forgetChecks()
{
    for (auto &[id, known] : m_relations)
        known.checked = false;
}

Result<std::optional<RegionCursor>> RegionApplier::open()
{
    disconnect();
    m_cursor.reset();
    forgetChecks();

    db::ConnectOptions options = m_options.connect;
    options.applicationName = "envsync cdc apply " + m_options.region;
    auto text = db::effectiveConnectionString(m_options.dsn, options);
    if (!text)
        return std::unexpected(withContext(text.error(), who()));
    m_conn = PQconnectdb(text->c_str());
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        const std::string message = m_conn ? db::safeLibpqMessage(PQerrorMessage(m_conn))
                                           : std::string("out of memory");
        if (m_conn)
            PQfinish(std::exchange(m_conn, nullptr));
        return fail(ErrorCode::Unreachable, message, who() + ": connect");
    }
    // Replica role: the region's triggers and FK checks do not fire for streamed rows, as in
    // native logical replication. (Commits stay synchronous: a cursor the runner saw may be
    // what it prunes the spool by; one batch is one commit, so the flush is shared anyway.)
    // Generic plans: a set statement's custom plan estimates its arrays' real length, so the
    // server would otherwise prefer planning it anew each time (costly for wide tables).
    if (auto set = exec(m_conn,
                        "SET session_replication_role = replica;"
                        " SET plan_cache_mode = force_generic_plan",
                        "prepare the session");
        !set)
        return std::unexpected(withContext(set.error(), who()));

    auto exists = exec(m_conn, "SELECT to_regclass('_envsync.cdc_applied') IS NOT NULL",
                       "read the CDC position");
    if (!exists)
        return std::unexpected(withContext(exists.error(), who()));
    if (std::strcmp(PQgetvalue(exists->get(), 0, 0), "t") != 0)
        return std::optional<RegionCursor>{};
    auto rows = exec(m_conn,
                     "SELECT applied_lsn::text,"
                     " coalesce((extract(epoch FROM commit_time) * 1000000)::bigint, 0), origin"
                     " FROM _envsync.cdc_applied",
                     "read the CDC position");
    if (!rows)
        return std::unexpected(withContext(rows.error(), who()));
    if (PQntuples(rows->get()) == 0)
        return std::optional<RegionCursor>{};
    auto lsn = parseLsn(PQgetvalue(rows->get(), 0, 0));
    if (!lsn)
        return fail(ErrorCode::Database, "unreadable _envsync.cdc_applied", who());
    m_cursor = RegionCursor{*lsn, std::atoll(PQgetvalue(rows->get(), 0, 1)),
                            PQgetvalue(rows->get(), 0, 2)};
    return m_cursor;
}

void RegionApplier::remember(const Relation &relation)
{
    auto it = m_relations.find(relation.id);
    if (it != m_relations.end()) {
        const Relation &known = it->second.relation;
        const bool same = known.schema == relation.schema && known.table == relation.table
                          && known.replicaIdentity == relation.replicaIdentity
                          && known.columns.size() == relation.columns.size()
                          && std::equal(known.columns.begin(), known.columns.end(),
                                        relation.columns.begin(), [](const auto &a, const auto &b) {
                                            return a.name == b.name && a.typeOid == b.typeOid
                                                   && a.typeModifier == b.typeModifier
                                                   && a.key == b.key;
                                        });
        if (same)
            return;
    }
    m_relations[relation.id] = KnownRelation{relation, m_nextGeneration++, false, {}, {}, 0};
}

Result<ApplyStats> RegionApplier::apply(std::span<const SpoolEntry> entries)
{
    if (!m_conn)
        return fail(ErrorCode::Internal, "the applier is not connected", who());
    if (!m_cursor)
        return fail(ErrorCode::Refused,
                    "has no CDC position: refresh it from a golden version taken after CDC was"
                    " initialised",
                    who());
    db::CancelGuard guard(m_conn, m_options.cancel);
    ApplyStats stats;
    Batch batch;
    batch.appliedLsn = m_cursor->appliedLsn;
    const auto failed = [&](Error error) -> std::unexpected<Error> {
        disconnect();
        forgetChecks();
        if (error.context.empty())
            error.context = who();
        return std::unexpected(db::cancelledOr(std::move(error), m_options.cancel));
    };

    for (const SpoolEntry &entry : entries) {
        if (job::cancelled(m_options.cancel))
            return failed(Error{ErrorCode::Cancelled, "cancelled", who()});
        Result<void> step;
        switch (entry.kind) {
        case SpoolEntry::Kind::Relation:
            step = drain(batch); // pending results point at the relations they changed
            if (step)
                remember(entry.relation);
            break;
        case SpoolEntry::Kind::Transaction:
            // Below the cursor: already in the region (the rule of regioncursor.h).
            if (entry.transaction.commitLsn >= batch.appliedLsn)
                step = applyTransaction(entry.transaction, batch, stats);
            break;
        case SpoolEntry::Kind::Sequences:
            step = applySequences(entry.sequences, batch);
            break;
        case SpoolEntry::Kind::Position:
            if (entry.position > batch.appliedLsn) {
                step = begin(batch);
                batch.appliedLsn = entry.position;
                batch.moved = true;
            }
            break;
        }
        if (!step)
            return failed(step.error());
    }
    if (auto done = commit(batch, stats); !done)
        return failed(done.error());
    stats.appliedLsn = m_cursor->appliedLsn;
    return stats;
}

Result<void> RegionApplier::applyTransaction(const SourceTransaction &transaction, Batch &batch,
                                             ApplyStats &stats)
{
    if (auto parity = ensureParity(transaction, batch, stats); !parity)
        return parity;
    if (auto started = begin(batch); !started)
        return started;
    for (const RowChange &change : transaction.changes) {
        if (auto applied = applyChange(change, batch); !applied)
            return applied;
    }
    batch.appliedLsn = transaction.endLsn;
    batch.commitTimeMicros = transaction.commitTimeMicros;
    batch.moved = true;
    ++batch.transactions;
    return {};
}

Result<void> RegionApplier::ensureParity(const SourceTransaction &transaction, Batch &batch,
                                         ApplyStats &stats)
{
    std::vector<KnownRelation *> unchecked;
    for (const RowChange &change : transaction.changes) {
        if (change.kind == ChangeKind::Truncate)
            continue;
        auto it = m_relations.find(change.relationId);
        if (it == m_relations.end())
            return fail(ErrorCode::Internal, "a change of relation "
                                                     + std::to_string(change.relationId)
                                                     + " came before its relation entry");
        KnownRelation &known = it->second;
        if (!known.checked && !skipped(known.relation)
            && std::ranges::find(unchecked, &known) == unchecked.end())
            unchecked.push_back(&known);
    }
    if (unchecked.empty())
        return {};
    if (auto drained = drain(batch); !drained)
        return drained;
    std::vector<KnownRelation *> differing;
    for (KnownRelation *known : unchecked) {
        if (auto started = begin(batch); !started)
            return started;
        auto matches = tableMatches(*known);
        if (!matches)
            return std::unexpected(matches.error());
        if (*matches)
            known->checked = true;
        else
            differing.push_back(known);
    }
    if (differing.empty())
        return {};
    // The catalogs are read on connections of their own, which see only committed state:
    // commit what the batch holds so far, then change the tables and apply the rows together.
    if (auto done = commit(batch, stats); !done)
        return done;
    std::string ddl;
    for (KnownRelation *known : differing) {
        auto script = parityDdl(known->relation);
        if (!script)
            return std::unexpected(script.error());
        ddl += *script;
    }
    if (auto started = begin(batch); !started)
        return started;
    if (!ddl.empty()) {
        if (auto ran = exec(m_conn, ddl, "schema parity"); !ran) {
            std::string tables;
            for (KnownRelation *known : differing)
                tables += (tables.empty() ? "" : ", ") + known->relation.display();
            return fail(ErrorCode::Database, tables + ": " + ran.error().message, who());
        }
    }
    for (KnownRelation *known : differing) {
        auto reread = tableMatches(*known); // the region's column types after the DDL
        if (!reread)
            return std::unexpected(reread.error());
        known->checked = true;
        known->generation = m_nextGeneration++; // statements prepared before it are stale
    }
    return {};
}

Result<bool> RegionApplier::tableMatches(KnownRelation &known)
{
    const Relation &relation = known.relation;
    // Generated columns are left out: pgoutput (PostgreSQL 15) never sends them.
    const std::string table = db::qualifiedName(relation.schema, relation.table);
    auto rows = execParams(m_conn,
                           "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                           " a.atttypid::bigint, a.atttypmod, format_type(a.atttypid, -1),"
                           " (SELECT count(*) FROM pg_index i WHERE i.indrelid = a.attrelid"
                           "  AND (i.indisunique OR i.indisexclusion))"
                           " FROM pg_attribute a"
                           " WHERE a.attrelid = to_regclass($1::text) AND a.attnum > 0"
                           " AND NOT a.attisdropped AND a.attgenerated = ''",
                           {&table}, relation.display() + ": read the region's columns");
    if (!rows)
        return std::unexpected(rows.error());
    const int count = PQntuples(rows->get());
    known.regionTypes.clear();
    known.baseTypes.clear();
    bool matches = static_cast<std::size_t>(count) == relation.columns.size();
    std::vector<std::string> types;
    std::vector<std::string> baseTypes;
    for (const RelationColumn &column : relation.columns) {
        int row = 0;
        while (row < count && column.name != PQgetvalue(rows->get(), row, 0))
            ++row;
        if (row == count)
            return false;
        types.emplace_back(PQgetvalue(rows->get(), row, 1));
        // -1, not NULL: format_type(bpchar, NULL) is "character", i.e. character(1)
        baseTypes.emplace_back(PQgetvalue(rows->get(), row, 4));
        if (!column.typeName.empty()) {
            matches = matches && column.typeName == types.back();
        } else if (isBuiltinType(column.typeOid)) {
            matches = matches && std::to_string(column.typeOid) == PQgetvalue(rows->get(), row, 2)
                      && std::to_string(column.typeModifier) == PQgetvalue(rows->get(), row, 3);
        }
    }
    known.regionTypes = std::move(types);
    known.baseTypes = std::move(baseTypes);
    known.uniqueIndexes = count > 0 ? std::atoi(PQgetvalue(rows->get(), 0, 5)) : 0;
    return matches;
}

Result<std::string> RegionApplier::parityDdl(const Relation &relation)
{
    if (m_options.sourceDsn.empty())
        return fail(ErrorCode::Config,
                    relation.display()
                            + ": its columns differ from the stream's and no source is configured"
                              " to read them from",
                    who());
    db::ConnectOptions options = m_options.connect;
    options.applicationName = "envsync cdc parity " + m_options.region;
    auto source = db::connect(m_options.sourceDsn, options, "source");
    if (!source)
        return std::unexpected(withContext(source.error(), who() + ": " + relation.display()));
    auto region = db::connect(m_options.dsn, options, who());
    if (!region)
        return std::unexpected(withContext(region.error(), relation.display()));

    drift::CatalogOptions catalogOptions;
    catalogOptions.includeSchemas = {relation.schema};
    catalogOptions.cancel = m_options.cancel;
    catalogOptions.who = "source";
    auto sourceCatalog = drift::readCatalog(**source, catalogOptions);
    if (!sourceCatalog)
        return std::unexpected(
                withContext(sourceCatalog.error(), who() + ": " + relation.display()));
    catalogOptions.who = who();
    auto regionCatalog = drift::readCatalog(**region, catalogOptions);
    if (!regionCatalog)
        return std::unexpected(withContext(regionCatalog.error(), relation.display()));

    const drift::QualifiedName name{relation.schema, relation.table};
    if (!sourceCatalog->findTable(name))
        return fail(ErrorCode::Database,
                    relation.display() + ": the table is no longer in the source's catalog", who());
    drift::DdlOptions ddlOptions;
    ddlOptions.allowUnsafe = true; // parity is the point: the region's table follows the source
    return drift::reconcileSql(restrictToTable(*regionCatalog, name),
                               restrictToTable(*sourceCatalog, name), ddlOptions);
}

Result<void> RegionApplier::send(const KnownRelation &known, const ApplyStatement &statement,
                                 Pending pending, Batch &batch)
{
    if (!m_pipeline) {
        if (PQenterPipelineMode(m_conn) != 1)
            return fail(ErrorCode::Database, db::safeLibpqMessage(PQerrorMessage(m_conn)));
        m_pipeline = true;
    }
    const std::string key = std::to_string(known.generation) + '|' + statement.shape;
    auto it = m_prepared.find(key);
    if (it == m_prepared.end()) {
        const std::string name = "envsync_apply_" + std::to_string(m_prepared.size() + 1);
        if (PQsendPrepare(m_conn, name.c_str(), statement.sql.c_str(),
                          static_cast<int>(statement.params.size()), nullptr)
            != 1)
            return fail(ErrorCode::Database,
                        known.relation.display()
                                + ": prepare: " + db::safeLibpqMessage(PQerrorMessage(m_conn)));
        m_pending.push_back({Check::Prepared, &known, {}, 0});
        it = m_prepared.emplace(key, name).first;
    }
    std::vector<const char *> values;
    values.reserve(statement.params.size());
    for (const std::string *param : statement.params) {
        values.push_back(param ? param->c_str() : nullptr);
        m_pendingBytes += param ? param->size() : 0;
    }
    if (PQsendQueryPrepared(m_conn, it->second.c_str(), static_cast<int>(values.size()),
                            values.data(), nullptr, nullptr, 0)
        != 1)
        return fail(ErrorCode::Database,
                    known.relation.display() + ": " + db::safeLibpqMessage(PQerrorMessage(m_conn)));
    m_pending.push_back(pending);
    // Read results now and then: a server blocked on unread results stops reading statements.
    constexpr std::size_t maxPending = 256;
    constexpr std::size_t maxPendingBytes = 4 << 20;
    if (m_pending.size() >= maxPending || m_pendingBytes >= maxPendingBytes)
        return drain(batch);
    return {};
}

Result<void> RegionApplier::drain(Batch &batch)
{
    if (auto flushed = flushSets(batch); !flushed)
        return flushed;
    if (!m_pipeline)
        return {};
    const auto connectionError = [&] {
        return fail(ErrorCode::Database, db::safeLibpqMessage(PQerrorMessage(m_conn)));
    };
    if (PQpipelineSync(m_conn) != 1)
        return connectionError();
    std::optional<Error> first; // later statements of a failed pipeline are only "aborted"
    for (const Pending &pending : m_pending) {
        PgResult result(PQgetResult(m_conn));
        if (!result)
            return first ? std::unexpected(*first) : connectionError();
        const auto status = PQresultStatus(result.get());
        if (status == PGRES_PIPELINE_ABORTED) {
            // an earlier statement failed
        } else if (!succeeded(result.get())) {
            if (!first)
                first = fail(ErrorCode::Database, pending.known->relation.display() + ": "
                                                          + resultError(m_conn, result.get()))
                                .error();
        } else if (!first) {
            if (auto read = readResult(pending, result.get(), batch); !read)
                first = read.error();
        }
        while (PgResult rest{PQgetResult(m_conn)}) // up to the end of this statement's results
            ;
    }
    PgResult sync(PQgetResult(m_conn));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
        return first ? std::unexpected(*first) : connectionError();
    m_pending.clear();
    m_pendingBytes = 0;
    if (PQexitPipelineMode(m_conn) != 1)
        return connectionError();
    m_pipeline = false;
    if (first)
        return std::unexpected(*first);
    return {};
}

Result<void> RegionApplier::readResult(const Pending &pending, const pg_result *result,
                                       Batch &batch)
{
    const Relation &relation = pending.known->relation;
    switch (pending.check) {
    case Check::Prepared:
        return {};
    case Check::Insert:
        if (PQntuples(result) == 1 && std::strcmp(PQgetvalue(result, 0, 0), "t") == 0)
            return {};
        return conflict(relation, "insert_exists", "insert conflicts with an existing row", batch);
    case Check::Update:
        if (affectedRows(result) > 0)
            return {};
        return conflict(relation, "update_missing", "update finds no row", batch);
    case Check::Upsert: // `t`: the row was missing and is inserted
        if (PQntuples(result) == 1 && std::strcmp(PQgetvalue(result, 0, 0), "t") == 0)
            return conflict(relation, "update_missing", "update finds no row", batch);
        return {};
    case Check::UpdateOrInsert: // a row back: the update missed and the insert re-created it
        if (PQntuples(result) == 0)
            return {};
        return conflict(relation, "update_missing", "update finds no row", batch);
    case Check::Delete:
        if (affectedRows(result) > 0)
            return {};
        return conflict(relation, "delete_missing", "delete finds no row", batch);
    case Check::Set:
        return readSetResult(pending, result, batch);
    }
    return {};
}

Result<void> RegionApplier::readSetResult(const Pending &pending, const pg_result *result,
                                          Batch &batch)
{
    const Relation &relation = pending.known->relation;
    std::int64_t inserted = 0; // `t` rows: rows the INSERT did not find
    for (int row = 0; row < PQntuples(result); ++row)
        inserted += std::strcmp(PQgetvalue(result, row, 0), "t") == 0 ? 1 : 0;
    // A set never holds a key twice, so each change met at most one row.
    switch (pending.setKind) {
    case SetKind::Insert:
        return conflict(relation, "insert_exists", "insert conflicts with an existing row", batch,
                        pending.rows - inserted);
    case SetKind::Upsert:
        return conflict(relation, "update_missing", "update finds no row", batch, inserted);
    case SetKind::Update:
        return conflict(relation, "update_missing", "update finds no row", batch,
                        pending.rows - affectedRows(result));
    case SetKind::Delete:
        return conflict(relation, "delete_missing", "delete finds no row", batch,
                        pending.rows - affectedRows(result));
    }
    return {};
}

Result<void> RegionApplier::conflict(const Relation &relation, const char *kind, const char *what,
                                     Batch &batch, std::int64_t count)
{
    if (count <= 0)
        return {};
    if (m_options.policy == ConflictPolicy::Stop)
        return fail(ErrorCode::Database, relation.display() + ": " + what + " (conflicts: stop)",
                    who());
    batch.conflicts[{relation.display(), kind}] += count;
    return {};
}

Result<void> RegionApplier::applyChange(const RowChange &change, Batch &batch)
{
    if (change.kind == ChangeKind::Truncate)
        return applyTruncate(change, batch);
    const KnownRelation &known = m_relations.at(change.relationId); // ensureParity checked
    const Relation &relation = known.relation;
    if (skipped(relation))
        return {};
    ++batch.changes;
    std::optional<SetShape> shape;
    if (known.baseTypes.size() == relation.columns.size())
        shape = setShape(relation, change, m_options.policy);
    // An UPDATE … FROM a set changes the rows in the join's order, not the source's, and a
    // unique index besides the key's is checked row by row: such a table's updates stay per row.
    // (INSERT … SELECT FROM unnest keeps the order; deletes cannot collide.)
    if (shape && shape->kind == SetKind::Update && known.uniqueIndexes > 1)
        shape.reset();
    if (!shape) {
        if (auto flushed = flushTable(known, batch); !flushed) // they come before this change
            return flushed;
        return applyRow(known, change, batch);
    }
    std::string key = setKey(relation, change);
    const auto findTable = [&] {
        return std::ranges::find(m_sets, &known, &PendingTable::known);
    };
    auto table = findTable();
    if (table != m_sets.end()) {
        // A key the table holds: a later change of a row must see the earlier one. Another
        // shape of a table with a unique index besides its key: across keys the order matters
        // there (checked row by row). A full set: its arrays stay a few MB at most.
        constexpr std::size_t maxSetRows = 1000;
        const auto set = std::ranges::find(table->sets, *shape, &PendingSet::shape);
        const bool full = set != table->sets.end() && set->changes.size() >= maxSetRows;
        const bool reordered = set == table->sets.end() && known.uniqueIndexes > 1;
        if (full || reordered || table->keys.contains(key)) {
            if (auto flushed = flushTable(known, batch); !flushed)
                return flushed;
            table = findTable(); // gone (and a drain may have sent the other tables too)
        }
    }
    if (table == m_sets.end()) {
        m_sets.push_back({&known, {}, {}});
        table = std::prev(m_sets.end());
    }
    auto set = std::ranges::find(table->sets, *shape, &PendingSet::shape);
    if (set == table->sets.end()) {
        table->sets.push_back({std::move(*shape), {}});
        set = std::prev(table->sets.end());
    }
    set->changes.push_back(&change);
    table->keys.insert(std::move(key));
    return {};
}

Result<void> RegionApplier::flushSets(Batch &batch)
{
    // send() may drain(), which comes back here: what is taken out is sent once.
    const std::vector<PendingTable> tables = std::exchange(m_sets, {});
    for (const PendingTable &table : tables) {
        for (const PendingSet &set : table.sets) {
            if (auto sent = sendSet(*table.known, set, batch); !sent)
                return sent;
        }
    }
    return {};
}

Result<void> RegionApplier::flushTable(const KnownRelation &known, Batch &batch)
{
    auto it = std::ranges::find(m_sets, &known, &PendingTable::known);
    if (it == m_sets.end())
        return {};
    const PendingTable table = std::move(*it);
    m_sets.erase(it);
    for (const PendingSet &set : table.sets) {
        if (auto sent = sendSet(known, set, batch); !sent)
            return sent;
    }
    return {};
}

Result<void> RegionApplier::sendSet(const KnownRelation &known, const PendingSet &set, Batch &batch)
{
    if (set.changes.size() < std::max<std::size_t>(m_options.minSetChanges, 2)) {
        for (const RowChange *change : set.changes) {
            if (auto applied = applyRow(known, *change, batch); !applied)
                return applied;
        }
        return {};
    }
    auto statement = setStatement(known.relation, set.shape, set.changes, known.baseTypes,
                                  m_options.policy);
    if (!statement)
        return std::unexpected(statement.error());
    return send(known, statement->statement,
                {Check::Set, &known, set.shape.kind, static_cast<std::int64_t>(set.changes.size())},
                batch);
}

Result<void> RegionApplier::applyRow(const KnownRelation &known, const RowChange &change,
                                     Batch &batch)
{
    const Relation &relation = known.relation;
    Result<ApplyStatement> statement;
    Check check = Check::Insert;
    switch (change.kind) {
    case ChangeKind::Insert:
        statement = insertStatement(relation, change.newTuple, m_options.policy);
        break;
    case ChangeKind::Update:
        // The source's row wins: a missing row is re-created, unless TOAST placeholders hide
        // some of it.
        if (m_options.policy == ConflictPolicy::SourceWins && isComplete(change.newTuple)
            && !change.oldTuple) {
            // The key did not change: an upsert by it is that update, and cheaper on the server
            // than the CTE below (bench_cdc.sh).
            statement = upsertStatement(relation, change);
            check = Check::Upsert;
        } else if (m_options.policy == ConflictPolicy::SourceWins && isComplete(change.newTuple)) {
            statement = updateOrInsertStatement(relation, change, known.regionTypes);
            check = Check::UpdateOrInsert;
        } else {
            statement = updateStatement(relation, change);
            check = Check::Update;
        }
        break;
    case ChangeKind::Delete:
        statement = deleteStatement(relation, change);
        check = Check::Delete;
        break;
    case ChangeKind::Truncate:
        return {};
    }
    if (!statement)
        return std::unexpected(statement.error());
    return send(known, *statement, {check, &known, {}, 1}, batch);
}

Result<void> RegionApplier::applyTruncate(const RowChange &change, Batch &batch)
{
    std::vector<const Relation *> tables;
    std::vector<std::uint32_t> ids = change.truncated;
    if (ids.empty())
        ids.push_back(change.relationId);
    for (const std::uint32_t id : ids) {
        auto it = m_relations.find(id);
        if (it == m_relations.end())
            return fail(ErrorCode::Internal, "a truncate of relation " + std::to_string(id)
                                                     + " came before its relation entry");
        if (!skipped(it->second.relation))
            tables.push_back(&it->second.relation);
    }
    if (tables.empty())
        return {};
    ++batch.changes;
    if (auto drained = drain(batch); !drained)
        return drained;
    if (auto ran = exec(m_conn, truncateSql(tables, change.truncateRestartIdentity), "truncate");
        !ran)
        return fail(ErrorCode::Database, tables.front()->display() + ": " + ran.error().message,
                    who());
    return {};
}

Result<void> RegionApplier::applySequences(const std::vector<SequenceValue> &sequences,
                                           Batch &batch)
{
    if (sequences.empty())
        return {};
    if (auto drained = drain(batch); !drained)
        return drained;
    if (auto started = begin(batch); !started)
        return started;
    std::vector<std::string> skipTables(m_options.skipTables.begin(), m_options.skipTables.end());
    const std::string skipArray = db::textArray(skipTables);
    // Only forward (a squad's own nextval may be ahead), and never a preserved table's sequence.
    static const std::string sql
            = "SELECT setval(c.oid, $3::bigint) FROM pg_class c"
              " JOIN pg_namespace n ON n.oid = c.relnamespace"
              " JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname"
              " WHERE c.relkind = 'S' AND n.nspname = $1 AND c.relname = $2"
              " AND (s.last_value IS NULL OR s.last_value < $3::bigint)"
              " AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid"
              "   JOIN pg_namespace tn ON tn.oid = t.relnamespace"
              "   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
              "   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
              "   AND tn.nspname || '.' || t.relname = ANY($4::text[]))";
    for (const SequenceValue &sequence : sequences) {
        const std::string value = std::to_string(sequence.lastValue);
        if (auto ran
            = execParams(m_conn, sql, {&sequence.schema, &sequence.name, &value, &skipArray},
                         sequence.schema + '.' + sequence.name + ": set the sequence");
            !ran)
            return std::unexpected(ran.error());
    }
    return {};
}

Result<void> RegionApplier::begin(Batch &batch)
{
    if (batch.open)
        return {};
    if (auto ran = exec(m_conn, "BEGIN", "begin"); !ran)
        return std::unexpected(ran.error());
    batch.open = true;
    return {};
}

Result<void> RegionApplier::commit(Batch &batch, ApplyStats &stats)
{
    if (!batch.open)
        return {};
    if (auto drained = drain(batch); !drained)
        return drained;
    if (batch.moved) {
        const std::string lsn = formatLsn(batch.appliedLsn);
        const std::string time = std::to_string(batch.commitTimeMicros);
        auto updated = execParams(
                m_conn,
                "UPDATE _envsync.cdc_applied SET applied_lsn = $1::pg_lsn, commit_time = CASE"
                " WHEN $2::bigint = 0 THEN commit_time"
                " ELSE 'epoch'::timestamptz + $2::bigint * interval '1 microsecond' END,"
                " origin = 'stream', applied_at = now()",
                {&lsn, &time}, "move the CDC position");
        if (!updated)
            return std::unexpected(updated.error());
        if (affectedRows(updated->get()) != 1)
            return fail(ErrorCode::Database, "the CDC position row is gone", who());
    }
    for (const auto &[key, count] : batch.conflicts) {
        const std::string number = std::to_string(count);
        auto counted = execParams(
                m_conn,
                "INSERT INTO _envsync.cdc_conflicts (table_name, kind, count) VALUES ($1, $2,"
                " $3::bigint) ON CONFLICT (table_name, kind) DO UPDATE"
                " SET count = _envsync.cdc_conflicts.count + EXCLUDED.count, last_at = now()",
                {&key.first, &key.second, &number}, "count conflicts");
        if (!counted)
            return std::unexpected(counted.error());
    }
    refresh::faultPoint("cdc.apply.before-commit");
    if (auto ran = exec(m_conn, "COMMIT", "commit"); !ran)
        return std::unexpected(ran.error());
    refresh::faultPoint("cdc.apply.committed");
    batch.open = false;
    if (batch.moved) {
        m_cursor->appliedLsn = batch.appliedLsn;
        if (batch.commitTimeMicros != 0)
            m_cursor->commitTimeMicros = batch.commitTimeMicros;
        m_cursor->origin = "stream";
        if (batch.commitTimeMicros != 0)
            stats.lastCommitTimeMicros = batch.commitTimeMicros;
    }
    stats.transactions += batch.transactions;
    stats.changes += batch.changes;
    for (const auto &[key, count] : batch.conflicts)
        stats.conflicts[key] += count;
    batch.moved = false;
    batch.transactions = 0;
    batch.changes = 0;
    batch.conflicts.clear();
    return {};
}

} // namespace envsync::cdc
