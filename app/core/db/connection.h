#pragma once

#include "core/error.h"

#include <pqxx/connection>

#include <chrono>
#include <memory>
#include <string>

namespace envsync::db {

/// Every EnvSync connection carries these; connect_timeout written in the DSN itself wins.
struct ConnectOptions
{
    std::chrono::seconds connectTimeout{5};
    std::chrono::seconds statementTimeout{300};
    std::string applicationName = "envsync";
};

using ConnectionPtr = std::unique_ptr<pqxx::connection>;

/// Opens a connection (blocking; never on the GUI thread). `who` names the endpoint in errors,
/// e.g. "region eu". Honours PGPASSFILE, PGSERVICEFILE and PG* variables through libpq.
[[nodiscard]] Result<ConnectionPtr> connect(const std::string &dsn, const ConnectOptions &options,
                                            const std::string &who);

/// The connection string actually used: the DSN plus timeouts and application_name.
[[nodiscard]] Result<std::string> effectiveConnectionString(const std::string &dsn,
                                                            const ConnectOptions &options);

/// Runs `body(connection)` translating libpqxx exceptions into an Error with `who: operation`.
template<typename Fn>
auto guarded(const std::string &who, const std::string &operation, Fn &&body)
        -> Result<decltype(body())>;

/// Turns the exception in flight into an Error (call inside a catch block).
[[nodiscard]] Error currentExceptionToError(const std::string &who, const std::string &operation);

template<typename Fn>
auto guarded(const std::string &who, const std::string &operation, Fn &&body)
        -> Result<decltype(body())>
{
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            return {};
        } else {
            return body();
        }
    } catch (...) {
        return std::unexpected(currentExceptionToError(who, operation));
    }
}

} // namespace envsync::db
