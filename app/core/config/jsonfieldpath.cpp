#include "core/config/jsonfieldpath.h"

#include <charconv>

namespace envsync::config {

namespace {

bool isNameChar(char c)
{
    return c != '.' && c != '[' && c != ']' && c != '\'' && c != '"' && c != ' '
           && static_cast<unsigned char>(c) >= 0x20;
}

using Error = JsonFieldPath::ParseError;

} // namespace

std::expected<JsonFieldPath, JsonFieldPath::ParseError> JsonFieldPath::parse(std::string_view text)
{
    using Kind = Segment::Kind;
    JsonFieldPath path;
    path.m_text = std::string(text);
    if (text.empty() || text.front() != '$')
        return std::unexpected(
                Error{"a JSON path starts with \"$\" (e.g. \"$.customer.email\")", 0});
    std::size_t at = 1;
    auto readName = [&](std::size_t from) {
        std::size_t end = from;
        while (end < text.size() && isNameChar(text[end]))
            ++end;
        return end;
    };
    while (at < text.size()) {
        if (text[at] == '.') {
            const bool descendant = at + 1 < text.size() && text[at + 1] == '.';
            const std::size_t start = at + (descendant ? 2 : 1);
            if (start < text.size() && text[start] == '*') {
                if (descendant)
                    return std::unexpected(Error{"\"..*\" is not supported: name a member", at});
                path.m_segments.push_back({Kind::Any, {}, 0});
                at = start + 1;
                continue;
            }
            const std::size_t end = readName(start);
            if (end == start)
                return std::unexpected(Error{"expected a member name", start});
            path.m_segments.push_back({descendant ? Kind::DescendantKey : Kind::Key,
                                       std::string(text.substr(start, end - start)), 0});
            at = end;
            continue;
        }
        if (text[at] != '[')
            return std::unexpected(Error{"expected \".\" or \"[\"", at});
        const std::size_t inner = at + 1;
        if (inner < text.size() && (text[inner] == '\'' || text[inner] == '"')) {
            const char quote = text[inner];
            std::string key;
            std::size_t i = inner + 1;
            bool closed = false;
            for (; i < text.size(); ++i) {
                if (text[i] == '\\' && i + 1 < text.size()) {
                    key += text[++i];
                } else if (text[i] == quote) {
                    closed = true;
                    break;
                } else {
                    key += text[i];
                }
            }
            if (!closed || i + 1 >= text.size() || text[i + 1] != ']')
                return std::unexpected(Error{"unterminated quoted member name", at});
            path.m_segments.push_back({Kind::Key, std::move(key), 0});
            at = i + 2;
            continue;
        }
        const std::size_t close = text.find(']', inner);
        if (close == std::string_view::npos)
            return std::unexpected(Error{"missing \"]\"", at});
        const std::string_view body = text.substr(inner, close - inner);
        if (body == "*") {
            path.m_segments.push_back({Kind::Any, {}, 0});
        } else {
            long long index = -1;
            const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), index);
            if (ec != std::errc() || end != body.data() + body.size() || index < 0)
                return std::unexpected(Error{"expected an array index, \"*\" or a quoted name "
                                             "(filters are not supported)",
                                             inner});
            path.m_segments.push_back({Kind::Index, {}, index});
        }
        at = close + 1;
    }
    return path;
}

bool JsonFieldPath::covers(const std::vector<Step> &steps) const
{
    return coversFrom(0, steps, 0);
}

bool JsonFieldPath::coversFrom(std::size_t segment, const std::vector<Step> &steps,
                               std::size_t step) const
{
    if (segment == m_segments.size())
        return true; // the rest of `steps` lies below what the path names
    if (step == steps.size())
        return false;
    const Segment &s = m_segments[segment];
    const Step &here = steps[step];
    switch (s.kind) {
    case Segment::Kind::Key:
        return std::holds_alternative<std::string>(here) && std::get<std::string>(here) == s.key
               && coversFrom(segment + 1, steps, step + 1);
    case Segment::Kind::Index:
        return std::holds_alternative<long long>(here) && std::get<long long>(here) == s.index
               && coversFrom(segment + 1, steps, step + 1);
    case Segment::Kind::Any:
        return coversFrom(segment + 1, steps, step + 1);
    case Segment::Kind::DescendantKey:
        for (std::size_t i = step; i < steps.size(); ++i) {
            if (std::holds_alternative<std::string>(steps[i])
                && std::get<std::string>(steps[i]) == s.key
                && coversFrom(segment + 1, steps, i + 1))
                return true;
        }
        return false;
    }
    return false;
}

std::string JsonFieldPath::format(const std::vector<Step> &steps)
{
    std::string out = "$";
    for (const Step &step : steps) {
        if (std::holds_alternative<long long>(step)) {
            out += '[' + std::to_string(std::get<long long>(step)) + ']';
            continue;
        }
        const std::string &key = std::get<std::string>(step);
        bool plain = !key.empty();
        for (const char c : key)
            plain = plain && isNameChar(c) && c != '*';
        if (plain) {
            out += '.' + key;
            continue;
        }
        out += "['";
        for (const char c : key) {
            if (static_cast<unsigned char>(c) < 0x20) { // keys come from a remote service
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\x";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
                continue;
            }
            if (c == '\'' || c == '\\')
                out += '\\';
            out += c;
        }
        out += "']";
    }
    return out;
}

} // namespace envsync::config
