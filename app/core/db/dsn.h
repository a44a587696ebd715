#pragma once

#include "core/error.h"

#include <map>
#include <string>

namespace envsync::db {

/// A parsed libpq connection string or URI: only the keywords the user wrote, no defaults.
class Dsn
{
public:
    /// Parses with PQconninfoParse; the error is libpq's own message (no secrets in it).
    static Result<Dsn> parse(const std::string &text);
    /// Builds one from keyword/value pairs (values may hold quotes, spaces, unicode).
    static Dsn fromParameters(std::map<std::string, std::string> parameters);

    [[nodiscard]] bool has(const std::string &keyword) const;
    [[nodiscard]] std::string value(const std::string &keyword) const;
    [[nodiscard]] const std::map<std::string, std::string> &parameters() const { return m_params; }

    /// True when a secret is written into the DSN: `password`, or `sslpassword` (the client
    /// key's passphrase). EnvSync refuses both.
    [[nodiscard]] bool hasPassword() const { return has("password") || has("sslpassword"); }

    /// Same server and database: host/hostaddr/port/dbname/service, ignoring options and timeouts.
    [[nodiscard]] bool sameDatabaseAs(const Dsn &other) const;

    /// Returns a copy with keyword set to value (replacing any earlier value).
    [[nodiscard]] Dsn with(const std::string &keyword, const std::string &value) const;

    /// A keyword='value' connection string with every value quoted and escaped.
    [[nodiscard]] std::string toConnectionString() const;

    /// "host:port/dbname" for humans; never includes a password or other parameters.
    [[nodiscard]] std::string displayName() const;

private:
    std::map<std::string, std::string> m_params;
};

} // namespace envsync::db
