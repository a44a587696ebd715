#include "core/schedule/calendar.h"

#include <algorithm>

namespace envsync::schedule {

namespace {

std::optional<BlackoutInterval> blackoutOver(const std::vector<BlackoutInterval> &blackouts,
                                             const WindowInterval &window)
{
    for (const BlackoutInterval &blackout : blackouts) {
        if (blackout.overlaps(window))
            return blackout;
    }
    return std::nullopt;
}

Result<RegionCalendar> regionCalendar(const config::Config &config,
                                      const config::RegionConfig &region, const QDateTime &fromUtc,
                                      const QDateTime &toUtc, const ExpectedDurations &expected)
{
    RegionCalendar out{region.name, region.timezone, region.owner, {}, {}, std::nullopt};
    auto blackouts = blackoutsFor(config, region);
    if (!blackouts)
        return std::unexpected(blackouts.error());
    for (const BlackoutInterval &blackout : *blackouts) {
        if (blackout.startUtc < toUtc && fromUtc < blackout.endUtc)
            out.blackouts.push_back(blackout);
    }
    auto windows = expandWindow(region, fromUtc, toUtc);
    if (!windows)
        return std::unexpected(windows.error());
    for (const WindowInterval &window : *windows)
        out.windows.push_back({region.name, window, blackoutOver(*blackouts, window)});
    if (const auto found = expected.find(region.name); found != expected.end())
        out.expectedDuration = found->second;
    return out;
}

} // namespace

Result<Calendar> buildCalendar(const config::Config &config, const QDateTime &fromUtc,
                               const QDateTime &toUtc, const ExpectedDurations &expected)
{
    Calendar calendar{fromUtc.toUTC(), toUtc.toUTC(), {}};
    for (const config::RegionConfig &region : config.regions) {
        auto regionPart = regionCalendar(config, region, calendar.fromUtc, calendar.toUtc, expected);
        if (!regionPart)
            return std::unexpected(regionPart.error());
        calendar.regions.push_back(std::move(*regionPart));
    }
    return calendar;
}

std::vector<std::pair<QDateTime, int>> concurrency(const Calendar &calendar)
{
    // +1 at each start, -1 at each end; ends sort before starts at the same instant so
    // back-to-back windows do not count as overlapping.
    std::vector<std::pair<QDateTime, int>> edges;
    for (const RegionCalendar &region : calendar.regions) {
        for (const CalendarWindow &window : region.windows) {
            if (window.cancelled())
                continue;
            edges.emplace_back(std::max(window.interval.startUtc, calendar.fromUtc), +1);
            edges.emplace_back(std::min(window.interval.endUtc, calendar.toUtc), -1);
        }
    }
    std::ranges::sort(edges);
    std::vector<std::pair<QDateTime, int>> steps{{calendar.fromUtc, 0}};
    int open = 0;
    for (const auto &[at, delta] : edges) {
        open += delta;
        if (steps.back().first == at)
            steps.back().second = open;
        else
            steps.emplace_back(at, open);
    }
    return steps;
}

} // namespace envsync::schedule
