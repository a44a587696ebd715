#pragma once

#include "core/config/config.h"
#include "core/virt/recorder.h"
#include "core/virt/virtservices.h"
#include "ui/services/serviceinfo.h"

#include <QList>
#include <QObject>
#include <QString>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>

namespace envsync::ui {

/// Owns the virtual services of the Services view on its own thread (ServicesController makes
/// that thread): loading mapping files, the control database query for the version a region
/// holds, the servers and the recording proxies all live here, never on the GUI thread. Every
/// member function runs on that thread (the controller queues them); results go out as signals.
class ServicesWorker : public QObject
{
    Q_OBJECT

public:
    explicit ServicesWorker(QObject *parent = nullptr);
    ~ServicesWorker() override;

    /// Lists the services of `config`. One that runs keeps running when `config` describes it
    /// the same way (listen, upstream, region, mappings); any other is stopped (a recording
    /// writes what it learned).
    void useConfig(std::shared_ptr<const config::Config> config);
    /// Serves the recording of the version its region holds (newest when it has none or the
    /// control database cannot say).
    void start(const QString &name);
    void stop(const QString &name);
    /// Starts a recording proxy on the service's `listen` address. `golden` empty: the newest
    /// ready snapshot, "unversioned" without one. `learnPasses` > 1: learn volatile values.
    void record(const QString &name, const QString &golden, int learnPasses);
    /// Writes what learning held back and closes the proxy.
    void stopRecording(const QString &name);
    /// New journal entries of every serving service since the last poll (memory only).
    void pollJournals();
    /// The JSON of `mappingId` as the service serves it, and the file that holds it.
    void openMapping(const QString &service, const QString &mappingId);
    /// Stops every server and recording; call before the thread ends.
    void shutdown();

signals:
    void servicesReset(const QList<envsync::ui::ServiceInfo> &services);
    void serviceChanged(const envsync::ui::ServiceInfo &service);
    void journalEntries(const QString &service,
                        const std::vector<envsync::virt::JournalEntry> &entries);
    void journalsPolled();
    void exchangeRecorded(const QString &service, const envsync::virt::RecordingEvent &event);
    void recordingFinished(const QString &service, const QStringList &learnedFiles,
                           const QString &error);
    void mappingOpened(const envsync::ui::MappingDocument &mapping);

private:
    struct Running
    {
        std::unique_ptr<virt::VirtServices> services; ///< one service: its own definition
        std::uint64_t lastSequence = 0;
    };

    [[nodiscard]] ServiceInfo *find(const QString &name);
    [[nodiscard]] const config::ServiceConfig *configOf(const QString &name) const;
    void markFailed(ServiceInfo &info, const QString &error);
    void changed(const ServiceInfo &info) { emit serviceChanged(info); }
    [[nodiscard]] Result<virt::ServiceDefinition>
    definitionFor(const config::ServiceConfig &service, ServiceInfo &info);
    [[nodiscard]] Result<std::string> recordingVersion(const QString &golden);
    [[nodiscard]] QString mappingFile(const std::filesystem::path &root, const QString &id) const;

    std::shared_ptr<const config::Config> m_config;
    QList<ServiceInfo> m_services;
    std::map<QString, Running> m_running;
    std::map<QString, std::unique_ptr<virt::Recorder>> m_recorders;
};

} // namespace envsync::ui
