#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace envsync::config {

/// The JSON path subset that virtual-service `mask:` and `keep:` entries use to name fields of a
/// recorded body: `$`, `.name`, `['name']`, `[N]`, `[*]` / `.*` (every element or member) and
/// `..name` (that member at any depth). Filters and scripts are refused: a mask rule must name
/// fields, not compute them.
class JsonFieldPath
{
public:
    struct Segment
    {
        enum class Kind { Key, Index, Any, DescendantKey };
        Kind kind = Kind::Key;
        std::string key; ///< Key, DescendantKey
        long long index = 0;
    };
    /// One step of a concrete location in a document: a member name or an array index.
    using Step = std::variant<std::string, long long>;

    struct ParseError
    {
        std::string message;
        std::size_t offset = 0; ///< 0-based byte in the text
    };

    [[nodiscard]] static std::expected<JsonFieldPath, ParseError> parse(std::string_view text);

    /// True when the concrete location `steps` is this path or lies below what it names (a path
    /// naming an object covers every leaf inside it).
    [[nodiscard]] bool covers(const std::vector<Step> &steps) const;

    [[nodiscard]] const std::vector<Segment> &segments() const { return m_segments; }
    [[nodiscard]] const std::string &text() const { return m_text; }

    /// "$.customers[0].email" for a concrete location (member names quoted when needed).
    [[nodiscard]] static std::string format(const std::vector<Step> &steps);

private:
    [[nodiscard]] bool coversFrom(std::size_t segment, const std::vector<Step> &steps,
                                  std::size_t step) const;

    std::vector<Segment> m_segments;
    std::string m_text;
};

} // namespace envsync::config
