#pragma once

#include "core/cdc/cdcstatus.h"

#include <QDateTime>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace envsync::ui {

/// One poll's figures for one region; nullopt where the region was not streamed then (no
/// `cdc run`, stopped, unreachable), so a chart draws a gap instead of the last value.
struct CdcSample
{
    QDateTime at; ///< UTC
    std::optional<double> lagSeconds;
    std::optional<double> changesPerSecond;
};

/// The samples of the last hour per region, fed by the CDC view's polls. Kept here (the
/// controller owns it), not in the charts, which are redrawn from it.
class CdcHistory
{
public:
    static constexpr qint64 windowSeconds = 3600;

    /// Adds one sample per region of `status` taken at `at`, and drops those older than an hour.
    void add(const cdc::CdcStatus &status, const QDateTime &at);
    /// A poll that failed: every known region gets a gap at `at`.
    void addGap(const QDateTime &at);
    void clear() { m_samples.clear(); }

    [[nodiscard]] const std::map<QString, std::vector<CdcSample>> &samples() const
    {
        return m_samples;
    }
    /// The region's figures count for the charts only in these states.
    [[nodiscard]] static bool charted(const cdc::RegionCdcStatus &region);

private:
    void prune(const QDateTime &at);

    std::map<QString, std::vector<CdcSample>> m_samples;
};

} // namespace envsync::ui
