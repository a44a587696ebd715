// bench_refresh: region refresh, swap outage and ephemeral environments against their peers
// (issue 6, Performance): refresh ≤ 0.85× `pg_dump -Fd -j2` + `pg_restore -j2` of the same
// snapshot into the same target cluster; swap unavailability p99 ≤ 250 ms over 20 refreshes;
// `env create` ≤ 1.1× the raw `CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY`.
//
//   bench_refresh [--rows N] [--runs R] [--swaps S] [--jobs J] [--dir PATH] [--keep]
//
// Starts (or reuses) a demo estate with N orders under PATH (default /tmp/envsync-bench-refresh),
// takes golden_v1 once, then R interleaved runs of A (pg_dump -Fd -jJ of golden_v1, createdb,
// pg_restore -jJ into the eu cluster) and B (envsyncctl's refreshRegion of eu, swap included);
// then S refreshes of eu while a reader queries it in a loop (outage = longest gap between two
// successful reads around failed ones); then R interleaved env create / raw CREATE DATABASE.
// Not a CTest test: run it by hand (see RESULTS.md).

#include "core/config/configloader.h"
#include "core/copy/copyengine.h"
#include "core/db/dsn.h"
#include "core/demo/demo.h"
#include "core/env/environments.h"
#include "core/refresh/refresh.h"
#include "core/snapshot/snapshot.h"
#include "core/util/process.h"
#include "regionreader.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options
{
    int rows = 1000000;
    int runs = 3;
    int swaps = 20;
    int envRuns = -1; ///< env create vs raw clone runs; -1: the same as runs
    int jobs = 2;
    fs::path dir = "/tmp/envsync-bench-refresh";
    bool keep = false;
};

[[noreturn]] void die(const std::string &message)
{
    throw std::runtime_error(message);
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n == 0 ? 0 : (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
}

/// Nearest-rank percentile.
double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    if (values.empty())
        return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::string withDb(const std::string &dsn, const std::string &db)
{
    return envsync::db::Dsn::parse(dsn)->with("dbname", db).toConnectionString();
}

void execute(const std::string &dsn, const std::string &sql)
{
    pqxx::connection conn(dsn);
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
}

void run(const std::string &program, const std::vector<std::string> &args)
{
    auto result = envsync::util::runProcess(envsync::copy::pgProgram(program), args, false,
                                            std::chrono::hours(2));
    if (!result)
        die(program + ": " + result.error().describe());
    if (result->exitCode != 0)
        die(program + " failed: " + result->output);
}

Options parse(int argc, char **argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc)
                die(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--rows")
            options.rows = std::stoi(next());
        else if (arg == "--runs")
            options.runs = std::stoi(next());
        else if (arg == "--env-runs")
            options.envRuns = std::stoi(next());
        else if (arg == "--swaps")
            options.swaps = std::stoi(next());
        else if (arg == "--jobs")
            options.jobs = std::stoi(next());
        else if (arg == "--dir")
            options.dir = next();
        else if (arg == "--keep")
            options.keep = true;
        else if (arg == "-h" || arg == "--help") {
            std::puts("bench_refresh [--rows N] [--runs R] [--swaps S] [--jobs J] [--dir PATH] [--keep]\n"
                      "  --rows N   demo orders (default 1000000; customers N/4, items ~2N)\n"
                      "  --runs R   interleaved runs of refresh vs pg_dump|pg_restore and of env create\n"
                      "             vs raw CREATE DATABASE (default 3; 0: only the swap outage)\n"
                      "  --env-runs E  runs of env create vs raw CREATE DATABASE (default R)\n"
                      "  --swaps S  refreshes measured by a reader in a loop (default 20)\n"
                      "  --jobs J   parallel jobs of every tool (default 2)\n"
                      "  --dir PATH demo estate (default /tmp/envsync-bench-refresh; reused)\n"
                      "  --keep     leave the estate running");
            std::exit(0);
        } else {
            die("unknown option " + arg + " (see --help)");
        }
    }
    return options;
}

envsync::refresh::RefreshOptions refreshOf(const std::string &region, int jobs)
{
    envsync::refresh::RefreshOptions options;
    options.region = region;
    options.snapshot = "golden_v1";
    options.forceOutsideWindow = true;
    options.reason = "bench_refresh";
    options.jobs = jobs;
    return options;
}

/// A: what a DBA would do by hand — dump the snapshot, restore it into a new database.
double peerDumpRestore(const Options &options, const envsync::config::Config &config,
                       const std::string &euDsn)
{
    const fs::path dumpDir = options.dir / "bench-dump";
    fs::remove_all(dumpDir);
    const std::string jobs = std::to_string(options.jobs);
    const std::string admin = withDb(euDsn, "postgres");
    execute(admin, "DROP DATABASE IF EXISTS bench_restore");
    const auto start = Clock::now();
    run("pg_dump", {"-Fd", "-j", jobs, "-f", dumpDir.string(), "-d",
                    withDb(config.golden.dsn, "golden_v1")});
    execute(admin, "CREATE DATABASE bench_restore");
    run("pg_restore", {"-j", jobs, "--no-owner", "-d", withDb(euDsn, "bench_restore"),
                       dumpDir.string()});
    const double seconds = secondsSince(start);
    execute(admin, "DROP DATABASE bench_restore");
    fs::remove_all(dumpDir);
    return seconds;
}

/// B: EnvSync's refresh of eu, swap and history included.
double envsyncRefresh(const envsync::config::Config &config, int jobs, double *unavailableMs = nullptr)
{
    const auto start = Clock::now();
    auto result = envsync::refresh::refreshRegion(config, refreshOf("eu", jobs));
    if (!result)
        die("refresh: " + result.error().describe());
    if (unavailableMs)
        *unavailableMs = result->unavailableMs;
    return secondsSince(start);
}

double envCreate(const envsync::config::Config &config)
{
    envsync::env::CreateOptions create;
    create.name = "bench_env";
    create.snapshot = "golden_v1";
    create.ttl = std::chrono::hours(1);
    const auto start = Clock::now();
    auto made = envsync::env::createEnvironment(config, create);
    const double seconds = secondsSince(start);
    if (!made)
        die("env create: " + made.error().describe());
    if (auto dropped = envsync::env::dropEnvironment(config, "bench_env"); !dropped)
        die("env drop: " + dropped.error().describe());
    return seconds;
}

double rawTemplateClone(const envsync::config::Config &config)
{
    const std::string admin = withDb(config.golden.dsn, "postgres");
    execute(admin, "DROP DATABASE IF EXISTS bench_raw");
    const auto start = Clock::now();
    {
        pqxx::connection conn(admin); // connect included, as env create's is
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE bench_raw TEMPLATE golden_v1 STRATEGY FILE_COPY");
    }
    const double seconds = secondsSince(start);
    execute(admin, "DROP DATABASE bench_raw");
    return seconds;
}

const char *verdict(bool pass)
{
    return pass ? "PASS" : "FAIL";
}

int bench(const Options &options)
{
    ::setenv("ENVSYNC_MASK_SALT", "bench_refresh-salt-0123456789", 0); // keep a caller's salt
    std::printf("bench_refresh: demo estate with %d orders in %s\n", options.rows,
                options.dir.c_str());
    auto state = envsync::demo::up({options.dir, options.rows},
                                   [](const std::string &step) { std::printf("  demo: %s\n", step.c_str()); });
    if (!state)
        die("demo up: " + state.error().describe());
    auto config = envsync::config::loadConfigFile(state->configPath.string());
    if (!config)
        die("config: " + (config.error().empty() ? std::string("?") : config.error().front().format()));
    const std::string euDsn = config->findRegion("eu")->dsn;
    pqxx::connection golden(withDb(config->golden.dsn, "postgres"));
    if (pqxx::nontransaction(golden).exec("SELECT 1 FROM pg_database WHERE datname = 'golden_v1'").empty()) {
        std::printf("bench_refresh: taking golden_v1\n");
        if (auto created = envsync::snapshot::createSnapshot(*config, {}); !created)
            die("snapshot: " + created.error().describe());
    }
    const std::string size = pqxx::nontransaction(golden)
                                     .exec("SELECT pg_size_pretty(pg_database_size('golden_v1'))")[0][0]
                                     .as<std::string>();
    std::printf("bench_refresh: golden_v1 is %s; warm-up refresh\n", size.c_str());
    std::fflush(stdout);
    (void)envsyncRefresh(*config, options.jobs);

    std::vector<double> peer, ours;
    for (int r = 0; r < options.runs; ++r) {
        const bool peerFirst = r % 2 == 0;
        for (int k = 0; k < 2; ++k) {
            if ((k == 0) == peerFirst) {
                peer.push_back(peerDumpRestore(options, *config, euDsn));
                std::printf("  run %d A pg_dump -Fd -j%d + pg_restore -j%d: %.2f s\n", r + 1,
                            options.jobs, options.jobs, peer.back());
            } else {
                ours.push_back(envsyncRefresh(*config, options.jobs));
                std::printf("  run %d B envsync refresh eu: %.2f s\n", r + 1, ours.back());
            }
            std::fflush(stdout);
        }
    }

    std::vector<double> outages, reported;
    // cheap (index-only), so the gap between two reads is the outage, not the query time
    const std::string invariant = "SELECT (SELECT max(id) FROM orders) || '/' ||"
                                  " (SELECT max(order_id) FROM order_items)";
    for (int s = 0; s < options.swaps; ++s) {
        envsync::test::RegionReader reader(euDsn, invariant);
        reader.start();
        double unavailable = 0;
        (void)envsyncRefresh(*config, options.jobs, &unavailable);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        reader.stop();
        if (reader.valueSequence().size() != 1)
            die("a reader saw more than one value of the invariant: mixed data");
        outages.push_back(reader.longestOutageMs());
        reported.push_back(unavailable);
        std::printf("  swap %2d: reader outage %.1f ms (engine: %.1f ms), %d reads\n", s + 1,
                    outages.back(), unavailable, reader.successfulReads());
        std::fflush(stdout);
    }

    std::vector<double> envs, raws;
    const int envRuns = options.envRuns >= 0 ? options.envRuns : options.runs;
    for (int r = 0; r < envRuns; ++r) {
        if (r % 2 == 0) {
            raws.push_back(rawTemplateClone(*config));
            envs.push_back(envCreate(*config));
        } else {
            envs.push_back(envCreate(*config));
            raws.push_back(rawTemplateClone(*config));
        }
        std::printf("  run %d env create %.3f s, raw CREATE DATABASE … FILE_COPY %.3f s\n", r + 1,
                    envs.back(), raws.back());
    }

    const double refreshRatio = median(ours) / median(peer);
    const double p99 = percentile(outages, 99);
    const double envRatio = median(envs) / median(raws);
    std::printf("\nbench_refresh results (medians; golden_v1 %s, %d orders, jobs %d)\n", size.c_str(),
                options.rows, options.jobs);
    if (options.runs > 0)
        std::printf("  refresh eu            %8.2f s   pg_dump|pg_restore %8.2f s   ratio %.2fx  (<= 0.85: %s)\n",
                median(ours), median(peer), refreshRatio, verdict(refreshRatio <= 0.85));
    if (!outages.empty()) {
        std::printf("  swap outage (reader)  p50 %.1f ms  p99 %.1f ms  max %.1f ms over %zu  (p99 <= 250 ms: %s)\n",
                    percentile(outages, 50), p99, percentile(outages, 100), outages.size(),
                    verdict(p99 <= 250));
        std::printf("  swap outage (engine)  p50 %.1f ms  p99 %.1f ms\n", percentile(reported, 50),
                    percentile(reported, 99));
    }
    if (envRuns > 0)
        std::printf("  env create            %8.3f s   raw FILE_COPY      %8.3f s   ratio %.2fx  (<= 1.1: %s)\n",
                median(envs), median(raws), envRatio, verdict(envRatio <= 1.1));
    if (!options.keep)
        (void)envsync::demo::down(options.dir);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        return bench(parse(argc, argv));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_refresh: %s\n", e.what());
        return 1;
    }
}
