#include "core/config/windoweditor.h"

#include "core/config/configloader.h"
#include "core/config/duration.h"
#include "core/config/rrulecheck.h"
#include "core/config/yamlreader.h"
#include "core/util/savefile.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace envsync::config {

namespace {

/// Where one scalar value sits in the text, and how it was quoted ('"', '\'' or 0 for plain).
struct ValueSpan
{
    std::size_t begin = 0;
    std::size_t end = 0; ///< exclusive
    char quote = 0;
};

/// One value to write over a span.
struct Replacement
{
    ValueSpan span;
    std::string text;
};

std::string firstDiagnostic(const std::vector<Diagnostic> &diagnostics)
{
    return diagnostics.empty() ? std::string("unknown problem") : diagnostics.front().format();
}

std::optional<std::size_t> quotedEnd(std::string_view text, std::size_t begin)
{
    const char quote = text[begin];
    for (std::size_t i = begin + 1; i < text.size(); ++i) {
        if (quote == '"' && text[i] == '\\') {
            ++i; // the escaped character
        } else if (text[i] == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'')
                ++i; // '' is an escaped quote inside single quotes
            else
                return i + 1;
        }
    }
    return std::nullopt;
}

std::size_t plainEnd(std::string_view text, std::size_t begin, bool flow)
{
    std::size_t end = begin;
    while (end < text.size()) {
        const char c = text[end];
        const bool comment
                = c == '#' && end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t');
        const bool flowEnd = flow && (c == ',' || c == '}' || c == ']');
        if (c == '\n' || c == '\r' || comment || flowEnd)
            break;
        ++end;
    }
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return end;
}

Result<ValueSpan> scalarSpan(std::string_view text, std::size_t begin, bool flow,
                             const std::string &what)
{
    if (begin >= text.size())
        return fail(ErrorCode::Internal, "value position outside the text", what);
    const char first = text[begin];
    if (first == '|' || first == '>' || first == '&' || first == '*' || first == '!')
        return fail(ErrorCode::Usage,
                    "written as a block scalar, anchor, alias or tag: edit it by hand", what);
    if (first == '"' || first == '\'') {
        const std::optional<std::size_t> end = quotedEnd(text, begin);
        if (!end)
            return fail(ErrorCode::Usage, "unterminated quoted value", what);
        return ValueSpan{begin, *end, first};
    }
    return ValueSpan{begin, plainEnd(text, begin, flow), 0};
}

/// Characters the new values can have that never need quotes (',' separates flow entries).
bool plainSafe(const std::string &value, bool flow)
{
    if (value.empty() || !std::isalnum(static_cast<unsigned char>(value.front())))
        return false;
    return std::ranges::all_of(value, [flow](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '=' || c == ';' || c == ':'
               || c == '_' || c == '+' || c == '-' || c == '.' || (c == ',' && !flow);
    });
}

/// The new value in the style the old one had, if that style can hold it.
std::string render(const std::string &value, char quote, bool flow)
{
    if (quote == 0 && plainSafe(value, flow))
        return value;
    std::string out(1, quote == '\'' ? '\'' : '"');
    for (const char c : value) {
        if (quote == '\'' && c == '\'')
            out += '\'';
        else if (quote != '\'' && (c == '"' || c == '\\'))
            out += '\\';
        out += c;
    }
    return out + out.front();
}

std::string clockText(int minutes)
{
    const auto twoDigits = [](int value) {
        return (value < 10 ? "0" : "") + std::to_string(value);
    };
    return twoDigits(minutes / 60) + ':' + twoDigits(minutes % 60);
}

Result<void> checkNewWindow(const WindowConfig &window, const std::string &who)
{
    if (const auto valid = validateRRule(window.rrule); !valid)
        return fail(ErrorCode::Usage, "new window: " + valid.error(), who);
    if (window.startMinutes < 0 || window.startMinutes >= 24 * 60)
        return fail(ErrorCode::Usage, "new window: start must be between 00:00 and 23:59", who);
    if (window.duration.count() <= 0)
        return fail(ErrorCode::Usage, "new window: the duration must be positive", who);
    return {};
}

std::vector<YAML::Node> regionNodes(const YAML::Node &root)
{
    std::vector<YAML::Node> out;
    const YAML::Node regions = root["regions"];
    if (regions.IsSequence()) {
        for (const YAML::Node &item : regions) {
            if (item.IsMap())
                out.push_back(item);
        }
    }
    return out;
}

/// The region's window node; fails when it is written as an alias or anchored and used by
/// another region (changing it would move that region's window too).
Result<YAML::Node> windowNode(const YAML::Node &root, const std::string &regionName,
                              const std::string &who)
{
    const std::vector<YAML::Node> regions = regionNodes(root);
    const auto region = std::ranges::find_if(regions, [&](const YAML::Node &item) {
        const YAML::Node name = item["name"];
        return name.IsScalar() && name.Scalar() == regionName;
    });
    if (region == regions.end())
        return fail(ErrorCode::Internal, "region not found in the YAML document", who);
    const YAML::Node window = (*region)["window"];
    for (auto other = regions.begin(); other != regions.end(); ++other) {
        if (other != region && (*other)["window"].is(window))
            return fail(ErrorCode::Usage,
                        "the window is shared with another region through a YAML anchor: "
                        "edit it by hand",
                        who);
    }
    if (!window.IsMap())
        return fail(ErrorCode::Usage, "the window is not a mapping: edit it by hand", who);
    return window;
}

/// The spans of rrule, start and duration with their new text; values that keep their meaning
/// are left out so they stay as written.
Result<std::vector<Replacement>> replacements(const std::string &text, const std::string &fileName,
                                              const std::string &regionName,
                                              const WindowConfig &current,
                                              const WindowConfig &wanted)
{
    const std::string who = "region " + regionName;
    const YAML::Node root = YAML::Load(text);
    const Result<YAML::Node> found = windowNode(root, regionName, who);
    if (!found)
        return std::unexpected(found.error());
    const YAML::Node &window = *found;
    YamlReader reader(fileName, text);
    // The config's location of the window is where the values are: the loader points an
    // aliased value at its key instead, so a difference means an alias.
    const SourceLocation at = reader.position(window.Mark());
    if (at.line != current.location.line || at.column != current.location.column)
        return fail(ErrorCode::Usage, "the window is a YAML alias: edit it by hand", who);
    const bool flow = text[reader.offsetOf(window.Mark())] == '{';
    const std::array<std::pair<const char *, std::optional<std::string>>, 3> values = {{
            {"rrule", current.rrule == normalizeRRule(wanted.rrule)
                              ? std::nullopt
                              : std::optional(normalizeRRule(wanted.rrule))},
            {"start", current.startMinutes == wanted.startMinutes
                              ? std::nullopt
                              : std::optional(clockText(wanted.startMinutes))},
            {"duration", current.duration == wanted.duration
                                 ? std::nullopt
                                 : std::optional(formatDuration(wanted.duration))},
    }};
    std::vector<Replacement> out;
    for (const auto &[key, value] : values) {
        if (!value)
            continue;
        const std::string what = who + ": window." + key;
        auto span = scalarSpan(text, reader.offsetOf(window[key].Mark()), flow, what);
        if (!span)
            return std::unexpected(span.error());
        out.push_back({*span, render(*value, span->quote, flow)});
    }
    return out;
}

Result<void> verifyEdit(const std::string &edited, const std::string &fileName,
                        const std::string &regionName, const WindowConfig &wanted)
{
    const LoadResult reloaded = parseConfig(edited, fileName);
    if (!reloaded)
        return fail(ErrorCode::Internal,
                    "the edited config does not load: " + firstDiagnostic(reloaded.error()),
                    "region " + regionName);
    const RegionConfig *region = reloaded->findRegion(regionName);
    const bool same = region && region->window
                      && region->window->rrule == normalizeRRule(wanted.rrule)
                      && region->window->startMinutes == wanted.startMinutes
                      && region->window->duration == wanted.duration;
    if (!same)
        return fail(ErrorCode::Internal, "the edited config does not have the new window",
                    "region " + regionName);
    return {};
}

Result<std::string> editText(const std::string &yamlText, const std::string &regionName,
                             const WindowConfig &newWindow, const std::string &fileName)
{
    const std::string who = "region " + regionName;
    if (auto valid = checkNewWindow(newWindow, who); !valid)
        return std::unexpected(valid.error());
    const LoadResult loaded = parseConfig(yamlText, fileName);
    if (!loaded)
        return fail(ErrorCode::Config, firstDiagnostic(loaded.error()));
    const RegionConfig *region = loaded->findRegion(regionName);
    if (!region)
        return fail(ErrorCode::Usage, "no region named \"" + regionName + "\" in the config",
                    fileName);
    if (!region->window)
        return fail(ErrorCode::Usage, "the region has no window to change (add one by hand)", who);
    auto edits = replacements(yamlText, fileName, regionName, *region->window, newWindow);
    if (!edits)
        return std::unexpected(edits.error());
    std::ranges::sort(*edits, [](const Replacement &a, const Replacement &b) {
        return a.span.begin > b.span.begin; // back to front: earlier offsets stay valid
    });
    std::string edited = yamlText;
    for (const Replacement &edit : *edits)
        edited.replace(edit.span.begin, edit.span.end - edit.span.begin, edit.text);
    if (auto verified = verifyEdit(edited, fileName, regionName, newWindow); !verified)
        return std::unexpected(verified.error());
    return edited;
}

} // namespace

Result<std::string> replaceRegionWindow(const std::string &yamlText, const std::string &regionName,
                                        const WindowConfig &newWindow, const std::string &fileName)
{
    try {
        return editText(yamlText, regionName, newWindow, fileName);
    } catch (const std::exception &error) {
        return fail(ErrorCode::Internal, std::string("cannot edit the config: ") + error.what(),
                    fileName);
    }
}

Result<void> saveRegionWindow(const std::string &configPath, const std::string &regionName,
                              const WindowConfig &newWindow)
{
    // The same checks as loading: never block on a FIFO, never edit a file others can write.
    const auto text = readConfigText(configPath);
    if (!text)
        return fail(ErrorCode::Io, text.error(), configPath);
    auto edited = replaceRegionWindow(*text, regionName, newWindow, configPath);
    if (!edited)
        return std::unexpected(edited.error());
    return util::saveFile(configPath, *edited);
}

} // namespace envsync::config
