#pragma once

#include "core/report/reportmodel.h"

#include <string>
#include <string_view>

namespace envsync::report {

/// RFC 4180: a header line, then one record per region; CRLF line ends, UTF-8, fields quoted
/// when they hold a comma, quote, CR or LF (quotes doubled). Times are ISO 8601 UTC.
[[nodiscard]] std::string toCsv(const FreshnessReport &report);

/// One RFC 4180 field, quoted only when it must be. A text starting with = + - @, a tab or a
/// CR gets a leading ' (OWASP: no formula runs when the file is opened in a spreadsheet);
/// a plain number such as -5 or -1.5 is left alone.
[[nodiscard]] std::string csvField(std::string_view value);

} // namespace envsync::report
