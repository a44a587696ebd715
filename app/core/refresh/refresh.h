#pragma once

#include "core/config/config.h"
#include "core/job/canceltoken.h"
#include "core/job/progress.h"
#include "core/error.h"
#include "core/refresh/preservedtables.h"

#include <QDateTime>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace envsync::refresh {

/// One line for humans about what the job is doing.
using StepFn = std::function<void(const std::string &step)>;

struct RefreshOptions
{
    std::string region;
    std::string snapshot; ///< golden_vN; empty: the newest ready one
    bool forceOutsideWindow = false;
    std::string reason;      ///< required with forceOutsideWindow (audited)
    std::string iKnowThisIs; ///< the region's name, typed: passes the marker guard
    /// The source could not be reached, and the user says the target is not production anyway
    /// (`--source-unreachable-ok`): passes that guard only, never the marker guard.
    bool sourceUnreachableOk = false;
    int jobs = 0;            ///< copy workers; 0: number of cores
    job::ProgressFn progress;
    StepFn step;
    /// Called once, right before the atomic swap: front ends show the last stretch without
    /// reading the step texts.
    std::function<void()> swapping;
    std::shared_ptr<job::CancelToken> cancel;
    std::string actor; ///< empty: the OS user
    QDateTime now;     ///< injectable clock for the window check; invalid: the current time
};

/// What a refresh would do (`--dry-run`), computed without writing anything.
struct RefreshPlan
{
    std::string region;
    std::string database;
    std::string snapshot;
    QDateTime snapshotAsOf;
    std::int64_t snapshotBytes = 0;
    std::string method;           ///< "template clone" (same cluster) or "parallel copy"
    double expectedSeconds = -1;  ///< mean of the last successful refreshes; -1 unknown
    std::vector<std::string> sessions; ///< that the swap will terminate ("pid user app")
    std::vector<std::string> preserved;
    bool insideWindow = true;
    std::string window; ///< "open until …", "closed; next opens …", "none (on demand)"
    bool hasPrevious = false; ///< a <db>__envsync_prev exists (it will be replaced)
};

struct RefreshResult
{
    RefreshPlan plan;
    std::int64_t rows = 0;
    double seconds = 0;
    double unavailableMs = 0; ///< connections refused during the swap
    std::vector<PreservedTable> preserved;
};

struct RollbackResult
{
    std::string region;
    std::string database;
    std::string restoredSnapshot; ///< from the restored database's marker ("" if unknown)
    double unavailableMs = 0;
};

/// The dry run: resolves the snapshot, checks the production guard and the window, reads the
/// sessions and the history. Refuses like the refresh itself would, except for the window
/// (reported in the plan).
[[nodiscard]] Result<RefreshPlan> planRefresh(const config::Config &config,
                                              const RefreshOptions &options);

/// Refreshes the region from a golden snapshot: builds <db>__envsync_next (template clone on
/// the golden cluster, parallel copy elsewhere), runs the hooks, keeps `preserve:` tables,
/// marks it, swaps it in atomically by rename and keeps the old one as <db>__envsync_prev.
/// On failure or cancel the live database is untouched and the shadow is dropped; leftovers
/// of a killed run are cleaned up first. Blocking: run it on a worker.
[[nodiscard]] Result<RefreshResult> refreshRegion(const config::Config &config,
                                                  const RefreshOptions &options);

/// Swaps the live database and <db>__envsync_prev (running it again swaps back). The history
/// follows: the refresh that was undone is marked rolled_back.
[[nodiscard]] Result<RollbackResult> rollbackRegion(const config::Config &config,
                                                    const RefreshOptions &options);

} // namespace envsync::refresh
