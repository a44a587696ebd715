#include "cli.h"
#include "interruptguard.h"

#include <QCoreApplication>

#include <cstdio>

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
    printError("virt record is not in this build yet");
    return Exit::Usage;
}

namespace {

int runServe(const QCommandLineParser &, const std::shared_ptr<job::CancelToken> &)
{
    printError("virt serve is not in this build yet");
    return Exit::Usage;
}

} // namespace

} // namespace envsync::cli
