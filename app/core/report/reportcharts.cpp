#include "core/report/reportcharts.h"

#include "core/status/statusformat.h"

#include <algorithm>

namespace envsync::report {

namespace {

constexpr double chartWidth = 720;
constexpr double labelWidth = 90;  // region names
constexpr double valueWidth = 170; // text right of the bars
constexpr double plotWidth = chartWidth - labelWidth - valueWidth;
constexpr double top = 34;
constexpr double rowHeight = 26;
constexpr double barHeight = 14;

constexpr const char *ink = "#222222";
constexpr const char *grid = "#999999";
constexpr const char *green = "#2e7d32";
constexpr const char *amber = "#f9a825";
constexpr const char *red = "#c62828";
constexpr const char *grey = "#9e9e9e";
constexpr const char *blue = "#1565c0";

ChartShape rect(double x, double y, double width, double height, std::string color)
{
    return {ChartShape::Kind::Rect, x, y, width, height, std::move(color), {}, {}, 11, false};
}

ChartShape line(double x, double y, double dx, double dy, std::string color)
{
    return {ChartShape::Kind::Line, x, y, dx, dy, std::move(color), {}, {}, 11, false};
}

ChartShape label(double x, double y, std::string text,
                 ChartShape::Anchor anchor = ChartShape::Anchor::Start, bool bold = false)
{
    return {ChartShape::Kind::Text, x, y, 0, 0, ink, std::move(text), anchor, 11, bold};
}

/// A chart with its title and one labelled row per region; rows(i) gives the bar's top.
Chart regionChart(std::string title, const FreshnessReport &report)
{
    Chart chart;
    chart.title = std::move(title);
    chart.width = chartWidth;
    chart.height
            = top + rowHeight * static_cast<double>(std::max<std::size_t>(report.regions.size(), 1))
              + 24;
    chart.shapes.push_back(label(0, 16, chart.title, ChartShape::Anchor::Start, true));
    for (std::size_t i = 0; i < report.regions.size(); ++i) {
        const double y = top + rowHeight * static_cast<double>(i);
        chart.shapes.push_back(label(0, y + barHeight - 2, report.regions[i].name));
    }
    if (report.regions.empty())
        chart.shapes.push_back(label(0, top + barHeight, "no regions configured"));
    return chart;
}

double rowTop(std::size_t index)
{
    return top + rowHeight * static_cast<double>(index);
}

std::string resultColor(const std::string &result)
{
    if (result == "success")
        return green;
    if (result == "failed")
        return red;
    return grey;
}

} // namespace

std::string statusColor(const std::string &statusText)
{
    if (statusText == "ok")
        return green;
    if (statusText == "due")
        return amber;
    if (statusText == "overdue")
        return red;
    return grey;
}

Chart freshnessChart(const FreshnessReport &report)
{
    Chart chart = regionChart("Data age per region vs SLA (| = SLA)", report);
    double scale = 1; // seconds at the right end of the plot
    for (const RegionReport &region : report.regions)
        scale = std::max({scale, static_cast<double>(region.sla.count()),
                          region.age ? static_cast<double>(region.age->count()) : 0.0});
    scale *= 1.05;
    for (std::size_t i = 0; i < report.regions.size(); ++i) {
        const RegionReport &region = report.regions[i];
        const double y = rowTop(i);
        const double barWidth
                = region.age ? plotWidth * static_cast<double>(region.age->count()) / scale : 0;
        chart.shapes.push_back(rect(labelWidth, y, plotWidth, barHeight, "#eeeeee"));
        chart.shapes.push_back(rect(labelWidth, y, std::max(barWidth, 1.0), barHeight,
                                    statusColor(region.statusText())));
        const double slaX
                = labelWidth + plotWidth * static_cast<double>(region.sla.count()) / scale;
        chart.shapes.push_back(line(slaX, y - 3, 0, barHeight + 6, ink));
        chart.shapes.push_back(label(labelWidth + plotWidth + 8, y + barHeight - 2,
                                     region.ageText() + " · " + region.statusText() + " (SLA "
                                             + status::humanDuration(region.sla) + ')'));
    }
    return chart;
}

Chart refreshTimelineChart(const FreshnessReport &report)
{
    Chart chart = regionChart("Refreshes " + displayTime(report.period.fromUtc) + " → "
                                      + displayTime(report.period.toUtc),
                              report);
    const double span = std::max<qint64>(1, report.period.fromUtc.secsTo(report.period.toUtc));
    auto xOf = [&](const QDateTime &utc) {
        const double offset = static_cast<double>(report.period.fromUtc.secsTo(utc));
        return labelWidth + plotWidth * std::clamp(offset / span, 0.0, 1.0);
    };
    const double axisY = chart.height - 20;
    chart.shapes.push_back(line(labelWidth, axisY, plotWidth, 0, grid));
    chart.shapes.push_back(label(labelWidth, axisY + 14, displayTime(report.period.fromUtc)));
    chart.shapes.push_back(label(labelWidth + plotWidth, axisY + 14,
                                 displayTime(report.period.toUtc), ChartShape::Anchor::End));
    for (std::size_t i = 0; i < report.regions.size(); ++i) {
        const RegionReport &region = report.regions[i];
        const double y = rowTop(i);
        chart.shapes.push_back(line(labelWidth, y + barHeight / 2, plotWidth, 0, "#dddddd"));
        for (const RefreshEntry &entry : region.periodRefreshes) {
            const double start = xOf(entry.startedAt);
            const double end = entry.finishedAt.isValid() ? xOf(entry.finishedAt) : start;
            chart.shapes.push_back(rect(start, y, std::max(end - start, 4.0), barHeight,
                                        resultColor(entry.result)));
        }
        const std::string summary
                = region.periodRefreshes.empty()
                          ? std::string("no refreshes in the period")
                          : std::to_string(region.periodRefreshes.size()) + " refreshes, "
                                    + std::to_string(region.failuresInPeriod()) + " failed";
        chart.shapes.push_back(label(labelWidth + plotWidth + 8, y + barHeight - 2, summary));
    }
    return chart;
}

Chart driftChart(const FreshnessReport &report)
{
    Chart chart = regionChart("Drift against "
                                      + (report.driftReference.empty() ? std::string("golden")
                                                                       : report.driftReference)
                                      + " (breaking / warning / info)",
                              report);
    int most = 1;
    for (const RegionReport &region : report.regions) {
        if (region.drift)
            most = std::max(most,
                            region.drift->breaking + region.drift->warning + region.drift->info);
    }
    for (std::size_t i = 0; i < report.regions.size(); ++i) {
        const RegionReport &region = report.regions[i];
        const double y = rowTop(i);
        const double textX = labelWidth + plotWidth + 8;
        if (!region.drift) {
            chart.shapes.push_back(label(textX, y + barHeight - 2, "not checked"));
            continue;
        }
        double x = labelWidth;
        for (const auto &[count, color] :
             {std::pair{region.drift->breaking, red}, std::pair{region.drift->warning, amber},
              std::pair{region.drift->info, blue}}) {
            const double width = plotWidth * count / most;
            if (width > 0)
                chart.shapes.push_back(rect(x, y, width, barHeight, color));
            x += width;
        }
        chart.shapes.push_back(label(textX, y + barHeight - 2,
                                     std::to_string(region.drift->breaking) + " / "
                                             + std::to_string(region.drift->warning) + " / "
                                             + std::to_string(region.drift->info)));
    }
    return chart;
}

} // namespace envsync::report
