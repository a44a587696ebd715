#include "ui/cdc/cdchistory.h"

#include <algorithm>

namespace envsync::ui {

bool CdcHistory::charted(const cdc::RegionCdcStatus &region)
{
    // A paused or refreshing region still has a lag that grows: that is worth seeing.
    return region.state == "streaming" || region.state == "paused" || region.state == "refreshing"
           || region.state == "reconnecting";
}

void CdcHistory::add(const cdc::CdcStatus &status, const QDateTime &at)
{
    for (const auto &region : status.regions) {
        CdcSample sample{at, std::nullopt, std::nullopt};
        if (charted(region)) {
            if (region.lagSeconds >= 0)
                sample.lagSeconds = region.lagSeconds;
            sample.changesPerSecond = region.changesPerSecond;
        }
        m_samples[QString::fromStdString(region.region)].push_back(sample);
    }
    prune(at);
}

void CdcHistory::addGap(const QDateTime &at)
{
    for (auto &[region, samples] : m_samples)
        samples.push_back({at, std::nullopt, std::nullopt});
    prune(at);
}

void CdcHistory::prune(const QDateTime &at)
{
    const QDateTime oldest = at.addSecs(-windowSeconds);
    for (auto &[region, samples] : m_samples) {
        const auto firstKept = std::ranges::find_if(
                samples, [&](const CdcSample &sample) { return sample.at >= oldest; });
        samples.erase(samples.begin(), firstKept);
    }
}

} // namespace envsync::ui
