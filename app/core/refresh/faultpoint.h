#pragma once

#include <string_view>

namespace envsync::refresh {

/// Fault injection for crash tests: when the environment variable ENVSYNC_FAULT equals `name`,
/// the process kills itself with SIGKILL right here (no clean-up, no destructors), exactly as
/// `kill -9` would. Costs one getenv when unset.
void faultPoint(std::string_view name);

} // namespace envsync::refresh
