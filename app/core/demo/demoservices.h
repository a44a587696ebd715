#pragma once

#include "core/config/config.h"
#include "core/demo/demo.h"
#include "core/error.h"

#include <map>
#include <string>
#include <vector>

namespace envsync::demo {

/// The ports of a region's sample service, derived from the region cluster's port so that
/// several demos on one machine never share them.
struct DemoServicePorts
{
    int listen = 0;   ///< where `virt serve` and `virt record` answer
    int upstream = 0; ///< where `demo upstream` (the partner API) listens while recording
};
[[nodiscard]] DemoServicePorts demoServicePorts(int regionClusterPort);

/// The `services:` section of the demo config: one partner API per region ("payments-eu", …)
/// with mask rules that use the same transforms as the golden rules of the same data, so a
/// recorded e-mail equals the masked e-mail of the region's database after a refresh.
[[nodiscard]] std::string demoServicesYaml(const std::map<std::string, int> &regionClusterPorts);

/// The sample traffic of a region's service: the requests `recordDemoServices` sends (method,
/// path, JSON body or empty).
struct SampleRequest
{
    std::string method;
    std::string path;
    std::string body;
};
[[nodiscard]] std::vector<SampleRequest> sampleTraffic(const std::string &region);

/// Records every demo service that has no recording yet: starts the region's DemoUpstream on
/// the service's upstream address, a virt::Recorder with the golden salt in front of it, and
/// sends the sample traffic through it twice (so request ids and timestamps are learned, not
/// recorded literally). Blocking (seconds); runs its own event loop on a thread of its own.
/// Returns the names of the services recorded. Needs the masking salt (ErrorCode::Refused
/// without it: nothing is recorded unmasked).
[[nodiscard]] Result<std::vector<std::string>> recordDemoServices(const config::Config &config,
                                                                  const ProgressFn &progress);

} // namespace envsync::demo
