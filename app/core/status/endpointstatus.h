#pragma once

#include <QDateTime>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace envsync::status {

enum class EndpointRole { Source, Golden, Region };
/// ok: younger than 80 % of the SLA; due: in the last 20 % of it; overdue: older than the SLA;
/// unknown: never refreshed, or the refresh history could not be read.
enum class Freshness { Ok, Due, Overdue, Unknown };
/// Where a region's data age comes from: its last refresh, or the CDC stream's lag while
/// `cdc run` streams into it (issue 18: a streamed region is as fresh as its lag).
enum class FreshnessSource { Refresh, Cdc };

[[nodiscard]] const char *roleName(EndpointRole role);
[[nodiscard]] const char *freshnessName(Freshness freshness);
/// "refresh" or "cdc" (JSON and CSV fields).
[[nodiscard]] const char *freshnessSourceName(FreshnessSource source);

/// The newest successful refresh of a region, from envsync_control.refresh_log.
struct LastRefresh
{
    QDateTime finishedAt;   ///< UTC
    std::string snapshot;   ///< e.g. "golden_v3"
    QDateTime sourceAsOf;   ///< UTC; when the snapshot's data was read from the source
};

/// One row of `envsyncctl status` and of the GUI dashboard.
struct EndpointStatus
{
    std::string name;
    EndpointRole role = EndpointRole::Region;
    std::string address; ///< Dsn::displayName(): host:port/dbname, never secrets
    bool reachable = false;
    std::string serverVersion;
    std::int64_t sizeBytes = 0;
    std::optional<LastRefresh> lastRefresh;
    Freshness freshness = Freshness::Unknown;
    /// Of the data (regions only): now − sourceAsOf, or the CDC lag (see freshnessSource).
    std::optional<std::chrono::seconds> age;
    FreshnessSource freshnessSource = FreshnessSource::Refresh;
    std::optional<std::chrono::seconds> sla; ///< regions only
    std::optional<std::string> error;
    /// The same failure without the endpoint's own name ("connect: timeout expired"), for a
    /// view whose row already names it; set together with `error`.
    std::optional<std::string> errorInRow;
    std::chrono::milliseconds probeTime{0};
};

struct StatusReport
{
    std::vector<EndpointStatus> endpoints;
    QDateTime checkedAt; ///< UTC
    bool cancelled = false; ///< the probe was cancelled: some endpoints were not probed

    [[nodiscard]] bool allReachable() const;
};

/// Classifies data age against an SLA (see Freshness).
[[nodiscard]] Freshness classifyFreshness(std::optional<std::chrono::seconds> age,
                                          std::chrono::seconds sla);

} // namespace envsync::status
