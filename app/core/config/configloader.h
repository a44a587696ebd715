#pragma once

#include "core/config/config.h"

#include <expected>
#include <string>
#include <vector>

namespace envsync::config {

/// One problem found in a config file; format() gives "FILE:LINE:COL: path: message".
struct Diagnostic
{
    std::string file;
    int line = 0;   ///< 1-based; 0 when the problem has no position (e.g. unreadable file)
    int column = 0; ///< 1-based
    std::string path; ///< e.g. "regions[1].window.rrule"; empty for file-level problems
    std::string message;

    [[nodiscard]] std::string format() const;
};

using LoadResult = std::expected<Config, std::vector<Diagnostic>>;

/// The text of a config file, or why it is refused: not a regular file (a FIFO, a device, a
/// directory: refused without blocking), world-writable or writable by a group other than the
/// owner's private group (its hooks run SQL; set ENVSYNC_ALLOW_WRITABLE_CONFIG=1 to accept that), larger than 4 MiB, or unreadable.
[[nodiscard]] std::expected<std::string, std::string> readConfigText(const std::string &path);

/// Reads (readConfigText), parses and validates a config file; on failure returns every problem
/// found, in file order.
[[nodiscard]] LoadResult loadConfigFile(const std::string &path);

/// Same for text already in memory; fileName is used in diagnostics and to resolve relative paths.
[[nodiscard]] LoadResult parseConfig(const std::string &yamlText, const std::string &fileName);

} // namespace envsync::config
