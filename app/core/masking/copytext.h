#pragma once

#include <string>
#include <string_view>

namespace envsync::masking::copytext {

/// Decodes one field of PostgreSQL's COPY text format (\b \f \n \r \t \v \\, \ooo octal,
/// \xhh hex, any other escaped character as itself). The caller has already checked for \N.
void unescape(std::string_view field, std::string &out);

/// Encodes a value as PostgreSQL's COPY TO writes it (backslash, and \b \f \n \r \t \v).
void escape(std::string_view value, std::string &out);

/// True when the field is the NULL marker.
[[nodiscard]] inline bool isNull(std::string_view field)
{
    return field.size() == 2 && field[0] == '\\' && field[1] == 'N';
}

} // namespace envsync::masking::copytext
