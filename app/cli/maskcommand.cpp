#include "cli.h"
#include "interruptguard.h"

#include "core/config/formats.h"
#include "core/db/connection.h"
#include "core/drift/driftcheck.h"
#include "core/masking/maskplan.h"
#include "core/masking/piidetector.h"

#include <cstdio>

namespace envsync::cli {

namespace {

int runCheck(const QCommandLineParser &parser)
{
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    // Coverage does not depend on the salt: without it, check with a stand-in and say so.
    auto salt = masking::resolveSalt(config->masking.salt);
    if (!salt)
        printError(salt.error().describe() + " (checking coverage only; no rules hash)");
    auto source = drift::snapshotDatabase(config->source.dsn, "source " + config->source.name,
                                          config->timeouts);
    if (!source)
        return reportError(source.error());
    auto plan = masking::buildMaskPlan(config->masking, *source,
                                       salt ? *salt : std::string("envsync-coverage-check"));
    if (!plan) {
        Error error = plan.error();
        // Rule errors carry "line:col"; name the file so editors can jump there.
        if (error.code == ErrorCode::Config && !error.context.empty()
            && error.context.front() >= '0' && error.context.front() <= '9')
            error.context = config->path + ':' + error.context;
        return reportError(error);
    }
    const auto &unclassified = (*plan)->unclassified();
    for (const auto &column : unclassified)
        std::printf(
                "%s (%s)\n",
                config::formatQualifiedName({column.schema, column.table, column.column}).c_str(),
                column.type.c_str());
    if (salt)
        std::fprintf(stderr, "envsyncctl: rules hash %s\n", (*plan)->rulesHash().c_str());
    if (unclassified.empty()) {
        std::fprintf(stderr, "envsyncctl: every column of the source is classified\n");
        return Exit::Ok;
    }
    const char *policy = config->masking.unclassified == config::UnclassifiedPolicy::Fail
            ? "snapshots are refused until they have a rule or a keep entry"
            : config->masking.unclassified == config::UnclassifiedPolicy::Null
            ? "they would be copied as NULL (unclassified: null)"
            : "they would be copied UNMASKED (unclassified: keep)";
    std::fprintf(stderr, "envsyncctl: %zu unclassified column(s): %s\n", unclassified.size(),
                 policy);
    return Exit::Found;
}

int runDetect(const QString &dsn, int sampleRows)
{
    // Ctrl-C cancels the sample queries on the server (exit 3): they may read production.
    const InterruptGuard interrupt;
    auto connection = db::connect(dsn.toStdString(), {}, "source");
    if (!connection)
        return reportError(connection.error());
    auto detected = masking::detectPii(**connection, sampleRows, interrupt.token());
    if (!detected)
        return reportError(detected.error());
    std::fputs(masking::toYamlSnippet(*detected).c_str(), stdout);
    return Exit::Ok;
}

} // namespace

int runMask(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Masking rules: coverage check and PII detection.\n\n"
            "--check resolves masking.rules against the source schema. Foreign keys inherit the\n"
            "rule of the key they reference. Every other column needs a rule or a masking.keep\n"
            "entry: unclassified columns are printed on stdout as schema.table.column (type).\n"
            "Exit 0: all classified; 1: unclassified columns; 2: config error (FILE:LINE:COL);\n"
            "3: the source could not be read.\n\n"
            "--detect DSN samples a database and prints a masking: rules: YAML snippet to paste\n"
            "into the config (review it: it is a proposal, by column name and sampled values).\n\n"
            "Examples:\n"
            "  envsyncctl mask --check -c envsync.yaml\n"
            "  envsyncctl mask --detect \"service=prod\" --sample 500 >> proposed-rules.yaml"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("check"),
                      QStringLiteral("List columns without a rule or keep entry (needs -c).")});
    parser.addOption({QStringLiteral("detect"),
                      QStringLiteral("Propose rules for the database at DSN."),
                      QStringLiteral("DSN")});
    parser.addOption({QStringLiteral("sample"),
                      QStringLiteral("With --detect: rows sampled per table (default 200)."),
                      QStringLiteral("N"), QStringLiteral("200")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const bool check = parser.isSet(QStringLiteral("check"));
    const bool detect = parser.isSet(QStringLiteral("detect"));
    if (check == detect) {
        printError("mask needs exactly one of --check or --detect DSN (see 'envsyncctl mask "
                   "--help')");
        return Exit::Usage;
    }
    if (check)
        return runCheck(parser);
    bool ok = false;
    const int sample = parser.value(QStringLiteral("sample")).toInt(&ok);
    if (!ok || sample < 0) {
        printError("--sample must be a whole number >= 0, not \""
                   + parser.value(QStringLiteral("sample")).toStdString() + '"');
        return Exit::Usage;
    }
    return runDetect(parser.value(QStringLiteral("detect")), sample);
}

} // namespace envsync::cli
