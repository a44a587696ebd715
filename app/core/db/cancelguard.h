#pragma once

#include "core/error.h"
#include "core/job/canceltoken.h"

#include <pqxx/connection_base>

#include <memory>

struct pg_conn;
struct pg_cancel;

namespace envsync::db {

/// While alive, cancelling `token` also cancels the statement running on the connection on
/// its server (PQcancel), so a cancelled job stops the server's work, not only its own
/// waiting. Create it on the thread that owns the connection, around the statements that can
/// take long; the statement then fails with SQLSTATE 57014, which cancelledOr() turns into
/// ErrorCode::Cancelled. A null token makes the guard a no-op. Destroy it before the
/// connection (its destructor waits for a cancel in progress).
class CancelGuard
{
public:
    CancelGuard(pqxx::connection_base &connection, const std::shared_ptr<job::CancelToken> &token);
    /// For raw libpq connections (the copy engine's): the cancel handle is taken here, on the
    /// owning thread, as libpq asks.
    CancelGuard(pg_conn *connection, const std::shared_ptr<job::CancelToken> &token);
    ~CancelGuard();
    CancelGuard(const CancelGuard &) = delete;
    CancelGuard &operator=(const CancelGuard &) = delete;

private:
    pg_cancel *m_cancel = nullptr;
    job::CancelRegistration m_registration;
};

/// `error` as ErrorCode::Cancelled when `token` was cancelled (a statement cancelled by a
/// CancelGuard, or a connection dropped because of it), else unchanged.
[[nodiscard]] Error cancelledOr(Error error, const std::shared_ptr<job::CancelToken> &token);

} // namespace envsync::db
