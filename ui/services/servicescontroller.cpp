#include "ui/services/servicescontroller.h"

#include "ui/services/servicesworker.h"

#include <QMetaObject>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace envsync::ui {

namespace {

const std::deque<virt::JournalEntry> noEntries;
const std::deque<virt::RecordingEvent> noEvents;

} // namespace

ServicesController::ServicesController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ServiceInfo>();
    qRegisterMetaType<QList<ServiceInfo>>();
    qRegisterMetaType<MappingDocument>();
    qRegisterMetaType<std::vector<virt::JournalEntry>>();
    qRegisterMetaType<virt::RecordingEvent>();

    m_thread.setObjectName(QStringLiteral("envsync-virt-services"));
    m_worker = new ServicesWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ServicesWorker::servicesReset, this, &ServicesController::onServicesReset);
    connect(m_worker, &ServicesWorker::serviceChanged, this, &ServicesController::onServiceChanged);
    connect(m_worker, &ServicesWorker::journalEntries, this, &ServicesController::onJournalEntries);
    connect(m_worker, &ServicesWorker::journalsPolled, this, [this] {
        m_pollBusy = false;
        if (m_polling)
            m_timer.start();
    });
    connect(m_worker, &ServicesWorker::exchangeRecorded, this,
            &ServicesController::onExchangeRecorded);
    connect(m_worker, &ServicesWorker::recordingFinished, this,
            &ServicesController::recordingFinished);
    connect(m_worker, &ServicesWorker::mappingOpened, this, &ServicesController::mappingOpened);
    m_thread.start();

    m_timer.setSingleShot(true);
    m_timer.setInterval(pollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ServicesController::pollNow);
}

ServicesController::~ServicesController()
{
    m_timer.stop();
    // Servers and recorders end on their own thread; a recording writes what it learned.
    QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

template<typename Work> void ServicesController::post(Work work)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, work = std::move(work)] {
        try {
            work(*worker);
        } catch (const std::exception &e) { // never out of the worker's event loop
            spdlog::error("virt services: {}", e.what());
        }
    });
}

void ServicesController::useConfig(std::shared_ptr<const config::Config> config)
{
    m_config = config;
    post([config](ServicesWorker &worker) { worker.useConfig(config); });
}

void ServicesController::start(const QStringList &names)
{
    for (const QString &name : names)
        post([name](ServicesWorker &worker) { worker.start(name); });
}

void ServicesController::stop(const QStringList &names)
{
    for (const QString &name : names) {
        const ServiceInfo *info = service(name);
        if (info && info->state == ServiceInfo::State::Recording)
            post([name](ServicesWorker &worker) { worker.stopRecording(name); });
        else
            post([name](ServicesWorker &worker) { worker.stop(name); });
    }
}

void ServicesController::record(const QString &name, const QString &golden, int learnPasses)
{
    m_recorded.erase(name);
    post([name, golden, learnPasses](ServicesWorker &worker) {
        worker.record(name, golden, learnPasses);
    });
}

void ServicesController::stopRecording(const QString &name)
{
    post([name](ServicesWorker &worker) { worker.stopRecording(name); });
}

void ServicesController::openMapping(const QString &service, const QString &mappingId)
{
    post([service, mappingId](ServicesWorker &worker) { worker.openMapping(service, mappingId); });
}

void ServicesController::setPolling(bool on)
{
    m_polling = on;
    if (on)
        pollNow();
    else
        m_timer.stop();
}

void ServicesController::pollNow()
{
    m_timer.stop();
    if (m_pollBusy)
        return; // not stacked: the one in flight restarts the timer
    m_pollBusy = true;
    post([](ServicesWorker &worker) { worker.pollJournals(); });
}

const ServiceInfo *ServicesController::service(const QString &name) const
{
    for (const ServiceInfo &info : m_services)
        if (info.name == name)
            return &info;
    return nullptr;
}

const std::deque<virt::JournalEntry> &ServicesController::journal(const QString &name) const
{
    const auto it = m_journals.find(name);
    return it == m_journals.end() ? noEntries : it->second;
}

const std::deque<virt::RecordingEvent> &ServicesController::recorded(const QString &name) const
{
    const auto it = m_recorded.find(name);
    return it == m_recorded.end() ? noEvents : it->second;
}

void ServicesController::onServicesReset(const QList<ServiceInfo> &services)
{
    m_services = services;
    // What a service that kept running served and recorded stays; the rest goes.
    const auto running = [&services](const QString &name) {
        return std::ranges::any_of(services, [&name](const ServiceInfo &info) {
            return info.name == name && info.isRunning();
        });
    };
    std::erase_if(m_journals, [&running](const auto &entry) { return !running(entry.first); });
    std::erase_if(m_recorded, [&running](const auto &entry) { return !running(entry.first); });
    emit servicesReset();
}

void ServicesController::onServiceChanged(const ServiceInfo &info)
{
    for (ServiceInfo &known : m_services) {
        if (known.name != info.name)
            continue;
        // A new run starts a new journal (the server numbers its requests from 1 again).
        if (info.state == ServiceInfo::State::Starting)
            m_journals.erase(info.name);
        known = info;
        emit serviceChanged(info.name);
        return;
    }
}

void ServicesController::onJournalEntries(const QString &name,
                                          const std::vector<virt::JournalEntry> &entries)
{
    std::deque<virt::JournalEntry> &journal = m_journals[name];
    journal.insert(journal.end(), entries.begin(), entries.end());
    while (journal.size() > journalLimit)
        journal.pop_front();
    emit journalAppended(name, qsizetype(std::min(entries.size(), journalLimit)));
}

void ServicesController::onExchangeRecorded(const QString &name, const virt::RecordingEvent &event)
{
    std::deque<virt::RecordingEvent> &events = m_recorded[name];
    events.push_back(event);
    while (events.size() > recordedLimit)
        events.pop_front();
    emit exchangeRecorded(name, event);
}

} // namespace envsync::ui
