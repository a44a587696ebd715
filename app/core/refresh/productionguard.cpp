#include "core/refresh/productionguard.h"

#include "core/db/sqlquote.h"
#include "core/db/systemidentifier.h"

#include <pqxx/pqxx>

namespace envsync::refresh {

namespace {

constexpr const char *regionKey = "envsync.region=";
constexpr const char *snapshotKey = "envsync.snapshot=";

Result<bool> databaseExists(pqxx::connection &admin, const std::string &database,
                            const std::string &who)
{
    return db::guarded(who, "look up " + database, [&] {
        pqxx::nontransaction tx(admin);
        return tx.exec_params1("SELECT count(*) > 0 FROM pg_database WHERE datname = $1",
                               database)[0]
                .as<bool>();
    });
}

std::unexpected<Error> refuse(const std::string &why, const std::string &who)
{
    return fail(ErrorCode::Refused, why, who);
}

/// A refusal the region's typed name lifts; the message carries the CLI's way to type it.
std::unexpected<Error> refuseUntyped(const std::string &why, const config::RegionConfig &region,
                                     const std::string &who)
{
    return fail(ErrorCode::RefusedUnlessConfirmed,
                why + "; pass --i-know-this-is " + region.name
                        + " if it really is this region's test database",
                who);
}

/// Same cluster as the source? nullopt when the source cannot be asked.
std::optional<bool> onSourceCluster(const config::Config &config, const std::string &targetId,
                                    const db::ConnectOptions &options)
{
    auto source = db::connect(config.source.dsn, options, "source");
    if (!source)
        return std::nullopt;
    auto sourceId = db::systemIdentifier(**source, "source");
    if (!sourceId)
        return std::nullopt;
    return *sourceId == targetId;
}

} // namespace

Result<std::optional<Marker>> readMarker(pqxx::connection &admin, const std::string &database,
                                         const std::string &who)
{
    return db::guarded(who, "read the EnvSync marker of " + database, [&] {
        pqxx::nontransaction tx(admin);
        const pqxx::result rows = tx.exec_params(
                "SELECT unnest(s.setconfig) FROM pg_db_role_setting s"
                " JOIN pg_database d ON d.oid = s.setdatabase"
                " WHERE d.datname = $1 AND s.setrole = 0",
                database);
        std::optional<Marker> marker;
        for (const auto &row : rows) {
            const std::string setting = row[0].as<std::string>();
            if (setting.starts_with(regionKey)) {
                marker = marker.value_or(Marker{});
                marker->region = setting.substr(std::char_traits<char>::length(regionKey));
            } else if (setting.starts_with(snapshotKey)) {
                marker = marker.value_or(Marker{});
                marker->snapshot = setting.substr(std::char_traits<char>::length(snapshotKey));
            }
        }
        return marker;
    });
}

Result<void> writeMarker(pqxx::connection &admin, const std::string &database,
                         const Marker &marker, const std::string &who)
{
    return db::guarded(who, "mark " + database, [&] {
        pqxx::nontransaction tx(admin);
        const std::string alter = "ALTER DATABASE " + db::quoteIdentifier(database);
        // ALTER DATABASE … SET takes no parameters: the values go in as literals.
        tx.exec0(alter + " SET envsync.region = " + db::quoteLiteral(marker.region));
        tx.exec0(alter + " SET envsync.snapshot = " + db::quoteLiteral(marker.snapshot));
    });
}

Result<void> checkWritable(const config::Config &config, const config::RegionConfig &region,
                           const RegionTarget &target, pqxx::connection &admin,
                           const GuardConfirmations &confirmations,
                           const db::ConnectOptions &options)
{
    const std::string who = "region " + region.name;
    const bool typed = confirmations.typedName == region.name;
    if (region.production)
        return refuse("the region is flagged production: true; EnvSync never writes to it", who);
    auto targetId = db::systemIdentifier(admin, who);
    if (!targetId)
        return std::unexpected(targetId.error());
    const std::optional<bool> sameAsSource = onSourceCluster(config, *targetId, options);
    if (sameAsSource.value_or(false))
        return refuse("database " + target.database
                              + " is on the source's own cluster (same system_identifier)",
                      who);
    // Its own refusal and its own override: typing the region's name says "this is the
    // region's database", not "this cluster is not production".
    if (!sameAsSource && !confirmations.sourceUnreachableOk)
        return fail(ErrorCode::RefusedSourceUnreachable,
                    "the source is unreachable, so this cluster cannot be proven not to be "
                    "production; pass --source-unreachable-ok if you are sure it is not",
                    who);
    auto exists = databaseExists(admin, target.database, who);
    if (!exists)
        return std::unexpected(exists.error());
    if (!*exists || typed)
        return {};
    auto marker = readMarker(admin, target.database, who);
    if (!marker)
        return std::unexpected(marker.error());
    if (!*marker)
        return refuseUntyped("database " + target.database
                                     + " carries no EnvSync marker (it was not made by EnvSync)",
                             region, who);
    if ((*marker)->region != region.name)
        return refuseUntyped("database " + target.database + " is marked as region \""
                                     + (*marker)->region + "\"",
                             region, who);
    return {};
}

} // namespace envsync::refresh
