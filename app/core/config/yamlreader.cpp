#include "core/config/yamlreader.h"

#include "core/config/duration.h"
#include "core/config/suggest.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

namespace envsync::config {

namespace {

/// Generous for any real config (a few hundred nodes) yet small enough to check in milliseconds.
constexpr std::size_t nodeBudget = 200'000;
constexpr std::size_t maxQuotedLength = 60;

std::string lowerAscii(std::string_view text)
{
    std::string result(text);
    for (char &c : result) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return result;
}

/// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not one.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i)
{
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    if (byte >= 0xC2 && byte <= 0xDF)
        length = 2;
    else if (byte >= 0xE0 && byte <= 0xEF)
        length = 3;
    else if (byte >= 0xF0 && byte <= 0xF4)
        length = 4;
    if (length == 0 || i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
            return 0;
    }
    return length;
}

/// Printable ASCII and valid UTF-8 pass; everything else becomes \xNN.
std::string sanitize(std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string result;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte < 0x7F) {
            if (byte == '"' || byte == '\\')
                result += '\\';
            result += text[i];
            continue;
        }
        if (byte >= 0x80) {
            if (const std::size_t length = utf8SequenceLength(text, i)) {
                result.append(text.substr(i, length));
                i += length - 1;
                continue;
            }
        }
        if (byte == '\n') {
            result += "\\n";
        } else if (byte == '\t') {
            result += "\\t";
        } else {
            result += "\\x";
            result += hex[byte >> 4];
            result += hex[byte & 0xF];
        }
    }
    return result;
}

std::string joinChoices(const std::vector<std::string> &choices)
{
    std::string text;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0)
            text += i + 1 == choices.size() ? " or " : ", ";
        text += choices[i];
    }
    return text;
}

std::string joinKeys(const std::vector<std::string> &keys)
{
    std::string text;
    for (const std::string &key : keys) {
        if (!text.empty())
            text += ", ";
        text += key;
    }
    return text;
}

} // namespace

YamlField YamlMap::get(std::string_view key) const
{
    for (const auto &[name, field] : entries) {
        if (name == key)
            return field;
    }
    return YamlField{.node = {},
                     .key = {},
                     .path = YamlReader::childPath(self.path, key),
                     .exists = false,
                     .hasKey = false};
}

YamlReader::YamlReader(std::string fileName, std::string_view text)
    : m_fileName(std::move(fileName))
    , m_text(text)
    , m_budget(nodeBudget)
{
    m_lineStarts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n')
            m_lineStarts.push_back(i + 1);
    }
}

YamlField YamlReader::root(const YAML::Node &node) const
{
    return YamlField{.node = node, .key = {}, .path = {}, .exists = true, .hasKey = false};
}

std::optional<YamlMap> YamlReader::mapping(const YamlField &field,
                                           const std::vector<std::string> &known,
                                           const std::vector<std::string> &required,
                                           bool allowUnknown)
{
    if (!field.exists)
        return std::nullopt;
    // An empty value under a key means "use the defaults"; required keys were reported by the
    // parent mapping. An empty list item has no such excuse.
    if (field.node.IsNull() && field.hasKey)
        return std::nullopt;
    if (!field.node.IsMap()) {
        reportValue(field, "expected a mapping (key: value), got " + describe(field.node));
        return std::nullopt;
    }
    if (!spend(field.node.size(), field))
        return std::nullopt;

    YamlMap map{.self = field, .entries = {}};
    std::map<std::string, YAML::Mark, std::less<>> seen;
    for (const auto &entry : field.node) {
        if (!entry.first.IsScalar()) {
            report(entry.first.Mark(), field.path,
                   "keys must be plain names, not " + describe(entry.first));
            continue;
        }
        const std::string &key = entry.first.Scalar();
        YamlField value{.node = entry.second,
                        .key = entry.first,
                        .path = childPath(field.path, key),
                        .exists = true,
                        .hasKey = true};
        if (const auto it = seen.find(key); it != seen.end()) {
            reportKey(value, "duplicate key " + quote(key) + " (first at line "
                                     + std::to_string(position(it->second).line) + ")");
            continue;
        }
        seen.emplace(key, entry.first.Mark());
        const bool isKnown = std::ranges::find(known, key) != known.end();
        if (!isKnown && !allowUnknown) {
            std::string message = "unknown key " + quote(key);
            const std::string suggestion = nearestMatch(key, known);
            if (key == "<<")
                message += " (YAML merge keys are not supported; repeat the values instead)";
            else if (!suggestion.empty())
                message += " (did you mean \"" + suggestion + "\"?)";
            else
                message += " (expected one of: " + joinKeys(known) + ")";
            reportKey(value, std::move(message));
            continue;
        }
        map.entries.emplace_back(key, std::move(value));
    }

    for (const std::string &key : required) {
        const YamlField value = map.get(key);
        if (!value.exists)
            report(valueMark(field), field.path, "missing required key " + quote(key));
        else if (value.node.IsNull())
            reportValue(value, "missing value for required key " + quote(key));
    }
    return map;
}

std::vector<YamlField> YamlReader::sequence(const YamlField &field)
{
    std::vector<YamlField> items;
    if (!field.exists || field.node.IsNull())
        return items;
    if (!field.node.IsSequence()) {
        reportValue(field, "expected a list, got " + describe(field.node));
        return items;
    }
    if (!spend(field.node.size(), field))
        return items;
    std::size_t index = 0;
    for (const auto &element : field.node) {
        items.push_back(YamlField{.node = static_cast<const YAML::Node &>(element),
                                  .key = {},
                                  .path = field.path + '[' + std::to_string(index++) + ']',
                                  .exists = true,
                                  .hasKey = false});
    }
    return items;
}

std::optional<std::string> YamlReader::string(const YamlField &field)
{
    if (!field.exists || field.node.IsNull())
        return std::nullopt;
    if (!field.node.IsScalar()) {
        reportValue(field, "expected a single value, got " + describe(field.node));
        return std::nullopt;
    }
    return field.node.Scalar();
}

std::optional<bool> YamlReader::boolean(const YamlField &field)
{
    const std::optional<std::string> text = string(field);
    if (!text)
        return std::nullopt;
    const std::string value = lowerAscii(*text);
    if (value == "true" || value == "yes" || value == "on")
        return true;
    if (value == "false" || value == "no" || value == "off")
        return false;
    reportValue(field, "expected true or false, got " + quote(*text));
    return std::nullopt;
}

std::optional<long long> YamlReader::integer(const YamlField &field, long long min, long long max)
{
    const std::optional<std::string> text = string(field);
    if (!text)
        return std::nullopt;
    std::string_view digits = *text;
    if (!digits.empty() && digits.front() == '+')
        digits.remove_prefix(1);
    long long value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || end != digits.data() + digits.size()
        || (error != std::errc() && error != std::errc::result_out_of_range)) {
        reportValue(field, "expected a whole number, got " + quote(*text));
        return std::nullopt;
    }
    if (error == std::errc::result_out_of_range || value > max) {
        reportValue(field, "must be at most " + std::to_string(max) + ", got " + quote(*text));
        return std::nullopt;
    }
    if (value < min) {
        reportValue(field, "must be at least " + std::to_string(min) + ", got " + *text);
        return std::nullopt;
    }
    return value;
}

std::optional<std::chrono::seconds> YamlReader::duration(const YamlField &field)
{
    const std::optional<std::string> text = string(field);
    if (!text)
        return std::nullopt;
    const auto parsed = parseDuration(*text);
    if (!parsed) {
        reportValue(field, "invalid duration " + quote(*text) + ": " + parsed.error());
        return std::nullopt;
    }
    if (parsed->count() <= 0) {
        reportValue(field, "duration must be longer than 0s");
        return std::nullopt;
    }
    if (parsed->count() % 1000 != 0) {
        reportValue(field, "duration must be a whole number of seconds, got " + quote(*text));
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

std::optional<std::string> YamlReader::choice(const YamlField &field,
                                              const std::vector<std::string> &choices)
{
    if (!field.exists)
        return std::nullopt;
    std::optional<std::string> text;
    if (isNullLiteral(field.node))
        text = "null";
    else
        text = string(field);
    if (!text)
        return std::nullopt;
    if (std::ranges::find(choices, *text) != choices.end())
        return text;
    std::string message = "invalid value " + quote(*text) + " (expected " + joinChoices(choices);
    const std::string suggestion = nearestMatch(*text, choices);
    if (!suggestion.empty())
        message += "; did you mean \"" + suggestion + "\"?";
    reportValue(field, message + ")");
    return std::nullopt;
}

std::vector<std::pair<YamlField, std::string>> YamlReader::stringList(const YamlField &field)
{
    std::vector<std::pair<YamlField, std::string>> result;
    for (YamlField &item : sequence(field)) {
        if (item.node.IsNull()) {
            reportValue(item, "empty list item");
            continue;
        }
        if (std::optional<std::string> text = string(item))
            result.emplace_back(std::move(item), std::move(*text));
    }
    return result;
}

void YamlReader::reportValue(const YamlField &field, std::string message)
{
    report(valueMark(field), field.path, std::move(message));
}

void YamlReader::reportKey(const YamlField &field, std::string message)
{
    report(field.hasKey ? field.key.Mark() : valueMark(field), field.path, std::move(message));
}

void YamlReader::report(const YAML::Mark &mark, const std::string &path, std::string message)
{
    const SourceLocation where = position(mark);
    if (!m_reported.emplace(where.line, where.column, path, message).second)
        return; // the same node reached again through an alias
    if (saturated()) {
        m_truncated = true;
        return;
    }
    m_diagnostics.push_back(
            Diagnostic{m_fileName, where.line, where.column, path, std::move(message)});
}

SourceLocation YamlReader::location(const YamlField &field) const
{
    return position(valueMark(field));
}

SourceLocation YamlReader::position(const YAML::Mark &mark) const
{
    if (mark.is_null() || mark.line < 0 || mark.column < 0)
        return {1, 1};
    return {mark.line + 1, mark.column + 1};
}

std::vector<Diagnostic> YamlReader::takeDiagnostics()
{
    std::ranges::stable_sort(m_diagnostics, [](const Diagnostic &a, const Diagnostic &b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    std::vector<Diagnostic> diagnostics = std::move(m_diagnostics);
    m_diagnostics.clear();
    m_reported.clear();
    if (m_truncated && !diagnostics.empty()) {
        Diagnostic last = diagnostics.back();
        last.path.clear();
        last.message = "too many problems: stopped after " + std::to_string(maxDiagnostics);
        diagnostics.push_back(std::move(last));
    }
    m_truncated = false;
    return diagnostics;
}

std::string YamlReader::childPath(const std::string &parent, std::string_view key)
{
    const std::string name = sanitize(key.substr(0, maxQuotedLength));
    return parent.empty() ? name : parent + '.' + name;
}

std::string YamlReader::quote(std::string_view text)
{
    if (text.size() > maxQuotedLength) {
        std::size_t cut = maxQuotedLength;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut; // do not split a UTF-8 sequence
        return '"' + sanitize(text.substr(0, cut)) + "...\"";
    }
    return '"' + sanitize(text) + '"';
}

std::string YamlReader::describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Scalar:
        return quote(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return "an empty value";
}

YAML::Mark YamlReader::valueMark(const YamlField &field) const
{
    const YAML::Node &node = field.node;
    if (!field.exists)
        return field.hasKey ? field.key.Mark() : YAML::Mark::null_mark();
    if (!node.IsNull() || isNullLiteral(node)) {
        // A value positioned before its own key was reached through an alias: the anchor may be
        // far away, so point at the key that uses it.
        const YAML::Mark valueAt = node.Mark();
        if (!field.hasKey || valueAt.is_null())
            return valueAt;
        const YAML::Mark keyAt = field.key.Mark();
        const bool beforeKey
                = std::tie(valueAt.line, valueAt.column) < std::tie(keyAt.line, keyAt.column);
        return beforeKey ? keyAt : valueAt;
    }
    // An empty value gets the position of the next token, often on another line: point at its
    // key instead, or for a list item at the "-" (or "," / "[") that introduced it.
    if (field.hasKey)
        return field.key.Mark();
    const YAML::Mark mark = node.Mark();
    if (mark.is_null())
        return mark;
    // Walk back over blank space and comments to the token before the empty value.
    std::size_t end = offsetOf(mark); // exclusive
    for (int lines = 0; end > 0 && lines < 1000; ++lines) {
        std::size_t lineStart = end;
        while (lineStart > 0 && m_text[lineStart - 1] != '\n')
            --lineStart;
        std::string_view content = m_text.substr(lineStart, end - lineStart);
        for (std::size_t i = 0; i < content.size(); ++i) {
            if (content[i] == '#' && (i == 0 || content[i - 1] == ' ' || content[i - 1] == '\t')) {
                content = content.substr(0, i);
                break;
            }
        }
        const std::size_t last = content.find_last_not_of(" \t\r\n");
        if (last != std::string_view::npos) {
            const char c = content[last];
            return (c == '-' || c == ',' || c == '[') ? markAt(lineStart + last) : mark;
        }
        end = lineStart > 0 ? lineStart - 1 : 0; // before the line break
    }
    return mark;
}

bool YamlReader::isNullLiteral(const YAML::Node &node) const
{
    if (!node.IsNull() || node.Mark().is_null())
        return false;
    const std::size_t offset = offsetOf(node.Mark());
    const std::string_view rest = m_text.substr(std::min(offset, m_text.size()));
    return rest.starts_with("null") || rest.starts_with("Null") || rest.starts_with("NULL")
           || rest.starts_with('~');
}

std::size_t YamlReader::offsetOf(const YAML::Mark &mark) const
{
    // yaml-cpp columns count bytes, so line start + column is the byte offset.
    if (mark.line < 0 || static_cast<std::size_t>(mark.line) >= m_lineStarts.size())
        return m_text.size();
    const std::size_t offset = m_lineStarts[static_cast<std::size_t>(mark.line)]
                               + static_cast<std::size_t>(std::max(mark.column, 0));
    return std::min(offset, m_text.size());
}

YAML::Mark YamlReader::markAt(std::size_t offset) const
{
    const auto it = std::ranges::upper_bound(m_lineStarts, offset);
    const auto line = static_cast<std::size_t>(it - m_lineStarts.begin()) - 1;
    YAML::Mark mark;
    mark.pos = static_cast<int>(offset);
    mark.line = static_cast<int>(line);
    mark.column = static_cast<int>(offset - m_lineStarts[line]);
    return mark;
}

bool YamlReader::spend(std::size_t nodes, const YamlField &field)
{
    if (nodes <= m_budget) {
        m_budget -= nodes;
        return true;
    }
    m_budget = 0;
    if (!m_budgetReported) {
        m_budgetReported = true;
        reportValue(field, "the document is too large to check (more than "
                                   + std::to_string(nodeBudget)
                                   + " values; are aliases repeating a large block?)");
    }
    return false;
}

} // namespace envsync::config
