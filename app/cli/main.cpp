// envsyncctl: the headless entry point. Thin: parses the command and hands over to core.
#include "cli.h"

#include "core/refresh/faultpoint.h"
#include "reportpdf/reportapplication.h"

#include <QCoreApplication>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>
#include <string_view>

namespace {

constexpr const char *usage = R"(envsyncctl — keep regional PostgreSQL test databases in sync with production

Usage: envsyncctl [--verbose] <command> [options]     (envsyncctl <command> --help for details)

Commands:
  validate -c FILE          check a config; every error as FILE:LINE:COL: path: message
  status   -c FILE          reachability, version, size and freshness of every database
  demo     up|down|status   a local estate (source, golden, eu, us, apac) with seeded data
  diff     FROM_DSN TO_DSN  the DDL that turns FROM's schema into TO's (table|json|sql)
  drift    -c FILE          schema drift of every region against golden or the source
  snapshot create|list|prune|verify -c FILE
                            masked, versioned golden_vN copies of the source
  mask     -c FILE --check  masking rule coverage (fail-closed); --detect DSN proposes rules
  refresh  -c FILE --region R [--dry-run]
                            atomic refresh of a region from golden (swap by rename)
  rollback -c FILE --region R
                            swap a region back to its previous database
  env      create|list|drop|gc -c FILE
                            ephemeral databases cloned from golden with a TTL
  calendar -c FILE [check]  refresh windows per region (local and UTC), blackouts, conflicts
  agent    -c FILE [--once] runs the refreshes that are due (windows, blackouts, retries)
  report   -c FILE --format csv|json|html|pdf [-o FILE]
                            freshness of every region: age vs SLA, refreshes, drift
  cdc      init|run|status|pause|resume|drop -c FILE [--region R] [--until-caught-up]
                            production's changes, masked, streamed into the regions
  virt     serve|record -c FILE [--service S | --region R]
                            recorded regional HTTP APIs replayed as WireMock stubs, masked

Exit codes: 0 ok · 1 found something (drift, conflicts, overdue) · 2 usage/config error ·
            3 runtime failure (database, I/O) · 4 refused by a safety guard

Get started:
  envsyncctl demo up                       # prints the demo's config path
  envsyncctl status -c /tmp/envsync-demo-$(id -u)/envsync.yaml
  envsyncctl drift  -c /tmp/envsync-demo-$(id -u)/envsync.yaml
)";

/// `envsyncctl report ... --format pdf` (or --format=pdf), before any parsing.
bool wantsPdfReport(int argc, char *argv[])
{
    bool report = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        report = report || arg == "report";
        if (report && (arg == "--format=pdf" || (arg == "--format" && i + 1 < argc
                                                  && std::string_view(argv[i + 1]) == "pdf")))
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    // Only the PDF report needs fonts (QtGui); every other command stays a plain core app.
    const auto app = envsync::report::makeReportApplication(argc, argv, wantsPdfReport(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("envsyncctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ENVSYNC_VERSION));

    auto logger = spdlog::stderr_color_mt("envsync");
    logger->set_pattern("envsyncctl: %l: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::warn);

    QStringList args = QCoreApplication::arguments();
    if (args.size() > 1 && (args[1] == QLatin1String("-v") || args[1] == QLatin1String("--verbose"))) {
        spdlog::set_level(spdlog::level::debug);
        args.removeAt(1);
    }
    const QString command = args.value(1);
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h")
        || command == QLatin1String("help")) {
        std::fputs(usage, command.isEmpty() ? stderr : stdout);
        return command.isEmpty() ? envsync::cli::Exit::Usage : envsync::cli::Exit::Ok;
    }
    if (command == QLatin1String("--version")) {
        std::printf("envsyncctl %s\n", ENVSYNC_VERSION);
        if (envsync::refresh::faultInjectionCompiledIn())
            std::printf("test build: crash-test kill points compiled in\n");
        return 0;
    }

    using Runner = int (*)(const QStringList &);
    const std::map<QString, Runner> commands = {
            {QStringLiteral("validate"), envsync::cli::runValidate},
            {QStringLiteral("status"), envsync::cli::runStatus},
            {QStringLiteral("demo"), envsync::cli::runDemo},
            {QStringLiteral("diff"), envsync::cli::runDiff},
            {QStringLiteral("drift"), envsync::cli::runDrift},
            {QStringLiteral("snapshot"), envsync::cli::runSnapshot},
            {QStringLiteral("mask"), envsync::cli::runMask},
            {QStringLiteral("refresh"), envsync::cli::runRefresh},
            {QStringLiteral("rollback"), envsync::cli::runRollback},
            {QStringLiteral("env"), envsync::cli::runEnv},
            {QStringLiteral("calendar"), envsync::cli::runCalendar},
            {QStringLiteral("agent"), envsync::cli::runAgent},
            {QStringLiteral("report"), envsync::cli::runReport},
            {QStringLiteral("cdc"), envsync::cli::runCdc},
            {QStringLiteral("virt"), envsync::cli::runVirt},
    };
    const auto it = commands.find(command);
    if (it == commands.end()) {
        envsync::cli::printError("unknown command \"" + command.toStdString()
                                 + "\" (see 'envsyncctl --help')");
        return envsync::cli::Exit::Usage;
    }
    // The subcommand's parser sees "envsyncctl <command> [options]" as its argv.
    QStringList commandArgs = args.mid(2);
    commandArgs.prepend(args[0] + QLatin1Char(' ') + command);
    return it->second(commandArgs);
}
