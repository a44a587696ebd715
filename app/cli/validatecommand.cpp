#include "cli.h"

#include "core/db/configuredconnect.h"
#include "core/db/goldenguard.h"

#include <cstdio>

namespace envsync::cli {

int runValidate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Checks an EnvSync config. Every problem is printed as FILE:LINE:COL: path: message; "
            "exit 0 when valid, 2 when not.\n\n"
            "When source and golden can be reached it also compares their system_identifier "
            "(read only): golden.dsn on the source's own cluster, or on the cluster of a region "
            "flagged production, is an error. What cannot be reached is not compared (a note "
            "says so); every command compares them again before it writes anything.\n\n"
            "Example:\n  envsyncctl validate -c envsync.yaml"));
    addConfigOption(parser);
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    const auto identity = db::checkGoldenCluster(
            *config, db::configuredConnectOptions(*config, "envsync validate"));
    const std::string where = config->path + ':' + std::to_string(config->golden.location.line)
                              + ':' + std::to_string(config->golden.location.column)
                              + ": golden.dsn: ";
    if (!identity && identity.error().exitCode() == Exit::Refused) {
        printError(where + identity.error().message);
        return Exit::Usage;
    }
    if (!identity || *identity == db::GoldenIdentity::SourceUnreachable)
        std::fprintf(stderr,
                     "envsyncctl: note: %snot compared with the source by system_identifier (%s "
                     "unreachable)\n",
                     where.c_str(), identity ? "source" : "golden");
    std::printf("%s: valid (%zu regions)\n", config->path.c_str(), config->regions.size());
    return Exit::Ok;
}

} // namespace envsync::cli
