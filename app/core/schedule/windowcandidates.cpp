#include "core/schedule/windowcandidates.h"

#include "core/schedule/weeklyexpansion.h"

#include <algorithm>
#include <optional>

namespace envsync::schedule {

namespace {

using DaySet = WeekDays;
constexpr int minutesPerHour = 60;
constexpr long long secondsPerDay = 24 * 3600;

int dayCount(const std::optional<config::WindowConfig> &window)
{
    if (!window)
        return 1;
    if (const auto days = plainWeeklyDays(window->rrule))
        return int(days->count());
    return window->rrule.find("FREQ=DAILY") != std::string::npos ? 7 : 1;
}

/// Longest stretch in days from one chosen weekday to the next (cyclically).
int longestGapDays(const DaySet &days)
{
    int longest = 0;
    for (std::size_t day = 0; day < 7; ++day) {
        if (!days.test(day))
            continue;
        int gap = 1;
        while (!days.test((day + std::size_t(gap)) % 7))
            ++gap;
        longest = std::max(longest, gap);
    }
    return longest;
}

/// `count` days spread as evenly as the week allows, in all 7 rotations (duplicates removed).
std::vector<DaySet> spreadDaySets(int count)
{
    std::vector<DaySet> sets;
    for (int rotation = 0; rotation < 7; ++rotation) {
        DaySet days;
        for (int i = 0; i < count; ++i)
            days.set(std::size_t((i * 7 / count + rotation) % 7));
        if (std::ranges::find(sets, days) == sets.end())
            sets.push_back(days);
    }
    return sets;
}

/// Start hours, the local night first (00:00-05:00), then by closeness to it.
std::vector<int> hoursNightFirst()
{
    std::vector<int> hours(24);
    for (int hour = 0; hour < 24; ++hour)
        hours[std::size_t(hour)] = hour;
    const auto distanceFromNight = [](int hour) {
        return hour <= 5 ? 0 : std::min(hour - 5, 24 - hour);
    };
    std::ranges::stable_sort(hours, {}, distanceFromNight);
    return hours;
}

/// Day counts to try: today's first, then more days (fresher), then fewer.
std::vector<int> dayCountOrder(int current)
{
    std::vector<int> counts{current};
    for (int count = current + 1; count <= 7; ++count)
        counts.push_back(count);
    for (int count = current - 1; count >= 1; --count)
        counts.push_back(count);
    return counts;
}

/// `base` at the start time it has, then at every other whole hour, the night first.
void addStartHours(std::vector<config::WindowConfig> &out, const config::WindowConfig &base,
                   bool includeBaseStart)
{
    if (includeBaseStart)
        out.push_back(base);
    for (const int hour : hoursNightFirst()) {
        if (hour * minutesPerHour == base.startMinutes)
            continue;
        out.push_back(base);
        out.back().startMinutes = hour * minutesPerHour;
    }
}

} // namespace

std::chrono::seconds windowWithMargin(std::chrono::seconds expected)
{
    using namespace std::chrono_literals;
    const std::chrono::seconds margin = std::max<std::chrono::seconds>(expected / 4, 15min);
    const std::chrono::seconds step = 30min;
    return (expected + margin + step - 1s) / step * step;
}

std::vector<config::WindowConfig> windowCandidates(const config::RegionConfig &region,
                                                   std::chrono::seconds minimumDuration)
{
    using namespace std::chrono_literals;
    const std::optional<config::WindowConfig> &current = region.window;
    const std::chrono::seconds duration
            = std::max(minimumDuration, current ? current->duration : std::chrono::seconds(2h));
    const int currentStart = current ? current->startMinutes : 2 * minutesPerHour;
    std::vector<config::WindowConfig> out;
    if (current) {
        config::WindowConfig sameRule = *current;
        sameRule.duration = duration;
        addStartHours(out, sameRule, duration != current->duration);
    }
    const DaySet currentDays
            = current ? plainWeeklyDays(current->rrule).value_or(DaySet()) : DaySet();
    const long long sla = region.freshnessSla.count();
    for (const int count : dayCountOrder(dayCount(current))) {
        std::vector<DaySet> sets = spreadDaySets(count);
        std::ranges::stable_sort(sets, std::greater<>(), [&](const DaySet &days) {
            return (days & currentDays).count();
        });
        for (const DaySet &days : sets) {
            if (days == currentDays || (sla > 0 && longestGapDays(days) * secondsPerDay > sla))
                continue;
            const config::WindowConfig base{plainWeeklyRule(days), currentStart, duration,
                                            current ? current->location : config::SourceLocation{}};
            addStartHours(out, base, true);
        }
    }
    return out;
}

} // namespace envsync::schedule
