#include "ui/calendar/calendartooltips.h"

#include "ui/calendar/calendarreschedule.h"
#include "ui/common/jobformat.h"

#include <QStringList>

namespace envsync::ui::calendartooltips {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QTimeZone zoneOf(const std::string &iana)
{
    return QTimeZone(QByteArray::fromStdString(iana));
}

QString seconds(qint64 value)
{
    return jobformat::duration(double(value));
}

QString refreshLine(const db::RefreshRecord &record, const QTimeZone &zone)
{
    const QDateTime end = record.finishedAt.isValid() ? record.finishedAt : record.startedAt;
    QString line = QStringLiteral("Refresh %1: %2")
                           .arg(qs(record.result), interval(record.startedAt, end, zone));
    if (record.finishedAt.isValid())
        line += QStringLiteral(" (%1)").arg(seconds(record.startedAt.secsTo(record.finishedAt)));
    if (!record.snapshot.empty())
        line += QStringLiteral(" from ") + qs(record.snapshot);
    if (record.result != "success" && !record.detail.empty())
        line += QStringLiteral("\n  ") + qs(record.detail);
    return line;
}

QString viewerLine(const QDateTime &startUtc, const QDateTime &endUtc, const QTimeZone &viewer)
{
    return QStringLiteral("%1 your time (%2)")
            .arg(interval(startUtc, endUtc, viewer), QString::fromUtf8(viewer.id()));
}

} // namespace

QString interval(const QDateTime &startUtc, const QDateTime &endUtc, const QTimeZone &zone)
{
    const QDateTime start = startUtc.toTimeZone(zone);
    const QDateTime end = endUtc.toTimeZone(zone);
    const QString endText = end.date() == start.date() ? end.toString(QStringLiteral("HH:mm"))
                                                       : end.toString(QStringLiteral("ddd HH:mm"));
    return QStringLiteral("%1–%2 %3")
            .arg(start.toString(QStringLiteral("ddd HH:mm")), endText, zone.abbreviation(startUtc));
}

QString window(const CalendarData &data, const TimelineWindowItem &item,
               const QTimeZone &viewerZone)
{
    const schedule::RegionCalendar &region = data.calendar.regions[item.region];
    const schedule::CalendarWindow &occurrence = region.windows[item.window];
    const schedule::WindowInterval &span = occurrence.interval;
    QStringList lines;
    lines << QStringLiteral("%1 — refresh window").arg(qs(region.region));
    lines << QStringLiteral("%1 (%2)").arg(
            interval(span.startUtc, span.endUtc, zoneOf(region.timezone)), qs(region.timezone));
    lines << viewerLine(span.startUtc, span.endUtc, viewerZone);
    QString length = QStringLiteral("Duration %1").arg(seconds(span.startUtc.secsTo(span.endUtc)));
    length += region.expectedDuration ? QStringLiteral(" · expected %1")
                                                .arg(seconds(region.expectedDuration->count()))
                                      : QStringLiteral(" · expected: no refresh yet");
    lines << length;
    if (occurrence.blackout)
        lines << QStringLiteral("Cancelled by blackout: %1").arg(qs(occurrence.blackout->reason));
    if (item.ran)
        lines << refreshLine(*item.ran, zoneOf(region.timezone));
    else if (item.past && !occurrence.cancelled())
        lines << QStringLiteral("No refresh recorded in this window");
    for (const std::size_t index : item.conflicts)
        lines << QStringLiteral("⚠ Conflict: ") + qs(data.conflicts[index].message);

    const config::RegionConfig *config
            = data.config ? data.config->findRegion(region.region) : nullptr;
    if (config && config->window && !item.past) {
        lines << (calendarreschedule::isDraggable(*config)
                          ? QStringLiteral("Drag to move the window (%1)")
                          : QStringLiteral("The rule %1 can be edited in the config file only"))
                         .arg(qs(config->window->rrule));
    }
    return lines.join(QLatin1Char('\n'));
}

QString blackout(const CalendarData &data, const TimelineBlackoutItem &item,
                 const QTimeZone &viewerZone)
{
    const schedule::RegionCalendar &region = data.calendar.regions[item.region];
    const schedule::BlackoutInterval &blackout = region.blackouts[item.blackout];
    const QTimeZone zone = zoneOf(region.timezone);
    const QDateTime lastDay = blackout.endUtc.toTimeZone(zone).addDays(-1);
    return QStringLiteral("Blackout for %1: %2\n%3 to %4 (whole days, %5)\n%6")
            .arg(qs(region.region), qs(blackout.reason),
                 blackout.startUtc.toTimeZone(zone).toString(QStringLiteral("ddd d MMM yyyy")),
                 lastDay.toString(QStringLiteral("ddd d MMM yyyy")), qs(region.timezone),
                 viewerLine(blackout.startUtc, blackout.endUtc, viewerZone));
}

QString refreshMark(const CalendarData &data, const TimelineRefreshMark &mark,
                    const QTimeZone &viewerZone)
{
    const schedule::RegionCalendar &region = data.calendar.regions[mark.region];
    return QStringLiteral("%1 — refresh outside its windows\n%2\n%3")
            .arg(qs(region.region), refreshLine(mark.record, zoneOf(region.timezone)),
                 viewerLine(mark.record.startedAt,
                            mark.record.finishedAt.isValid() ? mark.record.finishedAt
                                                             : mark.record.startedAt,
                            viewerZone));
}

} // namespace envsync::ui::calendartooltips
