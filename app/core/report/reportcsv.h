#pragma once

#include "core/report/reportmodel.h"

#include <string>
#include <string_view>

namespace envsync::report {

/// RFC 4180: a header line, then one record per region; CRLF line ends, UTF-8, fields quoted
/// when they hold a comma, quote, CR or LF (quotes doubled). Times are ISO 8601 UTC.
[[nodiscard]] std::string toCsv(const FreshnessReport &report);

/// One RFC 4180 field, quoted only when it must be.
[[nodiscard]] std::string csvField(std::string_view value);

} // namespace envsync::report
