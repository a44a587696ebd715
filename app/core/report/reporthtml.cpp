#include "core/report/reporthtml.h"

#include "core/report/reportformat.h"
#include "core/status/statusformat.h"

#include <fmt/format.h>

namespace envsync::report {

namespace {

constexpr const char *styleSheet = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #222; margin: 1.5em; }
h1 { font-size: 16pt; margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
.summary { font-size: 11pt; border-left: 4px solid #1565c0; padding-left: 0.6em; }
figure { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; break-inside: avoid; }
.status { font-weight: bold; }
.notes { color: #555; }
@media print { body { margin: 0; } }
)";

const char *anchorName(ChartShape::Anchor anchor)
{
    switch (anchor) {
    case ChartShape::Anchor::Middle:
        return "middle";
    case ChartShape::Anchor::End:
        return "end";
    case ChartShape::Anchor::Start:
        break;
    }
    return "start";
}

std::string svgShape(const ChartShape &shape)
{
    switch (shape.kind) {
    case ChartShape::Kind::Rect:
        return fmt::format(
                R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)",
                shape.x, shape.y, shape.width, shape.height, shape.color);
    case ChartShape::Kind::Line:
        return fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}"/>)",
                           shape.x, shape.y, shape.x + shape.width, shape.y + shape.height,
                           shape.color);
    case ChartShape::Kind::Text:
        break;
    }
    return fmt::format(
            R"(<text x="{:.1f}" y="{:.1f}" font-size="{}" text-anchor="{}" fill="{}"{}>{}</text>)",
            shape.x, shape.y, shape.fontSize, anchorName(shape.anchor), shape.color,
            shape.bold ? R"( font-weight="bold")" : "", xmlEscape(shape.text));
}

std::string cell(const std::string &text, const std::string &attributes = {})
{
    return "<td" + attributes + '>' + xmlEscape(text) + "</td>";
}

std::string lastRefreshText(const RegionReport &region)
{
    if (!region.lastRefresh)
        return "never";
    const RefreshEntry &last = *region.lastRefresh;
    const auto duration = last.duration();
    return last.result + ", " + displayTime(last.startedAt) + " → " + displayTime(last.finishedAt)
           + (duration ? " (" + status::humanDuration(*duration) + ')' : std::string())
           + (last.actor.empty() ? std::string() : ", by " + last.actor);
}

std::string nextWindowText(const RegionReport &region)
{
    if (!region.nextWindow)
        return "none";
    return displayTime(region.nextWindow->startUtc)
           + (region.nextWindow->blackout ? " (blackout)" : std::string());
}

std::string driftText(const RegionReport &region)
{
    if (!region.drift)
        return "not checked";
    return std::to_string(region.drift->breaking) + " breaking, "
           + std::to_string(region.drift->warning) + " warning, "
           + std::to_string(region.drift->info) + " info";
}

std::string regionRow(const RegionReport &region)
{
    const std::string statusStyle
            = " class=\"status\" style=\"color: " + statusColor(region.statusText()) + "\"";
    return "<tr>" + cell(region.name) + cell(region.statusText(), statusStyle)
           + cell(region.ageWithSourceText()) + cell(status::humanDuration(region.sla))
           + cell(displayTime(region.dataAsOf))
           + cell(region.snapshot.empty() ? std::string("—") : region.snapshot)
           + cell(lastRefreshText(region)) + cell(nextWindowText(region))
           + cell(std::to_string(region.periodRefreshes.size()) + " / "
                  + std::to_string(region.failuresInPeriod()))
           + cell(driftText(region)) + cell(joinNotes(region.notes()), " class=\"notes\"")
           + "</tr>\n";
}

} // namespace

std::string toSvg(const Chart &chart)
{
    std::string svg = fmt::format(
            R"(<svg width="{:.0f}" height="{:.0f}" viewBox="0 0 {:.0f} {:.0f}" role="img" aria-label="{}">)",
            chart.width, chart.height, chart.width, chart.height, xmlEscape(chart.title));
    svg += '\n';
    for (const ChartShape &shape : chart.shapes)
        svg += svgShape(shape) + '\n';
    return svg + "</svg>";
}

std::string summaryHtml(const FreshnessReport &report)
{
    return "<h1>EnvSync freshness report</h1>\n<p class=\"meta\">Generated "
           + xmlEscape(displayTime(report.generatedAt)) + " · period "
           + xmlEscape(displayTime(report.period.fromUtc)) + " → "
           + xmlEscape(displayTime(report.period.toUtc)) + " · drift against "
           + xmlEscape(report.driftReference.empty() ? std::string("golden (not readable)")
                                                     : report.driftReference)
           + "</p>\n<p class=\"summary\">" + xmlEscape(report.summary.text()) + "</p>\n";
}

std::string regionTableHtml(const FreshnessReport &report)
{
    std::string table = "<table border=\"1\" cellspacing=\"0\" "
                        "cellpadding=\"3\">\n<thead><tr><th>Region</th><th>Status</th><th>Age</th>"
                        "<th>SLA</th><th>Data as of</th><th>Snapshot</th><th>Last refresh</th>"
                        "<th>Next window</th><th>Refreshes / failed</th><th>Drift</th>"
                        "<th>Notes</th></tr></thead>\n<tbody>\n";
    for (const RegionReport &region : report.regions)
        table += regionRow(region);
    return table + "</tbody>\n</table>\n";
}

std::string toHtml(const FreshnessReport &report)
{
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                       "<title>EnvSync freshness report</title>\n<style>";
    html += styleSheet;
    html += "</style>\n</head>\n<body>\n" + summaryHtml(report);
    for (const Chart &chart :
         {freshnessChart(report), refreshTimelineChart(report), driftChart(report)})
        html += "<figure>\n" + toSvg(chart) + "\n</figure>\n";
    html += "<h2>Regions</h2>\n" + regionTableHtml(report);
    if (report.summary.environmentsError) {
        html += "<p class=\"notes\">Ephemeral environments unknown: "
                + xmlEscape(*report.summary.environmentsError) + "</p>\n";
    }
    return html + "</body>\n</html>\n";
}

} // namespace envsync::report
