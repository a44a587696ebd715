#include "ui/dashboard/agechartmapping.h"

#include <algorithm>

namespace envsync::ui {

using status::EndpointRole;
using status::EndpointStatus;
using status::Freshness;

double AgeChartMapping::toDays(std::chrono::seconds duration)
{
    return static_cast<double>(duration.count()) / 86400.0;
}

std::vector<AgeBar> AgeChartMapping::bars(const std::vector<EndpointStatus> &endpoints,
                                          const std::vector<bool> &probed)
{
    std::vector<AgeBar> result;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        const EndpointStatus &endpoint = endpoints[i];
        if (endpoint.role != EndpointRole::Region)
            continue;
        AgeBar bar;
        bar.region = QString::fromStdString(endpoint.name);
        if (endpoint.age)
            bar.ageDays = toDays(*endpoint.age);
        if (endpoint.sla)
            bar.slaDays = toDays(*endpoint.sla);
        bar.freshness = endpoint.freshness;
        bar.reachable = endpoint.reachable;
        bar.probed = i < probed.size() ? probed[i] : true;
        result.push_back(bar);
    }
    return result;
}

double AgeChartMapping::axisMaximum(const std::vector<AgeBar> &bars)
{
    double largest = 0.0;
    for (const AgeBar &bar : bars)
        largest = std::max({largest, bar.ageDays.value_or(0.0), bar.slaDays.value_or(0.0)});
    return largest > 0.0 ? largest * 1.15 : 1.0;
}

QString AgeChartMapping::formatDays(double days)
{
    if (days < 1.0)
        return QString::number(days * 24.0, 'f', 0) + QStringLiteral(" h");
    if (days < 10.0)
        return QString::number(days, 'f', 1) + QStringLiteral(" d");
    return QString::number(days, 'f', 0) + QStringLiteral(" d");
}

QString AgeChartMapping::categoryLabel(const AgeBar &bar)
{
    static const QString separator = QStringLiteral(" · ");
    if (!bar.probed && !bar.ageDays)
        return bar.region + separator + QStringLiteral("probing…");
    if (bar.ageDays)
        return bar.region + separator + formatDays(*bar.ageDays);
    if (bar.probed && !bar.reachable)
        return bar.region + separator + QStringLiteral("unreachable");
    return bar.region + separator + QStringLiteral("no refresh");
}

std::optional<Freshness> AgeChartMapping::barSetFor(const AgeBar &bar)
{
    if (!bar.ageDays)
        return std::nullopt;
    return bar.freshness;
}

} // namespace envsync::ui
