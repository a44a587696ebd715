#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/schedule/planner.h"

#include <string>

namespace envsync::schedule {

/// `window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h }`
[[nodiscard]] std::string windowYaml(const config::WindowConfig &window);

/// "FREQ=WEEKLY;BYDAY=MO 02:00 3h" for one-line messages; "(none)" without a window.
[[nodiscard]] std::string windowText(const std::optional<config::WindowConfig> &window);

/// The plan as a unified diff of the config file (`patch -p0 < plan.diff` or `git apply`
/// applies it): each changed region's window values are replaced in the text with
/// config::replaceRegionWindow(), so comments, quoting and layout stay as they were.
/// Empty for a plan without changes. Fails when a change cannot be written into the text
/// (e.g. the region has no window yet): use planSnippet() then.
[[nodiscard]] Result<std::string> planDiff(const PlanResult &plan, const std::string &configText,
                                           const std::string &fileName);

/// The plan as YAML snippets, one per changed region:
///   # eu: capacity: eu, us: 2 windows open at once ... (the reason)
///   # was: window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h }
///   regions[name=eu]:
///     window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "01:00", duration: 3h }
[[nodiscard]] std::string planSnippet(const PlanResult &plan);

/// planDiff() against the config file itself, named relative to the current directory (for
/// `patch -p0` there); planSnippet() after a "#" comment saying why
/// when the file cannot be read or edited that way. Blocking I/O.
[[nodiscard]] std::string planPatchForFile(const PlanResult &plan, const std::string &configPath);

} // namespace envsync::schedule
