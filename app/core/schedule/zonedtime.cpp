#include "core/schedule/zonedtime.h"

#include <algorithm>
#include <optional>

namespace envsync::schedule {

QDateTime zonedToUtc(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    // The local time read as if it were UTC; subtracting the right offset gives the instant.
    const QDateTime wallClock(date, time, Qt::UTC);
    // Zones change their offset at most once within a day or so: the offsets a day before and a
    // day after are the only candidates.
    const int before = zone.offsetFromUtc(wallClock.addDays(-1));
    const int after = zone.offsetFromUtc(wallClock.addDays(1));
    std::optional<QDateTime> earliest;
    for (const int offset : {before, after}) {
        const QDateTime candidate = wallClock.addSecs(-offset);
        if (zone.offsetFromUtc(candidate) == offset)
            earliest = earliest ? std::min(*earliest, candidate) : candidate;
    }
    // No candidate: the time is in a gap. Read with the offset before the change, it lands as
    // far after the change as it was into the gap.
    return earliest ? *earliest : wallClock.addSecs(-before);
}

} // namespace envsync::schedule
