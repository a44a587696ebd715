#pragma once

#include "core/config/configloader.h"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace envsync::config {

/// One value of the document with what is needed to report a problem about it: the key that led
/// to it (empty values have no useful position of their own) and its dotted path.
/// Build it by initialisation only: assigning to a bound YAML::Node rewrites the document node
/// it refers to instead of rebinding, so copy-assigning a YamlField would corrupt the document.
struct YamlField
{
    YAML::Node node;
    YAML::Node key;      ///< only meaningful when hasKey
    std::string path;    ///< "regions[1].window.rrule"; empty for the document root
    bool exists = false; ///< false for an absent optional key
    bool hasKey = false; ///< true for mapping values

    YamlField &operator=(const YamlField &) = delete; // see above; copies are constructed
};

/// The entries of one mapping that passed the key checks, first occurrence of each key, in order.
struct YamlMap
{
    YamlField self;
    std::vector<std::pair<std::string, YamlField>> entries;

    /// The value for key, or a field with exists == false (and the path it would have).
    [[nodiscard]] YamlField get(std::string_view key) const;
};

/// Reads a yaml-cpp document against a schema and collects every problem with file:line:column.
/// yaml-cpp alone would stop at the first bad conversion, silently keep only one of two duplicate
/// keys and give empty values the position of whatever token follows; this class fixes all three.
/// It never recurses on its own: the caller walks the schema, so cyclic aliases (&a [*a]) cannot
/// loop, and a node budget stops alias fan-out from turning a small file into a huge walk.
class YamlReader
{
public:
    /// text must outlive the reader: positions are mapped back into it.
    YamlReader(std::string fileName, std::string_view text);

    [[nodiscard]] YamlField root(const YAML::Node &node) const;

    /// Checks that field is a mapping; reports duplicate keys, non-string keys, unknown keys
    /// (with a "did you mean") and missing or empty required keys. With allowUnknown, keys not in
    /// known are returned too (for free-form parameters). nullopt when it is not a mapping.
    [[nodiscard]] std::optional<YamlMap> mapping(const YamlField &field,
                                                 const std::vector<std::string> &known,
                                                 const std::vector<std::string> &required,
                                                 bool allowUnknown = false);

    /// The items of a list; reports anything else. An absent or empty value is an empty list.
    [[nodiscard]] std::vector<YamlField> sequence(const YamlField &field);

    /// Scalar readers: nullopt for absent or empty values (the default applies) and after
    /// reporting a problem.
    [[nodiscard]] std::optional<std::string> string(const YamlField &field);
    [[nodiscard]] std::optional<bool> boolean(const YamlField &field);
    [[nodiscard]] std::optional<long long> integer(const YamlField &field, long long min,
                                                   long long max);
    /// A positive duration in whole seconds ("90s", "3h", "7d").
    [[nodiscard]] std::optional<std::chrono::seconds> duration(const YamlField &field);
    /// One of choices; a literal YAML null counts as the text "null" here.
    [[nodiscard]] std::optional<std::string> choice(const YamlField &field,
                                                    const std::vector<std::string> &choices);
    /// A list of strings, each with its field so callers can report at the item.
    [[nodiscard]] std::vector<std::pair<YamlField, std::string>> stringList(const YamlField &field);

    /// Report at the value (or, for an empty value, at its key); at the key; at a mark.
    void reportValue(const YamlField &field, std::string message);
    void reportKey(const YamlField &field, std::string message);
    void report(const YAML::Mark &mark, const std::string &path, std::string message);

    /// 1-based position of the value, as stored in the config structs.
    [[nodiscard]] SourceLocation location(const YamlField &field) const;
    [[nodiscard]] SourceLocation position(const YAML::Mark &mark) const;
    /// Byte offset of a mark in the text (yaml-cpp columns count bytes).
    [[nodiscard]] std::size_t offsetOf(const YAML::Mark &mark) const;

    [[nodiscard]] bool hasDiagnostics() const { return !m_diagnostics.empty(); }
    /// True once maxDiagnostics problems were collected: callers may skip expensive checks.
    [[nodiscard]] bool saturated() const { return m_diagnostics.size() >= maxDiagnostics; }
    /// Every problem, sorted by line and column; exact repeats (via aliases) are kept once.
    [[nodiscard]] std::vector<Diagnostic> takeDiagnostics();

    /// Past this many problems the file is garbage, not a config with typos: stop collecting.
    static constexpr std::size_t maxDiagnostics = 500;

    /// "regions[1]" + "name" → "regions[1].name"; the root path is empty.
    [[nodiscard]] static std::string childPath(const std::string &parent, std::string_view key);
    /// Quoted, shortened and with control bytes escaped: safe to print whatever the file holds.
    [[nodiscard]] static std::string quote(std::string_view text);
    /// "a mapping", "a list", "an empty value" or the quoted scalar.
    [[nodiscard]] static std::string describe(const YAML::Node &node);

private:
    [[nodiscard]] YAML::Mark valueMark(const YamlField &field) const;
    [[nodiscard]] bool isNullLiteral(const YAML::Node &node) const;
    [[nodiscard]] YAML::Mark markAt(std::size_t offset) const;
    /// Counts nodes walked; false (reported once) when the document is too big to check.
    [[nodiscard]] bool spend(std::size_t nodes, const YamlField &field);

    std::string m_fileName;
    std::string_view m_text;
    std::vector<std::size_t> m_lineStarts;
    std::vector<Diagnostic> m_diagnostics;
    std::set<std::tuple<int, int, std::string, std::string>> m_reported;
    bool m_truncated = false;
    std::size_t m_budget;
    bool m_budgetReported = false;
};

} // namespace envsync::config
