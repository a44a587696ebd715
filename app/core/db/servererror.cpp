#include "core/db/servererror.h"

#include "core/error.h"
#include "core/util/trim.h"

#include <libpq-fe.h>

#include <algorithm>
#include <array>

namespace envsync::db {

namespace {

constexpr std::array<std::string_view, 4> severities{"ERROR:", "FATAL:", "PANIC:", "WARNING:"};

bool startsWithSeverity(std::string_view line)
{
    return std::ranges::any_of(
            severities, [line](std::string_view severity) { return line.starts_with(severity); });
}

std::string_view withoutSeverity(std::string_view line)
{
    for (std::string_view severity : severities) {
        if (line.starts_with(severity))
            return util::trimmed(line.substr(severity.size()));
    }
    return line;
}

/// Replaces every double-quoted part with "…" (the server quotes input values in data errors).
std::string withheldQuotedValues(std::string_view message)
{
    std::string out;
    out.reserve(message.size());
    bool quoted = false;
    for (char c : message) {
        if (c == '"') {
            if (!quoted)
                out += "\"…";
            else
                out += '"';
            quoted = !quoted;
        } else if (!quoted) {
            out += c;
        }
    }
    if (quoted)
        out += '"';
    return out;
}

std::string field(const pg_result *result, int code)
{
    const char *value = PQresultErrorField(result, code);
    return value ? std::string(value) : std::string();
}

} // namespace

ServerErrorFacts factsFromText(std::string_view fullText, std::string_view sqlstate)
{
    ServerErrorFacts facts;
    facts.sqlstate = std::string(sqlstate);
    const std::string_view firstLine = fullText.substr(0, fullText.find('\n'));
    facts.primary = std::string(withoutSeverity(util::trimmed(firstLine)));
    return facts;
}

ServerErrorFacts factsFromResult(const pg_result *result)
{
    ServerErrorFacts facts;
    if (result == nullptr)
        return facts;
    facts.sqlstate = field(result, PG_DIAG_SQLSTATE);
    facts.primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
    facts.schema = field(result, PG_DIAG_SCHEMA_NAME);
    facts.table = field(result, PG_DIAG_TABLE_NAME);
    facts.column = field(result, PG_DIAG_COLUMN_NAME);
    facts.constraint = field(result, PG_DIAG_CONSTRAINT_NAME);
    if (facts.primary.empty())
        facts = factsFromText(PQresultErrorMessage(result), facts.sqlstate);
    return facts;
}

std::string describeServerError(const ServerErrorFacts &facts)
{
    const bool dataException = facts.sqlstate.starts_with("22");
    std::string text = dataException ? withheldQuotedValues(facts.primary) : facts.primary;
    std::string details;
    const auto add = [&details](std::string_view label, const std::string &value) {
        if (value.empty())
            return;
        details += details.empty() ? "" : ", ";
        details += label;
        details += ' ';
        details += value;
    };
    if (!facts.table.empty())
        add("table", facts.schema.empty() ? facts.table : facts.schema + '.' + facts.table);
    add("column", facts.column);
    add("constraint", facts.constraint);
    if (!facts.sqlstate.empty() || !details.empty()) {
        text += " (";
        if (!facts.sqlstate.empty())
            text += "SQLSTATE " + facts.sqlstate + (details.empty() ? "" : "; ");
        text += details + ")";
    }
    return oneLine(text);
}

std::string safeLibpqMessage(std::string_view text)
{
    const std::string_view start = util::trimmed(text.substr(0, text.find('\n')));
    if (startsWithSeverity(start))
        return std::string(withoutSeverity(start));
    return oneLine(text);
}

} // namespace envsync::db
