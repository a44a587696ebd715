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

GuardVerdict refused(std::string reason)
{
    return {GuardVerdict::Kind::Refused, std::move(reason), {}};
}

/// A refusal the region's typed name lifts.
GuardVerdict needsTypedName(std::string reason, const config::RegionConfig &region)
{
    return {GuardVerdict::Kind::NeedsTypedName, std::move(reason), region.name};
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

Result<GuardVerdict> judgeWritable(const config::Config &config, const config::RegionConfig &region,
                                   const RegionTarget &target, pqxx::connection &admin,
                                   const GuardConfirmations &confirmations,
                                   const db::ConnectOptions &options)
{
    const std::string who = "region " + region.name;
    const bool typed = confirmations.typedName == region.name;
    if (region.production)
        return refused("the region is flagged production: true; EnvSync never writes to it");
    auto targetId = db::systemIdentifier(admin, who);
    if (!targetId)
        return std::unexpected(targetId.error());
    const std::optional<bool> sameAsSource = onSourceCluster(config, *targetId, options);
    if (sameAsSource.value_or(false))
        return refused("database " + target.database
                       + " is on the source's own cluster (same system_identifier)");
    // Its own refusal and its own override: typing the region's name says "this is the
    // region's database", not "this cluster is not production".
    if (!sameAsSource && !confirmations.sourceUnreachableOk)
        return GuardVerdict{GuardVerdict::Kind::NeedsSourceUnreachableOk,
                            "the source is unreachable, so this cluster cannot be proven not to "
                            "be production",
                            {}};
    auto exists = databaseExists(admin, target.database, who);
    if (!exists)
        return std::unexpected(exists.error());
    if (!*exists || typed)
        return GuardVerdict{};
    auto marker = readMarker(admin, target.database, who);
    if (!marker)
        return std::unexpected(marker.error());
    if (!*marker)
        return needsTypedName("database " + target.database
                                      + " carries no EnvSync marker (it was not made by EnvSync)",
                              region);
    if ((*marker)->region != region.name)
        return needsTypedName("database " + target.database + " is marked as region \""
                                      + (*marker)->region + "\"",
                              region);
    return GuardVerdict{};
}

Error refusalOf(const GuardVerdict &verdict, const std::string &who)
{
    Error error{ErrorCode::Refused, verdict.reason, who};
    switch (verdict.kind) {
    case GuardVerdict::Kind::NeedsTypedName:
        error.code = ErrorCode::RefusedUnlessConfirmed;
        error.refusal = Refusal::UnmarkedTarget;
        error.confirmName = verdict.typedName;
        break;
    case GuardVerdict::Kind::NeedsSourceUnreachableOk:
        error.code = ErrorCode::RefusedSourceUnreachable;
        error.refusal = Refusal::SourceUnreachable;
        break;
    case GuardVerdict::Kind::Allowed: // not a refusal: callers check allowed() first
    case GuardVerdict::Kind::Refused:
        break;
    }
    return error;
}

Result<void> checkWritable(const config::Config &config, const config::RegionConfig &region,
                           const RegionTarget &target, pqxx::connection &admin,
                           const GuardConfirmations &confirmations,
                           const db::ConnectOptions &options)
{
    auto verdict = judgeWritable(config, region, target, admin, confirmations, options);
    if (!verdict)
        return std::unexpected(verdict.error());
    if (!verdict->allowed())
        return std::unexpected(refusalOf(*verdict, "region " + region.name));
    return {};
}

} // namespace envsync::refresh
