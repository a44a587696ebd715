#include "core/db/configuredconnect.h"

namespace envsync::db {

ConnectOptions configuredConnectOptions(const config::Config &config, const std::string &applicationName)
{
    ConnectOptions options;
    options.connectTimeout = config.timeouts.connect;
    options.statementTimeout = config.timeouts.statement;
    options.applicationName = applicationName;
    return options;
}

} // namespace envsync::db
