#include "core/refresh/refreshhistory.h"

#include "core/db/configuredconnect.h"

#include <pqxx/pqxx>

#include <optional>

namespace envsync::refresh {

namespace {

QDateTime fromEpochMs(const std::optional<std::int64_t> &ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC) : QDateTime();
}

} // namespace

Result<std::vector<db::RefreshRecord>>
regionHistory(const config::Config &config, const std::string &region, int limit,
              const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "refresh history");
    // openExisting: looking at the history must not create the control database.
    auto control = db::ControlDb::openExisting(
            config.golden.dsn, db::configuredConnectOptions(config, "envsync refresh history"));
    if (!control)
        return std::unexpected(control.error());
    if (!*control)
        return std::vector<db::RefreshRecord>{};
    return db::guarded("control database", "read the refresh history of " + region, [&] {
        pqxx::nontransaction tx((*control)->connection());
        // Epoch milliseconds: no time-zone parsing of timestamptz text on the client.
        const pqxx::result rows = tx.exec_params(
                "SELECT region, snapshot,"
                " (extract(epoch FROM source_as_of) * 1000)::bigint,"
                " (extract(epoch FROM started_at) * 1000)::bigint,"
                " (extract(epoch FROM finished_at) * 1000)::bigint,"
                " result, rows_copied, actor, detail"
                " FROM envsync.refresh_log WHERE region = $1"
                " ORDER BY started_at DESC, id DESC LIMIT $2",
                region, limit);
        std::vector<db::RefreshRecord> history;
        history.reserve(rows.size());
        for (const auto &row : rows) {
            db::RefreshRecord record;
            record.region = row[0].as<std::string>();
            record.snapshot = row[1].get<std::string>().value_or("");
            record.sourceAsOf = fromEpochMs(row[2].get<std::int64_t>());
            record.startedAt = fromEpochMs(row[3].get<std::int64_t>());
            record.finishedAt = fromEpochMs(row[4].get<std::int64_t>());
            record.result = row[5].as<std::string>();
            record.rows = row[6].as<std::int64_t>();
            record.actor = row[7].as<std::string>();
            record.detail = row[8].as<std::string>();
            history.push_back(std::move(record));
        }
        return history;
    });
}

} // namespace envsync::refresh
