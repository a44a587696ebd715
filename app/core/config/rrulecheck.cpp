#include "core/config/rrulecheck.h"

#include "core/config/suggest.h"

#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace envsync::config {

namespace {

using Failure = std::unexpected<std::string>;

const std::vector<std::string> &partNames()
{
    static const std::vector<std::string> names = {
            "FREQ",  "UNTIL",      "COUNT",     "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR",
            "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH",  "BYSETPOS", "WKST",
    };
    return names;
}

const std::vector<std::string> &frequencies()
{
    static const std::vector<std::string> names
            = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"};
    return names;
}

constexpr std::array weekdays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

bool isWeekday(std::string_view text)
{
    for (const char *day : weekdays) {
        if (text == day)
            return true;
    }
    return false;
}

std::string upper(std::string_view text)
{
    std::string result(text);
    for (char &c : result) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    return result;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

/// A signed decimal integer with nothing else around it; nullopt on anything else.
std::optional<long> toInteger(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    if (text.front() == '+')
        text.remove_prefix(1);
    long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

bool isDigits(std::string_view text)
{
    if (text.empty())
        return false;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

/// A comma list of integers within [min, max]; with allowNegative also [-max, -min].
std::expected<void, std::string> checkNumberList(std::string_view name, std::string_view value,
                                                 long min, long max, bool allowNegative)
{
    for (const std::string_view item : split(value, ',')) {
        if (item.empty())
            return Failure("empty value in " + std::string(name));
        const std::optional<long> number = toInteger(item);
        if (!number)
            return Failure("invalid " + std::string(name) + " value \"" + std::string(item)
                           + "\" (expected a number)");
        const bool inRange = (*number >= min && *number <= max)
                             || (allowNegative && *number <= -min && *number >= -max);
        if (!inRange) {
            std::string range = std::to_string(min) + ".." + std::to_string(max);
            if (allowNegative)
                range += " or -" + std::to_string(max) + "..-" + std::to_string(min);
            return Failure(std::string(name) + " value " + std::string(item) + " out of range ("
                           + range + ")");
        }
    }
    return {};
}

/// YYYYMMDD or YYYYMMDDTHHMMSS with an optional Z, as RFC 5545 writes UNTIL.
bool isValidUntil(std::string_view value)
{
    if (value.size() != 8 && value.size() != 15 && value.size() != 16)
        return false;
    if (!isDigits(value.substr(0, 8)))
        return false;
    const int year = std::stoi(std::string(value.substr(0, 4)));
    const int month = std::stoi(std::string(value.substr(4, 2)));
    const int day = std::stoi(std::string(value.substr(6, 2)));
    if (year < 1900 || month < 1 || month > 12 || day < 1)
        return false;
    static constexpr std::array<int, 12> monthDays
            = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int daysInMonth = (month == 2 && !leap) ? 28 : monthDays[static_cast<size_t>(month - 1)];
    if (day > daysInMonth)
        return false;
    if (value.size() == 8)
        return true;
    if (value[8] != 'T' || !isDigits(value.substr(9, 6)))
        return false;
    if (value.size() == 16 && value[15] != 'Z')
        return false;
    const int hour = std::stoi(std::string(value.substr(9, 2)));
    const int minute = std::stoi(std::string(value.substr(11, 2)));
    const int second = std::stoi(std::string(value.substr(13, 2)));
    return hour <= 23 && minute <= 59 && second <= 60;
}

std::expected<void, std::string> checkByDay(std::string_view value, bool ordinalsAllowed)
{
    for (const std::string_view item : split(value, ',')) {
        if (item.empty())
            return Failure("empty value in BYDAY");
        if (item.size() < 2 || !isWeekday(item.substr(item.size() - 2)))
            return Failure("unknown BYDAY value \"" + std::string(item)
                           + "\" (expected MO, TU, WE, TH, FR, SA or SU, optionally with an "
                             "ordinal such as 1MO or -1FR)");
        const std::string_view ordinal = item.substr(0, item.size() - 2);
        if (ordinal.empty())
            continue;
        std::string_view digits = ordinal;
        if (digits.front() == '+' || digits.front() == '-')
            digits.remove_prefix(1);
        if (!isDigits(digits) || digits.size() > 2)
            return Failure("unknown BYDAY value \"" + std::string(item) + "\"");
        const int number = std::stoi(std::string(digits));
        if (number < 1 || number > 53)
            return Failure("BYDAY ordinal out of range in \"" + std::string(item)
                           + "\" (1..53 or -53..-1)");
        if (!ordinalsAllowed)
            return Failure("BYDAY value \"" + std::string(item)
                           + "\" has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY");
    }
    return {};
}

struct IteratorFree
{
    void operator()(icalrecur_iterator *iterator) const { icalrecur_iterator_free(iterator); }
};

} // namespace

std::string normalizeRRule(std::string_view rule)
{
    std::string text = upper(rule);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.pop_back();
    const std::size_t start = text.find_first_not_of(" \t");
    text.erase(0, start == std::string::npos ? text.size() : start);
    if (text.starts_with("RRULE:"))
        text.erase(0, 6);
    return text;
}

std::expected<void, std::string> validateRRule(std::string_view rule)
{
    const std::string text = normalizeRRule(rule);
    if (text.empty())
        return Failure("empty RRULE (expected e.g. \"FREQ=WEEKLY;BYDAY=MO\")");

    std::map<std::string, std::string, std::less<>> parts;
    for (const std::string_view part : split(text, ';')) {
        if (part.empty())
            return Failure("empty part in RRULE (stray \";\")");
        const std::size_t equals = part.find('=');
        if (equals == std::string_view::npos)
            return Failure("RRULE part \"" + std::string(part) + "\" is not NAME=VALUE");
        const std::string name(part.substr(0, equals));
        const std::string value(part.substr(equals + 1));
        if (std::ranges::find(partNames(), name) == partNames().end()) {
            std::string message = "unknown RRULE part \"" + name + "\"";
            const std::string suggestion = nearestMatch(name, partNames());
            if (!suggestion.empty())
                message += " (did you mean \"" + suggestion + "\"?)";
            return Failure(message);
        }
        if (parts.contains(name))
            return Failure("RRULE part " + name + " appears twice");
        if (value.empty())
            return Failure("RRULE part " + name + " has no value");
        parts.emplace(name, value);
    }

    const auto freqIt = parts.find("FREQ");
    if (freqIt == parts.end())
        return Failure("RRULE has no FREQ (e.g. \"FREQ=WEEKLY;BYDAY=MO\")");
    const std::string &freq = freqIt->second;
    if (std::ranges::find(frequencies(), freq) == frequencies().end()) {
        std::string message = "unknown FREQ \"" + freq + "\"";
        const std::string suggestion = nearestMatch(freq, frequencies());
        message += suggestion.empty() ? " (expected SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, "
                                        "MONTHLY or YEARLY)"
                                      : " (did you mean \"" + suggestion + "\"?)";
        return Failure(message);
    }

    for (const auto &[name, value] : parts) {
        std::expected<void, std::string> result;
        if (name == "INTERVAL" || name == "COUNT") {
            if (!isDigits(value) || value.size() > 9 || std::stol(value) < 1)
                return Failure(name + " must be a positive whole number, not \"" + value + "\"");
        } else if (name == "UNTIL") {
            if (!isValidUntil(value))
                return Failure("invalid UNTIL \"" + value
                               + "\" (expected YYYYMMDD or YYYYMMDDTHHMMSSZ)");
        } else if (name == "WKST") {
            if (!isWeekday(value))
                return Failure("invalid WKST \"" + value
                               + "\" (expected MO, TU, WE, TH, FR, SA "
                                 "or SU)");
        } else if (name == "BYDAY") {
            result = checkByDay(value, freq == "MONTHLY" || freq == "YEARLY");
        } else if (name == "BYSECOND") {
            result = checkNumberList(name, value, 0, 60, false);
        } else if (name == "BYMINUTE") {
            result = checkNumberList(name, value, 0, 59, false);
        } else if (name == "BYHOUR") {
            result = checkNumberList(name, value, 0, 23, false);
        } else if (name == "BYMONTHDAY") {
            result = checkNumberList(name, value, 1, 31, true);
        } else if (name == "BYYEARDAY" || name == "BYSETPOS") {
            result = checkNumberList(name, value, 1, 366, true);
        } else if (name == "BYWEEKNO") {
            result = checkNumberList(name, value, 1, 53, true);
        } else if (name == "BYMONTH") {
            result = checkNumberList(name, value, 1, 12, false);
        }
        if (!result)
            return result;
    }

    if (parts.contains("COUNT") && parts.contains("UNTIL"))
        return Failure("COUNT and UNTIL cannot both be given");
    if (parts.contains("BYWEEKNO") && freq != "YEARLY")
        return Failure("BYWEEKNO needs FREQ=YEARLY");
    if (parts.contains("BYYEARDAY") && (freq == "DAILY" || freq == "WEEKLY" || freq == "MONTHLY"))
        return Failure("BYYEARDAY cannot be used with FREQ=" + freq);
    if (parts.contains("BYMONTHDAY") && freq == "WEEKLY")
        return Failure("BYMONTHDAY cannot be used with FREQ=WEEKLY");
    const bool otherByPart = std::ranges::any_of(parts, [](const auto &part) {
        return part.first.starts_with("BY") && part.first != "BYSETPOS";
    });
    if (parts.contains("BYSETPOS") && !otherByPart)
        return Failure("BYSETPOS needs another BYxxx part to select from");

    icalerror_clear_errno();
    const icalrecurrencetype recurrence = icalrecurrencetype_from_string(text.c_str());
    if (recurrence.freq == ICAL_NO_RECURRENCE)
        return Failure("invalid RRULE (libical could not parse it)");
    const icaltimetype start = icaltime_from_string("20260105T000000");
    const std::unique_ptr<icalrecur_iterator, IteratorFree> iterator(
            icalrecur_iterator_new(recurrence, start));
    if (!iterator)
        return Failure("RRULE can never occur or combines parts that do not go together");
    return {};
}

} // namespace envsync::config
