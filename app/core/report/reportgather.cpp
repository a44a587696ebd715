#include "core/report/reportgather.h"

#include "core/drift/driftcheck.h"
#include "core/env/environments.h"
#include "core/refresh/refreshhistory.h"
#include "core/schedule/blackouts.h"
#include "core/schedule/windowexpander.h"
#include "core/status/statusprobe.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>

namespace envsync::report {

namespace {

/// Enough rows to cover a long period of hourly refreshes; older ones are outside any period.
constexpr int historyLimit = 1000;

RefreshEntry entryOf(const db::RefreshRecord &record)
{
    return {record.startedAt, record.finishedAt, record.snapshot, record.result, record.actor};
}

/// Reachability and the newest successful refresh from the status probe; the age is measured
/// against the injected "now", not the probe's clock.
void applyStatus(RegionReport &region, const status::EndpointStatus &probed, const QDateTime &now)
{
    region.reachable = probed.reachable;
    region.error = probed.error;
    if (probed.lastRefresh) {
        const status::LastRefresh &last = *probed.lastRefresh;
        region.snapshot = last.snapshot;
        region.dataAsOf = last.sourceAsOf.isValid() ? last.sourceAsOf : last.finishedAt;
        if (region.dataAsOf.isValid())
            region.age = std::chrono::seconds(std::max<qint64>(0, region.dataAsOf.secsTo(now)));
        region.freshness = status::classifyFreshness(region.age, region.sla);
    }
    // A region CDC streams into holds the source's data as of its lag ago (issue 18).
    if (probed.freshnessSource == status::FreshnessSource::Cdc && probed.age) {
        region.freshnessSource = status::FreshnessSource::Cdc;
        region.age = probed.age;
        region.dataAsOf = now.addSecs(-probed.age->count());
        region.freshness = status::classifyFreshness(region.age, region.sla);
    }
}

void applyHistory(RegionReport &region, const config::Config &config, const Period &period)
{
    auto history = refresh::regionHistory(config, region.name, historyLimit);
    if (!history) {
        region.historyError = history.error().describe();
        return;
    }
    if (!history->empty())
        region.lastRefresh = entryOf(history->front()); // newest first
    for (auto it = history->rbegin(); it != history->rend(); ++it) {
        if (period.contains(it->startedAt))
            region.periodRefreshes.push_back(entryOf(*it));
    }
}

void applyNextWindow(RegionReport &region, const config::Config &config,
                     const config::RegionConfig &regionConfig, const QDateTime &now)
{
    auto next = schedule::nextWindow(regionConfig, now);
    if (!next || !*next)
        return;
    NextWindow window{(*next)->startUtc, (*next)->endUtc, std::nullopt};
    if (auto blackout = schedule::blackoutAt(config, regionConfig, window.startUtc);
        blackout && *blackout)
        window.blackout = (*blackout)->reason;
    region.nextWindow = window;
}

std::string driftErrorFor(const std::string &region, const drift::DriftReport &report)
{
    const Error *error = report.errorOf(region);
    return error ? error->describe() : "not compared";
}

void applyDrift(std::vector<RegionReport> &regions, const Result<drift::DriftReport> &drifts)
{
    for (RegionReport &region : regions) {
        if (!drifts) {
            region.driftError = drifts.error().describe();
            continue;
        }
        const auto compared
                = std::ranges::find(drifts->drifts, region.name, &drift::RegionDrift::region);
        if (compared != drifts->drifts.end())
            region.drift = drift::countBySeverity(compared->differences);
        else
            region.driftError = driftErrorFor(region.name, *drifts);
    }
}

std::optional<int> aliveEnvironments(const config::Config &config, const QDateTime &now,
                                     std::optional<std::string> &error)
{
    auto environments = env::listEnvironments(config);
    if (!environments) {
        error = environments.error().describe();
        return std::nullopt;
    }
    return static_cast<int>(std::ranges::count_if(*environments, [&](const auto &environment) {
        return environment.exists && !environment.expired(now);
    }));
}

} // namespace

Period periodOf(const GatherOptions &options)
{
    const QDateTime to = options.toUtc.value_or(options.nowUtc).toUTC();
    const QDateTime from = options.fromUtc.value_or(to.addDays(-30)).toUTC();
    return {from, to};
}

FreshnessReport gatherReport(const config::Config &config, const GatherOptions &options,
                             const std::shared_ptr<job::CancelToken> &cancel)
{
    FreshnessReport report;
    report.generatedAt = options.nowUtc.toUTC();
    report.period = periodOf(options);

    // Status and drift each probe every region in parallel; running them side by side means an
    // unreachable region costs one connect timeout, not two.
    QFuture<status::StatusReport> statusFuture = QtConcurrent::run(
            [&config, &cancel] { return status::collectStatus(config, {}, cancel); });
    QFuture<Result<drift::DriftReport>> driftFuture = QtConcurrent::run([&config, &cancel] {
        return drift::checkDrift(config, drift::DriftRequest{}, {}, cancel);
    });

    const status::StatusReport statuses = statusFuture.result();
    std::map<std::string, status::EndpointStatus> probed;
    for (const auto &endpoint : statuses.endpoints) {
        if (endpoint.role == status::EndpointRole::Region)
            probed.emplace(endpoint.name, endpoint);
    }
    for (const config::RegionConfig &regionConfig : config.regions) {
        RegionReport region;
        region.name = regionConfig.name;
        region.owner = regionConfig.owner;
        region.sla = regionConfig.freshnessSla;
        if (const auto it = probed.find(region.name); it != probed.end())
            applyStatus(region, it->second, report.generatedAt);
        applyHistory(region, config, report.period);
        applyNextWindow(region, config, regionConfig, report.generatedAt);
        report.regions.push_back(std::move(region));
    }
    const Result<drift::DriftReport> drifts = driftFuture.result();
    if (drifts)
        report.driftReference = drifts->referenceName;
    applyDrift(report.regions, drifts);

    std::optional<std::string> environmentsError;
    const std::optional<int> alive
            = aliveEnvironments(config, report.generatedAt, environmentsError);
    report.summary = summarize(report.regions, alive);
    report.summary.environmentsError = environmentsError;
    report.cancelled = job::cancelled(cancel);
    return report;
}

} // namespace envsync::report
