#include "virtrecordcommand.h"

#include "cli.h"

#include "core/masking/maskplan.h"
#include "core/snapshot/snapshot.h"
#include "core/virt/recorder.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>

namespace envsync::cli {

namespace {

/// The golden version a recording belongs to: --golden, else the newest ready snapshot, else
/// "unversioned" when nothing was ever snapshotted.
std::optional<std::string> recordingVersion(const QCommandLineParser &parser,
                                            const config::Config &config, int &exitCode)
{
    if (parser.isSet(QStringLiteral("golden"))) {
        const QString golden = parser.value(QStringLiteral("golden"));
        static const QRegularExpression name(QStringLiteral("^golden_v[0-9]{1,9}$"));
        if (!name.match(golden).hasMatch()) {
            printError("--golden takes a snapshot name such as golden_v3");
            exitCode = Exit::Usage;
            return std::nullopt;
        }
        return golden.toStdString();
    }
    auto snapshots = snapshot::listSnapshots(config);
    if (!snapshots) {
        printError(describe(snapshots.error())
                   + " (the recording's golden version comes from there; or pass --golden "
                     "golden_vN)");
        exitCode = snapshots.error().exitCode();
        return std::nullopt;
    }
    std::string newest = "unversioned";
    for (const snapshot::SnapshotInfo &info : *snapshots)
        if (info.state == "ready")
            newest = info.name;
    return newest;
}

void printEvent(const virt::RecordingEvent &event)
{
    const std::string what = event.method.toStdString() + ' ' + event.path.toStdString();
    if (event.error) {
        std::fprintf(stderr, "envsyncctl: %s: not recorded: %s\n", what.c_str(),
                     event.error->describe().c_str());
        return;
    }
    const QByteArray files = event.files.join(u' ').toUtf8();
    std::printf("%s -> %d%s%s%s\n", what.c_str(), event.status, event.held ? " (learning)" : "",
                files.isEmpty() ? "" : "  ", files.constData());
    std::fflush(stdout);
}

} // namespace

void addVirtRecordOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("learn"),
                      QStringLiteral("record: the client runs the same traffic N times; values "
                                     "that differ between the runs become matchers and "
                                     "templates (written when recording stops)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("golden"),
                      QStringLiteral("record: the golden version the recording belongs to "
                                     "(default: the newest snapshot)."),
                      QStringLiteral("golden_vN")});
}

int runVirtRecord(const QCommandLineParser &parser, const std::shared_ptr<job::CancelToken> &cancel)
{
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    const std::string name = parser.value(QStringLiteral("service")).toStdString();
    if (name.empty()) {
        printError("virt record needs --service NAME");
        return Exit::Usage;
    }
    const config::ServiceConfig *service = config->findService(name);
    if (!service) {
        printError("no service \"" + name + "\" in " + config->path);
        return Exit::Usage;
    }
    if (service->mappings.empty() || service->listen.empty() || service->upstream.empty()) {
        printError("service \"" + name + "\" needs listen, upstream and mappings to record");
        return Exit::Usage;
    }
    int learn = 1;
    if (parser.isSet(QStringLiteral("learn"))) {
        bool ok = false;
        learn = parser.value(QStringLiteral("learn")).toInt(&ok);
        if (!ok || learn < 2 || learn > 100) {
            printError("--learn takes a number of runs from 2 to 100");
            return Exit::Usage;
        }
    }
    int exitCode = Exit::Ok;
    const auto version = recordingVersion(parser, *config, exitCode);
    if (!version)
        return exitCode;
    auto salt = masking::resolveSalt(config->masking.salt);
    if (!salt)
        return reportError(salt.error());
    const masking::HmacKey key(*salt);
    salt->assign(salt->size(), '\0');

    virt::RecorderOptions options;
    options.service = *service;
    options.configPath = config->path;
    options.root = std::filesystem::path(config->serviceMappingsPath(*service)) / *version;
    options.golden = QString::fromStdString(*version);
    options.learnPasses = learn;
    auto recorder = virt::Recorder::create(std::move(options), key);
    if (!recorder)
        return reportError(recorder.error());
    auto port = (*recorder)->start();
    if (!port)
        return reportError(port.error());
    std::fprintf(stderr, "recording %s on port %u -> %s into %s (%s)%s; Ctrl-C stops\n",
                 name.c_str(), unsigned(*port), service->upstream.c_str(),
                 (std::filesystem::path(config->serviceMappingsPath(*service)) / *version)
                         .string()
                         .c_str(),
                 version->c_str(),
                 learn > 1 ? (", learning from " + std::to_string(learn) + " runs").c_str() : "");
    QObject::connect(recorder->get(), &virt::Recorder::exchangeRecorded, recorder->get(),
                     &printEvent);
    const auto registration = cancel->onCancel([] {
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit,
                                  Qt::QueuedConnection);
    });
    if (!cancel->isCancelled())
        QCoreApplication::exec();
    auto written = (*recorder)->finish();
    if (!written)
        return reportError(written.error());
    for (const QString &file : *written)
        std::printf("learned  %s\n", qPrintable(file));
    std::fflush(stdout);
    if ((*recorder)->refusedCount() > 0) {
        printError(std::to_string((*recorder)->refusedCount())
                   + " exchange(s) not recorded: personal data without a mask rule");
        return Exit::Refused;
    }
    return Exit::Ok;
}

} // namespace envsync::cli
