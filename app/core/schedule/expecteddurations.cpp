#include "core/schedule/expecteddurations.h"

#include "core/db/configuredconnect.h"

#include <pqxx/pqxx>

#include <cmath>

namespace envsync::schedule {

Result<std::optional<double>> meanRefreshSeconds(db::ControlDb &control, const std::string &region)
{
    return db::guarded("control database", "refresh history", [&] {
        pqxx::nontransaction tx(control.connection());
        const auto row = tx.exec_params1(
                "SELECT avg(extract(epoch FROM finished_at - started_at))::float8 FROM ("
                " SELECT started_at, finished_at FROM envsync.refresh_log"
                " WHERE region = $1 AND result = 'success' AND finished_at IS NOT NULL"
                "   AND detail LIKE '{\"method\"%'"
                " ORDER BY finished_at DESC LIMIT 5) recent",
                region);
        return row[0].is_null() ? std::optional<double>() : row[0].as<double>();
    });
}

Result<ExpectedDurations> expectedDurations(const config::Config &config,
                                            const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "expected durations");
    // openExisting: planning a calendar must not create the control database.
    auto control = db::ControlDb::openExisting(
            config.golden.dsn, db::configuredConnectOptions(config, "envsync calendar"));
    if (!control)
        return std::unexpected(control.error());
    ExpectedDurations durations;
    if (!*control)
        return durations;
    for (const config::RegionConfig &region : config.regions) {
        auto mean = meanRefreshSeconds(**control, region.name);
        if (!mean)
            return std::unexpected(mean.error());
        if (*mean)
            durations[region.name] = std::chrono::seconds(std::llround(**mean));
    }
    return durations;
}

} // namespace envsync::schedule
