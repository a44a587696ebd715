#pragma once

#include "core/config/config.h"
#include "core/job/canceltoken.h"
#include "core/status/endpointstatus.h"

#include <cstddef>
#include <functional>
#include <memory>

namespace envsync::status {

/// Called once per endpoint as soon as its probe is complete; calls are serialised (never
/// concurrent) but arrive on worker threads, in completion order.
using EndpointCallback = std::function<void(std::size_t index, const EndpointStatus &status)>;

/// The endpoints of a config in display order (source, golden, regions…), not yet probed:
/// name, role, address and SLA filled, reachable=false, freshness unknown.
[[nodiscard]] std::vector<EndpointStatus> plannedEndpoints(const config::Config &config);

/// Probes every endpoint in parallel (own threads, own connections) and reads the refresh
/// history from envsync_control. Blocking: call it from a worker, never the GUI thread. One
/// unreachable host costs at most its connect timeout and never delays the others beyond it.
/// `cancel` cancels the probes in flight on the servers; endpoints not probed then say so
/// (StatusReport::cancelled).
[[nodiscard]] StatusReport collectStatus(const config::Config &config,
                                         const EndpointCallback &onEndpoint = {},
                                         const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::status
