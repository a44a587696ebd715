#include "ui/services/servicesworker.h"

#include "core/masking/hmackey.h"
#include "core/masking/maskplan.h"
#include "core/snapshot/snapshot.h"
#include "core/virt/recordingversions.h"

#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>
#include <tuple>

namespace envsync::ui {

namespace {

QString text(const std::string &value)
{
    return QString::fromStdString(value);
}

QString describe(const Error &error)
{
    return text(error.describe());
}

/// At most this many journal entries per service and poll go to the view (it keeps as many).
constexpr std::size_t maxJournalBatch = 2000;

/// Mapping files bigger than this are not searched for an id (a stub is a few KiB).
constexpr std::uintmax_t maxSearchedFileBytes = 8 * 1024 * 1024;

} // namespace

ServicesWorker::ServicesWorker(QObject *parent)
    : QObject(parent)
{
}

ServicesWorker::~ServicesWorker()
{
    shutdown();
}

ServiceInfo *ServicesWorker::find(const QString &name)
{
    for (ServiceInfo &info : m_services)
        if (info.name == name)
            return &info;
    return nullptr;
}

const config::ServiceConfig *ServicesWorker::configOf(const QString &name) const
{
    return m_config ? m_config->findService(name.toStdString()) : nullptr;
}

void ServicesWorker::markFailed(ServiceInfo &info, const QString &error)
{
    info.state = ServiceInfo::State::Failed;
    info.error = error;
    info.address.clear();
    info.port = 0;
    spdlog::error("virt: {}: {}", info.name.toStdString(), error.toStdString());
    changed(info);
}

void ServicesWorker::useConfig(std::shared_ptr<const config::Config> config)
{
    // A service that runs keeps running when the new config describes it the same way (a
    // config change never cancels running work); any other is stopped.
    const std::shared_ptr<const config::Config> previous = m_config;
    const auto unchanged = [&](const QString &name) {
        const config::ServiceConfig *before = previous ? configOf(name) : nullptr;
        const config::ServiceConfig *after
                = config ? config->findService(name.toStdString()) : nullptr;
        return before && after && before->listen == after->listen
               && before->upstream == after->upstream && before->region == after->region
               && previous->serviceMappingsPath(*before) == config->serviceMappingsPath(*after);
    };
    QList<ServiceInfo> kept;
    for (const ServiceInfo &info : m_services) {
        if (!info.isRunning())
            continue;
        if (unchanged(info.name))
            kept.push_back(info);
        else if (info.state == ServiceInfo::State::Recording)
            stopRecording(info.name);
        else
            stop(info.name);
    }
    m_config = std::move(config);
    m_services.clear();
    if (m_config) {
        for (const config::ServiceConfig &service : m_config->services) {
            const QString name = text(service.name);
            const auto running = std::ranges::find(kept, name, &ServiceInfo::name);
            if (running != kept.end()) {
                m_services.push_back(*running);
                continue;
            }
            ServiceInfo info;
            info.name = name;
            info.region = text(service.region);
            info.listen = text(service.listen);
            info.upstream = text(service.upstream);
            if (!service.mappings.empty())
                info.mappingsDir = text(m_config->serviceMappingsPath(service));
            m_services.push_back(std::move(info));
        }
    }
    emit servicesReset(m_services);
}

Result<virt::ServiceDefinition> ServicesWorker::definitionFor(const config::ServiceConfig &service,
                                                              ServiceInfo &info)
{
    if (service.mappings.empty() || service.listen.empty())
        return fail(ErrorCode::Config,
                    "service \"" + service.name + "\" needs listen and mappings to be served");
    auto address = virt::VirtServices::parseListen(service.listen);
    if (!address)
        return std::unexpected(address.error());
    info.warning.clear();
    std::string golden;
    if (!service.region.empty()) {
        // The control database says which snapshot the region holds; without it the newest
        // recording is the best guess (as `virt serve` does), said in the warning.
        auto held = virt::regionGoldenVersion(*m_config, service.region);
        if (!held)
            info.warning = QStringLiteral("serving the newest recording: which golden "
                                          "version %1 holds is unknown (%2)")
                                   .arg(text(service.region), describe(held.error()));
        else if (*held)
            golden = **held;
    }
    auto choice = virt::chooseRecording(m_config->serviceMappingsPath(service), golden);
    if (!choice)
        return std::unexpected(choice.error());
    if (choice->warning)
        info.warning = text(*choice->warning);
    virt::ServiceDefinition definition;
    definition.name = info.name;
    definition.region = info.region;
    definition.root = choice->root;
    definition.version = choice->version;
    std::tie(definition.address, definition.port) = *address;
    return definition;
}

void ServicesWorker::start(const QString &name)
{
    ServiceInfo *info = find(name);
    const config::ServiceConfig *service = configOf(name);
    if (!info || !service || info->isRunning())
        return;
    info->state = ServiceInfo::State::Starting;
    info->error.clear();
    changed(*info);
    try {
        auto definition = definitionFor(*service, *info);
        if (!definition) {
            markFailed(*info, describe(definition.error()));
            return;
        }
        info->version = text(definition->version);
        info->root = QString::fromStdString(definition->root.string());
        Running running;
        running.services = std::make_unique<virt::VirtServices>();
        if (auto added = running.services->add(*definition); !added) {
            markFailed(*info, describe(added.error()));
            return;
        }
        auto started = running.services->start(name);
        const std::vector<virt::ServiceStatus> status = running.services->status();
        if (!status.empty())
            info->mappings = status.front().mappings;
        if (!started) {
            markFailed(*info, describe(started.error()));
            return;
        }
        info->state = ServiceInfo::State::Serving;
        info->port = status.front().port;
        info->address = QStringLiteral("%1:%2").arg(
                definition->address.protocol() == QAbstractSocket::IPv6Protocol
                        ? QStringLiteral("[%1]").arg(definition->address.toString())
                        : definition->address.toString(),
                QString::number(info->port));
        info->requests = 0;
        info->unmatched = 0;
        m_running[name] = std::move(running);
        spdlog::info("virt: serving {} ({}) on {}", name.toStdString(),
                     definition->version.empty() ? "plain root" : definition->version,
                     info->address.toStdString());
        changed(*info);
    } catch (const std::exception &e) {
        markFailed(*info, QStringLiteral("starting failed: ") + QString::fromUtf8(e.what()));
    }
}

void ServicesWorker::stop(const QString &name)
{
    ServiceInfo *info = find(name);
    const auto it = m_running.find(name);
    if (!info || it == m_running.end())
        return;
    info->state = ServiceInfo::State::Stopping;
    changed(*info);
    pollJournals(); // the last requests before the port closes
    m_running.erase(it);
    info->state = ServiceInfo::State::Stopped;
    info->address.clear();
    info->port = 0;
    spdlog::info("virt: stopped {}", name.toStdString());
    changed(*info);
}

Result<std::string> ServicesWorker::recordingVersion(const QString &golden)
{
    if (!golden.isEmpty()) {
        static const QRegularExpression name(QStringLiteral("^golden_v[0-9]{1,9}$"));
        if (!name.match(golden).hasMatch())
            return fail(ErrorCode::Usage, "the golden version is a snapshot name such as "
                                          "golden_v3, not \""
                                                  + golden.toStdString() + "\"");
        return golden.toStdString();
    }
    auto snapshots = snapshot::listSnapshots(*m_config);
    if (!snapshots)
        return std::unexpected(snapshots.error());
    std::string newest = "unversioned";
    for (const snapshot::SnapshotInfo &snapshot : *snapshots)
        if (snapshot.state == "ready")
            newest = snapshot.name;
    return newest;
}

void ServicesWorker::record(const QString &name, const QString &golden, int learnPasses)
{
    ServiceInfo *info = find(name);
    const config::ServiceConfig *service = configOf(name);
    if (!info || !service || info->isRunning())
        return;
    info->state = ServiceInfo::State::Starting;
    info->error.clear();
    info->warning.clear();
    changed(*info);
    try {
        if (service->mappings.empty() || service->listen.empty() || service->upstream.empty()) {
            markFailed(*info, QStringLiteral("recording needs listen, upstream and mappings in the "
                                             "service's config"));
            return;
        }
        auto version = recordingVersion(golden);
        if (!version) {
            markFailed(*info,
                       describe(version.error())
                               + QStringLiteral(" (the recording's golden version comes from "
                                                "there; or give one)"));
            return;
        }
        auto salt = masking::resolveSalt(m_config->masking.salt);
        if (!salt) {
            markFailed(*info, describe(salt.error()));
            return;
        }
        const masking::HmacKey key(*salt);
        salt->assign(salt->size(), '\0');
        virt::RecorderOptions options;
        options.service = *service;
        options.configPath = m_config->path;
        options.root = std::filesystem::path(m_config->serviceMappingsPath(*service)) / *version;
        options.golden = text(*version);
        options.learnPasses = std::max(learnPasses, 1);
        const QString root = QString::fromStdString(options.root.string());
        auto recorder = virt::Recorder::create(std::move(options), key);
        if (!recorder) {
            markFailed(*info, describe(recorder.error()));
            return;
        }
        auto port = (*recorder)->start();
        if (!port) {
            markFailed(*info, describe(port.error()));
            return;
        }
        connect(recorder->get(), &virt::Recorder::exchangeRecorded, this,
                [this, name](const virt::RecordingEvent &event) {
                    if (ServiceInfo *recording = find(name)) {
                        ++(event.error ? recording->refused : recording->recorded);
                        changed(*recording);
                    }
                    emit exchangeRecorded(name, event);
                });
        m_recorders[name] = std::move(*recorder);
        info->state = ServiceInfo::State::Recording;
        info->version = text(*version);
        info->root = root;
        info->port = *port;
        const qsizetype colon = info->listen.lastIndexOf(QLatin1Char(':'));
        info->address = info->listen.left(colon + 1) + QString::number(*port);
        info->recorded = 0;
        info->refused = 0;
        spdlog::info("virt: recording {} on port {} into {}", name.toStdString(), *port,
                     root.toStdString());
        changed(*info);
    } catch (const std::exception &e) {
        markFailed(*info, QStringLiteral("recording failed: ") + QString::fromUtf8(e.what()));
    }
}

void ServicesWorker::stopRecording(const QString &name)
{
    const auto it = m_recorders.find(name);
    ServiceInfo *info = find(name);
    if (it == m_recorders.end() || !info)
        return;
    info->state = ServiceInfo::State::Stopping;
    changed(*info);
    QStringList learned;
    QString error;
    try {
        auto written = it->second->finish();
        if (written)
            learned = *written;
        else
            error = describe(written.error());
    } catch (const std::exception &e) {
        error = QStringLiteral("writing the learned mappings failed: ")
                + QString::fromUtf8(e.what());
    }
    m_recorders.erase(it);
    info->state = error.isEmpty() ? ServiceInfo::State::Stopped : ServiceInfo::State::Failed;
    info->error = error;
    info->address.clear();
    info->port = 0;
    changed(*info);
    emit recordingFinished(name, learned, error);
}

void ServicesWorker::pollJournals()
{
    try {
        for (auto &[name, running] : m_running) {
            virt::VirtServer *server = running.services->server(name);
            ServiceInfo *info = find(name);
            if (!server || !info)
                continue;
            std::vector<virt::JournalEntry> entries
                    = server->journal().entriesSince(running.lastSequence);
            if (entries.empty())
                continue;
            running.lastSequence = entries.back().sequence;
            info->requests = server->journal().total();
            info->unmatched += std::uint64_t(std::ranges::count_if(
                    entries, [](const virt::JournalEntry &entry) { return !entry.matched; }));
            // The view keeps the newest maxJournalBatch and shows no bodies (each up to 64 KiB).
            if (entries.size() > maxJournalBatch)
                entries.erase(entries.begin(), entries.end() - std::ptrdiff_t(maxJournalBatch));
            for (virt::JournalEntry &entry : entries)
                entry.request.body.clear();
            changed(*info);
            emit journalEntries(name, entries);
        }
    } catch (const std::exception &e) {
        spdlog::error("virt: reading the request journals failed: {}", e.what());
    }
    emit journalsPolled(); // always: the next poll waits for it
}

QString ServicesWorker::mappingFile(const std::filesystem::path &root, const QString &id) const
{
    namespace fs = std::filesystem;
    std::error_code error;
    const QByteArray needle = id.toUtf8();
    auto it = fs::recursive_directory_iterator(root / "mappings", error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        const fs::directory_entry &entry = *it;
        std::error_code status;
        if (entry.is_symlink(status) || !entry.is_regular_file(status)
            || entry.path().extension() != ".json"
            || entry.file_size(status) > maxSearchedFileBytes)
            continue;
        QFile file(QString::fromStdString(entry.path().string()));
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            return file.fileName();
    }
    return {};
}

void ServicesWorker::openMapping(const QString &service, const QString &mappingId)
{
    MappingDocument document;
    document.service = service;
    document.mappingId = mappingId;
    try {
        const auto it = m_running.find(service);
        virt::VirtServer *server
                = it == m_running.end() ? nullptr : it->second.services->server(service);
        const ServiceInfo *info = find(service);
        if (!server || !info) {
            document.error = QStringLiteral("%1 is not serving: start it to open its mappings")
                                     .arg(service);
        } else {
            for (const virt::StubMapping &mapping : server->engine().mappings()) {
                if (mapping.id != mappingId)
                    continue;
                document.json = QString::fromUtf8(
                        QJsonDocument(mapping.toJson()).toJson(QJsonDocument::Indented));
                break;
            }
            if (document.json.isEmpty())
                document.error = QStringLiteral("%1 no longer serves mapping %2 (removed "
                                                "through the admin API?)")
                                         .arg(service, mappingId);
            else
                document.file = mappingFile(info->root.toStdString(), mappingId);
        }
    } catch (const std::exception &e) {
        document.error
                = QStringLiteral("opening the mapping failed: ") + QString::fromUtf8(e.what());
    }
    emit mappingOpened(document);
}

void ServicesWorker::shutdown()
{
    for (auto &[name, recorder] : m_recorders) {
        auto written = recorder->finish();
        if (!written)
            spdlog::error("virt: {}: {}", name.toStdString(), written.error().describe());
    }
    m_recorders.clear();
    m_running.clear();
    for (ServiceInfo &info : m_services) {
        if (info.isRunning() || info.isBusy()) {
            info.state = ServiceInfo::State::Stopped;
            info.address.clear();
            info.port = 0;
        }
    }
}

} // namespace envsync::ui
