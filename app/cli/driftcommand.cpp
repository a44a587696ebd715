#include "cli.h"
#include "interruptguard.h"

#include "core/drift/diff.h"
#include "core/drift/driftcheck.h"
#include "core/drift/driftformat.h"

#include <cstdio>

namespace envsync::cli {

namespace {

const std::vector<std::string> driftFormats = {"table", "json", "sql"};

void addFormatOption(QCommandLineParser &parser, const QString &defaultFormat)
{
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("table, json or sql (default %1).").arg(defaultFormat),
                      QStringLiteral("FORMAT"), defaultFormat});
    parser.addOption({QStringLiteral("allow-unsafe"),
                      QStringLiteral("With --format sql: emit statements that drop data (DROP "
                                     "TABLE/COLUMN, narrowing types) instead of commenting them "
                                     "out.")});
}

} // namespace

int runDiff(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Compares the schemas of two databases and prints what turns FROM into TO\n"
            "(migra's direction). Statements that drop data are marked '-- unsafe' and only\n"
            "commented out unless --allow-unsafe. Exit 0: identical; 1: differences found.\n\n"
            "Examples:\n"
            "  envsyncctl diff \"service=qa-eu\" \"service=golden dbname=golden_v3\"\n"
            "  envsyncctl diff FROM_DSN TO_DSN --format sql --allow-unsafe | psql FROM_DSN "
            "-1"));
    parser.addPositionalArgument(QStringLiteral("FROM_DSN"), QStringLiteral("database to change"));
    parser.addPositionalArgument(QStringLiteral("TO_DSN"), QStringLiteral("database to match"));
    addFormatOption(parser, QStringLiteral("sql"));
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList dsns = parser.positionalArguments();
    const QString format = parser.value(QStringLiteral("format"));
    if (dsns.size() != 2) {
        printError("diff takes two DSNs: FROM_DSN TO_DSN (see 'envsyncctl diff --help')");
        return Exit::Usage;
    }
    if (auto stop = requireFormat(parser, driftFormats))
        return *stop;
    const config::TimeoutsConfig timeouts;
    auto from = drift::snapshotDatabase(dsns[0].toStdString(), "FROM", timeouts);
    if (!from)
        return reportError(from.error());
    auto to = drift::snapshotDatabase(dsns[1].toStdString(), "TO", timeouts);
    if (!to)
        return reportError(to.error());
    const auto differences = drift::diff(*from, *to);
    const bool allowUnsafe = parser.isSet(QStringLiteral("allow-unsafe"));
    std::string out;
    if (format == QLatin1String("json"))
        out = drift::toJson(differences, "");
    else if (format == QLatin1String("table"))
        out = drift::toTable(differences, "");
    else
        out = drift::toSql(differences, allowUnsafe);
    std::fputs(out.c_str(), stdout);
    return differences.empty() ? Exit::Ok : Exit::Found;
}

int runDrift(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Schema drift of every region (or one) against the newest golden snapshot, or the\n"
            "source with --against source. While no golden snapshot exists, golden falls back\n"
            "to the source and says so on stderr. Change is seen from the region: missing,\n"
            "extra or changed; severity breaking, warning or info (see README). Exit 0: no\n"
            "drift; 1: drift found; 2: bad input; 3: a database could not be read, or Ctrl-C\n"
            "cancelled the check (its catalog reads are cancelled on the servers).\n\n"
            "Examples:\n  envsyncctl drift -c envsync.yaml\n"
            "  envsyncctl drift -c envsync.yaml --region eu --format sql > fix-eu.sql"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("region"), QStringLiteral("Only this region."),
                      QStringLiteral("R")});
    parser.addOption({QStringLiteral("against"),
                      QStringLiteral("golden (default) or source."), QStringLiteral("REF"),
                      QStringLiteral("golden")});
    addFormatOption(parser, QStringLiteral("table"));
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QString format = parser.value(QStringLiteral("format"));
    const QString against = parser.value(QStringLiteral("against"));
    if (auto stop = requireFormat(parser, driftFormats))
        return *stop;
    if (against != QLatin1String("golden") && against != QLatin1String("source")) {
        printError("--against must be golden or source, not \"" + against.toStdString() + '"');
        return Exit::Usage;
    }
    // From here on Ctrl-C cancels the catalog reads on the servers (exit 3).
    const InterruptGuard interrupt;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    drift::DriftRequest request;
    if (parser.isSet(QStringLiteral("region")))
        request.region = parser.value(QStringLiteral("region")).toStdString();
    request.against = against == QLatin1String("source") ? drift::Reference::Source
                                                         : drift::Reference::Golden;
    auto report = drift::checkDrift(*config, request, {}, interrupt.token());
    if (!report)
        return reportError(report.error());
    if (report->fellBackToSource)
        printError("no golden snapshot yet: comparing with the source instead");
    std::string out;
    if (format == QLatin1String("json"))
        out = drift::toJson(report->drifts);
    else if (format == QLatin1String("table"))
        out = drift::toTable(report->drifts);
    else
        out = drift::toSql(report->drifts, parser.isSet(QStringLiteral("allow-unsafe")));
    std::fputs(out.c_str(), stdout);
    for (const auto &error : report->errors)
        printError(error.describe());
    if (!report->errors.empty())
        return Exit::Runtime;
    return report->anyDrift() ? Exit::Found : Exit::Ok;
}

} // namespace envsync::cli
