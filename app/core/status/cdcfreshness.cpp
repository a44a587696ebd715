#include "core/status/cdcfreshness.h"

#include <algorithm>
#include <cmath>

namespace envsync::status {

std::optional<std::chrono::seconds> streamedDataAge(const db::CdcRegionState &row,
                                                    const QDateTime &now)
{
    if (row.state != "streaming" || row.paused || !row.updatedAt.isValid())
        return std::nullopt;
    const qint64 sinceReport = row.updatedAt.secsTo(now);
    // A report from the future beyond the window is a clock problem, not a live stream.
    if (std::abs(sinceReport) > cdcLiveSeconds)
        return std::nullopt;
    if (!std::isfinite(row.lagSeconds) || row.lagSeconds < 0)
        return std::nullopt;
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(row.lagSeconds)));
}

void applyCdcFreshness(EndpointStatus &status, const std::vector<db::CdcRegionState> &rows,
                       const QDateTime &now)
{
    if (status.role != EndpointRole::Region)
        return;
    const auto row = std::ranges::find(rows, status.name, &db::CdcRegionState::region);
    if (row == rows.end())
        return;
    const auto age = streamedDataAge(*row, now);
    if (!age)
        return;
    status.age = age;
    status.freshnessSource = FreshnessSource::Cdc;
    status.freshness = classifyFreshness(status.age, status.sla.value_or(std::chrono::seconds(0)));
}

} // namespace envsync::status
