#include "regioncursor.h"

#include "core/db/connection.h"

#include <pqxx/transaction>

namespace envsync::cdc {

const std::string &regionCursorDdl()
{
    static const std::string ddl
            = "CREATE SCHEMA IF NOT EXISTS _envsync;"
              " CREATE TABLE IF NOT EXISTS _envsync.cdc_applied ("
              "   singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
              "   applied_lsn pg_lsn NOT NULL,"
              "   commit_time timestamptz,"
              "   origin text NOT NULL,"
              "   applied_at timestamptz NOT NULL DEFAULT now());"
              " CREATE TABLE IF NOT EXISTS _envsync.cdc_conflicts ("
              "   table_name text NOT NULL,"
              "   kind text NOT NULL,"
              "   count bigint NOT NULL DEFAULT 0,"
              "   last_at timestamptz NOT NULL DEFAULT now(),"
              "   PRIMARY KEY (table_name, kind));";
    return ddl;
}

Result<void> seedRegionCursor(pqxx::connection &connection, Lsn lsn, const std::string &golden,
                              const std::string &who)
{
    return db::guarded(who, "seed the CDC position", [&] {
        pqxx::work tx(connection);
        tx.exec0(regionCursorDdl());
        tx.exec_params0("INSERT INTO _envsync.cdc_applied (applied_lsn, commit_time, origin)"
                        " VALUES ($1::pg_lsn, NULL, $2) ON CONFLICT (singleton) DO UPDATE"
                        " SET applied_lsn = EXCLUDED.applied_lsn, commit_time = NULL,"
                        " origin = EXCLUDED.origin, applied_at = now()",
                        formatLsn(lsn), golden);
        tx.exec0("TRUNCATE _envsync.cdc_conflicts");
        tx.commit();
    });
}

Result<std::optional<RegionCursor>> readRegionCursor(pqxx::connection &connection,
                                                     const std::string &who)
{
    return db::guarded(who, "read the CDC position", [&]() -> std::optional<RegionCursor> {
        pqxx::read_transaction tx(connection);
        const auto exists = tx.exec1("SELECT to_regclass('_envsync.cdc_applied') IS NOT NULL");
        if (!exists[0].as<bool>())
            return std::nullopt;
        const auto rows = tx.exec(
                "SELECT applied_lsn::text,"
                " coalesce((extract(epoch FROM commit_time) * 1000000)::bigint, 0), origin"
                " FROM _envsync.cdc_applied");
        if (rows.empty())
            return std::nullopt;
        auto lsn = parseLsn(rows[0][0].as<std::string>());
        if (!lsn)
            throw std::runtime_error("unreadable _envsync.cdc_applied: " + lsn.error().message);
        return RegionCursor{*lsn, rows[0][1].as<std::int64_t>(), rows[0][2].as<std::string>()};
    });
}

} // namespace envsync::cdc
