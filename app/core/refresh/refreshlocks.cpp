#include "core/refresh/refreshlocks.h"

#include <pqxx/pqxx>

#include <chrono>
#include <thread>

namespace envsync::refresh {

namespace {

constexpr const char *who = "control database";

} // namespace

RefreshLocks::RefreshLocks(db::ControlDb control)
    : m_control(std::move(control))
{}

std::int64_t RefreshLocks::keyFor(const std::string &name)
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (const unsigned char c : name) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(hash);
}

std::int64_t RefreshLocks::regionKey(const std::string &region)
{
    return keyFor("envsync refresh region " + region);
}

Result<std::string> RefreshLocks::describeHolder(std::int64_t key)
{
    return db::guarded(who, "who holds the lock", [&] {
        pqxx::nontransaction tx(m_control.connection());
        tx.exec0("SET TIME ZONE 'UTC'");
        // An int8 advisory key is stored as classid (high half) and objid (low half).
        const pqxx::result rows = tx.exec_params(
                "SELECT coalesce(nullif(a.application_name, ''), 'an unnamed session'),"
                " a.usename, to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') || ' UTC',"
                " a.client_addr::text"
                " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                "   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                "   AND ((l.classid::bigint << 32) | l.objid::bigint) = $1",
                static_cast<std::int64_t>(key));
        if (rows.empty())
            return std::string("another session (it has just finished?)");
        std::string text = rows[0][0].as<std::string>() + " (database user "
                + rows[0][1].get<std::string>().value_or("?") + ", since "
                + rows[0][2].as<std::string>();
        if (!rows[0][3].is_null())
            text += ", from " + rows[0][3].as<std::string>();
        return text + ')';
    });
}

Result<void> RefreshLocks::lockRegion(const std::string &region)
{
    const std::int64_t key = regionKey(region);
    auto locked = m_control.tryAdvisoryLock(key);
    if (!locked)
        return std::unexpected(locked.error());
    if (*locked)
        return {};
    auto holder = describeHolder(key);
    return fail(ErrorCode::Refused,
                "a refresh or rollback of this region is already running: "
                        + holder.value_or(std::string("another session")),
                "region " + region);
}

Result<void> RefreshLocks::acquireGoldenSlot(int slotCount,
                                             const std::shared_ptr<job::CancelToken> &cancel,
                                             const std::function<void(const std::string &)> &onQueued)
{
    bool told = false;
    for (;;) {
        for (int slot = 0; slot < std::max(1, slotCount); ++slot) {
            auto locked = m_control.tryAdvisoryLock(
                    keyFor("envsync golden read slot " + std::to_string(slot)));
            if (!locked)
                return std::unexpected(locked.error());
            if (*locked)
                return {};
        }
        if (!told && onQueued) {
            onQueued("queued: all " + std::to_string(std::max(1, slotCount))
                     + " golden read slot(s) are busy (golden.max_parallel_refreshes); waiting");
            told = true;
        }
        if (cancel && cancel->isCancelled())
            return fail(ErrorCode::Cancelled, "cancelled while queued", "refresh");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

} // namespace envsync::refresh
