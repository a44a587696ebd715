#pragma once

#include "core/schedule/calendar.h"
#include "core/schedule/conflicts.h"

#include <QDateTime>

#include <chrono>

#include <string>
#include <vector>

namespace envsync::schedule {

/// "Mon 2026-03-02 02:00 CET": a UTC instant in an IANA zone, with the zone's abbreviation.
[[nodiscard]] std::string localTimeText(const QDateTime &utc, const std::string &timezone);
/// "02:00 CET": the local clock time only.
[[nodiscard]] std::string localClockText(const QDateTime &utc, const std::string &timezone);
/// "2026-03-02": the local date only.
[[nodiscard]] std::string localDateText(const QDateTime &utc, const std::string &timezone);
/// "3h", "1h30m", "7d1h": days at most (a "1w" reads badly next to "7d" in a freshness_sla).
[[nodiscard]] std::string durationText(std::chrono::seconds duration);
/// "2026-03-02 01:00" (UTC, minutes).
[[nodiscard]] std::string utcTimeText(const QDateTime &utc);
/// "2026-03-02T01:00:00Z".
[[nodiscard]] std::string isoUtcText(const QDateTime &utc);

/// What happens to an occurrence seen at nowUtc: "cancelled: <blackout reason>", "past",
/// "open" (running now) or "scheduled".
[[nodiscard]] std::string occurrenceStatus(const CalendarWindow &window, const QDateTime &nowUtc);

/// Every occurrence of every region in start order, one per row (region, local start with zone
/// abbreviation, UTC start and end, duration, status), then the conflicts.
[[nodiscard]] std::string calendarTable(const Calendar &calendar,
                                        const std::vector<Conflict> &conflicts,
                                        const QDateTime &nowUtc);

/// The calendar as JSON (stable for scripts):
/// {
///   "version": 1, "from": ISO, "to": ISO, "now": ISO,            (UTC, "…Z")
///   "regions": [{"name", "timezone", "owner", "expected_duration_seconds": n | null}],
///   "occurrences": [{"region", "start_utc", "end_utc", "start_local" (ISO with offset),
///                    "zone" (abbreviation), "duration_seconds",
///                    "status": "scheduled" | "open" | "past" | "cancelled",
///                    "blackout_reason" (only when cancelled)}],            (start order)
///   "blackouts": [{"region", "start_utc", "end_utc", "reason"}],
///   "conflicts": [{"kind": "capacity" | "blackout" | "sla-gap" | "too-short", "regions": [..],
///                  "start_utc", "end_utc", "message", "line", "column"}]
/// }
[[nodiscard]] std::string calendarJson(const Calendar &calendar,
                                       const std::vector<Conflict> &conflicts,
                                       const QDateTime &nowUtc);

/// One line per conflict, "FILE:LINE:COL: kind: message" (the config position to fix).
[[nodiscard]] std::string conflictLines(const std::vector<Conflict> &conflicts,
                                        const std::string &configFile);

} // namespace envsync::schedule
