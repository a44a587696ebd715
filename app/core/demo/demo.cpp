#include "core/demo/demo.h"

#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/sqlquote.h"
#include "core/config/configloader.h"
#include "core/demo/democonfig.h"
#include "core/demo/demoservices.h"
#include "core/demo/localcluster.h"
#include "core/masking/maskplan.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <pqxx/pqxx>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace envsync::demo {

namespace fs = std::filesystem;

namespace {

constexpr const char *markerFileName = ".envsync-demo";
constexpr const char *createdDirectoryLine = "created_directory: yes";
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

/// Every name `up` may create in the demo directory (the marker aside): `down` and a restarted
/// `up` delete these and nothing else.
std::vector<std::string> demoEntryNames()
{
    std::vector<std::string> names = {stateFileName, std::string(stateFileName) + ".tmp",
                                      configFileName, std::string(configFileName) + ".tmp", "sock",
                                      // the CDC spool the demo's config places here
                                      "cdc-spool",
                                      // the sample virtual services' recordings
                                      "virt"};
    for (const auto &name : clusterNames) {
        names.push_back(name);
        names.push_back(name + ".log");
    }
    return names;
}

enum class DirKind {
    Missing,
    Demo,  ///< holds our marker
    Empty, ///< an empty directory of ours, no marker
};

/// What `dir` is, or why EnvSync must not touch it (ErrorCode::Usage, exit 2): a symlink (we
/// would act on whatever it points to), not a directory, someone else's directory, or a
/// directory with files but without the marker `up` writes first.
Result<DirKind> inspectDirectory(const fs::path &dir)
{
    struct stat info
    {
    };
    if (::lstat(dir.c_str(), &info) != 0) {
        if (errno == ENOENT)
            return DirKind::Missing;
        return fail(ErrorCode::Io, std::string("cannot inspect: ") + std::strerror(errno),
                    dir.string());
    }
    if (S_ISLNK(info.st_mode))
        return fail(ErrorCode::Usage,
                    "is a symbolic link; pass the demo directory itself (EnvSync does not follow "
                    "links for what it deletes)",
                    dir.string());
    if (!S_ISDIR(info.st_mode))
        return fail(ErrorCode::Usage, "exists and is not a directory", dir.string());
    struct stat marker
    {
    };
    if (::lstat((dir / markerFileName).c_str(), &marker) == 0) {
        // Only a marker we wrote counts: another user cannot make us delete their files.
        if (!S_ISREG(marker.st_mode) || marker.st_uid != ::geteuid())
            return fail(ErrorCode::Usage,
                        std::string(markerFileName)
                                + " here is not one EnvSync wrote (not a "
                                  "regular file owned by you); leaving it alone",
                        dir.string());
        return DirKind::Demo;
    }
    std::error_code ec;
    const bool empty = fs::is_empty(dir, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot list: " + ec.message(), dir.string());
    if (!empty) {
        std::string message
                = "not an EnvSync demo directory (it holds files and no "
                  + std::string(markerFileName)
                  + "); EnvSync deletes only what it created: choose a new or empty directory";
        // A demo made before the marker existed has a state file: say how to get rid of it.
        if (fs::exists(dir / stateFileName, ec))
            message += " (a demo of an older EnvSync? stop its clusters with pg_ctl, then "
                       "delete it by hand)";
        return fail(ErrorCode::Usage, message, dir.string());
    }
    if (info.st_uid != ::geteuid())
        return fail(ErrorCode::Usage, "belongs to another user; choose a directory of yours",
                    dir.string());
    return DirKind::Empty;
}

Result<void> writeMarker(const fs::path &dir, bool createdDirectory)
{
    const fs::path path = dir / markerFileName;
    // O_EXCL|O_NOFOLLOW: never write through a link or over a file someone put there.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(ErrorCode::Io,
                    std::string("cannot write the demo marker: ") + std::strerror(errno),
                    path.string());
    std::string text = "EnvSync demo directory, written by 'envsyncctl demo up'. 'envsyncctl demo "
                       "down' deletes only the files the demo created here.\n";
    if (createdDirectory)
        text += std::string(createdDirectoryLine) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (::close(fd) != 0 || !written)
        return fail(ErrorCode::Io, "cannot write the demo marker", path.string());
    return {};
}

bool markerSaysCreated(const fs::path &dir)
{
    std::ifstream in(dir / markerFileName);
    std::string line;
    while (std::getline(in, line)) {
        if (line == createdDirectoryLine)
            return true;
    }
    return false;
}

/// Deletes what the demo created in dir (never anything else); remove_all does not follow
/// symlinks, so a link put in place of a cluster directory is removed, not its target.
Result<void> removeDemoEntries(const fs::path &dir)
{
    for (const auto &name : demoEntryNames()) {
        std::error_code ec;
        fs::remove_all(dir / name, ec);
        if (ec)
            return fail(ErrorCode::Io, "cannot remove: " + ec.message(), (dir / name).string());
    }
    return {};
}

Result<std::vector<DemoCluster>> readState(const fs::path &dir)
{
    std::ifstream in(dir / stateFileName);
    // No command names here: the CLI and the GUI each say how to mend it (Error::missing).
    if (!in) {
        Error error{ErrorCode::Io, "no demo here", dir.string()};
        error.missing = Missing::Demo;
        return std::unexpected(std::move(error));
    }
    std::vector<DemoCluster> clusters;
    std::string name;
    int port = 0;
    while (in >> name >> port)
        clusters.push_back({name, port, false});
    if (clusters.size() != clusterNames.size()) {
        Error error{ErrorCode::Io, "demo state file is damaged", (dir / stateFileName).string()};
        error.missing = Missing::IntactDemo;
        return std::unexpected(std::move(error));
    }
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
                               "CREATE DATABASE " + db::quoteIdentifier(shopDatabase));
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
                   "ALTER DATABASE " + db::quoteIdentifier(shopDatabase)
                           + " SET envsync.region = " + db::quoteLiteral(name));
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
    report(progress, "seeding source and regions (" + std::to_string(rows) + " orders each; "
                             + "expect about " + durationText(seedEstimate(rows)) + ")");
    const auto seedStart = std::chrono::steady_clock::now();
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
    report(progress, "seeded in "
                             + durationText(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::steady_clock::now() - seedStart)));

    report(progress, "recording refresh history in envsync_control");
    const auto golden = std::ranges::find(clusters, std::string("golden"), &DemoCluster::name);
    if (auto history = seedHistory(clusterFor(dir, *golden).dsn("postgres")); !history)
        return std::unexpected(history.error());
    return clusters;
}

/// Records the sample virtual services that have no recording yet; without the masking salt
/// it says how to record them later instead (nothing is ever recorded unmasked).
Result<void> recordSampleServices(const fs::path &configPath, const ProgressFn &progress)
{
    auto config = config::loadConfigFile(configPath.string());
    if (!config) // the demo wrote it: a problem here is a bug, said with its position
        return fail(ErrorCode::Internal, config.error().front().format(), configPath.string());
    if (!masking::resolveSalt(config->masking.salt)) {
        report(progress, "sample virtual services not recorded: they are masked with the golden "
                         "salt, and ENVSYNC_MASK_SALT is not set (set it and run 'demo up' again)");
        return {};
    }
    auto recorded = recordDemoServices(*config, progress);
    if (!recorded)
        return std::unexpected(recorded.error());
    return {};
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

std::chrono::seconds seedEstimate(int rows)
{
    // Measured with `demo up` on 2 shared cores: 100,000 orders in about 70 s (four clusters
    // seeding at once, each in one session); the time grows linearly with the rows.
    constexpr double fixedSeconds = 3.0;
    constexpr double ordersPerSecond = 1500.0;
    return std::chrono::seconds(
            static_cast<long long>(fixedSeconds + rows / ordersPerSecond + 0.5));
}

std::string durationText(std::chrono::seconds duration)
{
    const long long total = std::max<long long>(duration.count(), 0);
    const long long hours = total / 3600;
    const long long minutes = total % 3600 / 60;
    const long long seconds = total % 60;
    char text[48];
    if (hours > 0)
        std::snprintf(text, sizeof text, "%lld h %02lld min", hours, minutes);
    else if (minutes > 0)
        std::snprintf(text, sizeof text, "%lld min %02lld s", minutes, seconds);
    else
        std::snprintf(text, sizeof text, "%lld s", seconds);
    return text;
}

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
    auto kind = inspectDirectory(dir);
    if (!kind)
        return std::unexpected(kind.error());
    if (*kind != DirKind::Demo) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            return fail(ErrorCode::Io, "cannot create demo directory: " + ec.message(),
                        dir.string());
        // The marker first: from here on `down` knows this directory and what it may delete.
        if (auto marked = writeMarker(dir, *kind == DirKind::Missing); !marked)
            return std::unexpected(marked.error());
    }

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
        if (auto removed = removeDemoEntries(dir); !removed)
            return std::unexpected(removed.error());
        clusters = createClusters(dir, options.rows, progress);
        if (!clusters) {
            (void)stopStrays(dir);
            return std::unexpected(clusters.error());
        }
        if (auto written = writeState(dir, *clusters); !written)
            return std::unexpected(written.error());
    }

    std::map<std::string, std::string> dsns;
    std::map<std::string, int> ports;
    for (const auto &cluster : *clusters) {
        dsns[cluster.name] = clusterFor(dir, cluster).dsn(cluster.name == "golden" ? "postgres"
                                                                                  : shopDatabase);
        ports[cluster.name] = cluster.port;
    }
    if (auto written = writeDemoConfig(dir / configFileName, dsns, ports); !written)
        return std::unexpected(written.error());
    if (auto recorded = recordSampleServices(dir / configFileName, progress); !recorded)
        return std::unexpected(recorded.error());
    report(progress, "demo ready");
    return demo::status(dir);
}

Result<void> down(const fs::path &dirIn, const ProgressFn &progress)
{
    const fs::path dir = dirIn.empty() ? defaultDirectory() : fs::absolute(dirIn);
    auto kind = inspectDirectory(dir);
    if (!kind)
        return std::unexpected(kind.error());
    if (*kind != DirKind::Demo)
        return {}; // nothing of ours there: nothing to stop or delete
    report(progress, "stopping demo clusters in " + dir.string());
    auto clusters = readState(dir);
    auto stopped = clusters ? stopAll(dir, *clusters) : stopStrays(dir);
    if (!stopped)
        return stopped;
    if (auto removed = removeDemoEntries(dir); !removed)
        return removed;
    const bool created = markerSaysCreated(dir);
    std::error_code ec;
    fs::remove(dir / markerFileName, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot remove: " + ec.message(),
                    (dir / markerFileName).string());
    if (!created)
        return {}; // the directory was there before the demo: it stays
    if (!fs::is_empty(dir, ec) || ec) {
        report(progress, "left " + dir.string() + ": it holds files the demo did not create");
        return {};
    }
    fs::remove(dir, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot remove: " + ec.message(), dir.string());
    return {};
}

} // namespace envsync::demo
