#include "core/snapshot/snapshotusage.h"

#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"

#include <algorithm>

namespace envsync::snapshot {

Result<std::map<std::string, std::vector<std::string>>>
snapshotsInUse(const config::Config &config, const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "snapshots in use");
    auto control = db::ControlDb::openExisting(config.golden.dsn,
                                               db::configuredConnectOptions(config, "envsync snapshot"));
    if (!control)
        return std::unexpected(control.error());
    std::map<std::string, std::vector<std::string>> inUse;
    if (!*control)
        return inUse;
    auto refreshes = (*control)->lastSuccessfulRefreshes();
    if (!refreshes)
        return std::unexpected(refreshes.error());
    for (const auto &[region, record] : *refreshes)
        inUse[record.snapshot].push_back(region);
    for (auto &[snapshot, regions] : inUse)
        std::ranges::sort(regions);
    return inUse;
}

} // namespace envsync::snapshot
