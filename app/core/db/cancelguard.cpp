#include "core/db/cancelguard.h"

#include <libpq-fe.h>

#include <spdlog/spdlog.h>

namespace envsync::db {

CancelGuard::CancelGuard(pqxx::connection_base &connection,
                         const std::shared_ptr<job::CancelToken> &token)
{
    if (!token)
        return;
    // libpqxx 6.4 keeps the PGconn private; cancel_query() asks libpq for a cancel handle and
    // sends the request on the cancelling thread, reading only the connection's key data.
    m_registration = token->onCancel([&connection] {
        try {
            connection.cancel_query();
        } catch (const std::exception &e) {
            spdlog::debug("cancel request not sent: {}", e.what());
        }
    });
}

CancelGuard::CancelGuard(PGconn *connection, const std::shared_ptr<job::CancelToken> &token)
{
    if (!token || !connection)
        return;
    m_cancel = PQgetCancel(connection);
    if (!m_cancel)
        return;
    m_registration = token->onCancel([cancel = m_cancel] {
        char message[256];
        if (PQcancel(cancel, message, sizeof message) == 0)
            spdlog::debug("cancel request not sent: {}", message);
    });
}

CancelGuard::~CancelGuard()
{
    m_registration = {}; // waits for a running cancel action before the handle goes
    if (m_cancel)
        PQfreeCancel(m_cancel);
}

Error cancelledOr(Error error, const std::shared_ptr<job::CancelToken> &token)
{
    if (!job::cancelled(token))
        return error;
    error.code = ErrorCode::Cancelled;
    error.message = "cancelled";
    return error;
}

} // namespace envsync::db
