#include "core/copy/copyengine.h"

#include "core/copy/copyplan.h"
#include "core/copy/leaksampler.h"
#include "core/copy/postdata.h"
#include "core/copy/postdataplan.h"
#include "core/copy/postdatascheduler.h"
#include "core/copy/rowdigest.h"
#include "core/db/cancelguard.h"
#include "core/db/connection.h"
#include "core/db/dsn.h"
#include "core/db/servererror.h"
#include "core/db/sqlquote.h"
#include "core/masking/maskplan.h"
#include "core/util/process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace envsync::copy {

namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------------
// libpq helpers

struct ConnDeleter
{
    void operator()(PGconn *conn) const { PQfinish(conn); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;

struct ResultDeleter
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string connError(PGconn *conn)
{
    return db::safeLibpqMessage(PQerrorMessage(conn));
}

/// Connection string with EnvSync's application_name and no statement timeout (copies are long).
Result<std::string> connectionString(const std::string &dsn, const std::string &role)
{
    db::ConnectOptions options;
    options.statementTimeout = std::chrono::seconds(0);
    options.applicationName = "envsync copy " + role;
    return db::effectiveConnectionString(dsn, options);
}

Result<Conn> open(const std::string &dsn, const std::string &role)
{
    auto text = connectionString(dsn, role);
    if (!text)
        return std::unexpected(withContext(text.error(), role));
    Conn conn(PQconnectdb(text->c_str()));
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        return fail(ErrorCode::Unreachable, conn ? connError(conn.get()) : "out of memory",
                    role + ": connect");
    return conn;
}

/// Only the primary message, SQLSTATE and object: DETAIL and CONTEXT lines of a failed COPY
/// carry row values.
std::string resultError(PGconn *conn, PGresult *result)
{
    const db::ServerErrorFacts facts = db::factsFromResult(result);
    return facts.primary.empty() ? connError(conn) : db::describeServerError(facts);
}

/// Runs SQL (possibly several statements); returns the last result's rows.
Result<PgResult> exec(PGconn *conn, const std::string &sql, const std::string &context)
{
    PgResult result(PQexec(conn, sql.c_str()));
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return fail(ErrorCode::Database, resultError(conn, result.get()), context);
    return result;
}

Result<PgResult> execParams(PGconn *conn, const std::string &sql,
                            const std::vector<std::string> &params, const std::string &context)
{
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const auto &param : params)
        values.push_back(param.c_str());
    PgResult result(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0));
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return fail(ErrorCode::Database, resultError(conn, result.get()), context);
    return result;
}

std::string value(const PgResult &result, int row, int column)
{
    return PQgetisnull(result.get(), row, column) ? std::string()
                                                  : std::string(PQgetvalue(result.get(), row, column));
}

/// A snapshot exported at a temporary logical slot's consistent point. The replication
/// connection holds the exporting transaction: keep it open until the snapshot is imported.
struct SlotSnapshot
{
    Conn holder;
    std::string snapshotId;
    std::string consistentPoint;
};

/// On a `replication=database` connection: BEGIN REPEATABLE READ, CREATE_REPLICATION_SLOT …
/// TEMPORARY LOGICAL pgoutput (SNAPSHOT 'use') (the transaction's snapshot is then the slot's
/// consistent one), pg_export_snapshot(). The temporary slot goes when the connection closes.
Result<SlotSnapshot> exportAtSlotPoint(const std::string &dsn,
                                       const std::shared_ptr<job::CancelToken> &cancel)
{
    auto parsed = db::Dsn::parse(dsn);
    if (!parsed)
        return std::unexpected(withContext(parsed.error(), "source"));
    auto text = connectionString(parsed->with("replication", "database").toConnectionString(),
                                 "source");
    if (!text)
        return std::unexpected(withContext(text.error(), "source"));
    Conn conn(PQconnectdb(text->c_str()));
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        return fail(ErrorCode::Unreachable, conn ? connError(conn.get()) : "out of memory",
                    "source: replication connect");
    static std::atomic<int> counter{0};
    const std::string slot = "envsync_snap_" + std::to_string(::getpid()) + '_'
                             + std::to_string(counter.fetch_add(1));
    if (auto begun
        = exec(conn.get(), "BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ", "source: begin");
        !begun)
        return std::unexpected(begun.error());
    // Creating the slot waits for the transactions running on the source to end.
    const db::CancelGuard guard(conn.get(), cancel);
    auto created = exec(conn.get(),
                        "CREATE_REPLICATION_SLOT " + db::quoteIdentifier(slot)
                                + " TEMPORARY LOGICAL pgoutput (SNAPSHOT 'use')",
                        "source: create temporary replication slot");
    if (!created)
        return std::unexpected(db::cancelledOr(created.error(), cancel));
    SlotSnapshot snapshot;
    snapshot.consistentPoint = value(*created, 0, 1);
    auto exported = exec(conn.get(), "SELECT pg_export_snapshot()", "source: export snapshot");
    if (!exported)
        return std::unexpected(exported.error());
    snapshot.snapshotId = value(*exported, 0, 0);
    snapshot.holder = std::move(conn);
    return snapshot;
}

// ---------------------------------------------------------------------------------------------
// Cancellation: every busy connection is registered so a watcher can PQcancel it.

class CancelRegistry
{
public:
    void add(PGconn *conn)
    {
        std::lock_guard lock(m_mutex);
        m_cancels[conn] = PQgetCancel(conn);
    }
    void remove(PGconn *conn)
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cancels.find(conn); it != m_cancels.end()) {
            PQfreeCancel(it->second);
            m_cancels.erase(it);
        }
    }
    void cancelAll()
    {
        std::lock_guard lock(m_mutex);
        for (auto &[conn, cancel] : m_cancels) {
            char message[256];
            if (cancel)
                PQcancel(cancel, message, sizeof message);
        }
    }

private:
    std::mutex m_mutex;
    std::map<PGconn *, PGcancel *> m_cancels;
};

/// Registers a connection for the lifetime of a scope.
class CancelScope
{
public:
    CancelScope(CancelRegistry &registry, PGconn *conn)
        : m_registry(registry), m_conn(conn)
    {
        m_registry.add(conn);
    }
    ~CancelScope() { m_registry.remove(m_conn); }
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;

private:
    CancelRegistry &m_registry;
    PGconn *m_conn;
};

// ---------------------------------------------------------------------------------------------
// The plan of work

struct TableInfo
{
    int index = 0; ///< position in the table list (PostDataPlan is indexed the same way)
    std::string schema;
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::string> selectExpressions; ///< quoted column, or NULL for null columns
    std::int64_t estimatedRows = 0;
    std::int64_t blocks = 0;
    std::shared_ptr<const masking::TableMasker> masker;
    bool binary = false;
    // live counters
    std::atomic<std::int64_t> rows{0};
    std::atomic<std::int64_t> bytes{0};
    std::atomic<int> pendingRanges{0};
    std::atomic<std::int64_t> copiedRows{0}; ///< what the target's COPY reported
    // steady-clock ticks of the first range's start and the last range's end (0: not yet),
    // for the per-table rate and ETA in job::Progress::tables
    std::atomic<Clock::rep> startedTicks{0};
    std::atomic<Clock::rep> finishedTicks{0};
    int ranges = 1;
    // facts for verify, merged from every range under factsMutex
    std::optional<std::size_t> sampleKeyColumn; ///< position of the primary key, when unmasked
    std::vector<std::size_t> maskedPositions;
    std::mutex factsMutex;
    RowDigest digest{false};
    std::vector<std::vector<SampledValue>> samples;

    void addFacts(const RowDigest &rangeDigest, std::vector<std::vector<SampledValue>> rangeSamples,
                  std::size_t sampleSize)
    {
        std::lock_guard lock(factsMutex);
        digest.merge(rangeDigest);
        mergeSamples(samples, std::move(rangeSamples), sampleSize);
    }

    void markStarted()
    {
        Clock::rep expected = 0;
        startedTicks.compare_exchange_strong(expected, Clock::now().time_since_epoch().count());
    }

    [[nodiscard]] std::string qualified() const { return db::qualifiedName(schema, name); }
    [[nodiscard]] std::string display() const { return schema + '.' + name; }
};

struct WorkItem
{
    TableInfo *table = nullptr;
    std::string where; ///< empty: the whole table
    std::int64_t weight = 0; ///< heap blocks: the work list is ordered by it, biggest first
};

struct Shared
{
    const CopyRequest *request = nullptr;
    std::string exportedSnapshotId;
    CancelRegistry registry;
    std::atomic<bool> stop{false}; ///< cancel or a failure elsewhere
    std::mutex errorMutex;
    std::optional<Error> firstError;
    std::atomic<std::int64_t> rowsDone{0};
    std::atomic<std::int64_t> bytesDone{0};
    std::atomic<int> tablesDone{0};
    std::mutex currentMutex;
    std::string currentTable;
    Clock::time_point dataStarted;

    [[nodiscard]] bool cancelled() const
    {
        return request->cancel && request->cancel->isCancelled();
    }
    [[nodiscard]] bool shouldStop() const { return stop.load() || cancelled(); }
    void recordError(Error error)
    {
        std::lock_guard lock(errorMutex);
        if (!firstError)
            firstError = std::move(error);
        stop = true;
    }
    void setCurrent(const std::string &table)
    {
        std::lock_guard lock(currentMutex);
        currentTable = table;
    }
    std::string current()
    {
        std::lock_guard lock(currentMutex);
        return currentTable;
    }
};

int defaultJobs()
{
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 2 : static_cast<int>(cores);
}

// ---------------------------------------------------------------------------------------------
// Schema through pg_dump

Result<std::string> dumpSection(const CopyRequest &request, const std::string &exportedSnapshotId,
                                const std::string &section)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(ErrorCode::Io, "cannot create a temporary directory", "pg_dump");
    const std::string file = dir.filePath(QStringLiteral("section.sql")).toStdString();
    auto conninfo = connectionString(request.sourceDsn, "pg_dump");
    if (!conninfo)
        return std::unexpected(conninfo.error());
    std::vector<std::string> args = {"--schema-only", "--section=" + section, "--no-owner",
                                     "--no-privileges", "--no-publications",
                                     "--no-subscriptions", "--no-security-labels",
                                     "--snapshot=" + exportedSnapshotId,
                                     "-f", file, "-d", *conninfo};
    auto run = util::runProcess(pgProgram("pg_dump"), args, false, std::chrono::hours(1),
                                request.cancel);
    if (!run)
        return std::unexpected(withContext(run.error(), "pg_dump " + section));
    if (run->exitCode != 0)
        return fail(ErrorCode::Database, oneLine(run->output),
                    "pg_dump --section=" + section);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// ---------------------------------------------------------------------------------------------
// Data

/// What the copy plan needs of the source's catalog, read inside the exporting transaction (so
/// it matches the snapshot), and each table's masker (nullptr: copied as is), index for index.
struct SourceCatalog
{
    std::vector<CatalogTable> tables;
    std::vector<std::shared_ptr<const masking::TableMasker>> maskers;
};

Result<SourceCatalog> readCatalog(PGconn *conn, const CopyRequest &request)
{
    const std::string sql
            = "SELECT n.nspname, c.relname, c.oid, greatest(c.reltuples, 0)::bigint,"
              " (pg_relation_size(c.oid) / current_setting('block_size')::bigint)::bigint,"
              " (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
              "   AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid AND i.indisprimary"
              "   AND i.indnkeyatts = 1)"
              " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              " WHERE c.relkind = 'r' AND c.relpersistence <> 't'"
              "   AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
              "   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
              "   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
              "                   AND d.objid = c.oid AND d.deptype = 'e')"
              " ORDER BY 1, 2";
    auto tables = exec(conn, sql, "source: list tables");
    if (!tables)
        return std::unexpected(tables.error());
    const std::string columnsSql =
            "SELECT a.attname,"
            " (t.oid < 16384 AND (t.typelem = 0 OR t.typelem < 16384))"
            "   OR (t.typtype = 'e')"
            " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
            " WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped"
            "   AND a.attgenerated = '' ORDER BY a.attnum";
    SourceCatalog out;
    for (int row = 0; row < PQntuples(tables->get()); ++row) {
        CatalogTable table;
        table.schema = value(*tables, row, 0);
        table.name = value(*tables, row, 1);
        table.estimatedRows = std::stoll(value(*tables, row, 3));
        table.blocks = std::stoll(value(*tables, row, 4));
        table.primaryKey = value(*tables, row, 5);
        auto columns = execParams(conn, columnsSql, {value(*tables, row, 2)},
                                  "source: columns of " + table.schema + '.' + table.name);
        if (!columns)
            return std::unexpected(columns.error());
        std::vector<std::string> names;
        for (int c = 0; c < PQntuples(columns->get()); ++c) {
            table.columns.push_back({value(*columns, c, 0), value(*columns, c, 1) == "t"});
            names.push_back(table.columns.back().name);
        }
        std::shared_ptr<const masking::TableMasker> masker;
        if (request.plan)
            masker = request.plan->forTable(table.schema, table.name, names);
        table.masked = masker != nullptr;
        out.tables.push_back(std::move(table));
        out.maskers.push_back(std::move(masker));
    }
    return out;
}

/// Positions of the masked columns (sampled for verify's leak check) and of the primary key
/// each sampled value is paired with (not when the key is masked itself: golden's differs).
void locateSampledColumns(TableInfo &info, const std::string &primaryKey)
{
    const std::vector<std::string> masked = info.masker->maskedColumns();
    for (std::size_t i = 0; i < info.columns.size(); ++i) {
        if (std::ranges::find(masked, info.columns[i]) != masked.end())
            info.maskedPositions.push_back(i);
        else if (!primaryKey.empty() && info.columns[i] == primaryKey)
            info.sampleKeyColumn = i;
    }
}

/// The engine's live state of each planned table and the work list pointing at it.
void adoptPlan(const CopyPlan &plan, SourceCatalog &catalog,
               std::vector<std::unique_ptr<TableInfo>> &tables, std::vector<WorkItem> &items)
{
    for (const PlannedTable &planned : plan.tables) {
        auto info = std::make_unique<TableInfo>();
        info->index = static_cast<int>(tables.size());
        info->schema = planned.schema;
        info->name = planned.name;
        info->columns = planned.columns;
        info->selectExpressions = planned.selectExpressions;
        info->estimatedRows = planned.estimatedRows;
        info->blocks = planned.blocks;
        info->masker = std::move(catalog.maskers[planned.catalogIndex]);
        info->binary = planned.binary;
        info->ranges = planned.ranges;
        info->pendingRanges = planned.ranges;
        info->digest = RowDigest(planned.binary);
        if (info->masker)
            locateSampledColumns(*info, catalog.tables[planned.catalogIndex].primaryKey);
        tables.push_back(std::move(info));
    }
    for (const PlannedItem &item : plan.items)
        items.push_back({tables[item.table].get(), item.where(), item.weight});
}

/// Comments come with the pre-data schema verbatim; one on a masked column or on its table may
/// quote the very data masked away ("e.g. alice@corp.example"), so both are dropped, on the
/// partitioned parents of a masked partition too. Names are bound as JSON, never spliced.
Result<void> clearMaskedComments(PGconn *target,
                                 const std::vector<std::unique_ptr<TableInfo>> &tables)
{
    QJsonArray masked;
    for (const auto &table : tables) {
        if (!table->masker)
            continue;
        for (const auto &column : table->masker->maskedColumns())
            masked.append(QJsonArray{QString::fromStdString(table->schema),
                                     QString::fromStdString(table->name),
                                     QString::fromStdString(column)});
    }
    if (masked.isEmpty())
        return {};
    static const std::string sql
            = "WITH m AS (SELECT e->>0 AS s, e->>1 AS t, e->>2 AS col"
              "            FROM json_array_elements($1::json) AS e),"
              " rel AS (SELECT DISTINCT a.relid, m.col FROM m"
              "         JOIN pg_namespace n ON n.nspname = m.s"
              "         JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = m.t"
              "         CROSS JOIN LATERAL (SELECT c.oid AS relid UNION"
              "                             SELECT relid FROM pg_partition_ancestors(c.oid)) AS a)"
              " SELECT format('COMMENT ON COLUMN %s.%I IS NULL', r.relid::regclass, r.col)"
              " FROM rel r JOIN pg_attribute at ON at.attrelid = r.relid AND at.attname = r.col"
              " JOIN pg_description d ON d.objoid = r.relid"
              "  AND d.classoid = 'pg_class'::regclass AND d.objsubid = at.attnum"
              " UNION"
              " SELECT format('COMMENT ON TABLE %s IS NULL', r.relid::regclass)"
              " FROM (SELECT DISTINCT relid FROM rel) r JOIN pg_description d"
              "  ON d.objoid = r.relid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0";
    const std::string json = QJsonDocument(masked).toJson(QJsonDocument::Compact).toStdString();
    auto statements = execParams(target, sql, {json}, "target: comments of masked columns");
    if (!statements)
        return std::unexpected(statements.error());
    for (int row = 0; row < PQntuples(statements->get()); ++row) {
        if (auto done = exec(target, value(*statements, row, 0), "target: drop a comment"); !done)
            return std::unexpected(done.error());
    }
    return {};
}

/// A global rows/s budget shared by the workers (the source must not be saturated).
class Throttle
{
public:
    explicit Throttle(std::int64_t rowsPerSecond)
        : m_rate(rowsPerSecond), m_start(Clock::now())
    {}
    /// Sleeps until `rowsSoFar` rows are allowed; false when the copy should stop meanwhile.
    bool wait(std::int64_t rowsSoFar, const Shared &shared) const
    {
        if (m_rate <= 0)
            return true;
        for (;;) {
            const double allowed = std::chrono::duration<double>(Clock::now() - m_start).count()
                    * static_cast<double>(m_rate);
            if (static_cast<double>(rowsSoFar) <= allowed)
                return true;
            if (shared.shouldStop())
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

private:
    std::int64_t m_rate;
    Clock::time_point m_start;
};

/// Ends a COPY TO STDOUT early: asks the server to cancel it, then discards what is still in
/// flight. PQgetResult alone would loop forever here, since it keeps reporting PGRES_COPY_OUT
/// until the stream has been read to its end.
void abandonCopyOut(PGconn *source)
{
    if (PGcancel *cancel = PQgetCancel(source)) {
        char message[256];
        PQcancel(cancel, message, sizeof message);
        PQfreeCancel(cancel);
    }
    for (;;) {
        char *buffer = nullptr;
        const int length = PQgetCopyData(source, &buffer, 0);
        if (buffer)
            PQfreemem(buffer);
        if (length < 0)
            break;
    }
    while (PgResult(PQgetResult(source))) {}
}

/// The WITH clause of a COPY: " WITH (FORMAT binary, FREEZE)", a part of it, or nothing.
std::string copyOptions(bool binary, bool freeze)
{
    if (!binary && !freeze)
        return {};
    std::string options = binary ? "FORMAT binary" : "";
    if (freeze)
        options += binary ? ", FREEZE" : "FREEZE";
    return " WITH (" + options + ")";
}

/// The source side: a plain `COPY table (columns) TO` (no executor, no projection) for a whole
/// table copied as is; a query with the range condition or the NULLed columns otherwise.
std::string copyOutStatement(const TableInfo &table, const WorkItem &item, const std::string &columnList)
{
    const std::string format = copyOptions(table.binary, false);
    const bool plain = item.where.empty() && !table.columns.empty()
            && std::ranges::none_of(table.selectExpressions,
                                    [](const std::string &e) { return e == "NULL"; });
    if (plain)
        return "COPY " + table.qualified() + columnList + " TO STDOUT" + format;
    std::string selects;
    for (const auto &expression : table.selectExpressions) {
        if (!selects.empty())
            selects += ", ";
        selects += expression;
    }
    std::string query = "SELECT " + selects + " FROM ONLY " + table.qualified();
    if (!item.where.empty())
        query += " WHERE " + item.where;
    return "COPY (" + query + ") TO STDOUT" + format;
}

/// Opens the target side. A whole table is emptied in the COPY's own transaction (it is empty
/// already) so that `FREEZE` applies: rows arrive frozen and all-visible, so the index builds
/// and VACUUM after it never rewrite the pages to set hint bits. The caller commits.
Result<void> beginCopyIn(PGconn *target, const TableInfo &table, bool wholeTable,
                         const std::string &columnList, const std::string &context)
{
    if (wholeTable) {
        if (auto begun = exec(target, "BEGIN; TRUNCATE ONLY " + table.qualified(), context + ": TRUNCATE");
            !begun)
            return std::unexpected(begun.error());
    }
    const std::string copyIn = "COPY " + table.qualified() + columnList + " FROM STDIN"
            + copyOptions(table.binary, wholeTable);
    PgResult in(PQexec(target, copyIn.c_str()));
    if (!in || PQresultStatus(in.get()) != PGRES_COPY_IN)
        return fail(ErrorCode::Database, resultError(target, in.get()), context + ": COPY FROM");
    return {};
}

Result<std::int64_t> copyItem(PGconn *source, PGconn *target, const WorkItem &item,
                              Shared &shared, const Throttle &throttle)
{
    TableInfo &table = *item.table;
    std::string columns;
    for (const auto &column : table.columns) {
        if (!columns.empty())
            columns += ", ";
        columns += db::quoteIdentifier(column);
    }
    // no column list for a table without (non-generated) columns: "()" is not valid SQL
    const std::string columnList = columns.empty() ? "" : " (" + columns + ")";
    const bool wholeTable = item.where.empty();
    const std::string copyOut = copyOutStatement(table, item, columnList);
    const std::string context = "table " + table.display();
    shared.setCurrent(table.display());
    table.markStarted();

    // on any failure below the worker stops and closes the target connection, which rolls
    // back the open transaction of a whole table
    if (auto in = beginCopyIn(target, table, wholeTable, columnList, context); !in)
        return std::unexpected(in.error());
    PgResult out(PQexec(source, copyOut.c_str()));
    if (!out || PQresultStatus(out.get()) != PGRES_COPY_OUT) {
        const std::string message = resultError(source, out.get());
        PQputCopyEnd(target, "source failed");
        while (PgResult(PQgetResult(target))) {}
        return fail(ErrorCode::Database, message, context + ": COPY TO");
    }

    // what verify later recomputes on golden, taken over the rows exactly as sent (a masked
    // table's are read back once it is complete: see digestStoredRows)
    RowDigest digest(table.binary);
    std::optional<LeakSampler> sampler;
    const CopyRequest &request = *shared.request;
    if (table.masker && request.sampleKey && !table.maskedPositions.empty())
        sampler.emplace(*request.sampleKey, table.maskedPositions, table.sampleKeyColumn,
                        request.sampleSize, std::hash<std::string>{}(item.where) ^ table.index);
    std::string row;
    std::int64_t messages = 0;
    bool aborted = false;
    for (;;) {
        char *buffer = nullptr;
        const int length = PQgetCopyData(source, &buffer, 0);
        if (length == -1)
            break;
        if (length < 0) {
            aborted = true;
            break;
        }
        int sent = 0;
        if (table.masker) {
            row.assign(buffer, static_cast<std::size_t>(length));
            if (!row.empty() && row.back() == '\n')
                row.pop_back();
            if (sampler)
                sampler->offer(row);
            table.masker->maskRow(row);
            row += '\n';
            sent = PQputCopyData(target, row.data(), static_cast<int>(row.size()));
        } else {
            digest.addMessage(std::string_view(buffer, static_cast<std::size_t>(length)));
            sent = PQputCopyData(target, buffer, length);
        }
        PQfreemem(buffer);
        if (sent != 1) {
            aborted = true;
            break;
        }
        ++messages;
        table.bytes.fetch_add(length, std::memory_order_relaxed);
        shared.bytesDone.fetch_add(length, std::memory_order_relaxed);
        // binary: the header travels with the first row and the trailer alone at the end, so
        // counting from the second message counts every row once
        if (!table.binary || messages > 1) {
            table.rows.fetch_add(1, std::memory_order_relaxed);
            const auto done = shared.rowsDone.fetch_add(1, std::memory_order_relaxed) + 1;
            if ((messages & 63) == 0 && !throttle.wait(done, shared)) {
                aborted = true;
                break;
            }
        }
        if (shared.shouldStop()) {
            aborted = true;
            break;
        }
    }
    if (aborted) {
        PQputCopyEnd(target, "envsync: copy aborted");
        while (PgResult(PQgetResult(target))) {}
        abandonCopyOut(source);
        if (shared.cancelled())
            return fail(ErrorCode::Cancelled, "cancelled", context);
        if (shared.stop)
            return fail(ErrorCode::Cancelled, "stopped after a failure elsewhere", context);
        return fail(ErrorCode::Database, connError(source) + " " + connError(target), context);
    }
    PgResult sourceDone(PQgetResult(source));
    if (!sourceDone || PQresultStatus(sourceDone.get()) != PGRES_COMMAND_OK) {
        const std::string message = resultError(source, sourceDone.get());
        PQputCopyEnd(target, "source failed");
        while (PgResult(PQgetResult(target))) {}
        return fail(ErrorCode::Database, message, context + ": COPY TO");
    }
    while (PgResult(PQgetResult(source))) {}
    if (PQputCopyEnd(target, nullptr) != 1)
        return fail(ErrorCode::Database, connError(target), context + ": COPY FROM");
    PgResult targetDone(PQgetResult(target));
    if (!targetDone || PQresultStatus(targetDone.get()) != PGRES_COMMAND_OK) {
        const std::string message = resultError(target, targetDone.get());
        while (PgResult(PQgetResult(target))) {}
        if (shared.cancelled())
            return fail(ErrorCode::Cancelled, "cancelled", context);
        return fail(ErrorCode::Database, message, context + ": COPY FROM");
    }
    const std::int64_t copied = std::atoll(PQcmdTuples(targetDone.get()));
    while (PgResult(PQgetResult(target))) {}
    if (wholeTable) {
        if (auto committed = exec(target, "COMMIT", context + ": COMMIT"); !committed)
            return std::unexpected(committed.error());
    }
    table.addFacts(digest, sampler ? sampler->take() : std::vector<std::vector<SampledValue>>{},
                   request.sampleSize);
    return copied;
}

/// The digest of a masked table as the target stores it, read back once all its rows are in.
/// A masker may write a value in a form the server normalizes (jsonb reorders keys and drops
/// spaces), so what was sent cannot be reproduced from golden; what the target holds can. The
/// pinned settings are SET inside a transaction that is rolled back, so they end with it.
Result<RowDigest> digestStoredRows(PGconn *target, const TableInfo &table)
{
    const std::string context = "table " + table.display() + ": digest";
    const std::string begin = std::string("BEGIN READ ONLY; ") + digestSessionSettings;
    if (auto begun = exec(target, begin, context); !begun)
        return std::unexpected(begun.error());
    std::string columns;
    for (const auto &column : table.columns)
        columns += (columns.empty() ? "" : ", ") + db::quoteIdentifier(column);
    const std::string columnList = columns.empty() ? "" : " (" + columns + ")";
    const std::string sql = "COPY " + table.qualified() + columnList + " TO STDOUT"
            + copyOptions(table.binary, false);
    RowDigest digest(table.binary);
    PgResult out(PQexec(target, sql.c_str()));
    if (!out || PQresultStatus(out.get()) != PGRES_COPY_OUT)
        return fail(ErrorCode::Database, resultError(target, out.get()), context);
    for (;;) {
        char *buffer = nullptr;
        const int length = PQgetCopyData(target, &buffer, 0);
        if (length < 0)
            break;
        digest.addMessage(std::string_view(buffer, static_cast<std::size_t>(length)));
        PQfreemem(buffer);
    }
    PgResult done(PQgetResult(target));
    const bool ok = done && PQresultStatus(done.get()) == PGRES_COMMAND_OK;
    const std::string message = ok ? std::string() : resultError(target, done.get());
    while (PgResult(PQgetResult(target))) {}
    (void)exec(target, "ROLLBACK", context);
    if (!ok)
        return fail(ErrorCode::Database, message, context);
    return digest;
}

/// One worker: its own source connection in the exported snapshot and its own target connection.
void dataWorker(Shared &shared, std::vector<WorkItem> &items, std::atomic<std::size_t> &next,
                const Throttle &throttle, PostDataScheduler &postData, int index)
{
    const CopyRequest &request = *shared.request;
    const std::string role = "worker " + std::to_string(index);
    auto source = open(request.sourceDsn, "source " + role);
    if (!source) {
        shared.recordError(source.error());
        return;
    }
    auto target = open(request.targetDsn, "target " + role);
    if (!target) {
        shared.recordError(target.error());
        return;
    }
    CancelScope sourceScope(shared.registry, source->get());
    CancelScope targetScope(shared.registry, target->get());
    // SET TRANSACTION SNAPSHOT takes no parameter: the snapshot id goes in as a literal.
    if (auto begun
        = exec(source->get(),
               "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION "
               "SNAPSHOT "
                       + db::quoteLiteral(shared.exportedSnapshotId) + "; " + digestSessionSettings,
               "source " + role + ": join snapshot");
        !begun) {
        shared.recordError(begun.error());
        return;
    }
    if (auto set = exec(target->get(), "SET synchronous_commit = off", "target " + role); !set) {
        shared.recordError(set.error());
        return;
    }
    for (;;) {
        if (shared.shouldStop())
            return;
        const std::size_t mine = next.fetch_add(1);
        if (mine >= items.size())
            break;
        auto copied = copyItem(source->get(), target->get(), items[mine], shared, throttle);
        if (!copied) {
            shared.recordError(copied.error());
            return;
        }
        items[mine].table->copiedRows.fetch_add(*copied);
        if (items[mine].table->pendingRanges.fetch_sub(1) == 1) {
            if (TableInfo &complete = *items[mine].table; complete.masker) {
                auto stored = digestStoredRows(target->get(), complete);
                if (!stored) {
                    shared.recordError(stored.error());
                    return;
                }
                std::lock_guard lock(complete.factsMutex);
                complete.digest = *stored;
            }
            items[mine].table->finishedTicks.store(Clock::now().time_since_epoch().count());
            shared.tablesDone.fetch_add(1);
            postData.tableCopied(items[mine].table->index);
        }
    }
    (void)exec(source->get(), "COMMIT", "source " + role);
}

// ---------------------------------------------------------------------------------------------
// Progress

class ProgressReporter
{
public:
    ProgressReporter(const CopyRequest &request, Shared &shared)
        : m_request(request), m_shared(shared), m_started(Clock::now())
    {}
    void setTotals(std::int64_t estimatedRows, int tables)
    {
        m_estimated = estimatedRows;
        m_tables = tables;
    }
    /// The tables whose live counters go into job::Progress::tables (they outlive the reporter's
    /// last publish: both live until copyDatabase returns).
    void setTables(const std::vector<std::unique_ptr<TableInfo>> *tables) { m_tableInfos = tables; }
    /// Counted into job::Progress::postData*; it outlives the reporter's last publish.
    void setPostData(const PostDataScheduler *scheduler) { m_postData = scheduler; }
    /// Callable from any thread: post-data starts on workers while the data phase runs.
    void phase(job::Phase phase)
    {
        {
            std::lock_guard lock(m_phaseMutex);
            m_phase = phase;
        }
        publish();
    }
    void publish()
    {
        if (!m_request.progress)
            return;
        job::Progress p;
        {
            std::lock_guard lock(m_phaseMutex);
            p.phase = m_phase;
        }
        p.currentTable = m_shared.current();
        p.rowsDone = m_shared.rowsDone.load();
        p.bytesDone = m_shared.bytesDone.load();
        p.rowsEstimated = std::max(m_estimated, p.rowsDone);
        p.tablesDone = m_shared.tablesDone.load();
        p.tablesTotal = m_tables;
        p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - m_started).count();
        if (p.phase == job::Phase::Data) {
            const double seconds =
                    std::chrono::duration<double>(Clock::now() - m_shared.dataStarted).count();
            if (seconds > 0.05) {
                p.rowsPerSecond = static_cast<double>(p.rowsDone) / seconds;
                p.bytesPerSecond = static_cast<double>(p.bytesDone) / seconds;
                if (p.rowsPerSecond > 0 && m_estimated > 0)
                    p.etaSeconds = static_cast<double>(p.rowsEstimated - p.rowsDone)
                            / p.rowsPerSecond;
            }
        }
        if (m_tableInfos)
            p.tables = tableProgress();
        if (m_postData) {
            p.postDataDone = m_postData->finishedTasks();
            p.postDataTotal = m_postData->totalTasks();
        }
        std::lock_guard serialized(m_publishMutex); // the watcher and phase() may both publish
        try {
            m_request.progress(p);
        } catch (...) {
            spdlog::warn("copy: a progress callback threw; ignored");
        }
    }

private:
    [[nodiscard]] std::vector<job::TableProgress> tableProgress() const
    {
        const Clock::rep now = Clock::now().time_since_epoch().count();
        std::vector<job::TableProgress> out;
        out.reserve(m_tableInfos->size());
        for (const auto &info : *m_tableInfos) {
            job::TableProgress t;
            t.table = info->display();
            t.rowsDone = info->rows.load(std::memory_order_relaxed);
            t.bytesDone = info->bytes.load(std::memory_order_relaxed);
            t.rowsEstimated = std::max<std::int64_t>(info->estimatedRows, 0);
            t.masked = info->masker != nullptr;
            t.binary = info->binary;
            const Clock::rep started = info->startedTicks.load();
            const Clock::rep finished = info->finishedTicks.load();
            t.started = started != 0;
            t.done = finished != 0;
            if (t.done)
                t.rowsEstimated = t.rowsDone; // the estimate was only a guess
            else
                t.rowsEstimated = std::max(t.rowsEstimated, t.rowsDone);
            if (t.started) {
                const double seconds = std::chrono::duration<double>(
                                               Clock::duration((t.done ? finished : now) - started))
                                               .count();
                if (seconds > 0.05)
                    t.rowsPerSecond = static_cast<double>(t.rowsDone) / seconds;
                if (t.done)
                    t.etaSeconds = 0;
                else if (t.rowsPerSecond > 0 && info->estimatedRows > 0)
                    t.etaSeconds = static_cast<double>(t.rowsEstimated - t.rowsDone)
                            / t.rowsPerSecond;
            }
            out.push_back(std::move(t));
        }
        return out;
    }

    const CopyRequest &m_request;
    Shared &m_shared;
    const std::vector<std::unique_ptr<TableInfo>> *m_tableInfos = nullptr;
    const PostDataScheduler *m_postData = nullptr;
    Clock::time_point m_started;
    std::mutex m_phaseMutex;
    std::mutex m_publishMutex;
    job::Phase m_phase = job::Phase::Schema;
    std::int64_t m_estimated = 0;
    int m_tables = 0;
};

/// Watches the cancel flag (→ PQcancel on every busy connection) and emits throttled progress
/// while `body` runs on the calling thread's pool.
class Watcher
{
public:
    Watcher(Shared &shared, ProgressReporter *reporter)
        : m_shared(shared), m_reporter(reporter), m_thread([this] { loop(); })
    {}
    ~Watcher()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    Watcher(const Watcher &) = delete;
    Watcher &operator=(const Watcher &) = delete;

private:
    void loop()
    {
        bool cancelSent = false;
        std::unique_lock lock(m_mutex);
        while (!m_done) {
            m_wake.wait_for(lock, std::chrono::milliseconds(100));
            if (m_done)
                break;
            if (!cancelSent && m_shared.shouldStop()) {
                m_shared.registry.cancelAll();
                cancelSent = true;
            }
            if (m_reporter)
                m_reporter->publish();
        }
    }

    Shared &m_shared;
    ProgressReporter *m_reporter;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_done = false;
    std::thread m_thread;
};

/// Runs fn(index) on `count` threads of a private pool and waits.
void runParallel(int count, const std::function<void(int)> &fn)
{
    QThreadPool pool;
    pool.setMaxThreadCount(count);
    std::vector<QFuture<void>> futures;
    for (int i = 0; i < count; ++i)
        futures.push_back(QtConcurrent::run(&pool, fn, i));
    for (auto &future : futures)
        future.waitForFinished();
}

/// Index builds sort in memory up to maintenance_work_mem: at least 256MB for them, never less
/// than the target server is configured with (a smaller value turns big sorts into disk merges).
void raiseMaintenanceWorkMem(PGconn *conn, const std::string &what)
{
    (void)exec(conn,
               "SELECT set_config('maintenance_work_mem', '256MB', false)"
               " WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < 256 * 1024 * 1024",
               what);
}

/// Runs statements on `jobs` target connections (each statement once).
Result<void> runStatements(const CopyRequest &request, Shared &shared,
                           const std::vector<std::string> &statements, const std::string &preamble,
                           int jobs, const std::string &what)
{
    if (statements.empty())
        return {};
    std::atomic<std::size_t> next{0};
    const int workers = std::max(1, std::min<int>(jobs, static_cast<int>(statements.size())));
    runParallel(workers, [&](int index) {
        auto conn = open(request.targetDsn, what + " " + std::to_string(index));
        if (!conn) {
            shared.recordError(conn.error());
            return;
        }
        CancelScope scope(shared.registry, conn->get());
        if (auto set = exec(conn->get(), preamble, what); !set) {
            shared.recordError(set.error());
            return;
        }
        raiseMaintenanceWorkMem(conn->get(), what);
        for (;;) {
            if (shared.shouldStop())
                return;
            const std::size_t mine = next.fetch_add(1);
            if (mine >= statements.size())
                return;
            if (auto done = exec(conn->get(), statements[mine], what); !done) {
                shared.recordError(done.error());
                return;
            }
        }
    });
    if (shared.cancelled())
        return fail(ErrorCode::Cancelled, "cancelled", what);
    if (shared.firstError)
        return std::unexpected(*shared.firstError);
    return {};
}

/// Which table every index and constraint of the source belongs to, under the tag pg_dump
/// gives it ("index", "table constraint"), read in the exported snapshot.
Result<PostDataOwners> readPostDataOwners(PGconn *conn)
{
    auto rows = exec(conn,
                     "SELECT n.nspname, ic.relname, n.nspname, t.relname, '', '', ''"
                     " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                     " JOIN pg_class t ON t.oid = i.indrelid"
                     " JOIN pg_namespace n ON n.oid = t.relnamespace"
                     " UNION ALL"
                     " SELECT n.nspname, t.relname || ' ' || c.conname, n.nspname, t.relname,"
                     "  coalesce(rn.nspname, ''), coalesce(rt.relname, ''), c.conname"
                     " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                     " JOIN pg_namespace n ON n.oid = t.relnamespace"
                     " LEFT JOIN pg_class rt ON rt.oid = c.confrelid"
                     " LEFT JOIN pg_namespace rn ON rn.oid = rt.relnamespace",
                     "source: owners of indexes and constraints");
    if (!rows)
        return std::unexpected(rows.error());
    PostDataOwners owners;
    for (int row = 0; row < PQntuples(rows->get()); ++row) {
        owners[{value(*rows, row, 0), value(*rows, row, 1)}] =
                {value(*rows, row, 2), value(*rows, row, 3), value(*rows, row, 4),
                 value(*rows, row, 5), value(*rows, row, 6)};
    }
    return owners;
}

bool isDeadlock(const PgResult &result)
{
    const char *state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    return state && std::string_view(state) == "40P01";
}

/// ADD … NOT VALID locks both tables (SHARE ROW EXCLUSIVE) for a moment; two of them on
/// crossing tables can deadlock, and the server then aborts one: retry that one.
Result<void> addForeignKey(PGconn *conn, const std::string &sql, const std::string &context)
{
    for (int attempt = 1;; ++attempt) {
        PgResult result(PQexec(conn, sql.c_str()));
        const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK)
            return {};
        if (!isDeadlock(result) || attempt == 5)
            return fail(ErrorCode::Database, resultError(conn, result.get()), context);
        std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
    }
}

Result<void> runPostDataTask(PGconn *conn, const PostDataScheduler::Task &task, const std::string &what)
{
    if (task.kind == PostDataScheduler::Kind::ForeignKey) {
        if (auto added = addForeignKey(conn, task.sql, what + ": foreign key"); !added)
            return added;
    }
    const std::string &sql = task.kind == PostDataScheduler::Kind::ForeignKey ? task.validate : task.sql;
    if (auto done = exec(conn, sql, what); !done)
        return std::unexpected(done.error());
    return {};
}

/// One post-data connection: runs ready tasks until the scheduler has none left.
void postDataWorker(Shared &shared, PostDataScheduler &scheduler, const std::string &preamble, int index)
{
    const std::string what = "target: post-data " + std::to_string(index);
    auto conn = open(shared.request->targetDsn, what);
    if (!conn) {
        shared.recordError(conn.error());
        return;
    }
    CancelScope scope(shared.registry, conn->get());
    if (auto set = exec(conn->get(), preamble, what); !set) {
        shared.recordError(set.error());
        return;
    }
    raiseMaintenanceWorkMem(conn->get(), what);
    while (auto task = scheduler.next([&] { return shared.shouldStop(); })) {
        if (auto done = runPostDataTask(conn->get(), *task, what); !done) {
            shared.recordError(done.error());
            return;
        }
        scheduler.finished(*task);
    }
}

} // namespace

bool binaryCopyCompatible(int sourceServerVersion, int targetServerVersion)
{
    // PQserverVersion: 150004 for 15.4, 90624 for 9.6.24; the minor is always the last two digits
    return sourceServerVersion > 0 && sourceServerVersion / 100 == targetServerVersion / 100;
}

std::string pgProgram(const std::string &name)
{
    namespace fs = std::filesystem;
    if (const char *dir = std::getenv("ENVSYNC_PG_BINDIR"); dir && *dir) {
        if (fs::exists(fs::path(dir) / name))
            return (fs::path(dir) / name).string();
    }
    const fs::path debian = fs::path("/usr/lib/postgresql/15/bin") / name;
    if (fs::exists(debian))
        return debian.string();
    return name;
}

Result<CopyStats> copyDatabase(const CopyRequest &requestIn)
{
    const auto started = Clock::now();
    CopyRequest request = requestIn;
    if (request.jobs <= 0)
        request.jobs = defaultJobs();
    Shared shared;
    shared.request = &request;
    ProgressReporter reporter(request, shared);
    CopyStats stats;

    auto cancelledError = [] { return fail(ErrorCode::Cancelled, "cancelled", "copy"); };

    // 1. The exporting transaction: every reader and pg_dump share its snapshot.
    auto exporter = open(request.sourceDsn, "source");
    if (!exporter)
        return std::unexpected(exporter.error());
    // At a slot's consistent point when asked: CDC then resumes exactly after this snapshot.
    std::optional<SlotSnapshot> slotSnapshot;
    if (request.slotConsistency != CopyRequest::SlotConsistency::Off) {
        auto atSlot = exportAtSlotPoint(request.sourceDsn, request.cancel);
        if (atSlot) {
            slotSnapshot = std::move(*atSlot);
        } else if (request.slotConsistency == CopyRequest::SlotConsistency::Require
                   || atSlot.error().code == ErrorCode::Cancelled) {
            Error error = atSlot.error();
            if (error.code != ErrorCode::Cancelled)
                error.message = "cannot take the snapshot at a replication slot's consistent "
                                "point, which CDC needs: "
                                + error.message;
            return std::unexpected(error);
        } else {
            spdlog::info("copy: snapshot without a slot-consistent point ({})",
                         atSlot.error().describe());
        }
    }
    const std::string importSnapshot
            = slotSnapshot ? " SET TRANSACTION SNAPSHOT "
                                     + db::quoteLiteral(slotSnapshot->snapshotId) + ";"
                           : std::string();
    auto exported = exec(exporter->get(),
                         "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" + importSnapshot
                                 + " SELECT pg_export_snapshot(), pg_current_wal_lsn()::text,"
                                   " (extract(epoch FROM now()) * 1000)::bigint",
                         "source: export snapshot");
    if (!exported)
        return std::unexpected(exported.error());
    if (slotSnapshot) {
        // imported: the exporter's transaction now holds the snapshot; the temporary slot and
        // its connection are no longer needed
        stats.cdcLsn = slotSnapshot->consistentPoint;
        slotSnapshot.reset();
    }
    shared.exportedSnapshotId = value(*exported, 0, 0);
    stats.exportedSnapshotId = shared.exportedSnapshotId;
    stats.sourceLsn = value(*exported, 0, 1);
    stats.sourceAsOf = QDateTime::fromMSecsSinceEpoch(std::stoll(value(*exported, 0, 2)), Qt::UTC);

    auto catalog = readCatalog(exporter->get(), request);
    if (!catalog)
        return std::unexpected(catalog.error());
    // The target's major version decides binary COPY, so its connection opens before planning.
    auto target = open(request.targetDsn, "target");
    if (!target)
        return std::unexpected(target.error());
    PlanOptions planOptions;
    planOptions.jobs = request.jobs;
    planOptions.rangeRows = request.rangeRows;
    planOptions.excludeSchemas = request.excludeSchemas;
    planOptions.nullColumns = request.nullColumns;
    planOptions.binaryCompatible = binaryCopyCompatible(PQserverVersion(exporter->get()),
                                                        PQserverVersion(target->get()));
    const CopyPlan plan = planCopy(catalog->tables, planOptions);
    std::vector<std::unique_ptr<TableInfo>> tableList;
    std::vector<WorkItem> items;
    adoptPlan(plan, *catalog, tableList, items);
    auto *tables = &tableList;
    std::int64_t estimated = 0;
    for (const auto &table : *tables)
        estimated += table->estimatedRows;
    reporter.setTotals(estimated, static_cast<int>(tables->size()));
    reporter.setTables(&*tables);

    // Sequence values, read in the snapshot (they are not transactional, but this is the
    // closest to the data: nextval() after the export may have advanced them further).
    auto sequences = exec(exporter->get(),
                          "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                          " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S'"
                          " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid ="
                          " 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
                          " ORDER BY 1",
                          "source: list sequences");
    if (!sequences)
        return std::unexpected(sequences.error());
    std::vector<std::tuple<std::string, std::string, bool>> sequenceValues;
    for (int row = 0; row < PQntuples(sequences->get()); ++row) {
        const std::string name = value(*sequences, row, 0);
        auto current = exec(exporter->get(), "SELECT last_value, is_called FROM " + name,
                            "source: read sequence " + name);
        if (!current)
            return std::unexpected(current.error());
        sequenceValues.emplace_back(name, value(*current, 0, 0), value(*current, 0, 1) == "t");
    }

    // 2. Pre-data schema.
    reporter.phase(job::Phase::Schema);
    if (shared.cancelled())
        return cancelledError();
    auto preData = dumpSection(request, shared.exportedSnapshotId, "pre-data");
    if (!preData)
        return std::unexpected(preData.error());
    auto postData = dumpSection(request, shared.exportedSnapshotId, "post-data");
    if (!postData)
        return std::unexpected(postData.error());
    const DumpScript pre = splitDumpScript(*preData);
    std::string preSql = pre.preamble;
    for (const auto &entry : pre.entries)
        preSql += entry.sql;
    {
        CancelScope scope(shared.registry, target->get());
        Watcher watcher(shared, nullptr);
        if (auto applied = exec(target->get(), preSql, "target: pre-data schema"); !applied) {
            if (shared.cancelled())
                return cancelledError();
            return std::unexpected(applied.error());
        }
        if (auto cleared = clearMaskedComments(target->get(), *tables); !cleared) {
            if (shared.cancelled())
                return cancelledError();
            return std::unexpected(cleared.error());
        }
    }
    target->reset();

    // 3. Data on `jobs` workers and, alongside, post-data on `jobs` more target connections:
    //    each table's indexes are built as soon as its data is in, then its VACUUM (ANALYZE) (pg_stats
    //    only ever holds masked values) and the foreign keys whose tables are both ready.
    std::vector<CopiedTable> copied;
    for (const auto &table : *tables)
        copied.push_back({table->schema, table->name});
    auto owners = readPostDataOwners(exporter->get());
    if (!owners)
        return std::unexpected(owners.error());
    const PostDataPlan postPlan = planPostData(splitDumpScript(*postData), *owners, copied);
    PostDataScheduler scheduler(postPlan);
    reporter.setPostData(&scheduler);
    stats.postDataStatements = scheduler.totalTasks() - static_cast<int>(postPlan.analyze.size())
            + static_cast<int>(postPlan.tail.size());
    reporter.phase(job::Phase::Data);
    if (shared.cancelled())
        return cancelledError();
    {
        shared.dataStarted = Clock::now();
        CancelScope exporterScope(shared.registry, exporter->get());
        Watcher watcher(shared, &reporter);
        std::atomic<std::size_t> next{0};
        const Throttle throttle(request.maxRowsPerSecond);
        const int dataWorkers = std::max(1, std::min<int>(request.jobs, static_cast<int>(items.size())));
        std::atomic<int> dataRunning{dataWorkers};
        runParallel(dataWorkers + request.jobs, [&](int index) {
            if (index >= dataWorkers) {
                postDataWorker(shared, scheduler, postPlan.preamble, index - dataWorkers);
                return;
            }
            dataWorker(shared, items, next, throttle, scheduler, index);
            if (dataRunning.fetch_sub(1) == 1) {
                // every reader is done and pg_dump ran: release the source snapshot now, not
                // after the index builds (it holds back vacuum on the source meanwhile)
                (void)exec(exporter->get(), "COMMIT", "source");
                stats.dataSeconds =
                        std::chrono::duration<double>(Clock::now() - shared.dataStarted).count();
                if (!shared.shouldStop())
                    reporter.phase(job::Phase::Indexes);
            }
        });
    }
    if (shared.cancelled())
        return cancelledError();
    if (shared.firstError)
        return std::unexpected(*shared.firstError);
    exporter->reset();

    // 4. The rest of post-data (triggers, rules, partitioned parents' indexes, …) in dump order.
    {
        Watcher watcher(shared, nullptr);
        reporter.phase(job::Phase::Constraints);
        if (auto done = runStatements(request, shared, postPlan.tail, postPlan.preamble, 1,
                                      "target: post-data");
            !done)
            return std::unexpected(done.error());
    }

    // 5. Sequences.
    reporter.phase(job::Phase::Sequences);
    {
        auto target = open(request.targetDsn, "target");
        if (!target)
            return std::unexpected(target.error());
        for (const auto &[name, last, called] : sequenceValues) {
            if (auto set = execParams(target->get(), "SELECT setval($1::regclass, $2::bigint, $3::boolean)",
                                      {name, last, called ? "true" : "false"},
                                      "target: setval " + name);
                !set)
                return std::unexpected(set.error());
        }
        stats.sequences = static_cast<int>(sequenceValues.size());
    }

    for (const auto &table : *tables) {
        TableStats t;
        t.schema = table->schema;
        t.table = table->name;
        t.rows = table->copiedRows.load();
        t.bytes = table->bytes.load();
        t.masked = table->masker != nullptr;
        t.binary = table->binary;
        t.ranges = table->ranges;
        t.columns = table->columns;
        t.digestRows = table->digest.rows();
        t.digest = table->digest.sum();
        for (std::size_t i = 0; i < table->maskedPositions.size() && i < table->samples.size(); ++i)
            t.samples.push_back({table->columns[table->maskedPositions[i]],
                                 std::move(table->samples[i])});
        if (table->sampleKeyColumn)
            t.sampleKeyColumn = table->columns[*table->sampleKeyColumn];
        stats.rows += t.rows;
        stats.bytes += t.bytes;
        stats.tables.push_back(std::move(t));
    }
    stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    reporter.phase(job::Phase::Done);
    return stats;
}

} // namespace envsync::copy
