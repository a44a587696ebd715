#pragma once

#include "core/config/config.h"
#include "core/db/controldb.h"
#include "core/error.h"
#include "core/job/canceltoken.h"
#include "core/schedule/calendar.h"

#include <memory>
#include <optional>
#include <string>

namespace envsync::schedule {

/// Mean duration in seconds of the region's last five successful refreshes (those that copied
/// data, not rollbacks), from envsync.refresh_log; nullopt without such history.
[[nodiscard]] Result<std::optional<double>> meanRefreshSeconds(db::ControlDb &control,
                                                               const std::string &region);

/// The same for every region of the config, for buildCalendar(). Regions without history are
/// left out; an empty map when the control database does not exist yet (nothing was ever
/// refreshed). Blocking: opens its own connection; run it on a worker.
[[nodiscard]] Result<ExpectedDurations>
expectedDurations(const config::Config &config,
                  const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::schedule
