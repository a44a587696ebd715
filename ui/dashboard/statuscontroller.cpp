#include "ui/dashboard/statuscontroller.h"

#include "core/config/configloader.h"
#include "core/status/statusprobe.h"
#include "ui/common/errortext.h"

#include <QThread>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace envsync::ui {

namespace {

const QString loadKey = QStringLiteral("load");
const QString probeKey = QStringLiteral("probe");
const QString demoKey = QStringLiteral("demo");

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

using EndpointFn = std::function<void(std::size_t index, const status::EndpointStatus &)>;

/// Worker: probe every endpoint; each result is reported the moment its endpoint answers.
/// Returns whether the round completed.
bool probeEndpoints(const JobContext &context, const config::Config &config,
                    const EndpointFn &onEndpoint)
{
    if (job::cancelled(context.cancel))
        return false;
    try {
        std::vector<bool> delivered;
        const status::StatusReport report = status::collectStatus(
                config,
                [&](std::size_t index, const status::EndpointStatus &endpoint) {
                    // Serialised by collectStatus: no lock needed for `delivered`.
                    onEndpoint(index, endpoint);
                    if (delivered.size() <= index)
                        delivered.resize(index + 1, false);
                    delivered[index] = true;
                },
                context.cancel);
        for (std::size_t i = 0; i < report.endpoints.size(); ++i) {
            if (i >= delivered.size() || !delivered[i])
                onEndpoint(i, report.endpoints[i]);
        }
    } catch (const std::exception &e) {
        spdlog::error("status probe failed: {}", e.what());
    }
    return true;
}

/// Worker: start (create and seed on first use) the demo clusters.
DemoOutcome runDemo(const demo::DemoOptions &options,
                    const std::function<void(const std::string &)> &onStep)
{
    DemoOutcome outcome;
    try {
        auto state = demo::up(options, [&](const std::string &step) {
            spdlog::info("demo: {}", step);
            onStep(step);
        });
        if (state)
            outcome.configPath = QString::fromStdString(state->configPath.string());
        else
            outcome.error = errorText(state.error());
    } catch (const std::exception &e) {
        outcome.error = QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace

StatusController::StatusController(QObject *parent)
    : QObject(parent)
    , m_jobs(std::max(4, QThread::idealThreadCount()), QStringLiteral("envsync-gui-workers"))
{
    connect(&m_jobs, &JobTracker::busyChanged, this, &StatusController::updateBusy);
    m_autoRefresh.setSingleShot(true);
    connect(&m_autoRefresh, &QTimer::timeout, this, [this] {
        if (hasConfig() && !isProbing())
            refresh();
    });
}

StatusController::~StatusController()
{
    m_autoRefresh.stop();
}

bool StatusController::isLoading() const
{
    return m_jobs.busy(loadKey);
}

bool StatusController::isProbing() const
{
    return m_jobs.busy(probeKey);
}

bool StatusController::isDemoRunning() const
{
    return m_jobs.busy(demoKey);
}

void StatusController::openConfig(const QString &path)
{
    spdlog::info("opening config {}", path.toStdString());
    emit configLoading(path);
    m_jobs.start<LoadedConfig>(
            loadKey, [path](const JobContext &) { return loadConfig(path); },
            [this, path](LoadedConfig loaded) {
                if (!loaded.config) {
                    spdlog::error("{}: {} problem(s) in the config", path.toStdString(),
                                  loaded.diagnostics.size());
                    for (const QString &line : loaded.diagnostics)
                        spdlog::error("{}", line.toStdString());
                    emit configFailed(path, loaded.diagnostics);
                    return;
                }
                m_jobs.discard(probeKey);
                m_config = loaded.config;
                m_configPath = path;
                m_endpoints = loaded.planned;
                m_lastChecked = {};
                spdlog::info("config {}: {} endpoints ({} regions)", path.toStdString(),
                             loaded.planned.size(), m_config->regions.size());
                emit configLoaded(path, loaded.planned);
                refresh();
            });
}

void StatusController::refresh()
{
    if (!m_config) {
        spdlog::warn("nothing to refresh: no config is open");
        return;
    }
    m_autoRefresh.stop();
    m_probeClock.start();
    spdlog::info("probing {} endpoints", m_endpoints.size());
    auto onEndpoint = [this](std::size_t index, const status::EndpointStatus &endpoint) {
        onEndpointProbed(index, endpoint);
    };
    m_jobs.start<bool>(
            probeKey,
            [config = m_config, onEndpoint](const JobContext &context) {
                return probeEndpoints(
                        context, *config,
                        [&context, onEndpoint](std::size_t index,
                                               const status::EndpointStatus &endpoint) {
                            context.post(
                                    [onEndpoint, index, endpoint] { onEndpoint(index, endpoint); });
                        });
            },
            [this](bool) { onProbeFinished(); });
    emit probeStarted(static_cast<int>(m_endpoints.size()));
}

void StatusController::onEndpointProbed(std::size_t index, const status::EndpointStatus &status)
{
    if (index >= m_endpoints.size())
        return;
    m_endpoints[index] = status;
    if (status.error)
        spdlog::warn("{}", *status.error);
    emit endpointProbed(static_cast<int>(index), status);
}

void StatusController::onProbeFinished()
{
    m_lastChecked = QDateTime::currentDateTime();
    const int total = static_cast<int>(m_endpoints.size());
    const int reachable = static_cast<int>(
            std::ranges::count_if(m_endpoints, &status::EndpointStatus::reachable));
    spdlog::info("status checked: {}/{} reachable in {} ms", reachable, total,
                 m_probeClock.elapsed());
    emit probeFinished(m_lastChecked, reachable, total);
    if (m_autoInterval.count() > 0)
        m_autoRefresh.start(std::chrono::milliseconds(m_autoInterval));
}

void StatusController::startDemo(const demo::DemoOptions &options)
{
    if (isDemoRunning()) {
        spdlog::warn("the demo is already starting");
        return;
    }
    spdlog::info("starting the demo clusters in {}",
                 (options.dir.empty() ? demo::defaultDirectory() : options.dir).string());
    auto onStep = [this](const QString &step) {
        emit demoProgress(step);
    };
    m_jobs.start<DemoOutcome>(
            demoKey,
            [options, onStep](const JobContext &context) {
                return runDemo(options, [&context, onStep](const std::string &step) {
                    context.post([onStep, step = QString::fromStdString(step)] { onStep(step); });
                });
            },
            [this](DemoOutcome outcome) {
                if (outcome.error.isEmpty()) {
                    emit demoReady(outcome.configPath);
                } else {
                    spdlog::error("demo: {}", outcome.error.toStdString());
                    emit demoFailed(outcome.error);
                }
            });
}

void StatusController::setAutoRefreshInterval(std::chrono::seconds interval)
{
    m_autoInterval = std::max(interval, std::chrono::seconds(0));
    if (m_autoInterval.count() == 0)
        m_autoRefresh.stop();
    else if (hasConfig() && !isProbing())
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
