#pragma once

#include <QDateTime>

#include <string>
#include <vector>

namespace envsync::report {

// Small text helpers every report format shares.

/// "2026-11-26T06:40:00Z", or "" when invalid.
[[nodiscard]] std::string isoTime(const QDateTime &utc);
/// Notes joined with "; ".
[[nodiscard]] std::string joinNotes(const std::vector<std::string> &notes);
/// Escapes &, <, >, " and ' for XHTML text and attribute values.
[[nodiscard]] std::string xmlEscape(const std::string &text);

} // namespace envsync::report
