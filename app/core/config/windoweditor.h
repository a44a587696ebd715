#pragma once

#include "core/config/config.h"
#include "core/error.h"

#include <string>

namespace envsync::config {

/// The config text with only the values of one region's `window:` (rrule, start, duration)
/// replaced; every other byte (comments, order, quoting, other regions) is kept. Works for the
/// flow style (`window: { rrule: "...", start: "02:00", duration: 3h }`) and the block style
/// (`window:` then indented keys). Each value keeps its quoting style when the new value allows
/// it, and a value that means the same as before ("180m" vs "3h") is left as written.
/// The result is loaded again and must parse with the new window, or this fails.
/// Fails (Config) when the text does not load, (Usage) for an unknown region, a region without
/// a window, a window written as a YAML alias or block scalar, or an invalid new window.
[[nodiscard]] Result<std::string> replaceRegionWindow(const std::string &yamlText,
                                                      const std::string &regionName,
                                                      const WindowConfig &newWindow,
                                                      const std::string &fileName = "<config>");

/// replaceRegionWindow() on a file, written atomically (a temporary file in the same folder,
/// then a rename): readers see the old or the new config, never half of it. Blocking I/O.
[[nodiscard]] Result<void> saveRegionWindow(const std::string &configPath,
                                            const std::string &regionName,
                                            const WindowConfig &newWindow);

} // namespace envsync::config
