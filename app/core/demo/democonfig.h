#pragma once

#include "core/error.h"

#include <filesystem>
#include <map>
#include <string>

namespace envsync::demo {

/// Writes the demo's envsync.yaml: the five clusters, staggered weekly windows (eu Monday,
/// us Wednesday, apac Friday, each in its own time zone) and masking rules for the shop's PII.
/// dsns maps cluster name (source, golden, eu, us, apac) to its DSN.
[[nodiscard]] Result<void> writeDemoConfig(const std::filesystem::path &path,
                                           const std::map<std::string, std::string> &dsns);

} // namespace envsync::demo
