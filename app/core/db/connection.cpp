#include "core/db/connection.h"

#include "core/db/dsn.h"
#include "core/db/servererror.h"
#include "core/db/threadguard.h"

#include <pqxx/except>

#include <spdlog/spdlog.h>

namespace envsync::db {

Result<std::string> effectiveConnectionString(const std::string &dsn, const ConnectOptions &options)
{
    auto parsed = Dsn::parse(dsn);
    if (!parsed)
        return std::unexpected(parsed.error());
    // EnvSync's sessions carry "envsync …" so a DBA (and the tests) can find them, unless the
    // user's DSN names them itself.
    Dsn effective = *parsed;
    if (!effective.has("application_name"))
        effective = effective.with("application_name", options.applicationName);
    if (!effective.has("connect_timeout"))
        effective = effective.with("connect_timeout", std::to_string(options.connectTimeout.count()));
    std::string serverOptions = effective.value("options");
    if (!serverOptions.empty())
        serverOptions += ' ';
    serverOptions += "-c statement_timeout="
            + std::to_string(std::chrono::milliseconds(options.statementTimeout).count());
    return effective.with("options", serverOptions).toConnectionString();
}

Result<ConnectionPtr> connect(const std::string &dsn, const ConnectOptions &options,
                              const std::string &who)
{
    if (auto refused = refuseOnGuiThread("database connect"))
        return std::unexpected(withContext(*refused, who));
    auto connectionString = effectiveConnectionString(dsn, options);
    if (!connectionString)
        return std::unexpected(withContext(connectionString.error(), who));
    try {
        return std::make_unique<pqxx::connection>(*connectionString);
    } catch (...) {
        Error error = currentExceptionToError(who, "connect");
        error.code = ErrorCode::Unreachable;
        return std::unexpected(error);
    }
}

Error currentExceptionToError(const std::string &who, const std::string &operation)
{
    const std::string context = operation.empty() ? who : who + ": " + operation;
    try {
        throw;
    } catch (const pqxx::broken_connection &e) {
        return Error{ErrorCode::Unreachable, safeLibpqMessage(e.what()), context};
    } catch (const pqxx::sql_error &e) {
        // e.query() and the DETAIL/CONTEXT lines of e.what() may contain row values: only the
        // primary message, the SQLSTATE and the object leave this function.
        return Error{ErrorCode::Database,
                     describeServerError(factsFromText(e.what(), e.sqlstate())), context};
    } catch (const std::exception &e) {
        return Error{ErrorCode::Database, safeLibpqMessage(e.what()), context};
    } catch (...) {
        return Error{ErrorCode::Internal, "unknown exception", context};
    }
}

} // namespace envsync::db
