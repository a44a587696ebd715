#include "cli.h"

#include "interruptguard.h"

#include "core/config/configloader.h"
#include "core/demo/demo.h"
#include "core/demo/demoupstream.h"
#include "core/demo/demowriter.h"

#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include <cstdio>

namespace envsync::cli {

namespace {

void printProgress(const std::string &step)
{
    std::fprintf(stderr, "demo: %s\n", step.c_str());
}

/// A word for a POSIX shell: as is when it is plainly safe, else in single quotes.
std::string shellQuoted(const std::string &word)
{
    if (!word.empty()
        && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                  "_@%+=:,./-")
                   == std::string::npos)
        return word;
    std::string quoted = "'";
    for (const char c : word) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    return quoted + '\'';
}

/// What to run next, for the directory this demo is in (no --dir when it is the default).
void printNextSteps(const demo::DemoState &state)
{
    const bool explicitDir = state.dir != demo::defaultDirectory();
    const std::string config = shellQuoted(state.configPath.string());
    const std::string consoleDir
            = explicitDir ? " --demo-dir " + shellQuoted(state.dir.string()) : std::string();
    const std::string downDir
            = explicitDir ? " --dir " + shellQuoted(state.dir.string()) : std::string();
    std::fprintf(stderr,
                 "demo: next: envsyncctl status -c %s\n"
                 "demo: console: envsync --demo%s   (needs a display; headless: "
                 "xvfb-run -a envsync --demo%s)\n"
                 "demo: stop everything: envsyncctl demo down%s\n",
                 config.c_str(), consoleDir.c_str(), consoleDir.c_str(), downDir.c_str());
}

/// The source DSN of the demo in `dir` (empty: the default directory), only when it is a demo
/// (its marker) with its config; otherwise the error is printed and `exitCode` set.
std::optional<std::string> demoSourceDsn(const std::filesystem::path &dir, int &exitCode)
{
    auto state = demo::status(dir.empty() ? demo::defaultDirectory() : dir);
    if (!state) {
        exitCode = reportError(state.error());
        return std::nullopt;
    }
    auto config = config::loadConfigFile(state->configPath.string());
    if (!config) {
        printError("no running demo in " + state->dir.string() + " (envsyncctl demo up)");
        exitCode = Exit::Usage;
        return std::nullopt;
    }
    return config->source.dsn;
}

/// `demo write`: the writer runs until --seconds pass or Ctrl-C.
int runWrite(const std::filesystem::path &dir, const QCommandLineParser &parser)
{
    bool ok = false;
    const int seconds = parser.value(QStringLiteral("seconds")).toInt(&ok);
    if (!ok || seconds < 1) {
        printError("--seconds must be a number ≥ 1");
        return Exit::Usage;
    }
    const int rate = parser.value(QStringLiteral("rate")).toInt(&ok);
    if (!ok || rate < 0) {
        printError("--rate must be a number ≥ 0");
        return Exit::Usage;
    }
    // Only a demo's own source: the directory must be a demo (its marker), running.
    int exitCode = Exit::Ok;
    const std::optional<std::string> sourceDsn = demoSourceDsn(dir, exitCode);
    if (!sourceDsn)
        return exitCode;
    const InterruptGuard interrupt;
    demo::DemoWriter::Options options;
    options.dsn = *sourceDsn;
    options.seed = static_cast<unsigned>(::getpid());
    options.rate = rate;
    options.pauseMicros = 0;
    demo::DemoWriter writer(options);
    writer.start();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until && !interrupt.token()->isCancelled())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string error = writer.stop();
    std::printf("wrote %lld transactions (%lld changes) to the demo's source\n",
                static_cast<long long>(writer.transactions()),
                static_cast<long long>(writer.changes()));
    if (!error.empty()) {
        printError("source: " + error);
        return Exit::Runtime;
    }
    return Exit::Ok;
}

/// `demo upstream`: the partner API the sample virtual services are recorded from, until Ctrl-C.
int runUpstream(const std::filesystem::path &dir, const QCommandLineParser &parser)
{
    const std::string region = parser.value(QStringLiteral("region")).toStdString();
    if (demo::DemoUpstream::regionCountries(region).empty()) {
        printError("--region must be eu, us or apac");
        return Exit::Usage;
    }
    bool ok = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&ok);
    if (!ok || port > 65535) {
        printError("--port must be a number from 0 to 65535");
        return Exit::Usage;
    }
    int exitCode = Exit::Ok;
    const std::optional<std::string> sourceDsn = demoSourceDsn(dir, exitCode);
    if (!sourceDsn)
        return exitCode;
    const InterruptGuard interrupt;
    auto upstream = demo::DemoUpstream::start(*sourceDsn, region, static_cast<quint16>(port));
    if (!upstream)
        return reportError(upstream.error());
    std::printf("%s\n", (*upstream)->baseUrl().c_str());
    std::fflush(stdout);
    std::fprintf(stderr,
                 "demo: partner API of %s on %s (send \"Authorization: Bearer %s\"); Ctrl-C "
                 "stops it\n",
                 region.c_str(), (*upstream)->baseUrl().c_str(), demo::DemoUpstream::token);
    while (!interrupt.token()->isCancelled())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return Exit::Ok;
}

} // namespace

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Runs a complete EnvSync estate on this machine: five local PostgreSQL 15 clusters\n"
            "(source, golden, eu, us, apac), each on its own port with its socket in DIR. The\n"
            "source holds a seeded shop with PII-like data; the regions are copies with injected\n"
            "schema drift and a refresh history (eu fresh, us due, apac overdue).\n\n"
            "  up      create/start the clusters (idempotent); prints the config path on stdout\n"
            "  down    stop every cluster and delete what 'up' created in DIR\n"
            "  status  show which clusters run\n"
            "  write   a random write workload on the demo's source (inserts, updates, also of\n"
            "          keys, deletes; PII-like values) for --seconds at --rate transactions/s:\n"
            "          something for `envsyncctl cdc run` to stream. Ctrl-C stops it.\n"
            "  upstream  the regional partner API of --region (customers, payments; PII, a\n"
            "          bearer token, ids and timestamps that change) on 127.0.0.1:--port, until\n"
            "          Ctrl-C: what the demo's sample virtual services are recorded from.\n\n"
            "Examples:\n  envsyncctl status -c \"$(envsyncctl demo up)\"\n"
            "  envsyncctl demo write --seconds 60 --rate 200"));
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("up, down, status, write or upstream"));
    parser.addOption(
            {QStringLiteral("dir"),
             QStringLiteral("Where the clusters live: a new or empty directory, or one 'up' "
                            "made (default: %1).")
                     .arg(QString::fromStdString(demo::defaultDirectory().string())),
             QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("rows"),
                      QStringLiteral("Orders to seed (customers = rows/4; default 100000)."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("write: how long (default 30)."),
                      QStringLiteral("N"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("rate"),
                      QStringLiteral("write: transactions per second (default 100; 0: as fast as "
                                     "the source takes them)."),
                      QStringLiteral("N"), QStringLiteral("100")});
    parser.addOption({QStringLiteral("region"),
                      QStringLiteral("upstream: the region whose partner API to serve (eu, us, "
                                     "apac)."),
                      QStringLiteral("R"), QStringLiteral("eu")});
    parser.addOption({QStringLiteral("port"),
                      QStringLiteral("upstream: the port (default 0: any free one, printed)."),
                      QStringLiteral("P"), QStringLiteral("0")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const std::filesystem::path dir = parser.value(QStringLiteral("dir")).toStdString();
    bool rowsOk = false;
    const int rows = parser.value(QStringLiteral("rows")).toInt(&rowsOk);
    if (!rowsOk || rows < 10 || rows > 50'000'000) {
        printError("--rows must be a number from 10 to 50000000");
        return Exit::Usage;
    }
    if (positional.size() != 1) {
        printError(
                "demo takes one action: up, down, status, write or upstream (see 'envsyncctl demo "
                "--help')");
        return Exit::Usage;
    }

    if (action == QLatin1String("up")) {
        auto state = demo::up({dir, rows}, printProgress);
        if (!state)
            return reportError(state.error());
        std::printf("%s\n", state->configPath.c_str());
        printNextSteps(*state);
        return Exit::Ok;
    }
    if (action == QLatin1String("down")) {
        if (auto stopped = demo::down(dir, printProgress); !stopped)
            return reportError(stopped.error());
        return Exit::Ok;
    }
    if (action == QLatin1String("status")) {
        auto state = demo::status(dir);
        if (!state)
            return reportError(state.error());
        bool allRunning = true;
        for (const auto &cluster : state->clusters) {
            std::printf("%-8s port %-6d %s\n", cluster.name.c_str(), cluster.port,
                        cluster.running ? "running" : "stopped");
            allRunning = allRunning && cluster.running;
        }
        std::printf("config: %s\n", state->configPath.c_str());
        return allRunning ? Exit::Ok : Exit::Found;
    }
    if (action == QLatin1String("write"))
        return runWrite(dir, parser);
    if (action == QLatin1String("upstream"))
        return runUpstream(dir, parser);
    printError("unknown demo action \"" + action.toStdString()
               + "\" (up, down, status, write or upstream)");
    return Exit::Usage;
}

} // namespace envsync::cli
