#include "cli.h"
#include "interruptguard.h"

#include "core/db/configuredconnect.h"
#include "core/db/goldenguard.h"
#include "core/report/reportfile.h"
#include "core/report/reportgather.h"
#include "reportpdf/reportfilewriter.h"
#include "reportpdf/reportpdf.h"

#include <cstdio>

namespace envsync::cli {

namespace {

enum class DayEdge { Start, End };

/// "2026-11-01" (a whole UTC day: its start, or for --to its end) or an ISO 8601 date-time.
std::optional<QDateTime> parseTime(const QString &text, DayEdge edge)
{
    // Only a bare YYYY-MM-DD is a day: QDate's ISO parser also accepts a full time and would
    // drop its clock part (--now 2026-12-03T14:40:00Z became midnight).
    const QDate date = text.size() == 10 ? QDate::fromString(text, Qt::ISODate) : QDate();
    if (date.isValid())
        return QDateTime(edge == DayEdge::Start ? date : date.addDays(1), QTime(0, 0), Qt::UTC);
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC); // no offset given: UTC, never the machine's zone
    return time.toUTC();
}

/// Reads an optional time option into `target`; false (after printing why) when malformed.
bool readTimeOption(const QCommandLineParser &parser, const QString &name, DayEdge edge,
                    std::optional<QDateTime> &target)
{
    if (!parser.isSet(name))
        return true;
    target = parseTime(parser.value(name), edge);
    if (!target)
        printError("--" + name.toStdString() + ": expected YYYY-MM-DD or an ISO 8601 time, not \""
                   + parser.value(name).toStdString() + '"');
    return target.has_value();
}

/// Text formats go to stdout without -o, any format with `-o -`; files are written with
/// util::saveFile (reportfilewriter.h): atomically over a regular file, in place into a pipe or device.
int writeReport(const report::FreshnessReport &report, report::ReportFormat format,
                const QString &path)
{
    if (path.isEmpty() || path == QLatin1String("-")) {
        std::string text;
        if (auto textual = report::reportText(report, format)) {
            text = std::move(*textual);
        } else {
            auto pdf = report::pdfBytes(report);
            if (!pdf)
                return reportError(pdf.error());
            text = pdf->toStdString();
        }
        std::fwrite(text.data(), 1, text.size(), stdout);
        if (std::fflush(stdout) != 0) {
            printError("cannot write the report to stdout");
            return Exit::Runtime;
        }
        return Exit::Ok;
    }
    auto written = report::writeReportFile(report, format, path);
    return written ? Exit::Ok : reportError(written.error());
}

} // namespace

int runReport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "How fresh is each region, and can we trust it for this release? Per region: data\n"
            "as-of time and snapshot, last refresh (start, end, duration, result, who), age vs\n"
            "freshness_sla (ok / due / overdue), next window (and whether a blackout cancels it),\n"
            "refreshes and failures in the period, drift by severity against golden; plus a\n"
            "summary line with the ephemeral environments alive. An unreachable region, an empty\n"
            "history or a period without refreshes is said in the report, never left out.\n"
            "Formats: csv (RFC 4180, one row per region), json (versioned, see README), html (one\n"
            "self-contained file with inline SVG charts), pdf (charts, timeline, table; needs "
            "-o).\n"
            "Exit 0 when every region is reachable and within its SLA, 1 when any is overdue or\n"
            "unreachable (the report is written all the same), 2 usage/config, 3 write failure,\n"
            "4 refused (golden.dsn reaches the source's or a production region's cluster).\n\n"
            "Examples:\n  envsyncctl report -c envsync.yaml --format html -o freshness.html\n"
            "  envsyncctl report -c envsync.yaml --format pdf -o freshness.pdf --from 2026-11-01"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("csv, json, html or pdf."),
                      QStringLiteral("FORMAT")});
    parser.addOption(
            {{QStringLiteral("o"), QStringLiteral("output")},
             QStringLiteral("Write to FILE instead of stdout (required for pdf; - is stdout). "
                            "A regular file is replaced atomically; a pipe or "
                            "device is written in place."),
             QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("from"),
                      QStringLiteral("Period start, YYYY-MM-DD or ISO time (default: 30 days "
                                     "before --to)."),
                      QStringLiteral("WHEN")});
    parser.addOption({QStringLiteral("to"),
                      QStringLiteral("Period end, inclusive day or ISO time (default: now)."),
                      QStringLiteral("WHEN")});
    parser.addOption({QStringLiteral("now"),
                      QStringLiteral("Measure ages at this time instead of the clock "
                                     "(reproducible reports)."),
                      QStringLiteral("WHEN")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QString formatName = parser.value(QStringLiteral("format"));
    const auto format = report::formatNamed(formatName);
    if (!format) {
        printError("--format must be csv, json, html or pdf, not \"" + formatName.toStdString()
                   + '"');
        return Exit::Usage;
    }
    const QString output = parser.value(QStringLiteral("output"));
    if (format == report::ReportFormat::Pdf && output.isEmpty()) {
        printError("--format pdf needs -o FILE (a PDF is not for the terminal)");
        return Exit::Usage;
    }
    report::GatherOptions options;
    std::optional<QDateTime> now;
    if (!readTimeOption(parser, QStringLiteral("now"), DayEdge::Start, now)
        || !readTimeOption(parser, QStringLiteral("from"), DayEdge::Start, options.fromUtc)
        || !readTimeOption(parser, QStringLiteral("to"), DayEdge::End, options.toUtc))
        return Exit::Usage;
    options.nowUtc = now.value_or(options.nowUtc);
    if (const report::Period period = report::periodOf(options); period.fromUtc >= period.toUtc) {
        printError("--from must be before --to");
        return Exit::Usage;
    }
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    // Gathering opens envsync_control (the environments), which must never be created on
    // production: the same guard as every other command, before anything else.
    if (auto identity
        = db::checkGoldenCluster(*config, db::configuredConnectOptions(*config, "envsync report"));
        !identity && identity.error().exitCode() == Exit::Refused)
        return reportError(identity.error());

    // Ctrl-C cancels the probes and catalog reads on the servers; no partial report is written.
    const InterruptGuard interrupt;
    const report::FreshnessReport report
            = report::gatherReport(*config, options, interrupt.token());
    if (report.cancelled)
        return reportError({ErrorCode::Cancelled, "cancelled", "report"});
    if (const int written = writeReport(report, *format, output); written != Exit::Ok)
        return written;
    for (const auto &region : report.regions) {
        if (!region.reachable)
            printError(region.error.value_or("region " + region.name + ": unreachable"));
    }
    return report.needsAttention() ? Exit::Found : Exit::Ok;
}

} // namespace envsync::cli
