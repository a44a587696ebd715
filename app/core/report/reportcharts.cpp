#include "core/report/reportcharts.h"

#include "core/status/statusformat.h"

#include <algorithm>

namespace envsync::report {

namespace {

constexpr double chartWidth = 720;
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

/// Widths are estimated without fonts (core is GUI-free: no font metrics): DejaVu Sans at
/// 11 px averages below 6.6 px per character, so text of n characters fits in n × 6.6 px.
constexpr double characterWidth = 6.6;
constexpr double minLabelWidth = 60;
constexpr double maxLabelWidth = 170;
constexpr double minValueWidth = 120;
constexpr double maxValueWidth = 240;
constexpr double textGap = 8;

std::size_t characters(const std::string &utf8)
{
    return static_cast<std::size_t>(
            std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

double textWidth(const std::string &utf8)
{
    return characterWidth * static_cast<double>(characters(utf8));
}

/// The text cut to `width`, ending in "…" when cut (at a character boundary).
std::string fitted(const std::string &utf8, double width)
{
    if (textWidth(utf8) <= width)
        return utf8;
    const auto keep = static_cast<std::size_t>(std::max(1.0, width / characterWidth - 1));
    std::size_t seen = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        if ((utf8[i] & 0xC0) != 0x80 && seen++ == keep)
            return utf8.substr(0, i) + "…";
    }
    return utf8;
}

/// Columns of a region chart: names | bars | values. The name and value columns grow with their
/// longest text up to a limit (longer text is cut with "…"), the bars take the rest.
struct ChartColumns
{
    double labelWidth = minLabelWidth;
    double valueWidth = minValueWidth;
    [[nodiscard]] double plotWidth() const { return chartWidth - labelWidth - valueWidth; }
    [[nodiscard]] double valueX() const { return labelWidth + plotWidth() + textGap; }
};

ChartColumns columnsFor(const FreshnessReport &report, const std::vector<std::string> &values)
{
    ChartColumns columns;
    for (const RegionReport &region : report.regions)
        columns.labelWidth = std::max(columns.labelWidth, textWidth(region.name) + textGap);
    for (const std::string &value : values)
        columns.valueWidth = std::max(columns.valueWidth, textWidth(value) + textGap);
    columns.labelWidth = std::min(columns.labelWidth, maxLabelWidth);
    columns.valueWidth = std::min(columns.valueWidth, maxValueWidth);
    return columns;
}

/// A chart with its title and one labelled row per region; rowTop(i) gives the bar's top.
Chart regionChart(std::string title, const FreshnessReport &report, const ChartColumns &columns)
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
        chart.shapes.push_back(label(0, y + barHeight - 2,
                                     fitted(report.regions[i].name, columns.labelWidth - textGap)));
    }
    if (report.regions.empty())
        chart.shapes.push_back(label(0, top + barHeight, "no regions configured"));
    return chart;
}

double rowTop(std::size_t index)
{
    return top + rowHeight * static_cast<double>(index);
}

/// The text right of a region's bar, cut to the value column.
ChartShape valueLabel(const ChartColumns &columns, std::size_t index, const std::string &text)
{
    return label(columns.valueX(), rowTop(index) + barHeight - 2,
                 fitted(text, columns.valueWidth - textGap));
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
    std::vector<std::string> values;
    for (const RegionReport &region : report.regions)
        values.push_back(region.ageWithSourceText() + " · " + region.statusText() + " (SLA "
                         + status::humanDuration(region.sla) + ')');
    const ChartColumns columns = columnsFor(report, values);
    Chart chart = regionChart("Data age per region vs SLA (| = SLA)", report, columns);
    double scale = 1; // seconds at the right end of the plot
    for (const RegionReport &region : report.regions)
        scale = std::max({scale, static_cast<double>(region.sla.count()),
                          region.age ? static_cast<double>(region.age->count()) : 0.0});
    scale *= 1.05;
    const double plotWidth = columns.plotWidth();
    const double labelWidth = columns.labelWidth;
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
        chart.shapes.push_back(valueLabel(columns, i, values[i]));
    }
    return chart;
}

Chart refreshTimelineChart(const FreshnessReport &report)
{
    std::vector<std::string> values;
    for (const RegionReport &region : report.regions)
        values.push_back(region.periodRefreshes.empty()
                                 ? std::string("no refreshes in the period")
                                 : std::to_string(region.periodRefreshes.size()) + " refreshes, "
                                           + std::to_string(region.failuresInPeriod()) + " failed");
    const ChartColumns columns = columnsFor(report, values);
    Chart chart = regionChart("Refreshes " + displayTime(report.period.fromUtc) + " → "
                                      + displayTime(report.period.toUtc),
                              report, columns);
    const double plotWidth = columns.plotWidth();
    const double labelWidth = columns.labelWidth;
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
        chart.shapes.push_back(valueLabel(columns, i, values[i]));
    }
    return chart;
}

Chart driftChart(const FreshnessReport &report)
{
    std::vector<std::string> values;
    for (const RegionReport &region : report.regions)
        values.push_back(region.drift ? std::to_string(region.drift->breaking) + " / "
                                                + std::to_string(region.drift->warning) + " / "
                                                + std::to_string(region.drift->info)
                                      : std::string("not checked"));
    const ChartColumns columns = columnsFor(report, values);
    Chart chart = regionChart("Drift against "
                                      + (report.driftReference.empty() ? std::string("golden")
                                                                       : report.driftReference)
                                      + " (breaking / warning / info)",
                              report, columns);
    int most = 1;
    for (const RegionReport &region : report.regions) {
        if (region.drift)
            most = std::max(most,
                            region.drift->breaking + region.drift->warning + region.drift->info);
    }
    for (std::size_t i = 0; i < report.regions.size(); ++i) {
        const RegionReport &region = report.regions[i];
        chart.shapes.push_back(valueLabel(columns, i, values[i]));
        if (!region.drift)
            continue;
        double x = columns.labelWidth;
        for (const auto &[count, color] :
             {std::pair{region.drift->breaking, red}, std::pair{region.drift->warning, amber},
              std::pair{region.drift->info, blue}}) {
            const double width = columns.plotWidth() * count / most;
            if (width > 0)
                chart.shapes.push_back(rect(x, rowTop(i), width, barHeight, color));
            x += width;
        }
    }
    return chart;
}

} // namespace envsync::report
