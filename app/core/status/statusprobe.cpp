#include "core/status/statusprobe.h"

#include "core/db/cancelguard.h"
#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/status/cdcfreshness.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include <mutex>

namespace envsync::status {

namespace {

using Clock = std::chrono::steady_clock;

struct Target
{
    EndpointStatus planned;
    std::string dsn;
};

std::vector<Target> targetsOf(const config::Config &config)
{
    std::vector<Target> targets;
    auto add = [&](std::string name, EndpointRole role, const std::string &dsn,
                   std::optional<std::chrono::seconds> sla) {
        EndpointStatus status;
        status.name = std::move(name);
        status.role = role;
        if (auto parsed = db::Dsn::parse(dsn))
            status.address = parsed->displayName();
        status.sla = sla;
        targets.push_back({std::move(status), dsn});
    };
    add(config.source.name, EndpointRole::Source, config.source.dsn, std::nullopt);
    add("golden", EndpointRole::Golden, config.golden.dsn, std::nullopt);
    for (const auto &region : config.regions)
        add(region.name, EndpointRole::Region, region.dsn, region.freshnessSla);
    return targets;
}

std::string whoIs(const EndpointStatus &status)
{
    return std::string(roleName(status.role)) + ' ' + status.name;
}

/// Connects and reads version and size; fills reachable/error.
/// A failed probe step: the whole line, and the line without the endpoint's name for rows that
/// show the name already. Every step passes whoIs(status) as the outermost context (db::connect,
/// db::guarded: "who" or "who: operation"), so dropping it is a matter of that structure.
void recordError(EndpointStatus &status, const Error &error)
{
    status.error = error.describe();
    const std::string who = whoIs(status);
    Error inRow = error;
    if (inRow.context == who)
        inRow.context.clear();
    else if (inRow.context.starts_with(who + ": "))
        inRow.context.erase(0, who.size() + 2);
    status.errorInRow = inRow.describe();
}

void probe(EndpointStatus &status, const std::string &dsn, const db::ConnectOptions &options,
           const std::shared_ptr<job::CancelToken> &cancel)
{
    const auto started = Clock::now();
    auto connection = db::connect(dsn, options, whoIs(status));
    if (connection && job::cancelled(cancel)) {
        status.error = "cancelled";
    } else if (connection) {
        const db::CancelGuard cancelGuard(**connection, cancel);
        auto facts = db::guarded(whoIs(status), "read server facts", [&] {
            pqxx::nontransaction tx(**connection);
            const pqxx::row row = tx.exec1(
                    "SELECT split_part(current_setting('server_version'), ' ', 1),"
                    " pg_database_size(current_database())");
            status.serverVersion = row[0].as<std::string>();
            status.sizeBytes = row[1].as<std::int64_t>();
        });
        if (facts)
            status.reachable = true;
        else
            recordError(status, db::cancelledOr(facts.error(), cancel));
    } else {
        recordError(status, connection.error());
    }
    status.probeTime = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now()
                                                                             - started);
}

using History = Result<std::map<std::string, db::RefreshRecord>>;

void applyRefreshAge(EndpointStatus &status, const History &history, const QDateTime &now)
{
    if (status.role != EndpointRole::Region || !history)
        return;
    const auto it = history->find(status.name);
    if (it == history->end())
        return;
    const db::RefreshRecord &record = it->second;
    status.lastRefresh = LastRefresh{record.finishedAt, record.snapshot, record.sourceAsOf};
    const QDateTime &asOf = record.sourceAsOf.isValid() ? record.sourceAsOf : record.finishedAt;
    if (asOf.isValid())
        status.age = std::chrono::seconds(std::max<qint64>(0, asOf.secsTo(now)));
    status.freshness = classifyFreshness(status.age, status.sla.value_or(std::chrono::seconds(0)));
}

/// What the control database says about the regions' freshness: their refreshes and, for
/// regions CDC streams into, what `cdc run` last published.
struct ControlFacts
{
    Result<std::map<std::string, db::RefreshRecord>> refreshes;
    std::vector<db::CdcRegionState> cdc;
};

ControlFacts readControlFacts(const config::Config &config, const db::ConnectOptions &options)
{
    ControlFacts facts{std::map<std::string, db::RefreshRecord>{}, {}};
    auto control = db::ControlDb::openExisting(config.golden.dsn, options);
    if (!control) {
        facts.refreshes = std::unexpected(control.error());
        return facts;
    }
    if (!*control)
        return facts;
    facts.refreshes = (*control)->lastSuccessfulRefreshes();
    // Without CDC figures a region is as fresh as its last refresh: no error worth failing on.
    if (config.cdc.configured) {
        if (auto rows = (*control)->cdcRegions(); rows)
            facts.cdc = std::move(*rows);
        else
            spdlog::debug("CDC figures unavailable: {}", rows.error().describe());
    }
    return facts;
}

void applyHistory(EndpointStatus &status, const ControlFacts &facts, const QDateTime &now)
{
    if (status.role != EndpointRole::Region)
        return;
    applyRefreshAge(status, facts.refreshes, now);
    applyCdcFreshness(status, facts.cdc, now);
}

} // namespace

std::vector<EndpointStatus> plannedEndpoints(const config::Config &config)
{
    std::vector<EndpointStatus> planned;
    for (auto &target : targetsOf(config))
        planned.push_back(std::move(target.planned));
    return planned;
}

StatusReport collectStatus(const config::Config &config, const EndpointCallback &onEndpoint,
                           const std::shared_ptr<job::CancelToken> &cancel)
{
    const db::ConnectOptions options{config.timeouts.connect, config.timeouts.statement};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::vector<Target> targets = targetsOf(config);

    // I/O-bound: one thread per endpoint plus one for the history, so nobody waits for a slot
    // behind a host that is timing out.
    QThreadPool pool;
    pool.setMaxThreadCount(static_cast<int>(targets.size()) + 1);
    QFuture<ControlFacts> history
            = QtConcurrent::run(&pool, [&] { return readControlFacts(config, options); });

    std::mutex callbackMutex;
    std::vector<QFuture<void>> probes;
    probes.reserve(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        probes.push_back(QtConcurrent::run(&pool, [&, i] {
            Target &target = targets[i];
            if (job::cancelled(cancel))
                target.planned.error = "cancelled";
            else
                probe(target.planned, target.dsn, options, cancel);
            const ControlFacts &facts = history.result();
            const History &records = facts.refreshes;
            applyHistory(target.planned, facts, now);
            if (target.planned.role == EndpointRole::Region && !records && !target.planned.error) {
                spdlog::debug("freshness of {} unknown: {}", target.planned.name,
                              records.error().describe());
            }
            if (onEndpoint) {
                std::scoped_lock lock(callbackMutex);
                onEndpoint(i, target.planned);
            }
        }));
    }
    for (auto &future : probes)
        future.waitForFinished();
    if (const History &records = history.result().refreshes; !records)
        spdlog::warn("refresh history unavailable: {}", records.error().describe());

    StatusReport report;
    report.checkedAt = now;
    report.cancelled = job::cancelled(cancel);
    for (auto &target : targets)
        report.endpoints.push_back(std::move(target.planned));
    return report;
}

} // namespace envsync::status
