#include "core/schedule/icsexport.h"

#include "core/schedule/calendarformat.h"

#include <libical/ical.h>

#include <QTimeZone>

#include <cstdlib>
#include <map>
#include <memory>
#include <string_view>

namespace envsync::schedule {

namespace {

constexpr std::size_t maxLineOctets = 75;
const char *const snapshotNote = "newest golden snapshot at window start";

/// RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
std::string escapeText(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case ';': out += "\\;"; break;
        case ',': out += "\\,"; break;
        case '\n': out += "\\n"; break;
        case '\r': break;
        default: out += c;
        }
    }
    return out;
}

bool isUtf8Continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// RFC 5545 3.1: at most 75 octets per line, continuation lines start with one space; a
/// multi-octet UTF-8 sequence is never split.
std::string foldLine(const std::string &line)
{
    std::string out;
    std::size_t pos = 0;
    std::size_t room = maxLineOctets;
    while (line.size() - pos > room) {
        std::size_t cut = pos + room;
        while (cut > pos && isUtf8Continuation(line[cut]))
            --cut;
        out.append(line, pos, cut - pos);
        out += "\r\n ";
        pos = cut;
        room = maxLineOctets - 1;
    }
    out.append(line, pos);
    out += "\r\n";
    return out;
}

QString icsDateTimeFormat()
{
    return QStringLiteral("yyyyMMdd'T'HHmmss");
}

std::string utcStamp(const QDateTime &utc)
{
    return utc.toUTC().toString(icsDateTimeFormat()).toStdString() + 'Z';
}

/// Whether the wall-clock time of `utc` in `zone` also belongs to another instant (DST end).
bool wallTimeIsAmbiguous(const QDateTime &utc, const QTimeZone &zone)
{
    const int offset = zone.offsetFromUtc(utc);
    for (const int days : {-1, 1}) {
        const int otherOffset = zone.offsetFromUtc(utc.addDays(days));
        if (otherOffset == offset)
            continue;
        const QDateTime other = utc.addSecs(offset - otherOffset);
        if (zone.offsetFromUtc(other) == otherOffset)
            return true;
    }
    return false;
}

struct ZoneOutput
{
    QTimeZone zone;
    bool local = false; ///< a VTIMEZONE is written; otherwise times are written in UTC
};

/// "DTSTART;TZID=Europe/Berlin:20260302T020000" or "DTSTART:20260302T010000Z".
std::string dateTimeLine(const char *name, const QDateTime &utc, const std::string &tzid,
                         const ZoneOutput &zone)
{
    if (!zone.local || wallTimeIsAmbiguous(utc, zone.zone))
        return std::string(name) + ':' + utcStamp(utc);
    const QDateTime local = utc.toTimeZone(zone.zone);
    return std::string(name) + ";TZID=" + tzid + ':'
            + local.toString(icsDateTimeFormat()).toStdString();
}

/// Content lines of iCalendar text: CRLF (or LF) separated, continuation lines joined.
std::vector<std::string> unfoldLines(std::string_view text)
{
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.starts_with(' ') && !lines.empty())
            lines.back().append(line.substr(1));
        else if (!line.empty())
            lines.emplace_back(line);
    }
    return lines;
}

struct IcalStringDeleter
{
    void operator()(char *text) const { std::free(text); }
};

struct ComponentDeleter
{
    void operator()(icalcomponent *component) const { icalcomponent_free(component); }
};

/// libical's VTIMEZONE for an IANA zone, renamed to that plain IANA name and unfolded into
/// content lines. Empty when libical has no definition (or the zone is UTC itself).
std::vector<std::string> vtimezoneLines(const std::string &tzid)
{
    icaltimezone *builtin = icaltimezone_get_builtin_timezone(tzid.c_str());
    icalcomponent *definition = builtin ? icaltimezone_get_component(builtin) : nullptr;
    if (!definition)
        return {};
    std::unique_ptr<icalcomponent, ComponentDeleter> copy(icalcomponent_new_clone(definition));
    if (icalproperty *id = icalcomponent_get_first_property(copy.get(), ICAL_TZID_PROPERTY))
        icalproperty_set_tzid(id, tzid.c_str());
    std::unique_ptr<char, IcalStringDeleter> text(icalcomponent_as_ical_string_r(copy.get()));
    return unfoldLines(text.get());
}

std::string windowSummary(const config::RegionConfig &region)
{
    if (!region.window)
        return "none";
    const config::WindowConfig &window = *region.window;
    const QString start = QTime(0, 0).addSecs(window.startMinutes * 60).toString(QStringLiteral("HH:mm"));
    return window.rrule + " at " + start.toStdString() + " for "
            + durationText(window.duration);
}

std::string eventDescription(const RegionCalendar &region, const config::RegionConfig *settings,
                             const CalendarWindow &window)
{
    std::string text = "Region: " + region.region + "\nOwner: "
            + (region.owner.empty() ? std::string("(none)") : region.owner)
            + "\nTime zone: " + region.timezone + "\nSnapshot: " + snapshotNote;
    if (settings) {
        text += "\nWindow: " + windowSummary(*settings)
                + "\nFreshness SLA: " + durationText(settings->freshnessSla);
    }
    if (region.expectedDuration)
        text += "\nExpected duration: " + durationText(*region.expectedDuration);
    if (window.blackout) {
        text += "\nCancelled by blackout"
                + (window.blackout->reason.empty() ? "" : ": " + window.blackout->reason);
    }
    return text;
}

void appendEvent(std::vector<std::string> &lines, const RegionCalendar &region,
                 const config::RegionConfig *settings, const CalendarWindow &window,
                 const ZoneOutput &zone, const std::string &stamp)
{
    const WindowInterval &interval = window.interval;
    lines.push_back("BEGIN:VEVENT");
    lines.push_back("UID:" + escapeText(region.region + '-' + utcStamp(interval.startUtc))
                    + "@envsync");
    lines.push_back("DTSTAMP:" + stamp);
    lines.push_back(dateTimeLine("DTSTART", interval.startUtc, region.timezone, zone));
    lines.push_back(dateTimeLine("DTEND", interval.endUtc, region.timezone, zone));
    lines.push_back("SUMMARY:" + escapeText("EnvSync refresh: " + region.region));
    lines.push_back("DESCRIPTION:" + escapeText(eventDescription(region, settings, window)));
    lines.push_back(std::string("STATUS:") + (window.cancelled() ? "CANCELLED" : "CONFIRMED"));
    lines.push_back("TRANSP:OPAQUE");
    lines.push_back("END:VEVENT");
}

} // namespace

std::string calendarToIcs(const Calendar &calendar, const config::Config &config,
                          const IcsOptions &options)
{
    std::vector<std::string> lines{"BEGIN:VCALENDAR", "VERSION:2.0",
                                   "PRODID:" + escapeText(options.productId),
                                   "CALSCALE:GREGORIAN", "METHOD:PUBLISH"};
    std::map<std::string, ZoneOutput> zones;
    for (const RegionCalendar &region : calendar.regions) {
        if (zones.contains(region.timezone))
            continue;
        const std::vector<std::string> definition = vtimezoneLines(region.timezone);
        zones[region.timezone] = {QTimeZone(QByteArray::fromStdString(region.timezone)),
                                  !definition.empty()};
        lines.insert(lines.end(), definition.begin(), definition.end());
    }
    const std::string stamp = utcStamp(options.now());
    for (const RegionCalendar &region : calendar.regions) {
        for (const CalendarWindow &window : region.windows)
            appendEvent(lines, region, config.findRegion(region.region), window,
                        zones.at(region.timezone), stamp);
    }
    lines.push_back("END:VCALENDAR");
    std::string out;
    for (const std::string &line : lines)
        out += foldLine(line);
    return out;
}

} // namespace envsync::schedule
