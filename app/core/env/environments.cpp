#include "core/env/environments.h"

#include "core/copy/copyengine.h"
#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/snapshot/templateclone.h"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include <future>
#include <regex>
#include <thread>

namespace envsync::env {

namespace {

constexpr const char *who = "golden";

db::ConnectOptions connectOptions(const config::Config &config)
{
    return db::configuredConnectOptions(config, "envsync env");
}

std::string databaseDsn(const config::Config &config, const std::string &name)
{
    auto dsn = db::Dsn::parse(config.golden.dsn);
    return dsn ? dsn->with("dbname", name).toConnectionString() : std::string();
}

QDateTime fromEpochMs(const pqxx::field &field)
{
    return field.is_null() ? QDateTime()
                           : QDateTime::fromMSecsSinceEpoch(field.as<std::int64_t>(), Qt::UTC);
}

Result<std::string> newestReady(db::ControlDb &control, const std::string &wanted)
{
    auto snapshots = control.snapshots();
    if (!snapshots)
        return std::unexpected(snapshots.error());
    std::string found;
    for (const auto &record : *snapshots) {
        if (record.state == "ready" && (wanted.empty() || record.name == wanted))
            found = record.name;
    }
    if (!found.empty())
        return found;
    return fail(ErrorCode::Usage,
                wanted.empty() ? std::string("there is no golden snapshot yet; make one with "
                                             "`envsyncctl snapshot create`")
                               : "no ready snapshot named \"" + wanted + '"',
                who);
}

/// The clone, then its marker (a database setting) so it is never mistaken for anything else.
Result<void> cloneTemplate(pqxx::connection &admin, const std::string &name,
                           const std::string &snapshot)
{
    if (auto cloned = envsync::snapshot::cloneSnapshot(admin, name, snapshot, who); !cloned)
        return cloned;
    return db::guarded(who, "mark " + name, [&] {
        pqxx::nontransaction tx(admin);
        tx.exec0("ALTER DATABASE " + copy::quoteIdentifier(name)
                 + " SET envsync.environment = " + tx.quote(snapshot));
    });
}

EnvironmentInfo toInfo(const config::Config &config, const pqxx::row &row)
{
    EnvironmentInfo info;
    info.name = row[0].as<std::string>();
    info.snapshot = row[1].as<std::string>();
    info.owner = row[2].as<std::string>();
    info.createdAt = fromEpochMs(row[3]);
    info.expiresAt = fromEpochMs(row[4]);
    info.createdBy = row[5].as<std::string>();
    info.exists = row[6].as<bool>();
    info.dsn = databaseDsn(config, info.name);
    return info;
}

constexpr const char *selectEnvironments =
        "SELECT e.name, e.snapshot, e.owner, (extract(epoch FROM e.created_at) * 1000)::bigint,"
        " (extract(epoch FROM e.expires_at) * 1000)::bigint, e.created_by,"
        " EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = e.name)"
        " FROM envsync.environments e";

} // namespace

Result<void> validateName(const std::string &name)
{
    static const std::regex plain("^[a-z][a-z0-9_-]{0,47}$");
    if (!std::regex_match(name, plain))
        return fail(ErrorCode::Usage,
                    "environment name \"" + name
                            + "\": use 1-48 lower-case letters, digits, \"_\" or \"-\", starting "
                              "with a letter",
                    "env");
    static const std::regex reserved("^(golden_v[0-9].*|envsync_control|postgres|template.*)$");
    if (std::regex_match(name, reserved) || name.find("__envsync_") != std::string::npos)
        return fail(ErrorCode::Usage, "environment name \"" + name + "\" is reserved by EnvSync",
                    "env");
    return {};
}

Result<EnvironmentInfo> createEnvironment(const config::Config &config,
                                          const CreateOptions &options)
{
    if (auto valid = validateName(options.name); !valid)
        return std::unexpected(valid.error());
    if (options.ttl.count() <= 0)
        return fail(ErrorCode::Usage, "--ttl must be positive", "env");
    const std::string actor = options.actor.empty() ? db::currentActor() : options.actor;
    const db::ConnectOptions connect = connectOptions(config);
    // Both connections at once: `env create` should cost little more than the clone itself.
    auto adminFuture = std::async(std::launch::async,
                                  [&] { return db::connect(config.golden.dsn, connect, who); });
    auto control = db::ControlDb::open(config.golden.dsn, connect);
    auto admin = adminFuture.get();
    if (!control)
        return std::unexpected(control.error());
    auto snapshot = newestReady(*control, options.snapshot);
    if (!snapshot)
        return std::unexpected(snapshot.error());
    if (!admin)
        return std::unexpected(admin.error());
    if (auto cloned = cloneTemplate(**admin, options.name, *snapshot); !cloned) {
        if (cloned.error().message.find("42P04") != std::string::npos) // duplicate_database
            return fail(ErrorCode::Usage,
                        "a database named \"" + options.name + "\" already exists", who);
        return std::unexpected(cloned.error());
    }
    auto row = db::guarded("control database", "catalogue " + options.name, [&] {
        pqxx::work tx(control->connection());
        tx.exec_params0("INSERT INTO envsync.environments (name, snapshot, owner, expires_at,"
                        " created_by) VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5)",
                        options.name, *snapshot, options.owner.empty() ? actor : options.owner,
                        static_cast<double>(options.ttl.count()), actor);
        const auto info = toInfo(config, tx.exec_params1(std::string(selectEnvironments)
                                                                 + " WHERE e.name = $1",
                                                         options.name));
        tx.commit();
        return info;
    });
    if (!row) {
        (void)db::guarded(who, "drop " + options.name, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("DROP DATABASE IF EXISTS " + copy::quoteIdentifier(options.name));
        });
        return std::unexpected(row.error());
    }
    (void)control->audit(actor, "env.create", options.name, "success",
                         "{\"snapshot\":\"" + *snapshot + "\"}");
    return *row;
}

Result<std::vector<EnvironmentInfo>> listEnvironments(const config::Config &config)
{
    auto control = db::ControlDb::open(config.golden.dsn, connectOptions(config));
    if (!control)
        return std::unexpected(control.error());
    return db::guarded("control database", "list environments", [&] {
        pqxx::nontransaction tx(control->connection());
        std::vector<EnvironmentInfo> out;
        for (const auto &row : tx.exec(std::string(selectEnvironments)
                                       + " ORDER BY e.expires_at, e.name"))
            out.push_back(toInfo(config, row));
        return out;
    });
}

Result<void> dropEnvironment(const config::Config &config, const std::string &name,
                             const std::string &actorName)
{
    const std::string actor = actorName.empty() ? db::currentActor() : actorName;
    const db::ConnectOptions connect = connectOptions(config);
    auto control = db::ControlDb::open(config.golden.dsn, connect);
    if (!control)
        return std::unexpected(control.error());
    auto known = db::guarded("control database", "look up " + name, [&] {
        pqxx::nontransaction tx(control->connection());
        return tx.exec_params1("SELECT count(*) > 0 FROM envsync.environments WHERE name = $1",
                               name)[0]
                .as<bool>();
    });
    if (!known)
        return std::unexpected(known.error());
    if (!*known)
        return fail(ErrorCode::Usage,
                    "no environment named \"" + name + "\" (only environments made by "
                                                       "`envsyncctl env create` can be dropped)",
                    "env");
    auto admin = db::connect(config.golden.dsn, connect, who);
    if (!admin)
        return std::unexpected(admin.error());
    if (auto dropped = db::guarded(who, "drop " + name, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("DROP DATABASE IF EXISTS " + copy::quoteIdentifier(name) + " WITH (FORCE)");
        });
        !dropped)
        return std::unexpected(dropped.error());
    auto forgotten = db::guarded("control database", "forget " + name, [&] {
        pqxx::nontransaction tx(control->connection());
        tx.exec_params0("DELETE FROM envsync.environments WHERE name = $1", name);
    });
    if (!forgotten)
        return std::unexpected(forgotten.error());
    (void)control->audit(actor, "env.drop", name, "success");
    return {};
}

Result<std::vector<std::string>> collectExpired(const config::Config &config,
                                                const QDateTime &nowUtc)
{
    auto all = listEnvironments(config);
    if (!all)
        return std::unexpected(all.error());
    std::vector<std::string> dropped;
    for (const EnvironmentInfo &info : *all) {
        if (!info.expired(nowUtc))
            continue;
        if (auto gone = dropEnvironment(config, info.name, "envsync gc"); !gone)
            return std::unexpected(gone.error());
        dropped.push_back(info.name);
    }
    return dropped;
}

} // namespace envsync::env
