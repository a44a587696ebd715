#include "core/refresh/regiontarget.h"

#include "core/db/dsn.h"

#include <pqxx/pqxx>

namespace envsync::refresh {

namespace {

constexpr std::size_t maxIdentifierBytes = 63;
constexpr std::size_t longestSuffix = sizeof("__envsync_next") - 1;

} // namespace

std::string RegionTarget::dsnFor(const std::string &name) const
{
    auto dsn = db::Dsn::parse(regionDsn);
    return dsn ? dsn->with("dbname", name).toConnectionString() : regionDsn;
}

Result<RegionTarget> RegionTarget::resolve(const config::RegionConfig &region,
                                           const db::ConnectOptions &options)
{
    const std::string who = "region " + region.name;
    auto dsn = db::Dsn::parse(region.dsn);
    if (!dsn)
        return std::unexpected(withContext(dsn.error(), who));
    RegionTarget target{region.name, dsn->value("dbname"), region.dsn};
    if (target.database.empty()) {
        // No dbname in the DSN (a service file or PGDATABASE decides): ask the server.
        auto conn = db::connect(region.dsn, options, who);
        if (!conn)
            return std::unexpected(conn.error());
        auto name = db::guarded(who, "current database", [&] {
            pqxx::nontransaction tx(**conn);
            return tx.exec1("SELECT current_database()")[0].as<std::string>();
        });
        if (!name)
            return std::unexpected(name.error());
        target.database = *name;
    }
    if (target.database.size() + longestSuffix > maxIdentifierBytes)
        return fail(ErrorCode::Config,
                    "database name \"" + target.database + "\" is longer than "
                            + std::to_string(maxIdentifierBytes - longestSuffix)
                            + " bytes; EnvSync needs room for \"__envsync_next\" next to it",
                    who);
    if (target.database == "postgres" || target.database.starts_with("template"))
        return fail(ErrorCode::Refused,
                    "refusing to replace the maintenance database \"" + target.database + '"', who);
    return target;
}

} // namespace envsync::refresh
