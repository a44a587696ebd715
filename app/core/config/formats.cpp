#include "core/config/formats.h"

#include "core/config/suggest.h"
#include "core/db/sqlquote.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace envsync::config {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isDigits(std::string_view text)
{
    return !text.empty() && std::ranges::all_of(text, isDigit);
}

int toInt(std::string_view digits)
{
    int value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return value;
}

/// Letters, digits and "_-+" in slash-separated segments, never "." or "..": a zone name is
/// looked up as a file, so anything that could walk out of the zoneinfo folder is refused.
bool looksLikeZoneName(std::string_view name)
{
    if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/')
        return false;
    bool segmentStart = true;
    for (const char c : name) {
        if (c == '/') {
            if (segmentStart)
                return false;
            segmentStart = true;
            continue;
        }
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (segmentStart && !letter)
            return false;
        if (!letter && !isDigit(c) && c != '_' && c != '-' && c != '+')
            return false;
        segmentStart = false;
    }
    return true;
}

/// The tz database file exists and is a compiled zone (TZif), not a folder or zone.tab.
bool zoneFileExists(std::string_view name)
{
    const char *tzdir = std::getenv("TZDIR");
    const QString directory = tzdir && *tzdir ? QString::fromLocal8Bit(tzdir)
                                              : QStringLiteral("/usr/share/zoneinfo");
    QFile file(directory + u'/' + QString::fromUtf8(name.data(), qsizetype(name.size())));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return file.read(4) == QByteArrayLiteral("TZif");
}

} // namespace

std::expected<std::int64_t, std::string> parseByteSize(std::string_view text)
{
    std::size_t digitsEnd = 0;
    while (digitsEnd < text.size() && isDigit(text[digitsEnd]))
        ++digitsEnd;
    if (digitsEnd == 0)
        return std::unexpected("expected a size such as \"10GB\" or \"512MB\"");
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + digitsEnd, number);
    if (error != std::errc() || end != text.data() + digitsEnd)
        return std::unexpected(std::string("size out of range"));
    std::string unit;
    for (char c : text.substr(digitsEnd)) {
        if (c == ' ')
            continue;
        unit += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    static const std::array<std::pair<const char *, int>, 6> units = {
            {{"", 0}, {"B", 0}, {"KB", 10}, {"MB", 20}, {"GB", 30}, {"TB", 40}}};
    const auto it = std::ranges::find_if(units, [&](const auto &u) { return unit == u.first; });
    if (it == units.end())
        return std::unexpected("unknown size unit \"" + std::string(text.substr(digitsEnd))
                               + "\" (use B, kB, MB, GB or TB)");
    if (number <= 0)
        return std::unexpected(std::string("size must be positive"));
    if (number > (INT64_MAX >> it->second))
        return std::unexpected(std::string("size out of range"));
    return number << it->second;
}

bool isValidReplicationName(std::string_view name)
{
    return !name.empty() && name.size() <= 63 && std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_';
    });
}

bool isValidRegionName(std::string_view name)
{
    if (name.empty())
        return false;
    return std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_' || c == '-';
    });
}

std::optional<int> parseTimeOfDay(std::string_view text)
{
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    const std::string_view hours = text.substr(0, colon);
    const std::string_view minutes = text.substr(colon + 1);
    if (!isDigits(hours) || hours.size() > 2 || !isDigits(minutes) || minutes.size() != 2)
        return std::nullopt;
    const int h = toInt(hours);
    const int m = toInt(minutes);
    if (h > 23 || m > 59)
        return std::nullopt;
    return h * 60 + m;
}

std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    const std::string_view y = text.substr(0, 4);
    const std::string_view m = text.substr(5, 2);
    const std::string_view d = text.substr(8, 2);
    if (!isDigits(y) || !isDigits(m) || !isDigits(d))
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(toInt(y)),
                                           std::chrono::month(static_cast<unsigned>(toInt(m))),
                                           std::chrono::day(static_cast<unsigned>(toInt(d)))};
    if (!date.ok())
        return std::nullopt;
    return date;
}

std::expected<std::vector<std::string>, NameError> parseQualifiedName(std::string_view text,
                                                                      std::size_t partCount)
{
    const std::string expected = partCount == 3   ? "schema.table.column"
                                 : partCount == 1 ? "schema"
                                                  : "schema.table";
    // PostgreSQL truncates longer identifiers (NAMEDATALEN - 1): a longer name can never match.
    constexpr std::size_t maxIdentifierBytes = 63;
    auto error = [&](const std::string &why, std::size_t at) {
        // The text is the user's: control bytes escaped, long names shortened.
        std::string shown;
        for (const char c : text.substr(0, 80)) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7f) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02x", u);
                shown += hex;
            } else {
                shown += c;
            }
        }
        if (text.size() > 80)
            shown += "...";
        return std::unexpected(NameError{"\"" + shown + "\" is not " + expected + ": " + why, at});
    };
    auto identStart = [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    };
    auto identChar = [&](unsigned char c) {
        return identStart(c) || isDigit(c) || c == '$';
    };

    std::vector<std::string> parts;
    std::size_t i = 0;
    while (true) {
        const std::size_t start = i;
        std::string part;
        if (i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                const char c = text[i];
                if (c == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        part += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (c == '\0')
                    return error("a NUL byte in a quoted identifier", i);
                part += c;
                ++i;
            }
            if (!closed)
                return error("unterminated quoted identifier", start);
            if (part.empty())
                return error("zero-length quoted identifier", start);
        } else {
            if (i >= text.size() || !identStart(static_cast<unsigned char>(text[i]))) {
                if (i >= text.size() || text[i] == '.')
                    return error("empty name", i);
                return error("unexpected character (quote the name: \"...\")", i);
            }
            while (i < text.size() && identChar(static_cast<unsigned char>(text[i]))) {
                const char c = text[i++];
                part += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            }
        }
        if (part.size() > maxIdentifierBytes)
            return error("identifier longer than 63 bytes", start);
        parts.push_back(std::move(part));
        if (i == text.size())
            break;
        if (text[i] != '.')
            return error(text[i] == '"' ? "misplaced quote" : "unexpected character", i);
        if (parts.size() == partCount)
            return error("too many dots", i);
        ++i;
    }
    if (parts.size() != partCount)
        return error("too few parts", 0);
    return parts;
}

std::string quoteIdentifierPart(std::string_view name)
{
    const bool plain
            = !name.empty() && !isDigit(name.front()) && std::ranges::all_of(name, [](char c) {
                  return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_';
              });
    // Quoted exactly as SQL quotes an identifier, so a reference reads back as SQL would.
    return plain ? std::string(name) : db::quoteIdentifier(name);
}

std::string yamlDoubleQuoted(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out + '"';
}

std::string formatQualifiedName(const std::vector<std::string> &parts)
{
    std::string out;
    for (const auto &part : parts)
        out += (out.empty() ? "" : ".") + quoteIdentifierPart(part);
    return out;
}

bool isEnvironmentVariableName(std::string_view name)
{
    if (name.empty() || isDigit(name.front()))
        return false;
    return std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_';
    });
}

std::expected<void, std::string> checkListenAddress(std::string_view text)
{
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::unexpected("expected host:port, e.g. \"127.0.0.1:18081\", not \""
                               + std::string(text) + "\"");
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']')
            return std::unexpected("malformed IPv6 address in \"" + std::string(text) + "\"");
    } else if (host.find(':') != std::string_view::npos) {
        return std::unexpected("write IPv6 addresses in brackets, e.g. \"[::1]:18081\"");
    }
    if (!isDigits(port) || port.size() > 5 || toInt(port) < 1 || toInt(port) > 65535)
        return std::unexpected("invalid port \"" + std::string(port) + "\" (1..65535)");
    return {};
}

std::expected<void, std::string> checkHttpUrl(std::string_view text)
{
    const QUrl url(QString::fromUtf8(text.data(), qsizetype(text.size())), QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty())
        return std::unexpected("expected an http:// or https:// URL, not \"" + std::string(text)
                               + "\"");
    return {};
}

bool isKnownTimeZone(std::string_view name)
{
    if (!looksLikeZoneName(name) && !name.starts_with("UTC"))
        return false;
    const QByteArray id(name.data(), qsizetype(name.size()));
    if (QTimeZone::isTimeZoneIdAvailable(id))
        return true;
    return looksLikeZoneName(name) && zoneFileExists(name);
}

std::string suggestTimeZone(std::string_view name)
{
    std::vector<std::string> candidates;
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        candidates.push_back(id.toStdString());
    return nearestMatch(name, candidates);
}

} // namespace envsync::config
