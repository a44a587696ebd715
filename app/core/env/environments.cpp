#include "core/env/environments.h"

#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/db/sqlquote.h"
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
    // No command names here: the CLI and the GUI each say how to make one (Error::missing).
    Error error{ErrorCode::Usage, "there is no golden snapshot yet", who};
    error.missing = Missing::AnySnapshot;
    if (!wanted.empty()) {
        error.message = "no ready snapshot named \"" + wanted + '"';
        error.missing = Missing::NamedSnapshot;
    }
    return std::unexpected(std::move(error));
}

/// The marker (a database setting) so the clone is never mistaken for anything else.
Result<void> markEnvironment(pqxx::connection &admin, const std::string &name,
                             const std::string &snapshot)
{
    return db::guarded(who, "mark " + name, [&] {
        pqxx::nontransaction tx(admin);
        tx.exec0("ALTER DATABASE " + db::quoteIdentifier(name)
                 + " SET envsync.environment = " + db::quoteLiteral(snapshot));
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

/// The catalogue row and its audit record in one statement: one round trip, one commit.
Result<EnvironmentInfo> catalogue(const config::Config &config, db::ControlDb &control,
                                  const CreateOptions &options, const std::string &snapshot,
                                  const std::string &actor)
{
    return db::guarded("control database", "catalogue " + options.name, [&] {
        pqxx::nontransaction tx(control.connection());
        const pqxx::row row = tx.exec_params1(
                "WITH e AS (INSERT INTO envsync.environments"
                " (name, snapshot, owner, expires_at, created_by)"
                " VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5)"
                " RETURNING name, snapshot, owner, created_at, expires_at, created_by),"
                " a AS (INSERT INTO envsync.audit_log (actor, action, target, result, detail)"
                " VALUES ($5, 'env.create', $1, 'success', jsonb_build_object('snapshot', $2::text)))"
                " SELECT e.name, e.snapshot, e.owner, (extract(epoch FROM e.created_at) * 1000)::bigint,"
                " (extract(epoch FROM e.expires_at) * 1000)::bigint, e.created_by, true FROM e",
                options.name, snapshot, options.owner.empty() ? actor : options.owner,
                static_cast<double>(options.ttl.count()), actor);
        return toInfo(config, row);
    });
}

Result<void> forget(db::ControlDb &control, const std::string &name)
{
    return db::guarded("control database", "forget " + name, [&] {
        pqxx::nontransaction tx(control.connection());
        tx.exec_params0("DELETE FROM envsync.environments WHERE name = $1", name);
    });
}

void dropQuietly(pqxx::connection &admin, const std::string &name)
{
    (void)db::guarded(who, "drop " + name, [&] {
        pqxx::nontransaction tx(admin);
        tx.exec0("DROP DATABASE IF EXISTS " + db::quoteIdentifier(name));
    });
}

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
                                          const CreateOptions &options,
                                          const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "env create");
    if (auto valid = validateName(options.name); !valid)
        return std::unexpected(valid.error());
    if (options.ttl.count() <= 0)
        return fail(ErrorCode::Usage, "the time to live must be positive", "env");
    const std::string actor = options.actor.empty() ? db::currentActor() : options.actor;
    const db::ConnectOptions connect = connectOptions(config);
    // Both connections at once: `env create` should cost little more than the clone itself.
    auto adminFuture = std::async(std::launch::async,
                                  [&] { return db::connect(config.golden.dsn, connect, who); });
    auto control = db::ControlDb::open(config, connect);
    auto admin = adminFuture.get();
    if (!control)
        return std::unexpected(control.error());
    auto snapshot = newestReady(*control, options.snapshot);
    if (!snapshot)
        return std::unexpected(snapshot.error());
    if (!admin)
        return std::unexpected(admin.error());
    if (auto cloned
        = envsync::snapshot::cloneSnapshot(**admin, options.name, *snapshot, who, cancel);
        !cloned) {
        if (cloned.error().message.find("42P04") != std::string::npos) // duplicate_database
            return fail(ErrorCode::Usage,
                        "a database named \"" + options.name + "\" already exists", who);
        return std::unexpected(cloned.error());
    }
    if (job::cancelled(cancel)) {
        dropQuietly(**admin, options.name);
        return fail(ErrorCode::Cancelled, "cancelled", who);
    }
    // Marker (admin connection) and catalogue (control connection) are independent commits:
    // running them side by side keeps `env create` close to the bare clone's time.
    auto marked = std::async(std::launch::async,
                             [&] { return markEnvironment(**admin, options.name, *snapshot); });
    auto info = catalogue(config, *control, options, *snapshot, actor);
    const Result<void> marker = marked.get();
    if (info && marker)
        return *info;
    if (info)
        (void)forget(*control, options.name);
    dropQuietly(**admin, options.name);
    return std::unexpected(info ? marker.error() : info.error());
}

Result<std::vector<EnvironmentInfo>>
listEnvironments(const config::Config &config, const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "env list");
    auto control = db::ControlDb::open(config, connectOptions(config));
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
                             const std::string &actorName,
                             const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "env drop");
    const std::string actor = actorName.empty() ? db::currentActor() : actorName;
    const db::ConnectOptions connect = connectOptions(config);
    auto control = db::ControlDb::open(config, connect);
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
    if (!*known) {
        Error error{ErrorCode::Usage, "no environment named \"" + name + '"', "env"};
        error.missing = Missing::Environment;
        return std::unexpected(std::move(error));
    }
    auto admin = db::connect(config.golden.dsn, connect, who);
    if (!admin)
        return std::unexpected(admin.error());
    // The catalogue is only a table: a row may name any database (a hand-edited or hostile
    // row named golden_v1). Only what carries the marker env create wrote is an environment.
    auto unmarked = db::guarded(who, "read the environment marker of " + name, [&] {
        pqxx::nontransaction tx(**admin);
        return tx
                .exec_params1("SELECT EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = $1)"
                              " AND NOT EXISTS (SELECT 1 FROM pg_db_role_setting s"
                              " JOIN pg_database d ON d.oid = s.setdatabase"
                              " CROSS JOIN LATERAL unnest(s.setconfig) AS c(setting)"
                              " WHERE d.datname = $1 AND s.setrole = 0"
                              " AND c.setting LIKE 'envsync.environment=%')",
                              name)[0]
                .as<bool>();
    });
    if (!unmarked)
        return std::unexpected(unmarked.error());
    if (*unmarked) {
        const Error refused{ErrorCode::Refused,
                            "database \"" + name
                                    + "\" carries no environment marker (`env create` did not "
                                      "make it); not dropped",
                            "env"};
        (void)control->audit(actor, "env.drop", name, "refused",
                             "{\"reason\": \"no environment marker\"}");
        return std::unexpected(refused);
    }
    if (auto dropped = db::guarded(who, "drop " + name, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("DROP DATABASE IF EXISTS " + db::quoteIdentifier(name) + " WITH (FORCE)");
        });
        !dropped)
        return std::unexpected(dropped.error());
    if (auto forgotten = forget(*control, name); !forgotten)
        return forgotten;
    (void)control->audit(actor, "env.drop", name, "success");
    return {};
}

Result<CollectResult> collectExpired(const config::Config &config, const QDateTime &nowUtc)
{
    auto all = listEnvironments(config);
    if (!all)
        return std::unexpected(all.error());
    CollectResult result;
    for (const EnvironmentInfo &info : *all) {
        if (!info.expired(nowUtc))
            continue;
        if (auto gone = dropEnvironment(config, info.name, "envsync gc"); !gone) {
            if (gone.error().code != ErrorCode::Refused)
                return std::unexpected(gone.error());
            result.refused.push_back(gone.error());
            continue;
        }
        result.dropped.push_back(info.name);
    }
    return result;
}

} // namespace envsync::env
