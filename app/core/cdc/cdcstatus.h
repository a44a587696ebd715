#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <QDateTime>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envsync::cdc {

/// One region as `cdc status` and the console show it.
struct RegionCdcStatus
{
    std::string region;
    /// streaming | paused | refreshing | reconnecting | needs-refresh | stopped-with-error |
    /// stopped |
    /// not running (no `cdc run` reported within the last seconds)
    std::string state = "not running";
    std::string detail;
    std::string appliedLsn;     ///< from the region's own database (empty: no position)
    std::int64_t lagBytes = -1; ///< source's current WAL position − applied; -1 unknown
    double lagSeconds = -1;     ///< age of the oldest change not applied; -1 unknown
    bool lagging = false;       ///< lagSeconds above cdc.max_lag
    double changesPerSecond = 0;
    std::map<std::string, std::int64_t> conflicts; ///< "schema.table kind" → count (in the region)
    bool paused = false;
    QDateTime updatedAt; ///< when `cdc run` last reported (invalid: never)
};

struct CdcStatus
{
    bool initialised = false;
    std::string slot;
    std::string publication;
    std::vector<std::string> schemas;
    bool slotExists = false;
    bool slotActive = false;
    std::string confirmedLsn;
    std::string currentLsn;
    std::int64_t retainedWalBytes = 0;
    std::int64_t maxRetainedWalBytes = 0;
    bool retainedTooMuch = false; ///< above cdc.max_retained_wal: warn
    std::string readerState = "not running";
    std::string readerDetail;
    std::string durableLsn;
    double readerChangesPerSecond = 0;
    std::int64_t spoolBytes = 0;
    std::vector<RegionCdcStatus> regions;
};

/// What `cdc status` shows: the source's slot (asked there), the figures `cdc run` published in
/// envsync_control, and each region's position and conflict counters read from the region's
/// own database (so they hold with no `cdc run` going). An unreachable region is shown with
/// its error, not failed on. Blocking.
[[nodiscard]] Result<CdcStatus> readCdcStatus(const config::Config &config,
                                              const std::shared_ptr<job::CancelToken> &cancel = {});

/// `cdc pause` / `cdc resume`: the flag `cdc run` polls (in envsync_control).
[[nodiscard]] Result<void> setRegionPaused(const config::Config &config, const std::string &region,
                                           bool paused);

} // namespace envsync::cdc
