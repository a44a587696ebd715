#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envsync::snapshot {

/// Which regions' last successful refresh used which snapshot: "golden_v3" → {"eu", "us"}
/// (regions sorted). The same rule pruneSnapshots applies to keep a snapshot ("in use").
/// Empty while the control database does not exist yet. Blocking; call it from a worker.
[[nodiscard]] Result<std::map<std::string, std::vector<std::string>>>
snapshotsInUse(const config::Config &config, const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::snapshot
