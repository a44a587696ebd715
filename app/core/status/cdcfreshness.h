#pragma once

#include "core/db/controldb.h"
#include "core/status/endpointstatus.h"

#include <QDateTime>

#include <chrono>
#include <optional>
#include <vector>

namespace envsync::status {

/// `cdc run` publishes its figures every second; older ones mean it is not streaming.
inline constexpr qint64 cdcLiveSeconds = 10;

/// The data age of a region CDC keeps fresh: its lag (rounded up to whole seconds), when
/// `cdc run` reported it streaming (not paused) within the last cdcLiveSeconds before `now`.
/// nullopt otherwise: the region's freshness is its last refresh.
[[nodiscard]] std::optional<std::chrono::seconds> streamedDataAge(const db::CdcRegionState &row,
                                                                  const QDateTime &now);

/// Applies streamedDataAge to a probed region (age, freshnessSource, freshness against its
/// SLA) when one of `rows` is its and streamed; leaves it as it is otherwise.
void applyCdcFreshness(EndpointStatus &status, const std::vector<db::CdcRegionState> &rows,
                       const QDateTime &now);

} // namespace envsync::status
