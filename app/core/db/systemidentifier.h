#pragma once

#include "core/error.h"

#include <pqxx/connection>

#include <string>

namespace envsync::db {

/// pg_control_system().system_identifier of the connection's cluster: two connections with the
/// same value reach the same cluster, whatever host names or ports their DSNs use. `who`
/// names the endpoint in errors.
[[nodiscard]] Result<std::string> systemIdentifier(pqxx::connection &conn, const std::string &who);

} // namespace envsync::db
