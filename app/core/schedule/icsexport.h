#pragma once

#include "core/config/config.h"
#include "core/schedule/calendar.h"

#include <QDateTime>

#include <functional>
#include <string>

namespace envsync::schedule {

struct IcsOptions
{
    std::string productId = "-//EnvSync//envsyncctl//EN";
    /// DTSTAMP of every event; injectable so exports are reproducible in tests.
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
};

/// The calendar as an RFC 5545 VCALENDAR (CRLF line endings, lines folded at 75 octets).
/// One VEVENT per window occurrence, UID "<region>-<UTC start>@envsync" (stable across exports),
/// times as DTSTART;TZID=<region zone>:<local time> with one VTIMEZONE per zone used (libical's
/// zoneinfo-derived definition, kept whole: 0.7-3.3 KB per zone, RRULE-compressed).
/// Occurrences cancelled by a blackout are kept with STATUS:CANCELLED and the blackout reason,
/// so a subscribed calendar shows the slot as cancelled instead of silently dropping it.
/// A local time that occurs twice (DST end) is written in UTC ("...Z"): readers disagree on
/// which occurrence such a local time means (libical takes the second, RFC 5545 the first).
[[nodiscard]] std::string calendarToIcs(const Calendar &calendar, const config::Config &config,
                                        const IcsOptions &options = {});

} // namespace envsync::schedule
