#pragma once

#include "core/config/config.h"
#include "core/schedule/windowexpander.h"

#include <QDateTime>

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::schedule {

/// Weekdays of a plain weekly rule, bit 0 = Monday.
using WeekDays = std::bitset<7>;

/// The days of "FREQ=WEEKLY;BYDAY=MO,TH" (WKST allowed); nullopt for any other rule (DAILY,
/// INTERVAL, COUNT, UNTIL, BYDAY=1MO, ...).
[[nodiscard]] std::optional<WeekDays> plainWeeklyDays(std::string_view rule);

/// "FREQ=WEEKLY;BYDAY=MO,TH".
[[nodiscard]] std::string plainWeeklyRule(const WeekDays &days);

/// One occurrence with the local date it starts on.
struct DatedWindow
{
    QDate localDate;
    WindowInterval interval;
};

/// Occurrences on every day of the range at the window's local start time, overlapping
/// [fromUtc, toUtc), by the same local-time rule as expandWindow() (zonedToUtc). With
/// onWeekDays() this is expandWindow() for a plain weekly rule, without libical's iterator:
/// it walks every occurrence from the 2024 anchor through ICU, too slow for the hundreds of
/// candidate windows the planner tries (which verifies its result with expandWindow()).
[[nodiscard]] std::vector<DatedWindow> expandEveryDay(const std::string &timezone,
                                                      const config::WindowConfig &window,
                                                      const QDateTime &fromUtc,
                                                      const QDateTime &toUtc);

/// The occurrences of `everyDay` that fall on `days`.
[[nodiscard]] std::vector<WindowInterval> onWeekDays(const std::vector<DatedWindow> &everyDay,
                                                     const WeekDays &days);

} // namespace envsync::schedule
