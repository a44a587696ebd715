#pragma once

#include "core/report/reportmodel.h"

#include <string>
#include <vector>

namespace envsync::report {

/// A drawing primitive of a report chart, in chart units (1 unit ≈ 1 CSS px). The same shapes
/// become inline SVG in the HTML report and painter calls in the PDF (reportpdf/), so both
/// show one chart.
struct ChartShape
{
    enum class Kind { Rect, Line, Text };
    enum class Anchor { Start, Middle, End };
    Kind kind = Kind::Rect;
    double x = 0;
    double y = 0;      ///< Text: the baseline
    double width = 0;  ///< Line: x offset of the end point
    double height = 0; ///< Line: y offset of the end point
    std::string color; ///< "#rrggbb"
    std::string text;
    Anchor anchor = Anchor::Start;
    double fontSize = 11;
    bool bold = false;
};

struct Chart
{
    std::string title;
    double width = 720;
    double height = 0;
    std::vector<ChartShape> shapes;
};

/// Data age per region as bars, with each region's SLA as a tick; coloured by status.
[[nodiscard]] Chart freshnessChart(const FreshnessReport &report);
/// Refresh attempts of each region across the period (green success, red failed, grey other).
[[nodiscard]] Chart refreshTimelineChart(const FreshnessReport &report);
/// Drift per region against the reference, stacked by severity.
[[nodiscard]] Chart driftChart(const FreshnessReport &report);

/// The colour of a region's status ("ok" green … "unreachable" grey).
[[nodiscard]] std::string statusColor(const std::string &statusText);

} // namespace envsync::report
