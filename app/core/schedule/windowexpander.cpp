#include "core/schedule/windowexpander.h"

#include "core/schedule/zonedtime.h"

#include <libical/ical.h>

#include <QTimeZone>

#include <memory>

namespace envsync::schedule {

namespace {

/// Weekly rules over years stay far below this; it only bounds pathological MINUTELY rules.
constexpr int maxOccurrences = 200000;
const QDate anchorDate(2024, 1, 1);

struct IteratorDeleter
{
    void operator()(icalrecur_iterator *it) const { icalrecur_iterator_free(it); }
};

QDateTime localToUtc(const icaltimetype &local, const QTimeZone &zone)
{
    const QDate date(local.year, local.month, local.day);
    const QTime time(local.hour, local.minute, local.second);
    return zonedToUtc(date, time, zone);
}

} // namespace

Result<std::vector<WindowInterval>> expandWindow(const config::RegionConfig &region,
                                                 const QDateTime &fromUtc, const QDateTime &toUtc)
{
    std::vector<WindowInterval> out;
    if (!region.window)
        return out;
    const config::WindowConfig &window = *region.window;
    const QTimeZone zone(QByteArray::fromStdString(region.timezone));
    if (!zone.isValid())
        return fail(ErrorCode::Config, "unknown time zone " + region.timezone,
                    "region " + region.name);
    std::string rule = window.rrule;
    if (rule.starts_with("RRULE:"))
        rule.erase(0, 6);
    icalerror_clear_errno();
    const icalrecurrencetype recurrence = icalrecurrencetype_from_string(rule.c_str());
    if (recurrence.freq == ICAL_NO_RECURRENCE)
        return fail(ErrorCode::Config, "unparsable RRULE " + window.rrule, "region " + region.name);

    icaltimetype start = icaltime_null_time();
    start.year = anchorDate.year();
    start.month = anchorDate.month();
    start.day = anchorDate.day();
    start.hour = window.startMinutes / 60;
    start.minute = window.startMinutes % 60;
    start.is_date = 0;
    std::unique_ptr<icalrecur_iterator, IteratorDeleter> it(
            icalrecur_iterator_new(recurrence, start));
    if (!it)
        return fail(ErrorCode::Config, "cannot expand RRULE " + window.rrule,
                    "region " + region.name);
    const qint64 durationSeconds = window.duration.count();
    for (int i = 0; i < maxOccurrences; ++i) {
        const icaltimetype next = icalrecur_iterator_next(it.get());
        if (icaltime_is_null_time(next))
            break;
        const QDateTime startUtc = localToUtc(next, zone);
        if (startUtc >= toUtc)
            break;
        const QDateTime endUtc = startUtc.addSecs(durationSeconds);
        if (endUtc > fromUtc)
            out.push_back({startUtc, endUtc});
    }
    return out;
}

Result<std::optional<WindowInterval>> windowAt(const config::RegionConfig &region,
                                               const QDateTime &nowUtc)
{
    const qint64 span = region.window ? region.window->duration.count() : 0;
    auto windows = expandWindow(region, nowUtc.addSecs(-span), nowUtc.addSecs(1));
    if (!windows)
        return std::unexpected(windows.error());
    for (const WindowInterval &window : *windows) {
        if (window.contains(nowUtc))
            return std::optional<WindowInterval>(window);
    }
    return std::optional<WindowInterval>();
}

Result<std::optional<WindowInterval>> nextWindow(const config::RegionConfig &region,
                                                 const QDateTime &nowUtc)
{
    auto windows = expandWindow(region, nowUtc, nowUtc.addDays(366));
    if (!windows)
        return std::unexpected(windows.error());
    for (const WindowInterval &window : *windows) {
        if (window.startUtc > nowUtc)
            return std::optional<WindowInterval>(window);
    }
    return std::optional<WindowInterval>();
}

} // namespace envsync::schedule
