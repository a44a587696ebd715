#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace envsync::config {

/// Parses a human duration such as "3h", "7d", "90m", "1h30m", "2w" or "500ms".
/// Units (w, d, h, m, s, ms) must appear largest first and at most once, so "30m1h" and "1h1h"
/// are refused instead of being silently added up. A bare number is refused: "60" could mean
/// seconds or minutes, and guessing wrong would move a refresh window. On failure returns a
/// message meant to follow the offending value, e.g. "unknown unit \"y\"".
[[nodiscard]] std::expected<std::chrono::milliseconds, std::string>
parseDuration(std::string_view text);

/// Text that parseDuration() reads back as the same value for durations >= 0 ("1h30m", "500ms",
/// "0s"); negative durations get a leading "-" for display only.
[[nodiscard]] std::string formatDuration(std::chrono::milliseconds duration);

} // namespace envsync::config
