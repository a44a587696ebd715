#pragma once

#include "core/agent/dueplan.h"
#include "core/config/config.h"
#include "core/db/controldb.h"
#include "core/error.h"

namespace envsync::agent {

/// Reads what decideRegion needs about one region: the snapshot in its database's EnvSync
/// marker (the data it really holds, rollbacks included), its refresh_log history, and the
/// agent's failed attempts from `actor`'s "agent.refresh" audit records. Those, not
/// refresh_log, count the attempts: they also cover refreshes that failed before writing a
/// refresh_log row (region unreachable, a guard), and carry the agent clock's times. An
/// unreachable region is not an error here: `holds` stays empty and the refresh that follows
/// reports the real failure. Blocking.
[[nodiscard]] Result<RegionFacts> readRegionFacts(const config::Config &config,
                                                  const config::RegionConfig &region,
                                                  db::ControlDb &control, const std::string &actor);

} // namespace envsync::agent
