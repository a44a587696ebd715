#include "core/demo/demo.h"

#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/demo/democonfig.h"
#include "core/demo/localcluster.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <pqxx/pqxx>

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace envsync::demo {

namespace fs = std::filesystem;

namespace {

constexpr const char *stateFileName = "demo.state";
constexpr const char *configFileName = "envsync.yaml";
constexpr const char *shopDatabase = "shop";
constexpr int firstPort = 55432;
const std::vector<std::string> clusterNames = {"source", "golden", "eu", "us", "apac"};
const std::vector<std::string> regionNames = {"eu", "us", "apac"};

void report(const ProgressFn &progress, const std::string &step)
{
    if (progress)
        progress(step);
}

LocalCluster clusterFor(const fs::path &dir, const DemoCluster &cluster)
{
    return LocalCluster(dir / cluster.name, dir / "sock", cluster.port);
}

Result<std::string> resourceText(const QString &name)
{
    QFile file(QStringLiteral(":/envsync/demo/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Internal, "missing embedded resource " + name.toStdString());
    return file.readAll().toStdString();
}

Result<std::vector<DemoCluster>> readState(const fs::path &dir)
{
    std::ifstream in(dir / stateFileName);
    if (!in)
        return fail(ErrorCode::Io, "no demo here (run 'envsyncctl demo up')", dir.string());
    std::vector<DemoCluster> clusters;
    std::string name;
    int port = 0;
    while (in >> name >> port)
        clusters.push_back({name, port, false});
    if (clusters.size() != clusterNames.size())
        return fail(ErrorCode::Io, "demo state file is damaged; run 'envsyncctl demo down'",
                    (dir / stateFileName).string());
    return clusters;
}

Result<void> writeState(const fs::path &dir, const std::vector<DemoCluster> &clusters)
{
    const fs::path temporary = dir / (std::string(stateFileName) + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        for (const auto &cluster : clusters)
            out << cluster.name << ' ' << cluster.port << '\n';
        if (!out)
            return fail(ErrorCode::Io, "cannot write demo state", temporary.string());
    }
    std::error_code ec;
    fs::rename(temporary, dir / stateFileName, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot write demo state: " + ec.message(), dir.string());
    return {};
}

/// Runs each job on its own thread and returns the first failure (all jobs always finish).
Result<void> runAll(const std::vector<std::function<Result<void>()>> &jobs)
{
    std::vector<QFuture<Result<void>>> futures;
    futures.reserve(jobs.size());
    for (const auto &job : jobs)
        futures.push_back(QtConcurrent::run(job));
    Result<void> first;
    for (auto &future : futures) {
        Result<void> result = future.result();
        if (!result && first)
            first = result;
    }
    return first;
}

Result<void> execute(const std::string &dsn, const std::string &who, const std::string &sql)
{
    auto connection = db::connect(dsn, {std::chrono::seconds(10), std::chrono::hours(1)}, who);
    if (!connection)
        return std::unexpected(connection.error());
    return db::guarded(who, "run demo SQL", [&] {
        pqxx::nontransaction tx(**connection);
        tx.exec0(sql);
    });
}

Result<void> seedShop(const LocalCluster &cluster, const std::string &name, int rows,
                      const std::string &seedSql, const std::string &driftSql)
{
    const std::string who = "demo " + name;
    if (auto created = execute(cluster.dsn("postgres"), who,
                               std::string("CREATE DATABASE ") + shopDatabase);
        !created)
        return created;
    std::string script = "SET envsync.demo_rows = " + std::to_string(rows) + ";\n" + seedSql;
    if (!driftSql.empty())
        script += "\n" + driftSql;
    if (auto seeded = execute(cluster.dsn(shopDatabase), who, script); !seeded || name == "source")
        return seeded;
    // The EnvSync marker of a region database (see refresh/productionguard.h): refreshes of
    // the demo regions pass the production guard without --i-know-this-is.
    return execute(cluster.dsn("postgres"), who,
                   std::string("ALTER DATABASE ") + shopDatabase + " SET envsync.region = '" + name
                           + "'");
}

/// A refresh history that leaves eu fresh, us due and apac overdue (SLA 8 days).
Result<void> seedHistory(const std::string &goldenDsn)
{
    auto control = db::ControlDb::openUnguarded(goldenDsn, {});
    if (!control)
        return std::unexpected(control.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    struct Entry
    {
        const char *region;
        double daysAgo;
        const char *result;
    };
    const std::vector<Entry> entries = {
            {"eu", 8.0, "success"},   {"eu", 1.0, "success"},      {"us", 13.0, "success"},
            {"us", 7.0, "success"},   {"apac", 12.0, "success"},   {"apac", 5.0, "failed"},
    };
    for (const auto &entry : entries) {
        db::RefreshRecord record;
        record.region = entry.region;
        record.snapshot = "demo_seed";
        record.finishedAt = now.addSecs(static_cast<qint64>(-entry.daysAgo * 86400));
        record.startedAt = record.finishedAt.addSecs(-540);
        record.sourceAsOf = record.startedAt;
        record.result = entry.result;
        record.actor = db::currentActor();
        record.detail = std::string(entry.result) == "failed"
                ? "demo history: a failed refresh (window ended)"
                : "demo history";
        if (auto recorded = control->recordRefresh(record); !recorded)
            return recorded;
    }
    return control->audit(db::currentActor(), "demo.up", "demo", "success");
}

Result<std::vector<DemoCluster>> createClusters(const fs::path &dir, int rows,
                                                const ProgressFn &progress)
{
    std::vector<DemoCluster> clusters;
    std::vector<int> taken;
    for (const auto &name : clusterNames) {
        const int port = LocalCluster::findFreePort(dir / "sock", firstPort, taken);
        if (port == 0)
            return fail(ErrorCode::Io, "no free port found from " + std::to_string(firstPort));
        taken.push_back(port);
        clusters.push_back({name, port, false});
    }

    report(progress, "initdb: 5 clusters in " + dir.string());
    std::vector<std::function<Result<void>()>> jobs;
    for (const auto &cluster : clusters) {
        jobs.emplace_back([dir, cluster] {
            LocalCluster local = clusterFor(dir, cluster);
            if (auto initialized = local.initialize(); !initialized)
                return initialized;
            return local.start();
        });
    }
    if (auto started = runAll(jobs); !started)
        return std::unexpected(started.error());

    auto seed = resourceText(QStringLiteral("seed.sql"));
    if (!seed)
        return std::unexpected(seed.error());
    report(progress, "seeding source and regions (" + std::to_string(rows) + " orders each)");
    jobs.clear();
    for (const auto &cluster : clusters) {
        if (cluster.name == "golden")
            continue;
        std::string drift;
        if (cluster.name != "source") {
            auto text = resourceText(QString::fromStdString("drift_" + cluster.name + ".sql"));
            if (!text)
                return std::unexpected(text.error());
            drift = *text;
        }
        jobs.emplace_back([dir, cluster, rows, seedSql = *seed, drift] {
            return seedShop(clusterFor(dir, cluster), cluster.name, rows, seedSql, drift);
        });
    }
    if (auto seeded = runAll(jobs); !seeded)
        return std::unexpected(seeded.error());

    report(progress, "recording refresh history in envsync_control");
    const auto golden = std::ranges::find(clusters, std::string("golden"), &DemoCluster::name);
    if (auto history = seedHistory(clusterFor(dir, *golden).dsn("postgres")); !history)
        return std::unexpected(history.error());
    return clusters;
}

Result<void> stopAll(const fs::path &dir, const std::vector<DemoCluster> &clusters)
{
    std::vector<std::function<Result<void>()>> jobs;
    for (const auto &cluster : clusters)
        jobs.emplace_back([dir, cluster] { return clusterFor(dir, cluster).stop(); });
    return runAll(jobs);
}

/// Stops every cluster found in dir, even without a state file (a half-finished `up`).
Result<void> stopStrays(const fs::path &dir)
{
    std::vector<DemoCluster> strays;
    for (const auto &name : clusterNames) {
        if (fs::exists(dir / name / "postmaster.pid"))
            strays.push_back({name, 0, true});
    }
    return stopAll(dir, strays);
}

} // namespace

fs::path defaultDirectory()
{
    const char *tmp = std::getenv("TMPDIR");
    const fs::path base = (tmp && *tmp) ? fs::path(tmp) : fs::path("/tmp");
    return base / ("envsync-demo-" + std::to_string(::getuid()));
}

Result<DemoState> status(const fs::path &dirIn)
{
    const fs::path dir = dirIn.empty() ? defaultDirectory() : fs::absolute(dirIn);
    auto clusters = readState(dir);
    if (!clusters)
        return std::unexpected(clusters.error());
    for (auto &cluster : *clusters)
        cluster.running = clusterFor(dir, cluster).isRunning();
    return DemoState{dir, dir / configFileName, *clusters};
}

Result<DemoState> up(const DemoOptions &options, const ProgressFn &progress)
{
    const fs::path dir = options.dir.empty() ? defaultDirectory() : fs::absolute(options.dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot create demo directory: " + ec.message(), dir.string());

    auto clusters = readState(dir);
    if (clusters) {
        report(progress, "demo exists in " + dir.string() + "; starting its clusters");
        std::vector<std::function<Result<void>()>> jobs;
        for (const auto &cluster : *clusters)
            jobs.emplace_back([dir, cluster] { return clusterFor(dir, cluster).start(); });
        if (auto started = runAll(jobs); !started)
            return std::unexpected(started.error());
    } else {
        // A half-finished earlier `up` (killed, failed): start again from nothing.
        if (auto stopped = stopStrays(dir); !stopped)
            return std::unexpected(stopped.error());
        for (const auto &entry : fs::directory_iterator(dir, ec))
            fs::remove_all(entry.path(), ec);
        clusters = createClusters(dir, options.rows, progress);
        if (!clusters) {
            (void)stopStrays(dir);
            return std::unexpected(clusters.error());
        }
        if (auto written = writeState(dir, *clusters); !written)
            return std::unexpected(written.error());
    }

    std::map<std::string, std::string> dsns;
    for (const auto &cluster : *clusters) {
        dsns[cluster.name] = clusterFor(dir, cluster).dsn(cluster.name == "golden" ? "postgres"
                                                                                  : shopDatabase);
    }
    if (auto written = writeDemoConfig(dir / configFileName, dsns); !written)
        return std::unexpected(written.error());
    report(progress, "demo ready");
    return demo::status(dir);
}

Result<void> down(const fs::path &dirIn, const ProgressFn &progress)
{
    const fs::path dir = dirIn.empty() ? defaultDirectory() : fs::absolute(dirIn);
    if (!fs::exists(dir))
        return {};
    report(progress, "stopping demo clusters in " + dir.string());
    auto clusters = readState(dir);
    auto stopped = clusters ? stopAll(dir, *clusters) : stopStrays(dir);
    if (!stopped)
        return stopped;
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot remove: " + ec.message(), dir.string());
    return {};
}

} // namespace envsync::demo
