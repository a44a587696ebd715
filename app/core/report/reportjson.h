#pragma once

#include "core/report/reportmodel.h"

#include <string>

namespace envsync::report {

/// The versioned JSON shape documented in README "Reports": {"version": 1, "generated_at",
/// "period", "drift_reference", "summary", "regions": [...]}; indented, trailing newline.
[[nodiscard]] std::string toJson(const FreshnessReport &report);

} // namespace envsync::report
