#include "cli.h"

#include "core/schedule/calendar.h"
#include "core/schedule/calendarformat.h"
#include "core/schedule/conflicts.h"
#include "core/schedule/expecteddurations.h"
#include "core/schedule/icsexport.h"
#include "core/schedule/planner.h"
#include "core/schedule/planpatch.h"

#include <cstdio>
#include <map>
#include <optional>

namespace envsync::cli {

namespace {

constexpr const char *description
        = R"(The refresh calendar: every region's window occurrences in a date range, in the
region's own time zone and in UTC, the blackouts that cancel them, and the conflicts.

  (no action)  one row per occurrence: region, local start with zone abbreviation, UTC start
               and end, duration, status (scheduled, open, past, cancelled: <blackout reason>),
               then the conflicts. Default range: today 00:00 UTC and the 14 days after it.
  check        only the conflicts, one per line as FILE:LINE:COL: kind: message (the place in
               the config to change). Default range: the next 8 weeks.
               Exit 0: no conflicts; 1: conflicts found.
  plan         propose the fewest window changes that remove every capacity, sla-gap and
               too-short conflict (blackouts stay; the occurrences they cancel are accepted):
               a unified diff of the config on stdout (apply with 'patch -p0'), the reasons
               on stderr. Untouched: regions without conflicts. Tried in order: a longer window
               (expected duration + 25 %), another start hour (local night first), other days.
               Exit 0: satisfied (or "no changes needed"); 1: some conflicts remain (explained).
  --format ics an RFC 5545 calendar (one event per occurrence with a VTIMEZONE per zone;
               cancelled occurrences have STATUS:CANCELLED) for calendar applications.

Conflicts:
  capacity   more windows open at once than golden.max_parallel_refreshes (default 1)
  blackout   an occurrence a blackout cancels (blackouts are whole local days of the region)
  sla-gap    more than the region's freshness_sla between two window ends, in real time
  too-short  refreshes take longer on average (refresh history) than the window lasts

Time zones: a window is expanded in its region's IANA zone and lasts its duration in real
time. A start time that a DST change skips moves forward by the gap (02:30 on a spring-forward
night starts at 03:30); a start time that occurs twice takes the first occurrence.

Dates (--from, --to): YYYY-MM-DD means that day 00:00 UTC (--to includes its whole day), or an
ISO date-time, UTC unless it carries an offset (2026-03-29T06:00Z, 2026-03-29T08:00+02:00).

Examples:
  envsyncctl calendar -c envsync.yaml
  envsyncctl calendar -c envsync.yaml --from 2026-12-01 --to 2026-12-31 --format json
  envsyncctl calendar check -c envsync.yaml)";

/// Longer ranges are a typo (a year off) more often than a plan; they also expand slowly.
constexpr qint64 maxRangeDays = 3 * 366;

/// What every action and output format works with.
struct CalendarView
{
    const config::Config &config;
    const schedule::Calendar &calendar;
    const std::vector<schedule::Conflict> &conflicts;
    QDateTime nowUtc;
};

/// An output format; nullptr while it is not implemented.
using Renderer = std::string (*)(const CalendarView &);

std::string renderTable(const CalendarView &view)
{
    return schedule::calendarTable(view.calendar, view.conflicts, view.nowUtc);
}

std::string renderJson(const CalendarView &view)
{
    return schedule::calendarJson(view.calendar, view.conflicts, view.nowUtc);
}

std::string renderIcs(const CalendarView &view)
{
    schedule::IcsOptions options;
    options.now = [&view] { return view.nowUtc; };
    return schedule::calendarToIcs(view.calendar, view.config, options);
}

const std::map<QString, Renderer> &formats()
{
    static const std::map<QString, Renderer> all = {
            {QStringLiteral("table"), renderTable},
            {QStringLiteral("json"), renderJson},
            {QStringLiteral("ics"), renderIcs},
    };
    return all;
}

using Action = int (*)(const CalendarView &, Renderer);

int showCalendar(const CalendarView &view, Renderer render)
{
    std::fputs(render(view).c_str(), stdout);
    return Exit::Ok;
}

int checkCalendar(const CalendarView &view, Renderer render)
{
    if (render != renderTable)
        std::fputs(render(view).c_str(), stdout);
    else if (view.conflicts.empty())
        std::puts("no conflicts");
    else
        std::fputs(schedule::conflictLines(view.conflicts, view.config.path).c_str(), stdout);
    return view.conflicts.empty() ? Exit::Ok : Exit::Found;
}

int planCalendar(const CalendarView &view, Renderer render)
{
    if (render != renderTable) {
        printError("calendar plan writes a patch: --format does not apply");
        return Exit::Usage;
    }
    schedule::ExpectedDurations expected;
    for (const schedule::RegionCalendar &region : view.calendar.regions) {
        if (region.expectedDuration)
            expected[region.region] = *region.expectedDuration;
    }
    auto plan = schedule::planCalendar(view.config, view.calendar.fromUtc, view.calendar.toUtc,
                                       expected);
    if (!plan)
        return reportError(plan.error());
    if (plan->changes.empty() && plan->satisfied())
        std::puts("no changes needed");
    else
        std::fputs(schedule::planPatchForFile(*plan, view.config.path).c_str(), stdout);
    for (const schedule::WindowChange &change : plan->changes)
        printError("plan: " + change.region + ": " + schedule::windowText(change.before) + " -> "
                   + schedule::windowText(change.after) + " (" + change.reason + ")");
    for (const std::string &reason : plan->unsatisfied)
        printError("plan: " + reason);
    return plan->satisfied() ? Exit::Ok : Exit::Found;
}

struct ActionSpec
{
    Action run = nullptr; ///< nullptr while not implemented
    qint64 defaultDays = 14;
};

const std::map<QString, ActionSpec> &actions()
{
    static const std::map<QString, ActionSpec> all = {
            {QString(), {showCalendar, 14}},
            {QStringLiteral("check"), {checkCalendar, 8 * 7}},
            {QStringLiteral("plan"), {planCalendar, 8 * 7}},
    };
    return all;
}

/// An instant given on the command line; a bare date stands for its whole UTC day.
struct Instant
{
    QDateTime utc;
    bool dateOnly = false;
};

std::optional<Instant> parseInstant(const QString &text)
{
    if (text.size() == 10) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        return Instant{QDateTime(date, QTime(0, 0), Qt::UTC), true};
    }
    const QDateTime time = QDateTime::fromString(text, Qt::ISODate);
    if (!time.isValid())
        return std::nullopt;
    // Without an offset Qt reads local time; the contract says UTC.
    if (time.timeSpec() == Qt::LocalTime)
        return Instant{QDateTime(time.date(), time.time(), Qt::UTC), false};
    return Instant{time.toUTC(), false};
}

/// Reads --name; nullopt (after printing why) when it is set but not a date.
std::optional<std::optional<Instant>> instantOption(const QCommandLineParser &parser,
                                                    const QString &name)
{
    if (!parser.isSet(name))
        return std::optional<Instant>();
    const QString value = parser.value(name);
    auto instant = parseInstant(value);
    if (!instant) {
        printError("--" + name.toStdString() + ": invalid date \"" + value.toStdString()
                   + "\" (expected YYYY-MM-DD or an ISO date-time such as 2026-03-29T06:00Z)");
        return std::nullopt;
    }
    return instant;
}

struct Range
{
    QDateTime nowUtc;
    QDateTime fromUtc;
    QDateTime toUtc;
};

std::optional<Range> rangeFromOptions(const QCommandLineParser &parser, qint64 defaultDays)
{
    const auto now = instantOption(parser, QStringLiteral("now"));
    const auto from = instantOption(parser, QStringLiteral("from"));
    const auto to = instantOption(parser, QStringLiteral("to"));
    if (!now || !from || !to)
        return std::nullopt;
    Range range;
    range.nowUtc = *now ? (*now)->utc : QDateTime::currentDateTimeUtc();
    range.fromUtc = *from ? (*from)->utc : QDateTime(range.nowUtc.date(), QTime(0, 0), Qt::UTC);
    if (!*to)
        range.toUtc = range.fromUtc.addDays(defaultDays);
    else
        range.toUtc = (*to)->dateOnly ? (*to)->utc.addDays(1) : (*to)->utc;
    if (range.toUtc <= range.fromUtc) {
        printError("--to must be after --from");
        return std::nullopt;
    }
    if (range.fromUtc.daysTo(range.toUtc) > maxRangeDays) {
        printError("the range is longer than " + std::to_string(maxRangeDays)
                   + " days: give a shorter --from/--to");
        return std::nullopt;
    }
    return range;
}

/// The refresh history is a bonus (too-short checks): the calendar still works without it.
schedule::ExpectedDurations historyOrWarn(const config::Config &config)
{
    auto expected = schedule::expectedDurations(config);
    if (expected)
        return std::move(*expected);
    // libpq's connection messages span lines: keep the warning on one.
    const QString reason = QString::fromStdString(expected.error().describe()).simplified();
    printError("warning: no refresh history (" + reason.toStdString()
               + "): too-short windows are not checked");
    return {};
}

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QString::fromUtf8(description));
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("none (show the calendar), check or plan"),
                                 QStringLiteral("[check|plan]"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("from"), QStringLiteral("First day or instant (UTC)."),
                      QStringLiteral("D")});
    parser.addOption({QStringLiteral("to"),
                      QStringLiteral("Last day (included) or end instant (UTC)."),
                      QStringLiteral("D")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("table (default), json or ics."),
                      QStringLiteral("FORMAT"), QStringLiteral("table")});
    QCommandLineOption now(QStringLiteral("now"), QStringLiteral("Pretend it is this instant."),
                           QStringLiteral("D"));
    now.setFlags(QCommandLineOption::HiddenFromHelp); // for tests: a fixed "today"
    parser.addOption(now);
}

} // namespace

int runCalendar(const QStringList &args)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const auto action = actions().find(positional.value(0));
    if (positional.size() > 1 || action == actions().end()) {
        printError("calendar takes no action, check or plan (see 'envsyncctl calendar --help')");
        return Exit::Usage;
    }
    const QString formatName = parser.value(QStringLiteral("format"));
    const auto format = formats().find(formatName);
    if (format == formats().end()) {
        printError("--format must be table, json or ics, not \"" + formatName.toStdString() + '"');
        return Exit::Usage;
    }
    if (!action->second.run || !format->second) {
        const std::string what = action->second.run ? "--format " + formatName.toStdString()
                                                    : positional[0].toStdString();
        printError("calendar " + what + " is not implemented yet");
        return Exit::Usage;
    }
    const auto range = rangeFromOptions(parser, action->second.defaultDays);
    if (!range)
        return Exit::Usage;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    auto calendar = schedule::buildCalendar(*config, range->fromUtc, range->toUtc,
                                            historyOrWarn(*config));
    if (!calendar)
        return reportError(calendar.error());
    const std::vector<schedule::Conflict> conflicts = schedule::findConflicts(*config, *calendar);
    return action->second.run({*config, *calendar, conflicts, range->nowUtc}, format->second);
}

} // namespace envsync::cli
