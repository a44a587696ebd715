#pragma once

#include "core/config/config.h"

#include <chrono>
#include <vector>

namespace envsync::schedule {

/// The shortest window that fits a refresh of `expected` duration: 25 % (at least 15 minutes)
/// on top for variance, rounded up to whole 30 minutes so the YAML stays readable ("2h30m").
[[nodiscard]] std::chrono::seconds windowWithMargin(std::chrono::seconds expected);

/// Alternative windows for a region, the smallest change first:
///  1. only the duration, grown to `minimumDuration` (keeps rule and start time);
///  2. the same rule at another start hour, the region's local night (00:00-05:00) first;
///  3. other weekly day sets (`FREQ=WEEKLY;BYDAY=...`): as many days as today first, then more,
///     then fewer; sets sharing the most days with today's first; each at today's start time,
///     then at the other hours. Day sets whose longest gap between two days already exceeds
///     the region's freshness_sla are left out (they cannot hold it).
/// Every candidate lasts at least `minimumDuration` and at least as long as today's window.
/// The region's current window itself is not among them.
[[nodiscard]] std::vector<config::WindowConfig>
windowCandidates(const config::RegionConfig &region, std::chrono::seconds minimumDuration);

} // namespace envsync::schedule
