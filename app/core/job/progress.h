#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::job {

/// Where a long job is. Front ends switch on it; they never compare phase names.
enum class Phase {
    Preparing,   ///< connecting, reading the plan, hooks
    Schema,      ///< pre-data DDL
    Data,        ///< rows moving
    Indexes,     ///< index builds still running after the data
    Constraints, ///< foreign keys (NOT VALID + VALIDATE) and the rest of post-data
    Sequences,   ///< sequence values
    Done,
};

/// "schema", "data", … (stable: used in CLI progress lines and fault-point names).
[[nodiscard]] std::string_view phaseName(Phase phase);

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

/// A job's progress: phase, rows, bytes, rate, ETA and the object it works on.
struct Progress
{
    Phase phase = Phase::Preparing;
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
    /// Every table of the job in plan order (schema.table); empty before the tables are read.
    std::vector<TableProgress> tables;
};

/// Called at every phase change and at most 10 times per second otherwise, on a thread of the
/// job (never the caller's). Keep it short; never block.
using ProgressFn = std::function<void(const Progress &)>;

} // namespace envsync::job
