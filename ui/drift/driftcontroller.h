#pragma once

#include "core/config/config.h"
#include "core/drift/driftcheck.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

QT_BEGIN_NAMESPACE
template<typename T> class QFutureWatcher;
QT_END_NAMESPACE

namespace envsync::ui {

/// What a drift check hands back to the GUI thread.
struct DriftOutcome
{
    std::shared_ptr<const drift::DriftReport> report; ///< null when the check failed
    QString error;                                    ///< why it failed (reference unreadable…)
};

/// Runs drift::checkDrift off the GUI thread.
///
/// Threading contract: checkDrift (blocking: it snapshots the reference and every region) runs
/// on this object's own QThreadPool via QtConcurrent::run with a QPromise that reports one
/// progress step per region compared; a QFutureWatcher owned by this object delivers progress
/// and the outcome queued onto the GUI thread. Every check carries a generation id: cancel()
/// or a newer check() bumps it and whatever the superseded worker still returns is discarded
/// (checkDrift itself cannot be interrupted; its connections time out per the config). The
/// destructor discards and waits for the workers. All signals are emitted on the GUI thread.
class DriftController : public QObject
{
    Q_OBJECT

public:
    explicit DriftController(QObject *parent = nullptr);
    ~DriftController() override;

    /// A new config: supersedes a running check and forgets the last report.
    void setConfig(std::shared_ptr<const config::Config> config);
    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }

    /// Starts a check of every region against `against`; supersedes one in flight.
    /// Returns false (and does nothing) without a config.
    bool check(drift::Reference against);
    /// Discards the running check's results; the worker finishes in the background.
    void cancel();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] quint64 generation() const { return m_generation; }
    /// The last complete report; null before the first or after a failure.
    [[nodiscard]] const std::shared_ptr<const drift::DriftReport> &report() const
    {
        return m_report;
    }
    /// Region names in config order (the heatmap's columns).
    [[nodiscard]] std::vector<std::string> regionNames() const;

signals:
    void checkStarted(quint64 generation, int regionCount);
    /// One more region compared (or found unreadable); done of total.
    void regionChecked(const QString &region, int done, int total);
    void checkFinished(const std::shared_ptr<const drift::DriftReport> &report);
    void checkFailed(const QString &message);
    void checkCancelled();
    void runningChanged(bool running);

private:
    void supersede();
    void setRunning(bool running);

    QThreadPool m_pool;
    std::shared_ptr<const config::Config> m_config;
    std::shared_ptr<const drift::DriftReport> m_report;
    QFutureWatcher<DriftOutcome> *m_watcher = nullptr;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace envsync::ui
