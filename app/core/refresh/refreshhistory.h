#pragma once

#include "core/config/config.h"
#include "core/db/controldb.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <memory>
#include <string>
#include <vector>

namespace envsync::refresh {

/// The refresh history of one region (envsync.refresh_log), newest first, at most `limit`
/// rows: every outcome (running, success, failed, cancelled, rolled_back), not only the
/// successes the freshness probes read. An empty list when the control database does not exist
/// yet (nothing was ever refreshed). Blocking: opens its own connection; run it on a worker.
[[nodiscard]] Result<std::vector<db::RefreshRecord>>
regionHistory(const config::Config &config, const std::string &region, int limit = 100,
              const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::refresh
