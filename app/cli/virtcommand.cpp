#include "cli.h"
#include "interruptguard.h"
#include "virtrecordcommand.h"

#include "core/virt/recordingversions.h"
#include "core/virt/virtservices.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>

namespace envsync::cli {

namespace {

constexpr const char *description
        = R"(Virtual services: regional HTTP APIs recorded once, masked, and replayed as WireMock
stub mappings (data flow 7).

  serve    answer requests from the recorded mappings, one port per service (the service's
           `listen`), several services in one process. Matching, scenarios, response templates
           and fixed delays as WireMock 3 does. Fail closed: a request no mapping matches never
           reaches the real upstream; it gets 404 with the closest mappings and why they differ
           (also in the request journal). WireMock's admin API subset on the same port:
           /__admin/mappings, /__admin/requests, /__admin/scenarios, /__admin/near-misses.
           --service S: that service; --region R: every service of region R, each from the
           recording of the golden version R was last refreshed from (or the newest older
           one, with a warning); neither: every service. --root DIR --listen HOST:PORT serves
           one plain WireMock root (DIR/mappings, DIR/__files) without a config.
           Runs until SIGTERM or Ctrl-C.
  record   a reverse proxy on the service's `listen` that forwards to its `upstream` and writes
           every exchange as a stub mapping (secrets dropped, `mask:` rules applied).

Exit codes: 0 ok, 2 usage/config/input error (bad mapping files are named), 3 runtime failure
(a port taken, the control database unreachable).

Examples:
  envsyncctl virt serve -c envsync.yaml --region eu
  envsyncctl virt serve -c envsync.yaml --service payments-eu --threads 2
  envsyncctl virt serve --root recorded/ --listen 127.0.0.1:8080)";

int runServe(const QCommandLineParser &parser, const std::shared_ptr<job::CancelToken> &cancel);

} // namespace

int runVirt(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(description));
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("serve or record"));
    addConfigOption(parser);
    parser.addOption(
            {QStringLiteral("service"), QStringLiteral("Only this service."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("region"),
                      QStringLiteral("serve: every service of this region, at its golden "
                                     "version."),
                      QStringLiteral("R")});
    parser.addOption({QStringLiteral("root"),
                      QStringLiteral("serve: this WireMock root (mappings/, __files/) instead "
                                     "of the service's recordings."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("serve --root without -c: address to listen on "
                                     "(HOST:PORT; port 0 picks a free one)."),
                      QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("threads"),
                      QStringLiteral("serve: worker threads per service (default: the number "
                                     "of cores)."),
                      QStringLiteral("N")});
    addVirtRecordOptions(parser);
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (positional.size() != 1
        || (action != QLatin1String("serve") && action != QLatin1String("record"))) {
        printError("virt takes one action: serve or record (see 'envsyncctl virt --help')");
        return Exit::Usage;
    }
    const InterruptGuard interrupt;
    if (action == QLatin1String("serve"))
        return runServe(parser, interrupt.token());
    return runVirtRecord(parser, interrupt.token());
}

namespace {

void warn(const std::string &message)
{
    std::fprintf(stderr, "envsyncctl: warning: %s\n", message.c_str());
}

/// --root DIR [--listen HOST:PORT]: one plain WireMock root, no database.
std::optional<virt::ServiceDefinition> rootDefinition(const QCommandLineParser &parser,
                                                      const config::ServiceConfig *service)
{
    virt::ServiceDefinition definition;
    const std::filesystem::path root(parser.value(QStringLiteral("root")).toStdString());
    definition.root = root;
    definition.name = service ? QString::fromStdString(service->name)
                              : QString::fromStdString(root.filename().string());
    const std::string listen = parser.isSet(QStringLiteral("listen"))
                                       ? parser.value(QStringLiteral("listen")).toStdString()
                                       : (service ? service->listen : std::string());
    if (listen.empty()) {
        printError("--root without a service needs --listen HOST:PORT");
        return std::nullopt;
    }
    auto address = virt::VirtServices::parseListen(listen);
    if (!address) {
        reportError(address.error());
        return std::nullopt;
    }
    std::tie(definition.address, definition.port) = *address;
    return definition;
}

/// The services of the config that --service / --region select, with the recording each
/// serves; nullopt after an error was printed (`exitCode` says which).
std::optional<std::vector<virt::ServiceDefinition>>
configDefinitions(const config::Config &config, const QCommandLineParser &parser, int &exitCode)
{
    exitCode = Exit::Usage;
    const std::string onlyService = parser.value(QStringLiteral("service")).toStdString();
    const std::string onlyRegion = parser.value(QStringLiteral("region")).toStdString();
    if (!onlyRegion.empty() && !config.findRegion(onlyRegion)) {
        printError("no region \"" + onlyRegion + "\" in " + config.path);
        return std::nullopt;
    }
    std::map<std::string, std::optional<std::string>> goldenOfRegion;
    std::vector<virt::ServiceDefinition> definitions;
    for (const config::ServiceConfig &service : config.services) {
        const std::string region = service.region;
        if ((!onlyService.empty() && service.name != onlyService)
            || (!onlyRegion.empty() && region != onlyRegion))
            continue;
        if (!region.empty() && !goldenOfRegion.contains(region)) {
            auto golden = virt::regionGoldenVersion(config, region);
            if (!golden && !onlyRegion.empty()) {
                exitCode = reportError(golden.error());
                return std::nullopt;
            }
            if (!golden)
                warn("region " + region + ": " + golden.error().describe()
                     + ": serving the newest recording");
            goldenOfRegion[region] = golden ? *golden : std::nullopt;
        }
        const std::string golden
                = region.empty() ? std::string() : goldenOfRegion[region].value_or(std::string());
        const auto choice = virt::chooseRecording(config.serviceMappingsPath(service), golden);
        if (!choice) {
            exitCode = reportError(choice.error());
            return std::nullopt;
        }
        if (choice->warning)
            warn(service.name + ": " + *choice->warning);
        auto address = virt::VirtServices::parseListen(service.listen);
        if (!address) {
            printError(config.path + ":" + std::to_string(service.location.line) + ":"
                       + std::to_string(service.location.column) + ": services: " + service.name
                       + ": " + address.error().describe());
            return std::nullopt;
        }
        virt::ServiceDefinition definition;
        definition.name = QString::fromStdString(service.name);
        definition.region = QString::fromStdString(region);
        definition.root = choice->root;
        definition.version = choice->version;
        std::tie(definition.address, definition.port) = *address;
        definitions.push_back(std::move(definition));
    }
    if (definitions.empty()) {
        printError(onlyService.empty() && onlyRegion.empty()
                           ? "the config lists no services"
                           : "no service matches --service/--region in " + config.path);
        return std::nullopt;
    }
    return definitions;
}

int runServe(const QCommandLineParser &parser, const std::shared_ptr<job::CancelToken> &cancel)
{
    int threads = 0;
    if (parser.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        threads = parser.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || threads < 1 || threads > 256) {
            printError("--threads must be a number from 1 to 256");
            return Exit::Usage;
        }
    }
    if (parser.isSet(QStringLiteral("service")) && parser.isSet(QStringLiteral("region"))) {
        printError("give --service or --region, not both");
        return Exit::Usage;
    }
    std::vector<virt::ServiceDefinition> definitions;
    const bool haveConfig = parser.isSet(QStringLiteral("config"));
    std::optional<config::Config> config;
    if (haveConfig) {
        config = loadConfigOrReport(parser);
        if (!config)
            return Exit::Usage;
    }
    if (parser.isSet(QStringLiteral("root"))) {
        const config::ServiceConfig *service = nullptr;
        if (config && parser.isSet(QStringLiteral("service"))) {
            const std::string name = parser.value(QStringLiteral("service")).toStdString();
            const auto it = std::ranges::find(config->services, name, &config::ServiceConfig::name);
            if (it == config->services.end()) {
                printError("no service \"" + name + "\" in " + config->path);
                return Exit::Usage;
            }
            service = &*it;
        }
        auto definition = rootDefinition(parser, service);
        if (!definition)
            return Exit::Usage;
        definitions.push_back(std::move(*definition));
    } else {
        if (!config) {
            printError("missing -c FILE (or --root DIR --listen HOST:PORT)");
            return Exit::Usage;
        }
        int exitCode = Exit::Usage;
        auto selected = configDefinitions(*config, parser, exitCode);
        if (!selected)
            return exitCode;
        definitions = std::move(*selected);
    }

    virt::VirtServices services;
    for (virt::ServiceDefinition &definition : definitions) {
        definition.threads = threads;
        if (auto added = services.add(std::move(definition)); !added)
            return reportError(added.error());
    }
    if (auto started = services.startAll(); !started) {
        services.stopAll();
        return reportError(started.error());
    }
    for (const virt::ServiceStatus &status : services.status()) {
        const virt::ServiceDefinition &definition = status.definition;
        const virt::VirtServer *server = services.server(definition.name);
        std::printf("serving %s on %s:%u (%lld mappings%s%s, %d threads)\n",
                    qPrintable(definition.name), qPrintable(definition.address.toString()),
                    unsigned(status.port), static_cast<long long>(status.mappings),
                    definition.version.empty() ? "" : ", ", definition.version.c_str(),
                    server ? server->threadCount() : 0);
    }
    std::fflush(stdout);

    // SIGTERM / Ctrl-C cancel the token; the event loop then ends and the servers stop.
    const auto registration = cancel->onCancel([] {
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                                  Qt::QueuedConnection);
    });
    if (!cancel->isCancelled())
        QCoreApplication::exec();
    services.stopAll();
    return Exit::Ok;
}

} // namespace

} // namespace envsync::cli
