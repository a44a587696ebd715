#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace envsync::config {

/// Checks an RFC 5545 recurrence rule ("FREQ=WEEKLY;BYDAY=MO", optionally prefixed "RRULE:").
/// libical only says "bad rule", so the parts are checked here first to give a specific message
/// (unknown part name, unknown FREQ, unknown BYDAY value "XX", out-of-range numbers, parts that
/// do not go together); libical then has the last word, including rules that can never occur.
/// The error is a message without position, e.g. "unknown BYDAY value \"XX\"".
[[nodiscard]] std::expected<void, std::string> validateRRule(std::string_view rule);

/// The form stored in the config and handed to libical: trimmed, without an "RRULE:" prefix and
/// upper-case (RFC 5545 names are case-insensitive, libical only reads upper case).
[[nodiscard]] std::string normalizeRRule(std::string_view rule);

} // namespace envsync::config
