#include "cli.h"

#include <cstdio>

namespace envsync::cli {

void printError(const std::string &message)
{
    std::fprintf(stderr, "envsyncctl: %s\n", message.c_str());
}

int reportError(const Error &error)
{
    printError(error.describe());
    return error.exitCode();
}

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &args)
{
    parser.addHelpOption();
    if (!parser.parse(args)) {
        printError(parser.errorText().toStdString() + " (see '" + args.value(0).toStdString()
                   + " --help')");
        return Exit::Usage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(parser.helpText().toUtf8().constData(), stdout);
        return Exit::Ok;
    }
    return std::nullopt;
}

void addConfigOption(QCommandLineParser &parser)
{
    parser.addOption({{QStringLiteral("c"), QStringLiteral("config")},
                      QStringLiteral("EnvSync configuration (YAML)."),
                      QStringLiteral("FILE")});
}

std::optional<config::Config> loadConfigOrReport(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("config"))) {
        printError("missing -c FILE (the EnvSync config; 'envsyncctl demo up' writes one)");
        return std::nullopt;
    }
    auto loaded = config::loadConfigFile(parser.value(QStringLiteral("config")).toStdString());
    if (!loaded) {
        for (const auto &diagnostic : loaded.error())
            printError(diagnostic.format());
        return std::nullopt;
    }
    return std::move(*loaded);
}

} // namespace envsync::cli
