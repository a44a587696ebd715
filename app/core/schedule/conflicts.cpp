#include "core/schedule/conflicts.h"

#include "core/schedule/calendarformat.h"

#include <algorithm>
#include <tuple>

namespace envsync::schedule {

namespace {

std::string joinRegions(const std::vector<std::string> &regions)
{
    std::string text;
    for (const std::string &region : regions)
        text += (text.empty() ? "" : ", ") + region;
    return text;
}

/// Non-cancelled occurrences overlapping [start, end), over every region.
std::vector<const CalendarWindow *> openWindows(const Calendar &calendar, const QDateTime &start,
                                                const QDateTime &end)
{
    std::vector<const CalendarWindow *> open;
    for (const RegionCalendar &region : calendar.regions) {
        for (const CalendarWindow &window : region.windows) {
            if (!window.cancelled() && window.interval.startUtc < end
                && start < window.interval.endUtc)
                open.push_back(&window);
        }
    }
    return open;
}

Conflict capacityConflict(const config::Config &config, const Calendar &calendar,
                          const QDateTime &start, const QDateTime &end, int peak)
{
    Conflict conflict{ConflictKind::Capacity, {}, start, end, {}, config.golden.location};
    const std::vector<const CalendarWindow *> open = openWindows(calendar, start, end);
    std::string localTimes;
    const CalendarWindow *latest = nullptr;
    for (const CalendarWindow *window : open) {
        if (std::ranges::find(conflict.regions, window->region) == conflict.regions.end()) {
            conflict.regions.push_back(window->region);
            const config::RegionConfig *region = config.findRegion(window->region);
            localTimes += std::string(localTimes.empty() ? "" : ", ") + window->region + ' '
                          + localTimeText(start, region ? region->timezone : "UTC");
        }
        if (!latest || latest->interval.startUtc < window->interval.startUtc)
            latest = window;
    }
    // The window that opened last is the one that pushed the count over: the one to move.
    if (latest) {
        if (const config::RegionConfig *region = config.findRegion(latest->region);
            region && region->window)
            conflict.location = region->window->location;
    }
    conflict.message = joinRegions(conflict.regions) + ": " + std::to_string(peak)
                       + " windows open at once from " + utcTimeText(start) + " to "
                       + utcTimeText(end) + " UTC (" + localTimes
                       + "), but golden.max_parallel_refreshes is "
                       + std::to_string(config.golden.maxParallelRefreshes);
    return conflict;
}

void addCapacityConflicts(const config::Config &config, const Calendar &calendar,
                          std::vector<Conflict> &out)
{
    const int capacity = config.golden.maxParallelRefreshes;
    const std::vector<std::pair<QDateTime, int>> steps = concurrency(calendar);
    for (std::size_t i = 0; i < steps.size();) {
        if (steps[i].second <= capacity) {
            ++i;
            continue;
        }
        int peak = 0;
        const QDateTime start = steps[i].first;
        while (i < steps.size() && steps[i].second > capacity)
            peak = std::max(peak, steps[i++].second);
        const QDateTime end = i < steps.size() ? steps[i].first : calendar.toUtc;
        if (start < end)
            out.push_back(capacityConflict(config, calendar, start, end, peak));
    }
}

std::string blackoutDays(const BlackoutInterval &blackout, const std::string &timezone)
{
    // Whole local days [from 00:00, to + 1 day 00:00): print the inclusive dates of the config.
    const std::string from = localDateText(blackout.startUtc, timezone);
    const std::string to = localDateText(blackout.endUtc.addSecs(-1), timezone);
    return from == to ? from : from + ".." + to;
}

void addBlackoutConflicts(const RegionCalendar &region, std::vector<Conflict> &out)
{
    for (const CalendarWindow &window : region.windows) {
        if (!window.cancelled())
            continue;
        const BlackoutInterval &blackout = *window.blackout;
        const std::string reason
                = blackout.reason.empty() ? std::string("a blackout") : '"' + blackout.reason + '"';
        out.push_back({ConflictKind::Blackout,
                       {region.region},
                       window.interval.startUtc,
                       window.interval.endUtc,
                       region.region + ": window "
                               + localTimeText(window.interval.startUtc, region.timezone) + "–"
                               + localClockText(window.interval.endUtc, region.timezone)
                               + " is cancelled by " + reason + " ("
                               + blackoutDays(blackout, region.timezone) + ")",
                       blackout.location});
    }
}

/// A stretch without a refresh; an edge of the range stands for an unknown refresh beyond it.
struct Gap
{
    QDateTime start;
    QDateTime end;
    bool fromRangeStart = false;
    bool toRangeEnd = false;
};

std::vector<Gap> refreshGaps(const Calendar &calendar, const RegionCalendar &region)
{
    std::vector<QDateTime> ends;
    for (const CalendarWindow &window : region.windows) {
        if (!window.cancelled() && window.interval.endUtc <= calendar.toUtc)
            ends.push_back(window.interval.endUtc);
    }
    std::ranges::sort(ends);
    std::vector<Gap> gaps;
    QDateTime previous = calendar.fromUtc;
    bool atRangeStart = true;
    for (const QDateTime &end : ends) {
        gaps.push_back({previous, end, atRangeStart, false});
        previous = end;
        atRangeStart = false;
    }
    gaps.push_back({previous, calendar.toUtc, atRangeStart, true});
    return gaps;
}

std::string gapEdgeText(const QDateTime &at, bool rangeEdge, const std::string &timezone)
{
    return localTimeText(at, timezone) + (rangeEdge ? " (edge of the range)" : "");
}

void addSlaConflicts(const config::RegionConfig &config, const Calendar &calendar,
                     const RegionCalendar &region, std::vector<Conflict> &out)
{
    const qint64 sla = config.freshnessSla.count();
    if (sla <= 0)
        return;
    const std::string slaText = durationText(config.freshnessSla);
    if (!config.window) {
        out.push_back({ConflictKind::SlaGap,
                       {region.region},
                       calendar.fromUtc,
                       calendar.toUtc,
                       region.region
                               + ": no refresh window, so nothing keeps it within "
                                 "freshness_sla "
                               + slaText,
                       config.location});
        return;
    }
    for (const Gap &gap : refreshGaps(calendar, region)) {
        const qint64 length = gap.start.secsTo(gap.end);
        if (length <= sla)
            continue;
        const bool lowerBound = gap.fromRangeStart || gap.toRangeEnd;
        out.push_back({ConflictKind::SlaGap,
                       {region.region},
                       gap.start,
                       gap.end,
                       region.region + ": " + (lowerBound ? "at least " : "")
                               + durationText(std::chrono::seconds(length))
                               + " without a refresh, from "
                               + gapEdgeText(gap.start, gap.fromRangeStart, region.timezone)
                               + " to " + gapEdgeText(gap.end, gap.toRangeEnd, region.timezone)
                               + ", longer than freshness_sla " + slaText,
                       config.window->location});
    }
}

void addTooShortConflict(const config::RegionConfig &config, const Calendar &calendar,
                         const RegionCalendar &region, std::vector<Conflict> &out)
{
    if (!config.window || !region.expectedDuration
        || *region.expectedDuration <= config.window->duration)
        return;
    QDateTime start = calendar.fromUtc;
    QDateTime end = calendar.toUtc;
    const auto first = std::ranges::find_if(
            region.windows, [](const CalendarWindow &window) { return !window.cancelled(); });
    if (first != region.windows.end()) {
        start = first->interval.startUtc;
        end = first->interval.endUtc;
    }
    out.push_back({ConflictKind::TooShort,
                   {region.region},
                   start,
                   end,
                   region.region + ": refreshes take " + durationText(*region.expectedDuration)
                           + " on average, longer than the " + durationText(config.window->duration)
                           + " window (" + localTimeText(start, region.timezone) + "–"
                           + localClockText(end, region.timezone) + ")",
                   config.window->location});
}

} // namespace

const char *conflictKindName(ConflictKind kind)
{
    switch (kind) {
    case ConflictKind::Capacity:
        return "capacity";
    case ConflictKind::Blackout:
        return "blackout";
    case ConflictKind::SlaGap:
        return "sla-gap";
    case ConflictKind::TooShort:
        return "too-short";
    }
    return "unknown";
}

std::vector<Conflict> findConflicts(const config::Config &config, const Calendar &calendar)
{
    std::vector<Conflict> conflicts;
    addCapacityConflicts(config, calendar, conflicts);
    for (const RegionCalendar &region : calendar.regions) {
        addBlackoutConflicts(region, conflicts);
        const config::RegionConfig *regionConfig = config.findRegion(region.region);
        if (!regionConfig)
            continue; // a calendar built from another config: nothing to compare against
        addSlaConflicts(*regionConfig, calendar, region, conflicts);
        addTooShortConflict(*regionConfig, calendar, region, conflicts);
    }
    std::ranges::stable_sort(conflicts, [](const Conflict &a, const Conflict &b) {
        return std::tie(a.startUtc, a.kind, a.regions) < std::tie(b.startUtc, b.kind, b.regions);
    });
    return conflicts;
}

} // namespace envsync::schedule
