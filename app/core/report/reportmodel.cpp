#include "core/report/reportmodel.h"

#include "core/status/statusformat.h"

#include <algorithm>

namespace envsync::report {

std::optional<std::chrono::seconds> RefreshEntry::duration() const
{
    if (!startedAt.isValid() || !finishedAt.isValid())
        return std::nullopt;
    return std::chrono::seconds(std::max<qint64>(0, startedAt.secsTo(finishedAt)));
}

int RegionReport::failuresInPeriod() const
{
    return static_cast<int>(std::ranges::count_if(periodRefreshes, &RefreshEntry::failed));
}

std::string RegionReport::statusText() const
{
    return reachable ? status::freshnessName(freshness) : "unreachable";
}

std::string RegionReport::ageText() const
{
    return age ? status::humanDuration(*age) : "unknown";
}

std::string RegionReport::ageWithSourceText() const
{
    return freshnessSource == status::FreshnessSource::Cdc && age ? ageText() + " (CDC)"
                                                                  : ageText();
}

namespace {

/// libpq messages span lines ("…failed\n\tIs the server running…"); a note is one line.
std::string oneLine(const std::string &text)
{
    std::string line;
    bool space = false;
    for (const char c : text) {
        const bool blank = c == '\n' || c == '\r' || c == '\t' || c == ' ';
        if (blank && !line.empty())
            space = true;
        if (blank)
            continue;
        if (space)
            line += ' ';
        line += c;
        space = false;
    }
    return line;
}

} // namespace

std::vector<std::string> RegionReport::notes() const
{
    std::vector<std::string> notes = rawNotes();
    for (std::string &note : notes)
        note = oneLine(note);
    return notes;
}

std::vector<std::string> RegionReport::rawNotes() const
{
    std::vector<std::string> notes;
    if (!reachable)
        notes.push_back("unreachable: " + error.value_or("no answer"));
    if (historyError)
        notes.push_back("refresh history unavailable: " + *historyError);
    else if (!lastRefresh)
        notes.emplace_back("never refreshed");
    if (!historyError && periodRefreshes.empty())
        notes.emplace_back("no refreshes in the period");
    if (driftError && reachable) // unreachable: the note above already says why
        notes.push_back("drift not checked: " + *driftError);
    if (nextWindow && nextWindow->blackout)
        notes.push_back("next window falls in a blackout (" + *nextWindow->blackout + ")");
    return notes;
}

std::string EstateSummary::text() const
{
    std::string line
            = std::to_string(regions) + (regions == 1 ? " region: " : " regions: ")
              + std::to_string(ok) + " ok, " + std::to_string(due) + " due, "
              + std::to_string(overdue) + " overdue, " + std::to_string(unknown) + " unknown, "
              + std::to_string(unreachable) + " unreachable; " + std::to_string(refreshes)
              + " refreshes in the period (" + std::to_string(failures) + " failed); drift: "
              + std::to_string(drift.breaking) + " breaking, " + std::to_string(drift.warning)
              + " warning, " + std::to_string(drift.info) + " info; ephemeral environments alive: ";
    line += environmentsAlive ? std::to_string(*environmentsAlive) : "unknown";
    return line;
}

bool FreshnessReport::needsAttention() const
{
    return summary.overdue > 0 || summary.unreachable > 0;
}

EstateSummary summarize(const std::vector<RegionReport> &regions,
                        std::optional<int> environmentsAlive)
{
    EstateSummary summary;
    summary.regions = static_cast<int>(regions.size());
    summary.environmentsAlive = environmentsAlive;
    for (const RegionReport &region : regions) {
        if (!region.reachable)
            ++summary.unreachable;
        else if (region.freshness == status::Freshness::Ok)
            ++summary.ok;
        else if (region.freshness == status::Freshness::Due)
            ++summary.due;
        else if (region.freshness == status::Freshness::Overdue)
            ++summary.overdue;
        else
            ++summary.unknown;
        summary.refreshes += static_cast<int>(region.periodRefreshes.size());
        summary.failures += region.failuresInPeriod();
        if (region.drift) {
            summary.drift.info += region.drift->info;
            summary.drift.warning += region.drift->warning;
            summary.drift.breaking += region.drift->breaking;
        }
    }
    return summary;
}

std::string displayTime(const QDateTime &utc)
{
    if (!utc.isValid())
        return "—";
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")).toStdString();
}

} // namespace envsync::report
