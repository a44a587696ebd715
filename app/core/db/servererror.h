#pragma once

#include <string>
#include <string_view>

struct pg_result;

namespace envsync::db {

/// What of a PostgreSQL error EnvSync may show, log, audit or put into a report: the SQLSTATE,
/// the primary message and the object it names. DETAIL ("Failing row contains (…)", "Key
/// (email)=(…)"), CONTEXT (a COPY line with its values), HINT and QUERY are dropped, because
/// they can carry row values (PII) of the database being copied or masked.
struct ServerErrorFacts
{
    std::string sqlstate;
    std::string primary;
    std::string schema;
    std::string table;
    std::string column;
    std::string constraint;
};

/// The facts of libpq's full error text (what libpqxx's exceptions carry): the first line without
/// its severity prefix ("ERROR:  "), and the SQLSTATE given separately.
[[nodiscard]] ServerErrorFacts factsFromText(std::string_view fullText, std::string_view sqlstate);

/// The facts of a failed libpq result, field by field (PG_DIAG_*).
[[nodiscard]] ServerErrorFacts factsFromResult(const pg_result *result);

/// One line: "primary (SQLSTATE 23514; table public.t, column c, constraint k)". In data
/// exceptions (SQLSTATE class 22) the server quotes the offending input value in the primary
/// message ("invalid input syntax for type integer: \"…\""); those quoted parts are withheld.
[[nodiscard]] std::string describeServerError(const ServerErrorFacts &facts);

/// A libpq message that may be a server error or a client-side one (PQerrorMessage, libpqxx's
/// connection failures): a server error ("ERROR:  …") keeps its primary line only; anything else
/// is folded into one line.
[[nodiscard]] std::string safeLibpqMessage(std::string_view text);

} // namespace envsync::db
