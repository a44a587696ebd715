#include "core/status/endpointstatus.h"

#include <algorithm>

namespace envsync::status {

const char *roleName(EndpointRole role)
{
    switch (role) {
    case EndpointRole::Source:
        return "source";
    case EndpointRole::Golden:
        return "golden";
    case EndpointRole::Region:
        return "region";
    }
    return "region";
}

const char *freshnessSourceName(FreshnessSource source)
{
    return source == FreshnessSource::Cdc ? "cdc" : "refresh";
}

const char *freshnessName(Freshness freshness)
{
    switch (freshness) {
    case Freshness::Ok:
        return "ok";
    case Freshness::Due:
        return "due";
    case Freshness::Overdue:
        return "overdue";
    case Freshness::Unknown:
        return "unknown";
    }
    return "unknown";
}

bool StatusReport::allReachable() const
{
    return std::ranges::all_of(endpoints, &EndpointStatus::reachable);
}

Freshness classifyFreshness(std::optional<std::chrono::seconds> age, std::chrono::seconds sla)
{
    if (!age || sla.count() <= 0)
        return Freshness::Unknown;
    if (*age > sla)
        return Freshness::Overdue;
    // Integer arithmetic: "due" is the last fifth of the SLA.
    if (age->count() * 5 >= sla.count() * 4)
        return Freshness::Due;
    return Freshness::Ok;
}

} // namespace envsync::status
