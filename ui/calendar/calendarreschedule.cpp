#include "ui/calendar/calendarreschedule.h"

#include "ui/common/jobformat.h"

#include <QStringList>
#include <QTimeZone>

#include <algorithm>
#include <array>

namespace envsync::ui::calendarreschedule {

namespace {

constexpr std::array<const char *, 7> dayCodes = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

std::optional<int> dayNumber(const QString &code)
{
    for (std::size_t i = 0; i < dayCodes.size(); ++i) {
        if (code == QLatin1String(dayCodes[i]))
            return static_cast<int>(i) + 1;
    }
    return std::nullopt;
}

std::optional<std::vector<int>> parseDays(const QString &list)
{
    std::vector<int> days;
    for (const QString &code : list.split(QLatin1Char(','))) {
        const auto day = dayNumber(code.trimmed().toUpper());
        if (!day)
            return std::nullopt;
        days.push_back(*day);
    }
    std::ranges::sort(days);
    const auto [first, last] = std::ranges::unique(days);
    days.erase(first, last);
    return days;
}

QString byDayText(const std::vector<int> &days)
{
    QStringList codes;
    for (const int day : days)
        codes << QLatin1String(dayCodes[static_cast<std::size_t>(day - 1)]);
    return codes.join(QLatin1Char(','));
}

QString clockText(int minutes)
{
    return QStringLiteral("%1:%2")
            .arg(minutes / 60, 2, 10, QLatin1Char('0'))
            .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

std::optional<std::vector<int>> simpleWeeklyDays(const std::string &rrule)
{
    bool weekly = false;
    std::optional<std::vector<int>> days;
    const QStringList parts
            = QString::fromStdString(rrule).split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed().toUpper();
        const QString value = part.section(QLatin1Char('='), 1).trimmed();
        if (key == QLatin1String("FREQ") && value.toUpper() == QLatin1String("WEEKLY"))
            weekly = true;
        else if (key == QLatin1String("BYDAY") && !days)
            days = parseDays(value);
        else
            return std::nullopt;
    }
    if (!weekly || !days || days->empty())
        return std::nullopt;
    return days;
}

bool isDraggable(const config::RegionConfig &region)
{
    return region.window && simpleWeeklyDays(region.window->rrule).has_value();
}

QDateTime snappedStart(const QDateTime &droppedUtc, const std::string &timezone)
{
    const QTimeZone zone(QByteArray::fromStdString(timezone));
    if (!zone.isValid())
        return droppedUtc;
    const QDateTime local = droppedUtc.toTimeZone(zone);
    const int minutes = local.time().hour() * 60 + local.time().minute();
    const int snapped = (minutes + snapMinutes / 2) / snapMinutes * snapMinutes;
    // Built from the wall clock (not by adding seconds) so DST days keep their local time;
    // 23:53 snaps to 24:00, the next day's 00:00.
    constexpr int minutesPerDay = 24 * 60;
    const QDate day = local.date().addDays(snapped / minutesPerDay);
    const int minute = snapped % minutesPerDay;
    return QDateTime(day, QTime(minute / 60, minute % 60), zone).toUTC();
}

std::optional<config::WindowConfig> movedWindow(const config::RegionConfig &region,
                                                const QDateTime &occurrenceStartUtc,
                                                const QDateTime &droppedStartUtc)
{
    if (!isDraggable(region))
        return std::nullopt;
    const QTimeZone zone(QByteArray::fromStdString(region.timezone));
    if (!zone.isValid())
        return std::nullopt;
    const QDateTime before = occurrenceStartUtc.toTimeZone(zone);
    const QDateTime after = snappedStart(droppedStartUtc, region.timezone).toTimeZone(zone);
    const qint64 dayShift = before.date().daysTo(after.date());

    const std::vector<int> beforeDays = *simpleWeeklyDays(region.window->rrule);
    std::vector<int> days;
    for (const int day : beforeDays)
        days.push_back(static_cast<int>(((day - 1 + dayShift) % 7 + 7) % 7) + 1);
    std::ranges::sort(days);

    config::WindowConfig moved = *region.window;
    moved.rrule = "FREQ=WEEKLY;BYDAY=" + byDayText(days).toStdString();
    moved.startMinutes = after.time().hour() * 60 + after.time().minute();
    return moved;
}

QString ruleText(const config::WindowConfig &window, const std::string &timezone)
{
    return QStringLiteral("%1 at %2, %3 (%4)")
            .arg(QString::fromStdString(window.rrule), clockText(window.startMinutes),
                 jobformat::duration(static_cast<double>(window.duration.count())),
                 QString::fromStdString(timezone));
}

config::Config withWindow(const config::Config &config, const std::string &region,
                          const config::WindowConfig &window)
{
    config::Config changed = config;
    for (config::RegionConfig &candidate : changed.regions) {
        if (candidate.name == region)
            candidate.window = window;
    }
    return changed;
}

} // namespace envsync::ui::calendarreschedule
