#pragma once

#include "core/report/reportcharts.h"
#include "core/report/reportmodel.h"

#include <string>

namespace envsync::report {

/// One self-contained XHTML-compatible HTML file: inline CSS, inline SVG charts, no external
/// references; print-friendly (charts never split across pages).
[[nodiscard]] std::string toHtml(const FreshnessReport &report);

/// The chart as an inline <svg> element (no namespace URL: HTML5 does not need one).
[[nodiscard]] std::string toSvg(const Chart &chart);

/// The report's region table as XHTML (`<table>`), shared by the HTML and PDF writers.
[[nodiscard]] std::string regionTableHtml(const FreshnessReport &report);
/// The summary block (title, period, reference, estate line) as XHTML.
[[nodiscard]] std::string summaryHtml(const FreshnessReport &report);

} // namespace envsync::report
