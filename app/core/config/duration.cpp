#include "core/config/duration.h"

#include <array>
#include <cstdint>
#include <limits>

namespace envsync::config {

namespace {

struct Unit
{
    std::string_view suffix;
    std::int64_t milliseconds;
};

/// Largest first: the order parseDuration() enforces and formatDuration() writes.
constexpr std::array units = {
        Unit{"w", 7LL * 24 * 3600 * 1000},
        Unit{"d", 24LL * 3600 * 1000},
        Unit{"h", 3600LL * 1000},
        Unit{"m", 60LL * 1000},
        Unit{"s", 1000},
        Unit{"ms", 1},
};

/// About 290 years: far beyond any sensible window or SLA, and safely inside int64 milliseconds.
constexpr std::int64_t maxMilliseconds = std::numeric_limits<std::int64_t>::max() / 1000;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

} // namespace

std::expected<std::chrono::milliseconds, std::string> parseDuration(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty())
        return std::unexpected(std::string("empty duration (expected e.g. 90s, 15m, 3h, 7d)"));
    if (text.front() == '-')
        return std::unexpected(std::string("a duration cannot be negative"));

    std::int64_t total = 0;
    std::size_t lastUnit = units.size(); // index of the previous unit; none yet
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (!isDigit(text[pos]))
            return std::unexpected("expected a number at \"" + std::string(text.substr(pos))
                                   + "\" (e.g. 90s, 15m, 1h30m, 7d)");
        std::int64_t number = 0;
        while (pos < text.size() && isDigit(text[pos])) {
            if (number > maxMilliseconds / 10)
                return std::unexpected(std::string("duration too large"));
            number = number * 10 + (text[pos] - '0');
            ++pos;
        }
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ','))
            return std::unexpected(std::string("fractions are not supported (write 1h30m, not "
                                               "1.5h)"));
        const std::size_t unitStart = pos;
        while (pos < text.size() && isLetter(text[pos]))
            ++pos;
        const std::string_view suffix = text.substr(unitStart, pos - unitStart);
        if (suffix.empty())
            return std::unexpected(std::string("missing unit after ") + std::to_string(number)
                                   + " (use ms, s, m, h, d or w, e.g. " + std::to_string(number)
                                   + "s)");
        std::size_t unitIndex = units.size();
        for (std::size_t i = 0; i < units.size(); ++i) {
            if (units[i].suffix == suffix)
                unitIndex = i;
        }
        if (unitIndex == units.size())
            return std::unexpected("unknown unit \"" + std::string(suffix)
                                   + "\" (use ms, s, m, h, d or w)");
        if (lastUnit != units.size() && unitIndex <= lastUnit)
            return std::unexpected("unit \"" + std::string(suffix)
                                   + "\" out of order (write the largest unit first, each once, "
                                     "e.g. 1h30m)");
        lastUnit = unitIndex;
        const std::int64_t factor = units[unitIndex].milliseconds;
        if (number > (maxMilliseconds - total) / factor)
            return std::unexpected(std::string("duration too large"));
        total += number * factor;
    }
    return std::chrono::milliseconds(total);
}

std::string formatDuration(std::chrono::milliseconds duration)
{
    std::int64_t rest = duration.count();
    if (rest == 0)
        return "0s";
    std::string text;
    if (rest < 0) {
        text = "-";
        rest = rest == std::numeric_limits<std::int64_t>::min()
                       ? std::numeric_limits<std::int64_t>::max()
                       : -rest;
    }
    for (const Unit &unit : units) {
        if (rest >= unit.milliseconds) {
            text += std::to_string(rest / unit.milliseconds);
            text += unit.suffix;
            rest %= unit.milliseconds;
        }
    }
    return text;
}

} // namespace envsync::config
