#include "core/refresh/databaseswap.h"

#include "core/db/connection.h"
#include "core/db/sqlquote.h"
#include "core/refresh/faultpoint.h"

#include <pqxx/pqxx>

#include <chrono>
#include <thread>

namespace envsync::refresh {

namespace {

using db::quoteIdentifier;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

} // namespace

DatabaseSwap::DatabaseSwap(pqxx::connection &admin, std::string who)
    : m_admin(admin), m_who(std::move(who))
{}

Result<bool> DatabaseSwap::exists(const std::string &database)
{
    return db::guarded(m_who, "look up " + database, [&] {
        pqxx::nontransaction tx(m_admin);
        return tx.exec_params1("SELECT count(*) > 0 FROM pg_database WHERE datname = $1",
                               database)[0]
                .as<bool>();
    });
}

Result<void> DatabaseSwap::drop(const std::string &database)
{
    return db::guarded(m_who, "drop " + database, [&] {
        pqxx::nontransaction tx(m_admin);
        if (tx.exec_params1("SELECT count(*) FROM pg_database WHERE datname = $1", database)[0]
                    .as<int>()
            == 0)
            return;
        tx.exec0("ALTER DATABASE " + quoteIdentifier(database) + " WITH IS_TEMPLATE false");
        tx.exec0("DROP DATABASE IF EXISTS " + quoteIdentifier(database) + " WITH (FORCE)");
    });
}

Result<void> DatabaseSwap::reopen(const std::string &database)
{
    return db::guarded(m_who, "reopen " + database, [&] {
        pqxx::nontransaction tx(m_admin);
        tx.exec0("ALTER DATABASE " + quoteIdentifier(database) + " WITH ALLOW_CONNECTIONS true");
    });
}

Result<std::vector<std::string>> DatabaseSwap::sessions(const std::string &database)
{
    return db::guarded(m_who, "sessions of " + database, [&] {
        pqxx::nontransaction tx(m_admin);
        std::vector<std::string> out;
        for (const auto &row : tx.exec_params(
                     "SELECT pid::text || ' ' || coalesce(usename, '?') || ' '"
                     " || coalesce(nullif(application_name, ''), '-')"
                     " FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"
                     " ORDER BY pid",
                     database))
            out.push_back(row[0].as<std::string>());
        return out;
    });
}

Result<void> DatabaseSwap::closeAndTerminate(const std::string &database)
{
    return db::guarded(m_who, "close " + database, [&] {
        pqxx::nontransaction tx(m_admin);
        tx.exec0("ALTER DATABASE " + quoteIdentifier(database) + " WITH ALLOW_CONNECTIONS false");
        faultPoint("swap-closed");
        tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = $1 AND pid <> pg_backend_pid()",
                       database);
        // Then wait (≤ 2 s each) until they have left: RENAME finding one still there would
        // sleep 100 ms server-side before looking again (that was half of the swaps' outage).
        tx.exec_params("SELECT pg_terminate_backend(pid, 2000) FROM pg_stat_activity"
                       " WHERE datname = $1 AND pid <> pg_backend_pid()",
                       database);
    });
}

Result<void> DatabaseSwap::renameAtomically(
        const std::vector<std::pair<std::string, std::string>> &renames)
{
    for (int attempt = 0;; ++attempt) {
        auto renamed = db::guarded(m_who, "swap databases", [&] {
            pqxx::work tx(m_admin);
            for (const auto &[from, to] : renames)
                tx.exec0("ALTER DATABASE " + quoteIdentifier(from) + " RENAME TO "
                         + quoteIdentifier(to));
            faultPoint("swap-before-commit");
            tx.commit();
        });
        // A terminated backend takes a few milliseconds to leave: retry "in use" briefly.
        if (renamed || attempt >= 100 || renamed.error().message.find("55006") == std::string::npos)
            return renamed;
        (void)db::guarded(m_who, "terminate sessions", [&] {
            pqxx::nontransaction tx(m_admin);
            for (const auto &[from, to] : renames)
                tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                               " WHERE datname = $1 AND pid <> pg_backend_pid()",
                               from);
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Result<double> DatabaseSwap::promote(const std::string &live, const std::string &next,
                                     const std::string &prev)
{
    auto liveExists = exists(live);
    if (!liveExists)
        return std::unexpected(liveExists.error());
    if (!*liveExists) {
        if (auto renamed = renameAtomically({{next, live}}); !renamed)
            return std::unexpected(renamed.error());
        return 0.0;
    }
    const auto start = Clock::now();
    if (auto closed = closeAndTerminate(live); !closed) {
        (void)reopen(live);
        return std::unexpected(closed.error());
    }
    if (auto renamed = renameAtomically({{live, prev}, {next, live}}); !renamed) {
        (void)reopen(live);
        return std::unexpected(renamed.error());
    }
    const double unavailableMs = msSince(start);
    faultPoint("swap-committed");
    // The old data stays reachable as prev for inspection and rollback.
    if (auto reopened = reopen(prev); !reopened)
        return std::unexpected(reopened.error());
    return unavailableMs;
}

Result<double> DatabaseSwap::exchange(const std::string &live, const std::string &prev,
                                      const std::string &scratch)
{
    const auto start = Clock::now();
    if (auto closed = closeAndTerminate(live); !closed) {
        (void)reopen(live);
        return std::unexpected(closed.error());
    }
    if (auto renamed = renameAtomically({{live, scratch}, {prev, live}, {scratch, prev}});
        !renamed) {
        (void)reopen(live);
        return std::unexpected(renamed.error());
    }
    const double unavailableMs = msSince(start);
    if (auto reopened = reopen(live); !reopened)
        return std::unexpected(reopened.error());
    if (auto reopened = reopen(prev); !reopened)
        return std::unexpected(reopened.error());
    return unavailableMs;
}

} // namespace envsync::refresh
