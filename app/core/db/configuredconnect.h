#pragma once

#include "core/config/config.h"
#include "core/db/connection.h"

#include <string>

namespace envsync::db {

/// Connect options from the config's timeouts, with `applicationName` (e.g. "envsync env"):
/// what pg_stat_activity shows, so a DBA can tell EnvSync's sessions apart.
[[nodiscard]] ConnectOptions configuredConnectOptions(const config::Config &config,
                                                      const std::string &applicationName);

} // namespace envsync::db
