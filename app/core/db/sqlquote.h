#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace envsync::db {

// The one place EnvSync spells SQL quoting. Identifiers are always quoted; values are bound as
// parameters, never spliced: a list goes in as one `$1::text[]` parameter built by textArray.

/// A double-quoted SQL identifier, embedded '"' doubled: `Cust "VIP"` → `"Cust ""VIP"""`.
/// Always quoted, so case, spaces, dots and keywords survive.
[[nodiscard]] std::string quoteIdentifier(std::string_view name);

/// `"schema"."name"`, each part through quoteIdentifier.
[[nodiscard]] std::string qualifiedName(std::string_view schema, std::string_view name);

/// A SQL string literal, only for text that cannot take a bound parameter: utility statements
/// (SET TRANSACTION SNAPSHOT, ALTER DATABASE … SET) and generated DDL a user runs. `it's` →
/// `'it''s'`; text with a backslash becomes `E'…'` with the backslash doubled, as PostgreSQL's
/// quote_literal does, so it reads the same whatever standard_conforming_strings says.
[[nodiscard]] std::string quoteLiteral(std::string_view text);

/// A PostgreSQL array literal of the items, to bind as ONE parameter and use as
/// `= ANY($1::text[])` / `<> ALL($1::text[])`: every element double-quoted, '"' and '\'
/// backslash-escaped, so commas, braces, spaces and the word NULL stay plain text.
/// No items: `{}`.
[[nodiscard]] std::string textArray(const std::vector<std::string> &items);

} // namespace envsync::db
