#include "core/schedule/calendarformat.h"

#include "core/config/duration.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>

namespace envsync::schedule {

namespace {

QDateTime inZone(const QDateTime &utc, const std::string &timezone)
{
    return utc.toTimeZone(QTimeZone(QByteArray::fromStdString(timezone)));
}

/// C locale: day names must not depend on the user's language (scripts read the table too).
std::string formatted(const QDateTime &time, const QString &format)
{
    return QLocale::c().toString(time, format).toStdString();
}

QString text(const std::string &value)
{
    return QString::fromStdString(value);
}

/// Every occurrence of the calendar, in start order (config order on ties).
std::vector<const CalendarWindow *> occurrences(const Calendar &calendar)
{
    std::vector<const CalendarWindow *> all;
    for (const RegionCalendar &region : calendar.regions) {
        for (const CalendarWindow &window : region.windows)
            all.push_back(&window);
    }
    std::ranges::stable_sort(all, [](const CalendarWindow *a, const CalendarWindow *b) {
        return a->interval.startUtc < b->interval.startUtc;
    });
    return all;
}

const RegionCalendar &regionOf(const Calendar &calendar, const CalendarWindow &window)
{
    return *std::ranges::find_if(calendar.regions, [&](const RegionCalendar &region) {
        return region.region == window.region;
    });
}

std::string statusName(const CalendarWindow &window, const QDateTime &nowUtc)
{
    if (window.cancelled())
        return "cancelled";
    if (window.interval.endUtc <= nowUtc)
        return "past";
    return window.interval.contains(nowUtc) ? "open" : "scheduled";
}

std::string row(const std::string &region, const std::string &local, const std::string &start,
                const std::string &end, const std::string &duration, const std::string &status)
{
    const auto padded = [](const std::string &text, std::size_t width) {
        return text + std::string(text.size() < width ? width - text.size() : 0, ' ') + ' ';
    };
    // The status (a blackout reason) is last and unpadded: any length fits.
    return padded(region, 10) + padded(local, 26) + padded(start, 17) + padded(end, 17)
           + padded(duration, 8) + status + '\n';
}

QJsonObject occurrenceJson(const CalendarWindow &window, const std::string &timezone,
                           const QDateTime &nowUtc)
{
    const QDateTime local = inZone(window.interval.startUtc, timezone);
    QJsonObject object{{QStringLiteral("region"), text(window.region)},
                       {QStringLiteral("start_utc"), text(isoUtcText(window.interval.startUtc))},
                       {QStringLiteral("end_utc"), text(isoUtcText(window.interval.endUtc))},
                       {QStringLiteral("start_local"), local.toString(Qt::ISODate)},
                       {QStringLiteral("zone"), local.timeZoneAbbreviation()},
                       {QStringLiteral("duration_seconds"),
                        window.interval.startUtc.secsTo(window.interval.endUtc)},
                       {QStringLiteral("status"), text(statusName(window, nowUtc))}};
    if (window.cancelled())
        object.insert(QStringLiteral("blackout_reason"), text(window.blackout->reason));
    return object;
}

QJsonObject conflictJson(const Conflict &conflict)
{
    QJsonArray regions;
    for (const std::string &region : conflict.regions)
        regions.append(text(region));
    return {{QStringLiteral("kind"), QString::fromLatin1(conflictKindName(conflict.kind))},
            {QStringLiteral("regions"), regions},
            {QStringLiteral("start_utc"), text(isoUtcText(conflict.startUtc))},
            {QStringLiteral("end_utc"), text(isoUtcText(conflict.endUtc))},
            {QStringLiteral("message"), text(conflict.message)},
            {QStringLiteral("line"), conflict.location.line},
            {QStringLiteral("column"), conflict.location.column}};
}

QJsonValue expectedJson(const RegionCalendar &region)
{
    if (!region.expectedDuration)
        return QJsonValue::Null;
    return static_cast<qint64>(region.expectedDuration->count());
}

} // namespace

std::string localTimeText(const QDateTime &utc, const std::string &timezone)
{
    const QDateTime local = inZone(utc, timezone);
    return formatted(local, QStringLiteral("ddd yyyy-MM-dd HH:mm "))
           + local.timeZoneAbbreviation().toStdString();
}

std::string localClockText(const QDateTime &utc, const std::string &timezone)
{
    const QDateTime local = inZone(utc, timezone);
    return formatted(local, QStringLiteral("HH:mm ")) + local.timeZoneAbbreviation().toStdString();
}

std::string localDateText(const QDateTime &utc, const std::string &timezone)
{
    return formatted(inZone(utc, timezone), QStringLiteral("yyyy-MM-dd"));
}

std::string durationText(std::chrono::seconds duration)
{
    const auto days = std::chrono::duration_cast<std::chrono::days>(duration);
    const auto rest = duration - days;
    if (days.count() == 0)
        return config::formatDuration(rest);
    return std::to_string(days.count()) + 'd'
           + (rest.count() == 0 ? "" : config::formatDuration(rest));
}

std::string utcTimeText(const QDateTime &utc)
{
    return formatted(utc.toUTC(), QStringLiteral("yyyy-MM-dd HH:mm"));
}

std::string isoUtcText(const QDateTime &utc)
{
    return utc.toUTC().toString(Qt::ISODate).toStdString();
}

std::string occurrenceStatus(const CalendarWindow &window, const QDateTime &nowUtc)
{
    if (!window.cancelled())
        return statusName(window, nowUtc);
    const std::string &reason = window.blackout->reason;
    return "cancelled: " + (reason.empty() ? std::string("blackout") : reason);
}

/// "Blackouts:" and one line per region a blackout in the range covers, in local days.
std::string blackoutLines(const Calendar &calendar)
{
    std::string out;
    for (const RegionCalendar &region : calendar.regions) {
        for (const BlackoutInterval &blackout : region.blackouts) {
            out += "  " + region.region + ": "
                    + localDateText(blackout.startUtc, region.timezone) + " .. "
                    + localDateText(blackout.endUtc.addSecs(-1), region.timezone) + "  "
                    + (blackout.reason.empty() ? std::string("blackout") : blackout.reason)
                    + '\n';
        }
    }
    return out.empty() ? out : "\nBlackouts (no refresh on these local days):\n" + out;
}

std::string calendarTable(const Calendar &calendar, const std::vector<Conflict> &conflicts,
                          const QDateTime &nowUtc)
{
    std::string out
            = row("REGION", "LOCAL START", "START (UTC)", "END (UTC)", "DURATION", "STATUS");
    const auto all = occurrences(calendar);
    for (const CalendarWindow *window : all) {
        out += row(window->region,
                   localTimeText(window->interval.startUtc, regionOf(calendar, *window).timezone),
                   utcTimeText(window->interval.startUtc), utcTimeText(window->interval.endUtc),
                   durationText(std::chrono::seconds(
                           window->interval.startUtc.secsTo(window->interval.endUtc))),
                   occurrenceStatus(*window, nowUtc));
    }
    if (all.empty())
        out += "(no window in " + utcTimeText(calendar.fromUtc) + " .. "
               + utcTimeText(calendar.toUtc) + " UTC)\n";
    out += blackoutLines(calendar);
    if (conflicts.empty())
        return out + "\nNo conflicts.\n";
    out += "\nConflicts (" + std::to_string(conflicts.size()) + "):\n";
    for (const Conflict &conflict : conflicts)
        out += std::string("  ") + conflictKindName(conflict.kind) + ": " + conflict.message + '\n';
    return out;
}

std::string calendarJson(const Calendar &calendar, const std::vector<Conflict> &conflicts,
                         const QDateTime &nowUtc)
{
    QJsonArray regions;
    QJsonArray blackouts;
    for (const RegionCalendar &region : calendar.regions) {
        regions.append(
                QJsonObject{{QStringLiteral("name"), text(region.region)},
                            {QStringLiteral("timezone"), text(region.timezone)},
                            {QStringLiteral("owner"), text(region.owner)},
                            {QStringLiteral("expected_duration_seconds"), expectedJson(region)}});
        for (const BlackoutInterval &blackout : region.blackouts) {
            blackouts.append(
                    QJsonObject{{QStringLiteral("region"), text(region.region)},
                                {QStringLiteral("start_utc"), text(isoUtcText(blackout.startUtc))},
                                {QStringLiteral("end_utc"), text(isoUtcText(blackout.endUtc))},
                                {QStringLiteral("reason"), text(blackout.reason)}});
        }
    }
    QJsonArray occurrenceArray;
    for (const CalendarWindow *window : occurrences(calendar))
        occurrenceArray.append(
                occurrenceJson(*window, regionOf(calendar, *window).timezone, nowUtc));
    QJsonArray conflictArray;
    for (const Conflict &conflict : conflicts)
        conflictArray.append(conflictJson(conflict));
    const QJsonObject document{{QStringLiteral("version"), 1},
                               {QStringLiteral("from"), text(isoUtcText(calendar.fromUtc))},
                               {QStringLiteral("to"), text(isoUtcText(calendar.toUtc))},
                               {QStringLiteral("now"), text(isoUtcText(nowUtc))},
                               {QStringLiteral("regions"), regions},
                               {QStringLiteral("occurrences"), occurrenceArray},
                               {QStringLiteral("blackouts"), blackouts},
                               {QStringLiteral("conflicts"), conflictArray}};
    return QJsonDocument(document).toJson(QJsonDocument::Indented).toStdString();
}

std::string conflictLines(const std::vector<Conflict> &conflicts, const std::string &configFile)
{
    std::string out;
    for (const Conflict &conflict : conflicts) {
        out += configFile + ':' + std::to_string(conflict.location.line) + ':'
               + std::to_string(conflict.location.column) + ": " + conflictKindName(conflict.kind)
               + ": " + conflict.message + '\n';
    }
    return out;
}

} // namespace envsync::schedule
