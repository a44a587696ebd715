#include "core/schedule/planpatch.h"

#include "core/config/configloader.h"
#include "core/config/duration.h"
#include "core/config/windoweditor.h"

#include <QDir>
#include <QTime>

#include <algorithm>
#include <vector>

namespace envsync::schedule {

namespace {

constexpr std::size_t contextLines = 3;

std::string clockText(int minutes)
{
    return QTime(0, 0).addSecs(minutes * 60).toString(QStringLiteral("HH:mm")).toStdString();
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        out.push_back(text.substr(pos, end == std::string::npos ? end : end + 1 - pos));
        pos = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

std::string diffLine(char marker, const std::string &line)
{
    return marker + line + (line.ends_with('\n') ? "" : "\n\\ No newline at end of file\n");
}

/// One hunk over lines [begin, end) of two texts with the same number of lines.
std::string hunk(const std::vector<std::string> &before, const std::vector<std::string> &after,
                 std::size_t begin, std::size_t end)
{
    const std::string range = std::to_string(begin + 1) + ',' + std::to_string(end - begin);
    std::string out = "@@ -" + range + " +" + range + " @@\n";
    for (std::size_t i = begin; i < end;) {
        if (before[i] == after[i]) {
            out += diffLine(' ', before[i++]);
            continue;
        }
        std::size_t changedEnd = i;
        while (changedEnd < end && before[changedEnd] != after[changedEnd])
            ++changedEnd;
        for (std::size_t j = i; j < changedEnd; ++j)
            out += diffLine('-', before[j]);
        for (std::size_t j = i; j < changedEnd; ++j)
            out += diffLine('+', after[j]);
        i = changedEnd;
    }
    return out;
}

/// A unified diff of two texts that differ only inside lines (replaceRegionWindow() never adds
/// or removes a line).
Result<std::string> sameShapeDiff(const std::string &beforeText, const std::string &afterText,
                                  const std::string &fileName)
{
    const std::vector<std::string> before = lines(beforeText);
    const std::vector<std::string> after = lines(afterText);
    if (before.size() != after.size())
        return fail(ErrorCode::Internal, "the edited config has a different number of lines",
                    fileName);
    std::string out;
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i] == after[i])
            continue;
        const std::size_t begin = i > contextLines ? i - contextLines : 0;
        std::size_t lastChange = i;
        for (std::size_t j = i + 1; j < before.size() && j <= lastChange + 2 * contextLines; ++j) {
            if (before[j] != after[j])
                lastChange = j;
        }
        const std::size_t end = std::min(before.size(), lastChange + contextLines + 1);
        out += hunk(before, after, begin, end);
        i = end - 1;
    }
    return out.empty() ? out : "--- " + fileName + "\n+++ " + fileName + "\n" + out;
}

} // namespace

std::string windowYaml(const config::WindowConfig &window)
{
    return "window: { rrule: \"" + window.rrule + "\", start: \"" + clockText(window.startMinutes)
            + "\", duration: " + config::formatDuration(window.duration) + " }";
}

std::string windowText(const std::optional<config::WindowConfig> &window)
{
    if (!window)
        return "(none)";
    return window->rrule + ' ' + clockText(window->startMinutes) + ' '
            + config::formatDuration(window->duration);
}

Result<std::string> planDiff(const PlanResult &plan, const std::string &configText,
                             const std::string &fileName)
{
    std::string edited = configText;
    for (const WindowChange &change : plan.changes) {
        auto next = config::replaceRegionWindow(edited, change.region, change.after, fileName);
        if (!next)
            return std::unexpected(next.error());
        edited = std::move(*next);
    }
    return sameShapeDiff(configText, edited, fileName);
}

std::string planSnippet(const PlanResult &plan)
{
    std::string out;
    for (const WindowChange &change : plan.changes) {
        out += "# " + change.reason + '\n';
        out += "# was: " + (change.before ? windowYaml(*change.before) : std::string("no window"))
                + '\n';
        out += "regions[name=" + change.region + "]:\n  " + windowYaml(change.after) + '\n';
    }
    return out;
}

std::string planPatchForFile(const PlanResult &plan, const std::string &configPath)
{
    // The loader's checks: a FIFO put in place of the config after loading must not block.
    const auto text = config::readConfigText(configPath);
    if (!text)
        return "# cannot read " + configPath + " (" + text.error()
               + "): the changes as YAML instead\n" + planSnippet(plan);
    // patch(1) refuses absolute names: name the file relative to where the plan is made.
    const std::string name
            = QDir::current().relativeFilePath(QString::fromStdString(configPath)).toStdString();
    auto diff = planDiff(plan, *text, name);
    if (!diff)
        return "# cannot write the plan into " + configPath + " (" + diff.error().describe()
                + "): the changes as YAML instead\n" + planSnippet(plan);
    return *diff;
}

} // namespace envsync::schedule
