#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/schedule/blackouts.h"
#include "core/schedule/windowexpander.h"

#include <QDateTime>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envsync::schedule {

/// One occurrence of a region's refresh window inside the calendar's range.
struct CalendarWindow
{
    std::string region;
    WindowInterval interval;
    /// Set when a blackout overlaps the occurrence: the window is cancelled (not refreshed).
    std::optional<BlackoutInterval> blackout;
    [[nodiscard]] bool cancelled() const { return blackout.has_value(); }
};

/// A region's part of the calendar.
struct RegionCalendar
{
    std::string region;
    std::string timezone;
    std::string owner;
    std::vector<CalendarWindow> windows;     ///< occurrences overlapping the range, by start
    std::vector<BlackoutInterval> blackouts; ///< those overlapping the range
    /// Mean duration of the region's successful refreshes; unset when there is no history.
    std::optional<std::chrono::seconds> expectedDuration;
};

/// Every region's windows and blackouts over [fromUtc, toUtc), in config order.
struct Calendar
{
    QDateTime fromUtc;
    QDateTime toUtc;
    std::vector<RegionCalendar> regions;
};

/// Region name → expected refresh duration (from refresh history, read by the caller so this
/// stays pure and testable without a database).
using ExpectedDurations = std::map<std::string, std::chrono::seconds>;

/// Expands every region's window over the range and marks the occurrences a blackout cancels.
/// Pure (no I/O). Fails (Config) on a bad rule, zone or blackout date, naming the region.
[[nodiscard]] Result<Calendar> buildCalendar(const config::Config &config,
                                             const QDateTime &fromUtc, const QDateTime &toUtc,
                                             const ExpectedDurations &expected = {});

/// How many windows (not cancelled) are open at each moment: a step function as (time, count)
/// points in time order, starting at fromUtc; the count holds until the next point.
[[nodiscard]] std::vector<std::pair<QDateTime, int>> concurrency(const Calendar &calendar);

} // namespace envsync::schedule
