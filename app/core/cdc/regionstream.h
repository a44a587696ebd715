#pragma once

#include "core/cdc/runstate.h"
#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <filesystem>
#include <memory>
#include <string>

namespace envsync::cdc {

struct RegionStreamOptions
{
    std::string spoolDir;
    int batchTransactions = 500; ///< most source transactions per region transaction
    std::shared_ptr<job::CancelToken> stop;
};

/// One region's applier loop: reads the spool from the region's own position and applies it
/// batch by batch (RegionApplier), pausing while the region is paused or being refreshed, and
/// reconnecting with a growing back-off while the region cannot be reached. A conflict under
/// `conflicts: stop`, a schema it cannot bring in line or a database without a CDC position
/// stops this region only, with the reason in its figures.
class RegionStream
{
public:
    RegionStream(const config::Config &config, const config::RegionConfig &region,
                 RegionStreamOptions options, RunState &state);

    /// Blocking, until `stop` (after the batch in flight) or a region-stopping error.
    [[nodiscard]] Result<void> run();

private:
    const config::Config &m_config;
    const config::RegionConfig &m_region;
    RegionStreamOptions m_options;
    RunState &m_state;
};

} // namespace envsync::cdc
