#include "core/snapshot/templateclone.h"

#include "core/db/cancelguard.h"
#include "core/db/connection.h"
#include "core/db/sqlquote.h"

#include <pqxx/nontransaction>

#include <chrono>
#include <thread>

namespace envsync::snapshot {

Result<void> cloneSnapshot(pqxx::connection &admin, const std::string &database,
                           const std::string &snapshot, const std::string &who,
                           const std::shared_ptr<job::CancelToken> &cancel)
{
    const std::string sql = "CREATE DATABASE " + db::quoteIdentifier(database) + " TEMPLATE "
                            + db::quoteIdentifier(snapshot) + " STRATEGY FILE_COPY";
    for (int attempt = 0;; ++attempt) {
        if (job::cancelled(cancel))
            return fail(ErrorCode::Cancelled, "cancelled", who);
        const db::CancelGuard cancelGuard(admin, cancel);
        auto created = db::guarded(who, "clone " + snapshot + " into " + database, [&] {
            pqxx::nontransaction tx(admin);
            tx.exec0(sql);
        });
        if (!created && job::cancelled(cancel))
            return std::unexpected(db::cancelledOr(created.error(), cancel));
        if (created || attempt >= 50 || created.error().message.find("55006") == std::string::npos)
            return created;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

} // namespace envsync::snapshot
