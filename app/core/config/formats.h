#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::config {

// Checks for the small textual formats of the config. Each returns a message without position;
// the loader adds file:line:column and the path.

/// [a-z0-9_-]+: region names end up in database, slot and file names.
[[nodiscard]] bool isValidRegionName(std::string_view name);

/// "HH:MM" (or "H:MM") between 00:00 and 23:59 → minutes after midnight.
[[nodiscard]] std::optional<int> parseTimeOfDay(std::string_view text);

/// A real calendar date written YYYY-MM-DD.
[[nodiscard]] std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text);

/// Where and why a qualified name is malformed (offset: 0-based byte in the text).
struct NameError
{
    std::string message;
    std::size_t offset = 0;
};

/// Parses "schema.table.column" (partCount 3) or "schema.table" (partCount 2) the way PostgreSQL
/// reads identifiers: unquoted parts fold ASCII letters to lower case; double-quoted parts keep
/// their case, may hold dots, spaces and anything else, and "" inside them is one quote. Returns
/// the identifiers as stored in the catalogue (no quotes).
[[nodiscard]] std::expected<std::vector<std::string>, NameError>
parseQualifiedName(std::string_view text, std::size_t partCount);

/// An identifier as a reference parseQualifiedName reads back: plain when it is lower-case
/// [a-z_][a-z0-9_]*, double-quoted (with "" for ") otherwise, like quote_ident (keywords need
/// no quotes here: a reference is not SQL).
[[nodiscard]] std::string quoteIdentifierPart(std::string_view name);

/// The parts joined with dots, each through quoteIdentifierPart.
[[nodiscard]] std::string formatQualifiedName(const std::vector<std::string> &parts);

/// A YAML double-quoted scalar of `text`: quotes and backslashes escaped, control bytes as \xHH
/// (names may hold newlines), everything else as it is.
[[nodiscard]] std::string yamlDoubleQuoted(std::string_view text);

/// A POSIX environment variable name: [A-Za-z_][A-Za-z0-9_]*.
[[nodiscard]] bool isEnvironmentVariableName(std::string_view name);

/// "host:port" or "[ipv6]:port" with a port 1..65535.
[[nodiscard]] std::expected<void, std::string> checkListenAddress(std::string_view text);

/// An absolute http:// or https:// URL with a host.
[[nodiscard]] std::expected<void, std::string> checkHttpUrl(std::string_view text);

/// A size in bytes: a whole number with an optional unit B, kB, MB, GB or TB (case-insensitive,
/// powers of 1024 as in postgresql.conf; "10GB", "512MB", "1048576"). Positive; message on error.
[[nodiscard]] std::expected<std::int64_t, std::string> parseByteSize(std::string_view text);

/// A replication slot or publication name EnvSync accepts: [a-z0-9_]{1,63} (what PostgreSQL
/// allows for slots; for publications it keeps names free of quoting surprises).
[[nodiscard]] bool isValidReplicationName(std::string_view name);

/// True for IANA zone names Qt knows, including backward-compatible links such as "Etc/UTC" or
/// "Europe/Kiev" that Qt's zone.tab-based list omits but the tz database on disk has.
[[nodiscard]] bool isKnownTimeZone(std::string_view name);

/// The closest known zone name, for "did you mean"; empty when nothing is close.
[[nodiscard]] std::string suggestTimeZone(std::string_view name);

} // namespace envsync::config
