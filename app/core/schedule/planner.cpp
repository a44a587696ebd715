#include "core/schedule/planner.h"

#include "core/schedule/calendarformat.h"
#include "core/schedule/timelinecheck.h"
#include "core/schedule/weeklyexpansion.h"
#include "core/schedule/windowcandidates.h"

#include <QTimeZone>

#include <algorithm>
#include <map>

namespace envsync::schedule {

namespace {

bool involves(const Conflict &conflict, const std::string &region)
{
    return std::ranges::find(conflict.regions, region) != conflict.regions.end();
}

bool sameWindow(const config::WindowConfig &a, const config::WindowConfig &b)
{
    return a.rrule == b.rrule && a.startMinutes == b.startMinutes && a.duration == b.duration;
}

/// What the search needs at hand; single-region calendars are cached by window because the
/// same candidates are expanded again for every region placed after them.
struct Search
{
    config::Config skeleton; ///< the input config without regions (golden, blackouts)
    QDateTime fromUtc;
    QDateTime toUtc;
    const ExpectedDurations &expected;
    struct Expanded
    {
        RegionCalendar calendar;
        Timeline timeline;
    };
    std::map<std::string, Expanded> cache;
    std::map<std::string, std::vector<BlackoutInterval>> blackouts; ///< by region
    /// By zone, start and duration: every day set of a start hour shares one expansion.
    std::map<std::string, std::vector<DatedWindow>> everyDay;
};

std::string cacheKey(const config::RegionConfig &region)
{
    if (!region.window)
        return region.name;
    const config::WindowConfig &window = *region.window;
    return region.name + '\x1f' + window.rrule + '\x1f' + std::to_string(window.startMinutes)
            + '\x1f' + std::to_string(window.duration.count());
}

Result<const std::vector<BlackoutInterval> *> regionBlackouts(Search &search,
                                                             const config::RegionConfig &region)
{
    if (const auto found = search.blackouts.find(region.name); found != search.blackouts.end())
        return &found->second;
    auto blackouts = blackoutsFor(search.skeleton, region);
    if (!blackouts)
        return std::unexpected(blackouts.error());
    return &search.blackouts.emplace(region.name, std::move(*blackouts)).first->second;
}

/// buildCalendar()'s part for one region, for a plain weekly rule without libical.
Result<RegionCalendar> plainWeeklyCalendar(Search &search, const config::RegionConfig &region,
                                           const std::vector<WindowInterval> &windows)
{
    auto blackouts = regionBlackouts(search, region);
    if (!blackouts)
        return std::unexpected(blackouts.error());
    RegionCalendar out{region.name, region.timezone, region.owner, {}, {}, std::nullopt};
    for (const BlackoutInterval &blackout : **blackouts) {
        if (blackout.startUtc < search.toUtc && search.fromUtc < blackout.endUtc)
            out.blackouts.push_back(blackout);
    }
    for (const WindowInterval &window : windows) {
        const auto blackout = std::ranges::find_if(
                **blackouts, [&](const BlackoutInterval &b) { return b.overlaps(window); });
        out.windows.push_back({region.name, window,
                               blackout == (*blackouts)->end()
                                       ? std::nullopt
                                       : std::optional<BlackoutInterval>(*blackout)});
    }
    if (const auto found = search.expected.find(region.name); found != search.expected.end())
        out.expectedDuration = found->second;
    return out;
}

const std::vector<DatedWindow> &everyDay(Search &search, const std::string &timezone,
                                         const config::WindowConfig &window)
{
    const std::string key = timezone + '\x1f' + std::to_string(window.startMinutes) + '\x1f'
            + std::to_string(window.duration.count());
    auto found = search.everyDay.find(key);
    if (found == search.everyDay.end())
        found = search.everyDay
                        .emplace(key, expandEveryDay(timezone, window, search.fromUtc,
                                                     search.toUtc))
                        .first;
    return found->second;
}

Result<RegionCalendar> regionCalendar(Search &search, const config::RegionConfig &region)
{
    const auto days = region.window ? plainWeeklyDays(region.window->rrule) : std::nullopt;
    const QTimeZone zone(QByteArray::fromStdString(region.timezone));
    if (days && zone.isValid())
        return plainWeeklyCalendar(search, region,
                                   onWeekDays(everyDay(search, region.timezone, *region.window),
                                              *days));
    config::Config single = search.skeleton;
    single.regions = {region};
    auto calendar = buildCalendar(single, search.fromUtc, search.toUtc, search.expected);
    if (!calendar)
        return std::unexpected(calendar.error());
    return std::move(calendar->regions.front());
}

Result<const Search::Expanded *> expand(Search &search, const config::RegionConfig &region)
{
    const std::string key = cacheKey(region);
    if (const auto found = search.cache.find(key); found != search.cache.end())
        return &found->second;
    auto calendar = regionCalendar(search, region);
    if (!calendar)
        return std::unexpected(calendar.error());
    Timeline timeline = timelineOf(*calendar);
    return &search.cache.emplace(key, Search::Expanded{std::move(*calendar), std::move(timeline)})
                    .first->second;
}

/// The plannable conflicts of a set of regions (in config order).
Result<std::vector<Conflict>> conflictsOf(Search &search,
                                          const std::vector<config::RegionConfig> &regions)
{
    config::Config config = search.skeleton;
    config.regions = regions;
    Calendar calendar{search.fromUtc, search.toUtc, {}};
    for (const config::RegionConfig &region : regions) {
        auto part = expand(search, region);
        if (!part)
            return std::unexpected(part.error());
        calendar.regions.push_back((*part)->calendar);
    }
    return plannableConflicts(findConflicts(config, calendar));
}

/// Regions in config order; an unset slot is a region still to be placed.
using Placement = std::vector<std::optional<config::RegionConfig>>;

std::vector<config::RegionConfig> placedRegions(const Placement &placement)
{
    std::vector<config::RegionConfig> out;
    for (const auto &slot : placement) {
        if (slot)
            out.push_back(*slot);
    }
    return out;
}

std::string conflictReason(const Conflict &conflict)
{
    return std::string(conflictKindName(conflict.kind)) + ": " + conflict.message;
}

/// Takes every movable region out of the placement that has a conflict of its own (SLA gap,
/// too short); returns region → reason.
std::map<std::string, std::string> unplaceOwnProblems(const config::Config &config,
                                                      const std::vector<Conflict> &conflicts,
                                                      Placement &placement)
{
    std::map<std::string, std::string> reasons;
    for (std::size_t i = 0; i < config.regions.size(); ++i) {
        const config::RegionConfig &region = config.regions[i];
        for (const Conflict &conflict : conflicts) {
            if (conflict.kind == ConflictKind::Capacity || !involves(conflict, region.name)
                || region.production)
                continue;
            placement[i].reset();
            reasons.try_emplace(region.name, conflictReason(conflict));
        }
    }
    return reasons;
}

/// Takes regions out until the placed ones fit the capacity: each time the movable region in
/// the most capacity conflicts (the later one in the config on a tie).
Result<void> unplaceOverCapacity(Search &search, const config::Config &config,
                                 Placement &placement, std::map<std::string, std::string> &reasons)
{
    for (;;) {
        auto conflicts = conflictsOf(search, placedRegions(placement));
        if (!conflicts)
            return std::unexpected(conflicts.error());
        std::optional<std::size_t> evict;
        long mostConflicts = 0;
        for (std::size_t i = 0; i < placement.size(); ++i) {
            if (!placement[i] || placement[i]->production)
                continue;
            const long count = std::ranges::count_if(*conflicts, [&](const Conflict &conflict) {
                return conflict.kind == ConflictKind::Capacity
                        && involves(conflict, config.regions[i].name);
            });
            if (count > 0 && count >= mostConflicts) {
                evict = i;
                mostConflicts = count;
            }
        }
        if (!evict)
            return {};
        const std::string &name = config.regions[*evict].name;
        const auto first = std::ranges::find_if(
                *conflicts, [&](const Conflict &conflict) { return involves(conflict, name); });
        reasons.try_emplace(name, conflictReason(*first));
        placement[*evict].reset();
    }
}

std::chrono::seconds minimumDuration(const Search &search, const std::string &region)
{
    const auto found = search.expected.find(region);
    return found == search.expected.end() ? std::chrono::seconds(0)
                                          : windowWithMargin(found->second);
}

/// Whether `region` (with a candidate window) avoids every conflict with the placed regions,
/// checked fast on timelines; findWindow() confirms a passing candidate with findConflicts().
Result<bool> passesFastCheck(Search &search, const config::RegionConfig &region,
                             const Placement &placement, bool requireSla)
{
    auto candidate = expand(search, region);
    if (!candidate)
        return std::unexpected(candidate.error());
    const qint64 fromMs = search.fromUtc.toMSecsSinceEpoch();
    const qint64 toMs = search.toUtc.toMSecsSinceEpoch();
    if (requireSla && breaksSla((*candidate)->timeline, region.freshnessSla, fromMs, toMs))
        return false;
    std::vector<const Timeline *> placed;
    for (const auto &slot : placement) {
        if (!slot)
            continue;
        auto other = expand(search, *slot);
        if (!other)
            return std::unexpected(other.error());
        placed.push_back(&(*other)->timeline);
    }
    return !exceedsCapacity((*candidate)->timeline, placed,
                            search.skeleton.golden.maxParallelRefreshes, fromMs, toMs);
}

/// The first window for placement slot `index` (today's, then the candidates) that adds no
/// conflict to the regions already placed; nullopt when there is none. Without `requireSla`
/// the region's own SLA gaps are tolerated (the fallback for a region whose SLA cannot hold:
/// at least it should not take capacity from the others).
Result<std::optional<config::WindowConfig>> findWindow(Search &search,
                                                       const config::RegionConfig &region,
                                                       Placement &placement, std::size_t index,
                                                       bool requireSla)
{
    std::vector<config::WindowConfig> candidates;
    const std::chrono::seconds minimum = minimumDuration(search, region.name);
    if (region.window && region.window->duration >= minimum)
        candidates.push_back(*region.window);
    std::ranges::move(windowCandidates(region, minimum), std::back_inserter(candidates));
    config::RegionConfig trial = region;
    for (const config::WindowConfig &candidate : candidates) {
        trial.window = candidate;
        auto fast = passesFastCheck(search, trial, placement, requireSla);
        if (!fast)
            return std::unexpected(fast.error());
        if (!*fast)
            continue;
        placement[index] = trial;
        auto conflicts = conflictsOf(search, placedRegions(placement));
        placement[index].reset();
        if (!conflicts)
            return std::unexpected(conflicts.error());
        if (std::ranges::none_of(*conflicts, [&](const Conflict &conflict) {
                return involves(conflict, region.name)
                        && (requireSla || conflict.kind != ConflictKind::SlaGap);
            }))
            return std::optional<config::WindowConfig>(candidate);
    }
    return std::optional<config::WindowConfig>();
}

/// A blackout inside the gap that alone lasts at least the SLA: nothing can refresh through it.
std::optional<BlackoutInterval> blackoutLongerThanSla(const config::Config &config,
                                                      const config::RegionConfig &region,
                                                      const Conflict &gap)
{
    auto blackouts = blackoutsFor(config, region);
    if (!blackouts)
        return std::nullopt;
    for (const BlackoutInterval &blackout : *blackouts) {
        if (blackout.startUtc < gap.endUtc && gap.startUtc < blackout.endUtc
            && blackout.startUtc.secsTo(blackout.endUtc) >= region.freshnessSla.count())
            return blackout;
    }
    return std::nullopt;
}

/// Why a region's conflicts could not be removed, as one line.
std::string explainRegion(const config::Config &config, const std::string &region,
                          const std::vector<Conflict> &conflicts)
{
    const Conflict &first = conflicts.front();
    const config::RegionConfig *settings = config.findRegion(region);
    std::string why;
    switch (first.kind) {
    case ConflictKind::Capacity:
        why = "every candidate window (any weekly days, any start hour) overlaps other regions' "
              "windows beyond golden.max_parallel_refreshes "
                + std::to_string(config.golden.maxParallelRefreshes);
        break;
    case ConflictKind::SlaGap:
        why = "no candidate window keeps every gap within freshness_sla "
                + durationText(settings ? settings->freshnessSla : std::chrono::seconds(0))
                + " (blackouts cancel occurrences, a DST change lengthens a gap by an hour, "
                  "and capacity "
                + std::to_string(config.golden.maxParallelRefreshes) + " limits the slots)";
        if (const auto blackout = settings ? blackoutLongerThanSla(config, *settings, first)
                                           : std::nullopt) {
            why = "blackout " + (blackout->reason.empty() ? std::string() : '"' + blackout->reason + "\" ")
                    + "lasts " + durationText(std::chrono::seconds(blackout->startUtc.secsTo(blackout->endUtc)))
                    + ", at least its freshness_sla "
                    + durationText(settings->freshnessSla)
                    + ": no window can refresh it in between (blackouts are not moved)";
        }
        break;
    case ConflictKind::TooShort:
    case ConflictKind::Blackout:
        why = "no longer window fits beside the other regions";
        break;
    }
    if (settings && settings->production)
        why = "a production region is never moved";
    return region + ": cannot be satisfied: " + why + "; " + std::to_string(conflicts.size())
            + " conflict(s) left, first: " + conflictReason(first);
}

/// One explanation per region left with conflicts; a capacity conflict is charged to its last
/// region (the one that would have to move).
std::vector<std::string> explainRemaining(const config::Config &config,
                                          const std::vector<Conflict> &remaining)
{
    std::map<std::string, std::vector<Conflict>> byRegion;
    for (const Conflict &conflict : remaining) {
        if (!conflict.regions.empty())
            byRegion[conflict.regions.back()].push_back(conflict);
    }
    std::vector<std::string> out;
    for (const config::RegionConfig &region : config.regions) {
        if (const auto found = byRegion.find(region.name); found != byRegion.end())
            out.push_back(explainRegion(config, region.name, found->second));
    }
    return out;
}

} // namespace

std::vector<Conflict> plannableConflicts(std::vector<Conflict> conflicts)
{
    std::erase_if(conflicts, [](const Conflict &conflict) {
        return conflict.kind == ConflictKind::Blackout;
    });
    return conflicts;
}

config::Config applyPlan(const config::Config &config, const PlanResult &plan)
{
    config::Config out = config;
    for (const WindowChange &change : plan.changes) {
        for (config::RegionConfig &region : out.regions) {
            if (region.name == change.region)
                region.window = change.after;
        }
    }
    return out;
}

Result<PlanResult> planCalendar(const config::Config &config, const QDateTime &fromUtc,
                                const QDateTime &toUtc, const ExpectedDurations &expected)
{
    config::Config skeleton = config;
    skeleton.regions.clear();
    Search search{std::move(skeleton), fromUtc.toUTC(), toUtc.toUTC(), expected, {}, {}, {}};
    PlanResult plan{search.fromUtc, search.toUtc, {}, {}, {}};
    auto baseline = conflictsOf(search, config.regions);
    if (!baseline)
        return std::unexpected(baseline.error());
    if (baseline->empty())
        return plan;

    Placement placement(config.regions.begin(), config.regions.end());
    std::map<std::string, std::string> reasons = unplaceOwnProblems(config, *baseline, placement);
    if (auto fitted = unplaceOverCapacity(search, config, placement, reasons); !fitted)
        return std::unexpected(fitted.error());
    for (std::size_t i = 0; i < placement.size(); ++i) {
        if (placement[i])
            continue;
        const config::RegionConfig &region = config.regions[i];
        auto window = findWindow(search, region, placement, i, true);
        if (window && !*window)
            window = findWindow(search, region, placement, i, false);
        if (!window)
            return std::unexpected(window.error());
        placement[i] = region;
        if (!*window)
            continue; // keeps today's window; the verification below explains it
        placement[i]->window = **window;
        if (!region.window || !sameWindow(*region.window, **window))
            plan.changes.push_back({region.name, region.window, **window, reasons[region.name]});
    }

    // The verdict comes from the real calendar (libical), not from the search's shortcuts.
    const config::Config planned = applyPlan(config, plan);
    auto calendar = buildCalendar(planned, search.fromUtc, search.toUtc, expected);
    if (!calendar)
        return std::unexpected(calendar.error());
    plan.remaining = plannableConflicts(findConflicts(planned, *calendar));
    plan.unsatisfied = explainRemaining(config, plan.remaining);
    return plan;
}

} // namespace envsync::schedule
