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
std::string advice(const Error &error)
{
    switch (error.refusal) {
    case Refusal::OutsideWindow:
        return "; pass --force-outside-window --reason TEXT to refresh anyway (audited)";
    case Refusal::OverrideWithoutReason:
        return "; --force-outside-window needs --reason TEXT";
    case Refusal::UnmarkedTarget:
        return "; pass --i-know-this-is " + error.confirmName
               + " if it really is this region's test database";
    case Refusal::SourceUnreachable:
        return "; pass --source-unreachable-ok if you are sure it is not";
    case Refusal::UnclassifiedColumns:
    case Refusal::None:
        break;
    }
    return {};
}

/// How to make what was missing, in the command line's own words.
std::string remedy(Missing missing)
{
    switch (missing) {
    case Missing::AnySnapshot:
        return "; make one with `envsyncctl snapshot create`";
    case Missing::NamedSnapshot:
        return " (see `envsyncctl snapshot list`)";
    case Missing::Environment:
        return " (only environments made by `envsyncctl env create` can be dropped)";
    case Missing::Demo:
        return " (run 'envsyncctl demo up')";
    case Missing::IntactDemo:
        return "; run 'envsyncctl demo down'";
    case Missing::None:
        break;
    }
    return {};
}

} // namespace

std::string describe(const Error &error)
{
    return error.describe() + advice(error) + remedy(error.missing);
}

int reportError(const Error &error)
{
    // Ctrl-C is no failure to explain: one line, whichever step was running.
    if (error.code == ErrorCode::Cancelled) {
        printError("cancelled");
        return error.exitCode();
    }
    printError(describe(error));
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
