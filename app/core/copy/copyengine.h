#pragma once

#include "core/error.h"

#include <QDateTime>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace envsync::masking {
class MaskPlan;
}

namespace envsync::copy {

/// Cancels a running copy from any thread. The engine polls the flag between rows and also
/// sends PQcancel to every connection that is busy, so the servers stop working too.
class CancelToken
{
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

/// One table's share of the data phase (what a per-table progress list shows).
struct TableProgress
{
    std::string table;              ///< "schema.table"
    std::int64_t rowsDone = 0;
    std::int64_t rowsEstimated = 0; ///< from pg_class.reltuples (0 when never analyzed)
    std::int64_t bytesDone = 0;
    double rowsPerSecond = 0; ///< since the table's first range started
    double etaSeconds = -1;   ///< -1: unknown (not started, or no estimate)
    bool started = false;
    bool done = false;
    bool masked = false; ///< copied in text format through the mask plan
    bool binary = false; ///< binary COPY
};

/// Where a copy is ("schema", "data", "indexes" — builds still running after the data —, "constraints", "sequences", "done").
struct CopyProgress
{
    std::string phase;
    std::string currentTable;       ///< "schema.table" of the most recently active table
    std::int64_t rowsDone = 0;
    std::int64_t rowsEstimated = 0; ///< from pg_class.reltuples (0 when never analyzed)
    std::int64_t bytesDone = 0;
    int tablesDone = 0;
    int tablesTotal = 0;
    double rowsPerSecond = 0;
    double bytesPerSecond = 0;
    double etaSeconds = -1; ///< -1: unknown
    double elapsedSeconds = 0;
    int postDataDone = 0;  ///< index builds, VACUUM (ANALYZE)s and foreign keys finished
    int postDataTotal = 0; ///< 0 until the post-data plan is made
    /// Every table of the copy in plan order (schema.table); empty before the tables are read.
    std::vector<TableProgress> tables;
};

/// Called at every phase change and at most 10 times per second during the data phase, on an
/// internal thread of the engine (never the caller's). Keep it short; never block.
using ProgressFn = std::function<void(const CopyProgress &)>;

struct CopyRequest
{
    std::string sourceDsn; ///< read-only use: one exporting transaction + `jobs` readers
    std::string targetDsn; ///< an empty database; schema, data, indexes go there
    int jobs = 0;          ///< parallel workers (and source connections); 0: number of cores
    /// Masking: tables with a TableMasker are copied in text format through maskRow.
    const masking::MaskPlan *plan = nullptr;
    /// Columns written as NULL whatever the source holds ("schema.table.column").
    std::set<std::string> nullColumns;
    ProgressFn progress;
    std::shared_ptr<CancelToken> cancel;
    /// Tables are copied whole (one worker each, rows loaded frozen); a table holding more than
    /// 1/jobs of all heap blocks would outlast the rest and is split into ranges of heap blocks
    /// of about this many rows, shared by the workers.
    std::int64_t rangeRows = 200000;
    /// Throttle so production is not saturated: rows per second over all workers (0: unlimited).
    std::int64_t maxRowsPerSecond = 0;
    /// Tables of these schemas are not copied (their DDL still is).
    std::vector<std::string> excludeSchemas;
};

struct TableStats
{
    std::string schema;
    std::string table;
    std::int64_t rows = 0;
    std::int64_t bytes = 0;
    bool masked = false;
    bool binary = false;
    int ranges = 1;
};

struct CopyStats
{
    std::vector<TableStats> tables;
    std::int64_t rows = 0;
    std::int64_t bytes = 0;
    double seconds = 0;
    double dataSeconds = 0;
    std::string snapshotId; ///< the exported source snapshot every worker read
    std::string sourceLsn;  ///< pg_current_wal_lsn() in that snapshot
    QDateTime sourceAsOf;   ///< now() of the exporting transaction (UTC)
    int sequences = 0;
    int postDataStatements = 0;
};

/// Copies the source database into the (empty) target: pre-data schema, data from one
/// consistent exported snapshot on `jobs` parallel connections (binary COPY unless the table is
/// masked or the servers' major versions differ); alongside, on `jobs` more connections, each table's indexes and key constraints as
/// soon as its data is in, then its VACUUM (ANALYZE) and its foreign keys (NOT VALID + VALIDATE); then the
/// rest of post-data in dump order and the sequence values. Blocking: run it on a worker thread. On failure or cancel (ErrorCode::Cancelled)
/// the target holds a partial copy: the caller drops it.
[[nodiscard]] Result<CopyStats> copyDatabase(const CopyRequest &request);

/// Binary COPY only between servers of the same major version (PQserverVersion numbers): a
/// type's binary form may change between majors, its text form is what pg_dump relies on.
[[nodiscard]] bool binaryCopyCompatible(int sourceServerVersion, int targetServerVersion);

/// A double-quoted SQL identifier ("a""b").
[[nodiscard]] std::string quoteIdentifier(const std::string &name);
/// A single-quoted SQL literal ('it''s'); standard_conforming_strings assumed.
[[nodiscard]] std::string quoteLiteral(const std::string &text);
/// Path of a PostgreSQL client program: $ENVSYNC_PG_BINDIR, /usr/lib/postgresql/15/bin, PATH.
[[nodiscard]] std::string pgProgram(const std::string &name);

} // namespace envsync::copy
