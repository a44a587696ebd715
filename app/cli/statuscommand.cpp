#include "cli.h"

#include "core/status/statusformat.h"
#include "core/status/statusprobe.h"

#include <cstdio>

namespace envsync::cli {

int runStatus(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Probes the source, golden and every region in parallel: reachable, server version,\n"
            "size, last refresh and data age against the region's freshness_sla.\n"
            "freshness: ok (< 80 % of the SLA), due (last 20 %), overdue (> SLA), unknown.\n"
            "Exit 0 when all are reachable, 3 when any is not (after reporting all).\n\n"
            "Examples:\n  envsyncctl status -c envsync.yaml\n"
            "  envsyncctl status -c envsync.yaml --format json | jq '.endpoints[].freshness'"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                      QStringLiteral("FORMAT"), QStringLiteral("table")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    if (auto stop = requireFormat(parser, {"table", "json"}))
        return *stop;
    const QString format = parser.value(QStringLiteral("format"));
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;

    const status::StatusReport report = status::collectStatus(*config);
    const std::string text = format == QLatin1String("json") ? status::toJson(report)
                                                             : status::toTable(report);
    std::fputs(text.c_str(), stdout);
    if (!report.allReachable()) {
        for (const auto &endpoint : report.endpoints) {
            if (!endpoint.reachable)
                printError(endpoint.error.value_or(endpoint.name + ": unreachable"));
        }
        return Exit::Runtime;
    }
    return Exit::Ok;
}

} // namespace envsync::cli
