#include "core/schedule/weeklyexpansion.h"

#include "core/schedule/zonedtime.h"

#include <QTimeZone>

#include <algorithm>
#include <array>

namespace envsync::schedule {

namespace {

constexpr std::array<std::string_view, 7> dayCodes{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

std::string_view nextToken(std::string_view &text, char separator)
{
    const std::size_t end = text.find(separator);
    const std::string_view token = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    return token;
}

} // namespace

std::optional<WeekDays> plainWeeklyDays(std::string_view rule)
{
    if (rule.starts_with("RRULE:"))
        rule.remove_prefix(6);
    bool weekly = false;
    WeekDays days;
    while (!rule.empty()) {
        const std::string_view part = nextToken(rule, ';');
        if (part == "FREQ=WEEKLY") {
            weekly = true;
            continue;
        }
        if (part.starts_with("WKST="))
            continue;
        if (!part.starts_with("BYDAY="))
            return std::nullopt;
        std::string_view list = part.substr(6);
        while (!list.empty()) {
            const auto code = std::ranges::find(dayCodes, nextToken(list, ','));
            if (code == dayCodes.end())
                return std::nullopt;
            days.set(std::size_t(code - dayCodes.begin()));
        }
    }
    if (!weekly || days.none())
        return std::nullopt;
    return days;
}

std::string plainWeeklyRule(const WeekDays &days)
{
    std::string rule = "FREQ=WEEKLY;BYDAY=";
    for (std::size_t day = 0; day < days.size(); ++day) {
        if (days.test(day))
            rule += std::string(rule.ends_with('=') ? "" : ",") + std::string(dayCodes[day]);
    }
    return rule;
}

std::vector<DatedWindow> expandEveryDay(const std::string &timezone,
                                        const config::WindowConfig &window,
                                        const QDateTime &fromUtc, const QDateTime &toUtc)
{
    const QTimeZone zone(QByteArray::fromStdString(timezone));
    if (!zone.isValid())
        return {};
    const QTime start = QTime(0, 0).addSecs(window.startMinutes * 60);
    // A window starting up to its duration (plus a day of zone offset) before the range can
    // still overlap it.
    const QDate first = fromUtc.date().addDays(-2 - window.duration.count() / 86400);
    const QDate last = toUtc.date().addDays(1);
    std::vector<DatedWindow> out;
    for (QDate date = first; date <= last; date = date.addDays(1)) {
        const QDateTime startUtc = zonedToUtc(date, start, zone);
        const QDateTime endUtc = startUtc.addSecs(window.duration.count());
        if (startUtc < toUtc && endUtc > fromUtc)
            out.push_back({date, {startUtc, endUtc}});
    }
    return out;
}

std::vector<WindowInterval> onWeekDays(const std::vector<DatedWindow> &everyDay,
                                       const WeekDays &days)
{
    std::vector<WindowInterval> out;
    for (const DatedWindow &window : everyDay) {
        if (days.test(std::size_t(window.localDate.dayOfWeek() - 1)))
            out.push_back(window.interval);
    }
    return out;
}

} // namespace envsync::schedule
