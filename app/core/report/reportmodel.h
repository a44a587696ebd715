#pragma once

#include "core/drift/driftformat.h"
#include "core/status/endpointstatus.h"

#include <QDateTime>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace envsync::report {

/// Version of the report's JSON shape (README "Reports"); bump on incompatible changes.
inline constexpr int reportSchemaVersion = 1;

/// The reporting period [fromUtc, toUtc).
struct Period
{
    QDateTime fromUtc;
    QDateTime toUtc;
    [[nodiscard]] bool contains(const QDateTime &utc) const
    {
        return utc.isValid() && fromUtc <= utc && utc < toUtc;
    }
};

/// One refresh attempt as the report shows it.
struct RefreshEntry
{
    QDateTime startedAt;
    QDateTime finishedAt;
    std::string snapshot;
    std::string result; ///< running | success | failed | cancelled | rolled_back
    std::string actor;
    [[nodiscard]] std::optional<std::chrono::seconds> duration() const;
    [[nodiscard]] bool failed() const { return result == "failed"; }
};

struct NextWindow
{
    QDateTime startUtc;
    QDateTime endUtc;
    std::optional<std::string> blackout; ///< reason, when a blackout cancels this window
};

/// Everything the report says about one region. Gathered independently of the other regions:
/// what could not be read is in `error` / `historyError` / `driftError`, never an exception.
struct RegionReport
{
    std::string name;
    std::string owner;
    bool reachable = false;
    std::optional<std::string> error; ///< why the region could not be reached
    QDateTime dataAsOf;               ///< the source time of the data it holds (invalid: unknown)
    std::string snapshot;             ///< the snapshot of the newest successful refresh
    std::optional<RefreshEntry> lastRefresh; ///< the newest attempt, whatever its outcome
    status::Freshness freshness = status::Freshness::Unknown;
    std::optional<std::chrono::seconds> age;
    /// Cdc: `cdc run` streams into the region and `age` is its lag, not its last refresh's age.
    status::FreshnessSource freshnessSource = status::FreshnessSource::Refresh;
    std::chrono::seconds sla{0};
    std::optional<NextWindow> nextWindow;
    std::vector<RefreshEntry> periodRefreshes; ///< attempts started in the period, oldest first
    std::optional<std::string> historyError;
    std::optional<drift::SeverityCounts> drift;
    std::optional<std::string> driftError;

    [[nodiscard]] int failuresInPeriod() const;
    /// "unreachable" for an unreachable region, else ok | due | overdue | unknown.
    [[nodiscard]] std::string statusText() const;
    /// "3d 4h", or "unknown".
    [[nodiscard]] std::string ageText() const;
    /// ageText(), with " (CDC)" when the age is the stream's lag.
    [[nodiscard]] std::string ageWithSourceText() const;
    /// What a reader must know beyond the numbers ("unreachable: …", "never refreshed",
    /// "no refreshes in the period", "drift not checked: …"); every format prints these.
    [[nodiscard]] std::vector<std::string> notes() const;

private:
    [[nodiscard]] std::vector<std::string> rawNotes() const;
};

/// The line for the whole estate.
struct EstateSummary
{
    int regions = 0;
    int ok = 0;
    int due = 0;
    int overdue = 0;
    int unknown = 0;
    int unreachable = 0;
    int refreshes = 0;
    int failures = 0;
    drift::SeverityCounts drift;
    std::optional<int> environmentsAlive; ///< nullopt: the catalogue could not be read
    std::optional<std::string> environmentsError;
    /// "5 regions: 2 ok, 1 due, 1 overdue, 1 unreachable; 7 refreshes (1 failed) …"
    [[nodiscard]] std::string text() const;
};

struct FreshnessReport
{
    QDateTime generatedAt; ///< the injected "now" (UTC)
    Period period;
    std::string driftReference; ///< "golden_v3", or "source prod" when no snapshot exists
    std::vector<RegionReport> regions;
    EstateSummary summary;
    bool cancelled = false; ///< gathering was cancelled: the report is incomplete

    /// Exit code 1 of the CLI: some region is overdue or unreachable.
    [[nodiscard]] bool needsAttention() const;
};

/// Derives the summary from the regions (gatherReport calls it; tests and the GUI may too).
[[nodiscard]] EstateSummary summarize(const std::vector<RegionReport> &regions,
                                      std::optional<int> environmentsAlive);

/// "2026-11-26 06:40 UTC", or "—" when invalid.
[[nodiscard]] std::string displayTime(const QDateTime &utc);

} // namespace envsync::report
