#include "core/db/goldenguard.h"

#include "core/db/systemidentifier.h"

namespace envsync::db {

namespace {

constexpr const char *who = "golden";

/// system_identifier of the cluster behind dsn; nullopt when it cannot be asked.
std::optional<std::string> identifierOf(const std::string &dsn, const ConnectOptions &options,
                                        const std::string &endpoint)
{
    auto connection = connect(dsn, options, endpoint);
    if (!connection)
        return std::nullopt;
    auto id = systemIdentifier(**connection, endpoint);
    return id ? std::optional(*id) : std::nullopt;
}

} // namespace

Result<GoldenIdentity> checkGoldenCluster(const config::Config &config, pqxx::connection &golden,
                                          const ConnectOptions &options)
{
    auto goldenId = systemIdentifier(golden, who);
    if (!goldenId)
        return std::unexpected(goldenId.error());
    const std::optional<std::string> sourceId = identifierOf(config.source.dsn, options, "source");
    if (sourceId == goldenId)
        return fail(ErrorCode::Refused,
                    "golden.dsn reaches the source's own cluster (same system_identifier "
                            + *goldenId + "); EnvSync never writes there, not even "
                            + "envsync_control",
                    who);
    for (const config::RegionConfig &region : config.regions) {
        if (region.production
            && identifierOf(region.dsn, options, "region " + region.name) == goldenId)
            return fail(ErrorCode::Refused,
                        "golden.dsn reaches the cluster of region " + region.name
                                + ", which is flagged production: true (same system_identifier "
                                + *goldenId + "); EnvSync never writes there",
                        who);
    }
    return sourceId ? GoldenIdentity::Distinct : GoldenIdentity::SourceUnreachable;
}

Result<GoldenIdentity> checkGoldenCluster(const config::Config &config,
                                          const ConnectOptions &options)
{
    auto golden = connect(config.golden.dsn, options, who);
    if (!golden)
        return std::unexpected(golden.error());
    return checkGoldenCluster(config, **golden, options);
}

} // namespace envsync::db
