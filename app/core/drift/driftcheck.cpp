#include "core/drift/driftcheck.h"

#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/drift/catalogreader.h"
#include "core/drift/diff.h"
#include "core/drift/ignorerules.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <pqxx/pqxx>

#include <algorithm>

namespace envsync::drift {

namespace {

struct ReferenceTarget
{
    std::string dsn;
    std::string name;
    bool fellBack = false;
};

Result<ReferenceTarget> chooseReference(const config::Config &config, Reference against)
{
    const ReferenceTarget source{config.source.dsn, "source " + config.source.name, false};
    if (against == Reference::Source)
        return source;
    const db::ConnectOptions options{config.timeouts.connect, config.timeouts.statement};
    auto control = db::ControlDb::openExisting(config.golden.dsn, options);
    if (!control)
        return std::unexpected(control.error());
    std::optional<std::string> newest;
    if (*control) {
        auto found = (*control)->newestReadySnapshot();
        if (!found)
            return std::unexpected(found.error());
        newest = *found;
    }
    if (!newest)
        return ReferenceTarget{source.dsn, source.name, true};
    auto golden = db::Dsn::parse(config.golden.dsn);
    if (!golden)
        return std::unexpected(withContext(golden.error(), "golden"));
    return ReferenceTarget{golden->with("dbname", *newest).toConnectionString(), *newest, false};
}

} // namespace

bool DriftReport::anyDrift() const
{
    return std::ranges::any_of(drifts, [](const RegionDrift &d) { return !d.differences.empty(); });
}

const Error *DriftReport::errorOf(const std::string &region) const
{
    for (std::size_t i = 0; i < errors.size() && i < errorRegions.size(); ++i) {
        if (errorRegions[i] == region)
            return &errors[i];
    }
    return nullptr;
}

Result<SchemaCatalog> snapshotDatabase(const std::string &dsn, const std::string &who,
                                       const config::TimeoutsConfig &timeouts,
                                       const std::shared_ptr<job::CancelToken> &cancel)
{
    auto connection = db::connect(dsn, {timeouts.connect, timeouts.statement}, who);
    if (!connection)
        return std::unexpected(connection.error());
    CatalogOptions options;
    options.who = who;
    options.cancel = cancel;
    return readCatalog(**connection, options);
}

Result<DriftReport> checkDrift(const config::Config &config, const DriftRequest &request,
                               const RegionDoneFn &onRegionDone,
                               const std::shared_ptr<job::CancelToken> &cancel)
{
    std::vector<const config::RegionConfig *> regions;
    for (const auto &region : config.regions) {
        if (!request.region || *request.region == region.name)
            regions.push_back(&region);
    }
    if (regions.empty())
        return fail(ErrorCode::Usage, "no region named \"" + request.region.value_or("") + '"');

    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "drift");
    auto target = chooseReference(config, request.against);
    if (!target)
        return std::unexpected(target.error());

    // Reference and regions are read at the same time, each on its own connection.
    QThreadPool pool;
    pool.setMaxThreadCount(static_cast<int>(regions.size()) + 1);
    QFuture<Result<SchemaCatalog>> reference = QtConcurrent::run(&pool, [&] {
        return snapshotDatabase(target->dsn, target->name, config.timeouts, cancel);
    });
    std::vector<QFuture<Result<SchemaCatalog>>> regionSnapshots;
    for (const auto *region : regions) {
        regionSnapshots.push_back(QtConcurrent::run(&pool, [&config, &cancel, region] {
            return snapshotDatabase(region->dsn, "region " + region->name, config.timeouts, cancel);
        }));
    }

    Result<SchemaCatalog> referenceSnapshot = reference.result();
    if (!referenceSnapshot || job::cancelled(cancel)) {
        pool.waitForDone();
        if (job::cancelled(cancel))
            return fail(ErrorCode::Cancelled, "cancelled", "drift");
        return std::unexpected(referenceSnapshot.error());
    }
    DriftReport report;
    report.referenceName = target->name;
    report.fellBackToSource = target->fellBack;
    report.reference = std::move(*referenceSnapshot);
    const IgnoreRules ignore = IgnoreRules::fromConfig(config.driftIgnore);
    const int total = static_cast<int>(regions.size());
    for (int i = 0; i < total; ++i) {
        Result<SchemaCatalog> snapshot = regionSnapshots[static_cast<std::size_t>(i)].result();
        const std::string &name = regions[static_cast<std::size_t>(i)]->name;
        if (snapshot) {
            report.drifts.push_back({name, diff(*snapshot, report.reference, ignore)});
            report.snapshots.emplace(name, std::move(*snapshot));
        } else {
            report.errors.push_back(snapshot.error());
            report.errorRegions.push_back(name);
        }
        if (onRegionDone)
            onRegionDone(name, i + 1, total);
    }
    // A region whose read was cancelled is not "unreachable": the whole check was cancelled.
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "drift");
    return report;
}

} // namespace envsync::drift
