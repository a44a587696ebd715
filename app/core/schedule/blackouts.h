#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/schedule/windowexpander.h"

#include <QDateTime>

#include <optional>
#include <string>
#include <vector>

namespace envsync::schedule {

/// A blackout as it applies to one region: whole local days in the region's time zone,
/// [from 00:00, to + 1 day 00:00), converted to UTC. A freeze means "no refresh on these
/// dates where the squad works", so the region's own calendar days are the natural unit.
struct BlackoutInterval
{
    QDateTime startUtc;
    QDateTime endUtc;
    std::string reason;
    config::SourceLocation location;
    [[nodiscard]] bool contains(const QDateTime &utc) const
    {
        return startUtc <= utc && utc < endUtc;
    }
    [[nodiscard]] bool overlaps(const WindowInterval &window) const
    {
        return startUtc < window.endUtc && window.startUtc < endUtc;
    }
};

/// Every blackout of the config that applies to `region` (global ones and those naming it).
/// Fails (Config) on an unknown time zone or an invalid date.
[[nodiscard]] Result<std::vector<BlackoutInterval>> blackoutsFor(const config::Config &config,
                                                                 const config::RegionConfig &region);

/// The blackout covering `nowUtc` for the region, if any.
[[nodiscard]] Result<std::optional<BlackoutInterval>> blackoutAt(const config::Config &config,
                                                                 const config::RegionConfig &region,
                                                                 const QDateTime &nowUtc);

} // namespace envsync::schedule
