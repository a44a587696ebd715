#include "cli.h"

#include <cstdio>

namespace envsync::cli {

int runValidate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Checks an EnvSync config without touching any database.\n"
            "Every problem is printed as FILE:LINE:COL: path: message; exit 0 when valid, 2 when "
            "not.\n\nExample:\n  envsyncctl validate -c envsync.yaml"));
    addConfigOption(parser);
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    std::printf("%s: valid (%zu regions)\n", config->path.c_str(), config->regions.size());
    return Exit::Ok;
}

} // namespace envsync::cli
