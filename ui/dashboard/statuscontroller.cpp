#include "ui/dashboard/statuscontroller.h"

#include "core/config/configloader.h"
#include "core/status/statusprobe.h"
#include "ui/common/errortext.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace envsync::ui {

namespace {

/// What a config load hands back to the GUI thread.
struct LoadedConfig
{
    std::shared_ptr<const config::Config> config;
    std::vector<status::EndpointStatus> planned;
    QStringList diagnostics;
};

/// Worker: read, parse and validate a config file (file I/O, so never on the GUI thread).
LoadedConfig loadConfig(const QString &path)
{
    LoadedConfig loaded;
    try {
        config::LoadResult result = config::loadConfigFile(path.toStdString());
        if (result) {
            loaded.planned = status::plannedEndpoints(*result);
            loaded.config = std::make_shared<const config::Config>(std::move(*result));
        } else {
            for (const config::Diagnostic &diagnostic : result.error())
                loaded.diagnostics << QString::fromStdString(diagnostic.format());
        }
    } catch (const std::exception &e) {
        loaded.diagnostics << path + QStringLiteral(": ") + QString::fromUtf8(e.what());
    }
    if (!loaded.config && loaded.diagnostics.isEmpty())
        loaded.diagnostics << path + QStringLiteral(": cannot be loaded");
    return loaded;
}

/// Worker: probe every endpoint; each result is reported the moment its endpoint answers.
void probeEndpoints(QPromise<ProbeUpdate> &promise, std::shared_ptr<const config::Config> config)
{
    try {
        std::vector<bool> delivered;
        const status::StatusReport report = status::collectStatus(
                *config, [&](std::size_t index, const status::EndpointStatus &endpoint) {
                    // Serialised by collectStatus: no lock needed for `delivered`.
                    if (promise.isCanceled())
                        return;
                    promise.addResult(ProbeUpdate{index, endpoint});
                    if (delivered.size() <= index)
                        delivered.resize(index + 1, false);
                    delivered[index] = true;
                });
        for (std::size_t i = 0; i < report.endpoints.size() && !promise.isCanceled(); ++i) {
            if (i >= delivered.size() || !delivered[i])
                promise.addResult(ProbeUpdate{i, report.endpoints[i]});
        }
    } catch (const std::exception &e) {
        spdlog::error("status probe failed: {}", e.what());
    }
}

/// Worker: start (create and seed on first use) the demo clusters.
void runDemo(QPromise<DemoEvent> &promise, demo::DemoOptions options)
{
    DemoEvent outcome;
    outcome.done = true;
    try {
        auto state = demo::up(options, [&](const std::string &step) {
            spdlog::info("demo: {}", step);
            promise.addResult(DemoEvent{QString::fromStdString(step), false, {}, {}});
        });
        if (state)
            outcome.configPath = QString::fromStdString(state->configPath.string());
        else
            outcome.error = errorText(state.error());
    } catch (const std::exception &e) {
        outcome.error = QString::fromUtf8(e.what());
    }
    promise.addResult(outcome);
}

} // namespace

StatusController::StatusController(QObject *parent)
    : QObject(parent)
{
    // Probes are I/O-bound and collectStatus fans out on its own threads; these few threads
    // are for the blocking entry points (load, probe round, demo) so none waits behind another.
    m_pool.setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
    m_pool.setObjectName(QStringLiteral("envsync-gui-workers"));

    m_autoRefresh.setSingleShot(true);
    connect(&m_autoRefresh, &QTimer::timeout, this, [this] {
        if (hasConfig() && !m_probing)
            refresh();
    });
}

StatusController::~StatusController()
{
    ++m_loadGeneration;
    ++m_probeGeneration;
    m_autoRefresh.stop();
    const auto watchers = findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly);
    for (QFutureWatcherBase *watcher : watchers) {
        watcher->disconnect(this);
        watcher->cancel();
    }
    m_pool.clear();
    if (m_pool.activeThreadCount() > 0)
        spdlog::debug("waiting for {} background task(s) to finish", m_pool.activeThreadCount());
    m_pool.waitForDone();
}

void StatusController::openConfig(const QString &path)
{
    const quint64 generation = ++m_loadGeneration;
    spdlog::info("opening config {}", path.toStdString());
    m_loading = true;
    emit configLoading(path);
    updateBusy();

    auto *watcher = new QFutureWatcher<LoadedConfig>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
        watcher->deleteLater();
        if (generation != m_loadGeneration)
            return; // another file was opened meanwhile
        m_loading = false;
        const LoadedConfig loaded = watcher->result();
        if (!loaded.config) {
            spdlog::error("{}: {} problem(s) in the config", path.toStdString(),
                          loaded.diagnostics.size());
            for (const QString &line : loaded.diagnostics)
                spdlog::error("{}", line.toStdString());
            updateBusy();
            emit configFailed(path, loaded.diagnostics);
            return;
        }
        supersedeProbe();
        m_config = loaded.config;
        m_configPath = path;
        m_endpoints = loaded.planned;
        m_lastChecked = {};
        spdlog::info("config {}: {} endpoints ({} regions)", path.toStdString(),
                     loaded.planned.size(), m_config->regions.size());
        emit configLoaded(path, loaded.planned);
        refresh();
        updateBusy();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, loadConfig, path));
}

void StatusController::supersedeProbe()
{
    ++m_probeGeneration;
    if (m_probeWatcher) {
        // Its results are ignored from now on (generation); it deletes itself when done.
        m_probeWatcher->cancel();
        m_probeWatcher = nullptr;
    }
    m_probing = false;
}

void StatusController::refresh()
{
    if (!m_config) {
        spdlog::warn("nothing to refresh: no config is open");
        return;
    }
    supersedeProbe();
    const quint64 generation = m_probeGeneration;
    m_probing = true;
    m_autoRefresh.stop();
    m_probeClock.start();
    spdlog::info("probing {} endpoints", m_endpoints.size());
    emit probeStarted(generation, static_cast<int>(m_endpoints.size()));
    updateBusy();

    auto *watcher = new QFutureWatcher<ProbeUpdate>(this);
    m_probeWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::resultsReadyAt, this,
            [this, generation](int begin, int end) { onProbeResults(generation, begin, end); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (m_probeWatcher == watcher)
            m_probeWatcher = nullptr;
        onProbeFinished(generation);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, probeEndpoints, m_config));
}

void StatusController::onProbeResults(quint64 generation, int begin, int end)
{
    if (generation != m_probeGeneration || !m_probeWatcher)
        return;
    for (int i = begin; i < end; ++i) {
        const ProbeUpdate update = m_probeWatcher->resultAt(i);
        if (update.index >= m_endpoints.size())
            continue;
        m_endpoints[update.index] = update.status;
        if (update.status.error)
            spdlog::warn("{}", *update.status.error);
        emit endpointProbed(static_cast<int>(update.index), update.status);
    }
}

void StatusController::onProbeFinished(quint64 generation)
{
    if (generation != m_probeGeneration)
        return;
    m_probing = false;
    m_lastChecked = QDateTime::currentDateTime();
    const int total = static_cast<int>(m_endpoints.size());
    const int reachable = static_cast<int>(
            std::ranges::count_if(m_endpoints, &status::EndpointStatus::reachable));
    spdlog::info("status checked: {}/{} reachable in {} ms", reachable, total,
                 m_probeClock.elapsed());
    emit probeFinished(m_lastChecked, reachable, total);
    updateBusy();
    if (m_autoInterval.count() > 0)
        m_autoRefresh.start(std::chrono::milliseconds(m_autoInterval));
}

void StatusController::startDemo(const demo::DemoOptions &options)
{
    if (m_demoRunning) {
        spdlog::warn("the demo is already starting");
        return;
    }
    m_demoRunning = true;
    updateBusy();
    spdlog::info("starting the demo clusters in {}",
                 (options.dir.empty() ? demo::defaultDirectory() : options.dir).string());

    auto *watcher = new QFutureWatcher<DemoEvent>(this);
    connect(watcher, &QFutureWatcherBase::resultsReadyAt, this,
            [this, watcher](int begin, int end) {
                for (int i = begin; i < end; ++i) {
                    const DemoEvent event = watcher->resultAt(i);
                    if (!event.done) {
                        emit demoProgress(event.step);
                        continue;
                    }
                    m_demoRunning = false;
                    updateBusy();
                    if (event.error.isEmpty()) {
                        emit demoReady(event.configPath);
                    } else {
                        spdlog::error("demo: {}", event.error.toStdString());
                        emit demoFailed(event.error);
                    }
                }
            });
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(QtConcurrent::run(&m_pool, runDemo, options));
}

void StatusController::setAutoRefreshInterval(std::chrono::seconds interval)
{
    m_autoInterval = std::max(interval, std::chrono::seconds(0));
    if (m_autoInterval.count() == 0)
        m_autoRefresh.stop();
    else if (hasConfig() && !m_probing)
        m_autoRefresh.start(std::chrono::milliseconds(m_autoInterval));
}

void StatusController::updateBusy()
{
    if (m_announcedBusy != isBusy()) {
        m_announcedBusy = isBusy();
        emit busyChanged(m_announcedBusy);
    }
}

} // namespace envsync::ui
