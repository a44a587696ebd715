#pragma once

#include "core/config/config.h"
#include "ui/services/serviceinfo.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>

namespace envsync::ui {

class ServicesWorker;

/// The Services view's handle on its ServicesWorker: a thread of its own with an event loop
/// (a recording proxy lives on the thread that made it), where every server start, stop,
/// recording and mapping search runs. Keeps the GUI's copy of each service's state, its
/// journal (the newest journalLimit entries) and its recorded exchanges. Signals on the GUI
/// thread.
class ServicesController : public QObject
{
    Q_OBJECT

public:
    static constexpr int pollIntervalMs = 500;
    static constexpr std::size_t journalLimit = 2000;
    static constexpr std::size_t recordedLimit = 2000;

    explicit ServicesController(QObject *parent = nullptr);
    ~ServicesController() override;

    /// Lists `config`'s services; what runs keeps running if `config` describes it the same
    /// way, the rest is stopped.
    void useConfig(std::shared_ptr<const config::Config> config);
    void start(const QStringList &names);
    void stop(const QStringList &names);
    void record(const QString &name, const QString &golden, int learnPasses);
    void stopRecording(const QString &name);
    void openMapping(const QString &service, const QString &mappingId);
    /// Polls the journals every pollIntervalMs while on (the view: while it is visible).
    void setPolling(bool on);
    [[nodiscard]] bool isPolling() const { return m_polling; }

    [[nodiscard]] const QList<ServiceInfo> &services() const { return m_services; }
    [[nodiscard]] const ServiceInfo *service(const QString &name) const;
    [[nodiscard]] const std::deque<virt::JournalEntry> &journal(const QString &name) const;
    [[nodiscard]] const std::deque<virt::RecordingEvent> &recorded(const QString &name) const;
    [[nodiscard]] bool hasConfig() const { return m_config != nullptr; }
    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }

signals:
    void servicesReset();
    void serviceChanged(const QString &name);
    /// `count` entries were appended to journal(name) (older ones may have been dropped).
    void journalAppended(const QString &name, qsizetype count);
    void exchangeRecorded(const QString &name, const envsync::virt::RecordingEvent &event);
    void recordingFinished(const QString &name, const QStringList &learnedFiles,
                           const QString &error);
    void mappingOpened(const envsync::ui::MappingDocument &mapping);

private:
    void onServicesReset(const QList<ServiceInfo> &services);
    void onServiceChanged(const ServiceInfo &info);
    void onJournalEntries(const QString &name, const std::vector<virt::JournalEntry> &entries);
    void onExchangeRecorded(const QString &name, const virt::RecordingEvent &event);
    void pollNow();
    /// Runs `work` on the worker's thread.
    template<typename Work> void post(Work work);

    QThread m_thread;
    ServicesWorker *m_worker = nullptr; ///< lives on m_thread; deleted there
    std::shared_ptr<const config::Config> m_config;
    QList<ServiceInfo> m_services;
    std::map<QString, std::deque<virt::JournalEntry>> m_journals;
    std::map<QString, std::deque<virt::RecordingEvent>> m_recorded;
    QTimer m_timer;
    bool m_polling = false;
    bool m_pollBusy = false;
};

} // namespace envsync::ui
