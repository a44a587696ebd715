#pragma once

#include "core/config/config.h"
#include "core/demo/demo.h"
#include "core/status/endpointstatus.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
template<typename T> class QFutureWatcher;
QT_END_NAMESPACE

namespace envsync::ui {

/// One endpoint's probe result as it travels from the worker through QFuture to the GUI.
struct ProbeUpdate
{
    std::size_t index = 0;
    status::EndpointStatus status;
};

/// One line of demo progress, or (last) the outcome of demo::up.
struct DemoEvent
{
    QString step;
    bool done = false;
    QString configPath; ///< when done and successful
    QString error;      ///< when done and failed
};

/// Loads configs and probes endpoints off the GUI thread.
///
/// Threading contract: every blocking call (reading the YAML, collectStatus, demo::up) runs on
/// this object's own QThreadPool through QtConcurrent::run with a QPromise; results come back
/// as QFuture results through QFutureWatchers owned by this object, i.e. queued onto the GUI
/// thread, row by row as each endpoint answers. Each load and each probe round carries a
/// generation id; results of a superseded round (re-probe, another config) are dropped. The
/// destructor cancels what it can and waits for the workers (at most one connect timeout).
/// All signals are emitted on the GUI thread.
class StatusController : public QObject
{
    Q_OBJECT

public:
    explicit StatusController(QObject *parent = nullptr);
    ~StatusController() override;

    /// Reads and validates the file on a worker; on success probes it (configLoaded, then
    /// probeStarted); on failure emits configFailed and keeps the current config.
    void openConfig(const QString &path);
    /// Probes the current config again; a round still in flight is superseded.
    void refresh();
    /// Runs demo::up on a worker, then opens the config it wrote.
    void startDemo(const demo::DemoOptions &options);

    [[nodiscard]] bool hasConfig() const { return m_config != nullptr; }
    [[nodiscard]] QString configPath() const { return m_configPath; }
    [[nodiscard]] std::shared_ptr<const config::Config> config() const { return m_config; }
    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] bool isProbing() const { return m_probing; }
    [[nodiscard]] bool isDemoRunning() const { return m_demoRunning; }
    [[nodiscard]] bool isBusy() const { return m_loading || m_probing || m_demoRunning; }
    /// The current probe round; results carrying another one are stale.
    [[nodiscard]] quint64 probeGeneration() const { return m_probeGeneration; }
    /// Local time the last complete round finished; invalid before the first.
    [[nodiscard]] QDateTime lastChecked() const { return m_lastChecked; }
    /// The latest result of every endpoint of the current config.
    [[nodiscard]] const std::vector<status::EndpointStatus> &endpoints() const
    {
        return m_endpoints;
    }

    /// Re-probe this long after each completed round; zero turns it off.
    void setAutoRefreshInterval(std::chrono::seconds interval);
    [[nodiscard]] std::chrono::seconds autoRefreshInterval() const { return m_autoInterval; }

    [[nodiscard]] QThreadPool *threadPool() { return &m_pool; }

signals:
    void configLoading(const QString &path);
    /// The new config's endpoints, not probed yet (all pending).
    void configLoaded(const QString &path, const std::vector<status::EndpointStatus> &planned);
    /// Every Diagnostic::format() line, in file order.
    void configFailed(const QString &path, const QStringList &diagnostics);
    /// A probe round started; every row is pending until endpointProbed.
    void probeStarted(quint64 generation, int endpointCount);
    /// One endpoint answered (or timed out); index into the planned endpoints.
    void endpointProbed(int index, const status::EndpointStatus &status);
    /// Every endpoint of the round answered; checkedAt is local time.
    void probeFinished(const QDateTime &checkedAt, int reachable, int total);
    void busyChanged(bool busy);
    void demoProgress(const QString &step);
    void demoFailed(const QString &message);
    void demoReady(const QString &configPath);

private:
    /// Emits busyChanged when isBusy() differs from what was last announced.
    void updateBusy();
    void supersedeProbe();
    void onProbeResults(quint64 generation, int begin, int end);
    void onProbeFinished(quint64 generation);

    QThreadPool m_pool;
    std::shared_ptr<const config::Config> m_config;
    QString m_configPath;
    std::vector<status::EndpointStatus> m_endpoints;

    quint64 m_loadGeneration = 0;
    quint64 m_probeGeneration = 0;
    QFutureWatcher<ProbeUpdate> *m_probeWatcher = nullptr;
    bool m_loading = false;
    bool m_probing = false;
    bool m_demoRunning = false;
    bool m_announcedBusy = false;
    QDateTime m_lastChecked;
    QElapsedTimer m_probeClock;

    QTimer m_autoRefresh;
    std::chrono::seconds m_autoInterval{60};
};

} // namespace envsync::ui
