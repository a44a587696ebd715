#pragma once

#include <string_view>

namespace envsync::refresh {

/// Fault injection for crash tests: when the environment variable ENVSYNC_FAULT equals `name`
/// (or `name@N`: the N-th time this point is passed),
/// the process kills itself with SIGKILL right here (no clean-up, no destructors), exactly as
/// `kill -9` would. Costs one getenv when unset. Compiled in only with ENVSYNC_FAULT_INJECTION
/// (test builds); elsewhere it does nothing and the variable is never read.
void faultPoint(std::string_view name);

/// Whether this build has the fault points (shown by `envsyncctl --version`).
[[nodiscard]] bool faultInjectionCompiledIn();

} // namespace envsync::refresh
