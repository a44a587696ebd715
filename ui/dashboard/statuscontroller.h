#pragma once

#include "core/config/config.h"
#include "core/demo/demo.h"
#include "core/status/endpointstatus.h"
#include "ui/common/jobtracker.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

namespace envsync::ui {

/// The outcome of demo::up.
struct DemoOutcome
{
    QString configPath; ///< when successful
    QString error;      ///< when failed
};

/// Loads configs and probes endpoints off the GUI thread.
///
/// Threading contract: every blocking call (reading the YAML, collectStatus, demo::up) runs on
/// this object's JobTracker; results come back on the GUI thread, row by row as each endpoint
/// answers. A newer load supersedes a load, a newer probe round (re-probe, another config) a
/// round: its token is cancelled and its results are dropped. The destructor cancels every job
/// and waits for the workers. All signals are emitted on the GUI thread.
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
    [[nodiscard]] bool isLoading() const;
    [[nodiscard]] bool isProbing() const;
    [[nodiscard]] bool isDemoRunning() const;
    [[nodiscard]] bool isBusy() const { return m_jobs.busy(); }
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

signals:
    void configLoading(const QString &path);
    /// The new config's endpoints, not probed yet (all pending).
    void configLoaded(const QString &path, const std::vector<status::EndpointStatus> &planned);
    /// Every Diagnostic::format() line, in file order.
    void configFailed(const QString &path, const QStringList &diagnostics);
    /// A probe round started; every row is pending until endpointProbed.
    void probeStarted(int endpointCount);
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
    void onEndpointProbed(std::size_t index, const status::EndpointStatus &status);
    void onProbeFinished();

    // Probes are I/O-bound and collectStatus fans out on its own threads; these few threads
    // are for the blocking entry points (load, probe round, demo) and superseded rounds
    // still stopping, so none waits behind another.
    JobTracker m_jobs;
    std::shared_ptr<const config::Config> m_config;
    QString m_configPath;
    std::vector<status::EndpointStatus> m_endpoints;
    bool m_announcedBusy = false;
    QDateTime m_lastChecked;
    QElapsedTimer m_probeClock;

    QTimer m_autoRefresh;
    std::chrono::seconds m_autoInterval{60};
};

} // namespace envsync::ui
