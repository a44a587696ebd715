#pragma once

#include "core/error.h"

#include <QDateTime>

#include <string>
#include <vector>

namespace envsync::schedule {

/// One VEVENT read back from an iCalendar text.
struct ParsedEvent
{
    std::string uid;
    QDateTime startUtc;
    QDateTime endUtc;
    std::string summary;
    std::string description; ///< unescaped
    std::string timezone;    ///< TZID of DTSTART; empty for UTC times
    bool cancelled = false;  ///< STATUS:CANCELLED
};

/// Parses iCalendar text with libical. A TZID must resolve through a VTIMEZONE embedded in the
/// text (never libical's own zone database), so a missing VTIMEZONE is an error, as is any
/// line libical could not parse (Usage: the input is at fault).
[[nodiscard]] Result<std::vector<ParsedEvent>> parseIcs(const std::string &text);

} // namespace envsync::schedule
