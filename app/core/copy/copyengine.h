#pragma once

#include "core/copy/leaksampler.h"
#include "core/error.h"
#include "core/job/canceltoken.h"
#include "core/job/progress.h"

#include <QDateTime>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace envsync::masking {
class HmacKey;
class MaskPlan;
} // namespace envsync::masking

namespace envsync::copy {

struct CopyRequest
{
    std::string sourceDsn; ///< read-only use: one exporting transaction + `jobs` readers
    std::string targetDsn; ///< an empty database; schema, data, indexes go there
    int jobs = 0;          ///< parallel workers (and source connections); 0: number of cores
    /// Masking: tables with a TableMasker are copied in text format through maskRow.
    const masking::MaskPlan *plan = nullptr;
    /// Columns written as NULL whatever the source holds ("schema.table.column").
    std::set<std::string> nullColumns;
    job::ProgressFn progress;
    std::shared_ptr<job::CancelToken> cancel;
    /// Tables are copied whole (one worker each, rows loaded frozen); a table holding more than
    /// 1/jobs of all heap blocks would outlast the rest and is split into ranges of heap blocks
    /// of about this many rows, shared by the workers.
    std::int64_t rangeRows = 200000;
    /// Throttle so production is not saturated: rows per second over all workers (0: unlimited).
    std::int64_t maxRowsPerSecond = 0;
    /// Tables of these schemas are not copied (their DDL still is).
    std::vector<std::string> excludeSchemas;
    /// Key of the leak-check sample: up to `sampleSize` source rows of each masked table are
    /// sampled and their masked columns' values kept as sampleHash(key, value) only. nullptr:
    /// no sample.
    std::shared_ptr<const masking::HmacKey> sampleKey;
    std::size_t sampleSize = 1000;
    /// Whether the exported snapshot is taken at a logical replication slot's consistent point
    /// (a temporary pgoutput slot created with SNAPSHOT 'use' on a replication connection), so
    /// CDC can resume exactly after it: Off (plain export), Prefer (fall back to the plain
    /// export when the slot cannot be made: wal_level below logical, no privilege, no free
    /// slot), Require (fail instead).
    enum class SlotConsistency { Off, Prefer, Require };
    SlotConsistency slotConsistency = SlotConsistency::Off;
};

/// The sampled source values of one masked column (keyed hashes only).
struct ColumnSample
{
    std::string column;
    std::vector<SampledValue> values;
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
    /// What verify checks golden against: the COPY column list, and the RowDigest of the rows
    /// as written to the target (after masking; in the format they were written in).
    std::vector<std::string> columns;
    std::int64_t digestRows = 0;
    std::uint64_t digest = 0;
    /// Masked tables with a sample key: per masked column its sampled source values; the
    /// single-column primary key whose value hash each sampled value carries (empty: none).
    std::vector<ColumnSample> samples;
    std::string sampleKeyColumn;
};

struct CopyStats
{
    std::vector<TableStats> tables;
    std::int64_t rows = 0;
    std::int64_t bytes = 0;
    double seconds = 0;
    double dataSeconds = 0;
    std::string exportedSnapshotId; ///< the exported source snapshot every worker read
    std::string sourceLsn;  ///< pg_current_wal_lsn() in that snapshot
    /// The slot-consistent point of that snapshot (pg_lsn text): exactly the source
    /// transactions whose commit record starts at or after it are not in the copy. Empty when
    /// the snapshot was exported without a slot (SlotConsistency Off, or Prefer fell back).
    std::string cdcLsn;
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

/// Path of a PostgreSQL client program: $ENVSYNC_PG_BINDIR, /usr/lib/postgresql/15/bin, PATH.
[[nodiscard]] std::string pgProgram(const std::string &name);

} // namespace envsync::copy
