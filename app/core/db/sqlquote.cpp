#include "core/db/sqlquote.h"

namespace envsync::db {

std::string quoteIdentifier(std::string_view name)
{
    std::string out;
    out.reserve(name.size() + 2);
    out += '"';
    for (const char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string qualifiedName(std::string_view schema, std::string_view name)
{
    return quoteIdentifier(schema) + '.' + quoteIdentifier(name);
}

std::string quoteLiteral(std::string_view text)
{
    const bool backslash = text.find('\\') != std::string_view::npos;
    std::string out;
    out.reserve(text.size() + 3);
    if (backslash)
        out += 'E';
    out += '\'';
    for (const char c : text) {
        if (c == '\'' || (backslash && c == '\\'))
            out += c;
        out += c;
    }
    out += '\'';
    return out;
}

std::string textArray(const std::vector<std::string> &items)
{
    std::string out = "{";
    for (const auto &item : items) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        for (const char c : item) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

} // namespace envsync::db
