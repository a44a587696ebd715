#include "core/report/reportcsv.h"

#include "core/report/reportformat.h"

#include <algorithm>
#include <vector>

namespace envsync::report {

namespace {

std::string csvRecord(const std::vector<std::string> &fields)
{
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        line += csvField(fields[i]);
    }
    return line + "\r\n";
}

std::string count(std::optional<int> value)
{
    return value ? std::to_string(*value) : std::string();
}

std::vector<std::string> regionFields(const RegionReport &region)
{
    const RefreshEntry *last = region.lastRefresh ? &*region.lastRefresh : nullptr;
    const auto duration = last ? last->duration() : std::nullopt;
    const auto *drift = region.drift ? &*region.drift : nullptr;
    return {region.name,
            region.statusText(),
            region.ageText(),
            region.age ? std::to_string(region.age->count()) : std::string(),
            std::to_string(region.sla.count()),
            isoTime(region.dataAsOf),
            region.snapshot,
            last ? isoTime(last->startedAt) : std::string(),
            last ? isoTime(last->finishedAt) : std::string(),
            duration ? std::to_string(duration->count()) : std::string(),
            last ? last->result : std::string(),
            last ? last->actor : std::string(),
            region.nextWindow ? isoTime(region.nextWindow->startUtc) : std::string(),
            std::to_string(region.periodRefreshes.size()),
            std::to_string(region.failuresInPeriod()),
            count(drift ? std::optional(drift->breaking) : std::nullopt),
            count(drift ? std::optional(drift->warning) : std::nullopt),
            count(drift ? std::optional(drift->info) : std::nullopt),
            region.owner,
            joinNotes(region.notes()),
            status::freshnessSourceName(region.freshnessSource)};
}

/// "-5", "-1.5": a negative number, which a spreadsheet reads as a number, not a formula.
bool plainNumber(std::string_view value)
{
    if (value.starts_with('-'))
        value.remove_prefix(1);
    return !value.empty() && value.find_first_not_of("0123456789.") == std::string_view::npos
           && std::ranges::count(value, '.') <= 1 && value.front() != '.';
}

} // namespace

std::string csvField(std::string_view rawValue)
{
    // OWASP CSV injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or CR
    // before one) as a formula; a leading ' makes it text. Negative numbers stay numbers.
    std::string value(rawValue);
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos
        && !plainNumber(value))
        value.insert(0, 1, '\'');
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (const char c : value) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string toCsv(const FreshnessReport &report)
{
    std::string csv = csvRecord({"region",
                                 "status",
                                 "age",
                                 "age_seconds",
                                 "sla_seconds",
                                 "data_as_of",
                                 "snapshot",
                                 "last_refresh_started",
                                 "last_refresh_finished",
                                 "last_refresh_duration_seconds",
                                 "last_refresh_result",
                                 "last_refresh_by",
                                 "next_window",
                                 "refreshes_in_period",
                                 "failures_in_period",
                                 "drift_breaking",
                                 "drift_warning",
                                 "drift_info",
                                 "owner",
                                 "notes",
                                 "freshness_source"});
    for (const RegionReport &region : report.regions)
        csv += csvRecord(regionFields(region));
    return csv;
}

} // namespace envsync::report
