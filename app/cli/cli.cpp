#include "cli.h"

#include <algorithm>
#include <cstdio>

namespace envsync::cli {

void printError(const std::string &message)
{
    std::fprintf(stderr, "envsyncctl: %s\n", message.c_str());
}

namespace {

/// How to lift a refusal, in the command line's own words (core only says what happened).
std::string advice(Refusal refusal)
{
    switch (refusal) {
    case Refusal::OutsideWindow:
        return "; pass --force-outside-window --reason TEXT to refresh anyway (audited)";
    case Refusal::OverrideWithoutReason:
        return "; --force-outside-window needs --reason TEXT";
    case Refusal::None:
        break;
    }
    return {};
}

} // namespace

int reportError(const Error &error)
{
    // Ctrl-C is no failure to explain: one line, whichever step was running.
    if (error.code == ErrorCode::Cancelled) {
        printError("cancelled");
        return error.exitCode();
    }
    printError(error.describe() + advice(error.refusal));
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

std::optional<int> requireFormat(const QCommandLineParser &parser,
                                 const std::vector<std::string> &allowed)
{
    const std::string format = parser.value(QStringLiteral("format")).toStdString();
    if (std::ranges::find(allowed, format) != allowed.end())
        return std::nullopt;
    std::string choices;
    for (std::size_t i = 0; i < allowed.size(); ++i)
        choices += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
    printError("--format must be " + choices + ", not \"" + format + '"');
    return Exit::Usage;
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
