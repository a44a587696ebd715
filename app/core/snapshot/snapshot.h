#pragma once

#include "core/config/config.h"
#include "core/job/canceltoken.h"
#include "core/job/progress.h"
#include "core/error.h"

#include <QDateTime>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envsync::snapshot {

/// One row of envsync.snapshots (the catalogue in envsync_control on the golden cluster).
struct SnapshotInfo
{
    int version = 0;
    std::string name;  ///< golden_vN
    std::string state; ///< building | ready | pruned
    QDateTime createdAt;
    QDateTime sourceAsOf;  ///< when the data was read from the source (exported snapshot)
    std::string sourceLsn; ///< pg_current_wal_lsn() of that snapshot
    /// Slot-consistent point (pg_lsn text) of that snapshot: the source transactions whose
    /// commit record starts at or after it are not in it. Empty: taken without one.
    std::string cdcLsn;
    std::string rulesHash;
    std::map<std::string, std::int64_t> rowCounts; ///< "schema.table" → rows
    std::int64_t sizeBytes = 0;
    std::int64_t durationMs = 0;
    std::string createdBy;
};

/// One line for humans about what the job is doing ("cleaning up golden_v3__building").
using StepFn = std::function<void(const std::string &step)>;

struct CreateOptions
{
    int jobs = 0; ///< copy workers; 0: number of cores
    job::ProgressFn progress;
    StepFn step;
    std::shared_ptr<job::CancelToken> cancel;
    std::int64_t maxRowsPerSecond = 0; ///< spare production: 0 is unlimited
    std::string actor;                 ///< "who" in the catalogue; empty: the OS user
};

/// Builds golden_vN from the source: mask plan (fail-closed on unclassified columns, exit 4),
/// clean-up of leftovers of killed runs, golden_vN__building, consistent parallel copy, rename,
/// template + read-only, catalogue row 'ready'. On failure or cancel the building database is
/// dropped. Only one create runs at a time (advisory lock in envsync_control). Blocking.
[[nodiscard]] Result<SnapshotInfo> createSnapshot(const config::Config &config,
                                                  const CreateOptions &options = {});

/// Every catalogue row, oldest first (pruned ones too).
[[nodiscard]] Result<std::vector<SnapshotInfo>>
listSnapshots(const config::Config &config, const std::shared_ptr<job::CancelToken> &cancel = {});

struct PruneResult
{
    std::vector<std::string> pruned;
    std::vector<std::string> keptInUse; ///< "golden_v2 (region eu)"
    std::vector<std::string> kept;
};

/// Drops ready snapshots beyond the `keep` newest, never one a region was last refreshed from.
/// `cancel` stops between drops (a DROP DATABASE already sent completes).
[[nodiscard]] Result<PruneResult> pruneSnapshots(const config::Config &config, int keep,
                                                 const std::shared_ptr<job::CancelToken> &cancel
                                                 = {});

struct VerifyCheck
{
    std::string check;  ///< row_count | row_hash | fk_join | masked_leak | masked_leak_inside
                        ///< | masked_comment | catalogue
    std::string object; ///< "public.orders", "public.orders.orders_customer_id_fkey", ...
    bool ok = true;     ///< also true for a check that was skipped (its detail says so)
    std::string detail;
};

struct VerifyReport
{
    std::string name;
    std::vector<VerifyCheck> checks;
    [[nodiscard]] bool ok() const
    {
        for (const auto &check : checks) {
            if (!check.ok)
                return false;
        }
        return true;
    }
};

/// Proves a snapshot against the facts its copy recorded at the source's exported point, and
/// against itself; it never connects to the source (writers there change nothing here). Per
/// table: the row count and a digest of the rows as the copy wrote them; every foreign key
/// holds in golden; no golden value of a masked column equals, or contains, a sampled source
/// value or JSON leaf (kept as keyed hashes only); no comment on a masked column or its table.
/// A snapshot made before facts were recorded gets the checks golden alone allows and says
/// which were skipped. `name` empty: the newest ready snapshot. `cancel` is checked between
/// checks and cancels the query in flight (Cancelled).
[[nodiscard]] Result<VerifyReport>
verifySnapshot(const config::Config &config, const std::string &name = {},
               const std::shared_ptr<job::CancelToken> &cancel = {});

/// "golden_v<N>"
[[nodiscard]] std::string snapshotName(int version);

} // namespace envsync::snapshot
