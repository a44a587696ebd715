#include "core/schedule/icsparse.h"

#include <libical/ical.h>

#include <memory>

namespace envsync::schedule {

namespace {

struct ComponentDeleter
{
    void operator()(icalcomponent *component) const { icalcomponent_free(component); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

/// The first X-LIC-ERROR libical left in the tree (it reports bad lines this way).
const char *firstParseError(icalcomponent *component)
{
    if (icalproperty *error = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY))
        return icalproperty_get_xlicerror(error);
    for (icalcomponent *child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT);
         child; child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
        if (const char *message = firstParseError(child))
            return message;
    }
    return nullptr;
}

icalcomponent *findCalendar(icalcomponent *root)
{
    if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT)
        return root;
    return icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
}

struct ResolvedTime
{
    QDateTime utc;
    std::string tzid;
};

/// A DTSTART/DTEND property as a UTC instant, resolving its TZID through the calendar's own
/// VTIMEZONE components.
Result<ResolvedTime> resolveTime(icalcomponent *calendar, icalproperty *property,
                                 const std::string &uid)
{
    const char *name = icalproperty_get_property_name(property);
    const icaltimetype time = icalvalue_get_datetime(icalproperty_get_value(property));
    icalparameter *tzidParameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
    const icaltimezone *zone = nullptr;
    std::string tzid;
    if (tzidParameter) {
        tzid = icalparameter_get_tzid(tzidParameter);
        zone = icalcomponent_get_timezone(calendar, tzid.c_str());
        if (!zone)
            return fail(ErrorCode::Usage, std::string(name) + " TZID " + tzid
                                + " has no VTIMEZONE in the calendar", "event " + uid);
    } else if (icaltime_is_utc(time)) {
        zone = icaltimezone_get_utc_timezone();
    } else {
        return fail(ErrorCode::Usage, std::string(name) + " is a floating time (no TZID, no Z)",
                    "event " + uid);
    }
    const time_t seconds = icaltime_as_timet_with_zone(time, zone);
    return ResolvedTime{QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC), tzid};
}

std::string textOrEmpty(const char *text)
{
    return text ? std::string(text) : std::string();
}

Result<ParsedEvent> parseEvent(icalcomponent *calendar, icalcomponent *event)
{
    ParsedEvent out;
    out.uid = textOrEmpty(icalcomponent_get_uid(event));
    out.summary = textOrEmpty(icalcomponent_get_summary(event));
    out.description = textOrEmpty(icalcomponent_get_description(event));
    out.cancelled = icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED;
    icalproperty *start = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    icalproperty *end = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY);
    if (!start || !end)
        return fail(ErrorCode::Usage, "missing DTSTART or DTEND", "event " + out.uid);
    auto startTime = resolveTime(calendar, start, out.uid);
    if (!startTime)
        return std::unexpected(startTime.error());
    auto endTime = resolveTime(calendar, end, out.uid);
    if (!endTime)
        return std::unexpected(endTime.error());
    out.startUtc = startTime->utc;
    out.endUtc = endTime->utc;
    out.timezone = startTime->tzid;
    return out;
}

} // namespace

Result<std::vector<ParsedEvent>> parseIcs(const std::string &text)
{
    ComponentPtr root(icalparser_parse_string(text.c_str()));
    icalcomponent *calendar = root ? findCalendar(root.get()) : nullptr;
    if (!calendar)
        return fail(ErrorCode::Usage, "no VCALENDAR in the iCalendar text");
    if (const char *error = firstParseError(root.get()))
        return fail(ErrorCode::Usage, std::string("iCalendar parse error: ") + error);
    std::vector<ParsedEvent> events;
    for (icalcomponent *event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         event; event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        auto parsed = parseEvent(calendar, event);
        if (!parsed)
            return std::unexpected(parsed.error());
        events.push_back(std::move(*parsed));
    }
    return events;
}

} // namespace envsync::schedule
