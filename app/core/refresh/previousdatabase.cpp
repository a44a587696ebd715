#include "core/refresh/previousdatabase.h"

#include "core/db/configuredconnect.h"
#include "core/refresh/databaseswap.h"
#include "core/refresh/regiontarget.h"

namespace envsync::refresh {

Result<PreviousDatabase> previousDatabase(const config::Config &config, const std::string &region,
                                          const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "previous database");
    const config::RegionConfig *found = config.findRegion(region);
    if (!found)
        return fail(ErrorCode::Usage, "no region named \"" + region + "\" in the config",
                    config.path);
    const db::ConnectOptions options
            = db::configuredConnectOptions(config, "envsync rollback check " + found->name);
    auto target = RegionTarget::resolve(*found, options);
    if (!target)
        return std::unexpected(target.error());
    const std::string who = "region " + found->name;
    auto admin = db::connect(target->adminDsn(), options, who);
    if (!admin)
        return std::unexpected(admin.error());
    DatabaseSwap databases(**admin, who);
    auto exists = databases.exists(target->prevName());
    if (!exists)
        return std::unexpected(exists.error());
    return PreviousDatabase{found->name, target->prevName(), *exists};
}

} // namespace envsync::refresh
