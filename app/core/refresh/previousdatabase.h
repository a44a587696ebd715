#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <memory>
#include <string>

namespace envsync::refresh {

/// Whether a region can be rolled back: its `<db>__envsync_prev` and whether it exists.
struct PreviousDatabase
{
    std::string region;
    std::string name; ///< "<db>__envsync_prev"
    bool exists = false;
};

/// Looks up the region's previous database on its cluster (read-only: no guard, no lock, no
/// control database). The console asks this to enable Roll Back before anyone confirms it.
/// Blocking: opens its own connection; run it on a worker.
[[nodiscard]] Result<PreviousDatabase>
previousDatabase(const config::Config &config, const std::string &region,
                 const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::refresh
