#pragma once

#include "core/error.h"

#include <filesystem>
#include <map>
#include <string>

namespace envsync::demo {

/// Writes the demo's envsync.yaml: the five clusters, staggered weekly windows (eu Monday,
/// us Wednesday, apac Friday, each in its own time zone) and masking rules for the shop's PII.
/// dsns maps cluster name (source, golden, eu, us, apac) to its DSN; regionPorts region name
/// to its cluster's port (for the sample virtual services' ports).
[[nodiscard]] Result<void> writeDemoConfig(const std::filesystem::path &path,
                                           const std::map<std::string, std::string> &dsns,
                                           const std::map<std::string, int> &regionPorts);

} // namespace envsync::demo
