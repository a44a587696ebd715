#pragma once

#include "core/status/endpointstatus.h"

#include <QString>

#include <chrono>
#include <optional>
#include <vector>

namespace envsync::ui {

/// One region's bar in the data-age chart.
struct AgeBar
{
    QString region;
    std::optional<double> ageDays; ///< empty: no refresh recorded / not probed yet
    std::optional<double> slaDays;
    status::Freshness freshness = status::Freshness::Unknown;
    bool reachable = false;
    bool probed = false; ///< a probe result (even a failed one) has arrived

    friend bool operator==(const AgeBar &, const AgeBar &) = default;
};

/// The pure half of AgeChartView (Hotspot's timelinedelegate split): endpoint statuses in,
/// numbers, labels and colours out. AgeChartView only hands these to Qt Charts.
struct AgeChartMapping
{
    [[nodiscard]] static double toDays(std::chrono::seconds duration);
    /// Regions only, in config order.
    [[nodiscard]] static std::vector<AgeBar>
    bars(const std::vector<status::EndpointStatus> &endpoints,
         const std::vector<bool> &probed = {});
    /// Upper end of the value axis: the largest age or SLA plus 15 % headroom; 1 when empty.
    [[nodiscard]] static double axisMaximum(const std::vector<AgeBar> &bars);
    /// "18 h", "2.3 d", "12 d".
    [[nodiscard]] static QString formatDays(double days);
    /// Category label under a bar: "eu · 2.3 d", "apac · unreachable", "us · no refresh".
    [[nodiscard]] static QString categoryLabel(const AgeBar &bar);
    /// Which of the coloured bar sets (ok/due/overdue) carries this bar; nullopt: none.
    [[nodiscard]] static std::optional<status::Freshness> barSetFor(const AgeBar &bar);
};

} // namespace envsync::ui
