#pragma once

#include "core/config/config.h"
#include "core/drift/driftcheck.h"
#include "ui/common/jobtracker.h"

#include <QObject>
#include <QString>

#include <memory>

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
/// on this object's JobTracker, which delivers each region done and the outcome on the GUI
/// thread. cancel() or a newer check() discards the running check: its token is cancelled
/// and whatever it still returns is dropped. The destructor cancels and waits for the workers.
/// All signals are emitted on the GUI thread.
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

    [[nodiscard]] bool isRunning() const { return m_jobs.busy(); }
    /// The last complete report; null before the first or after a failure.
    [[nodiscard]] const std::shared_ptr<const drift::DriftReport> &report() const
    {
        return m_report;
    }
    /// Region names in config order (the heatmap's columns).
    [[nodiscard]] std::vector<std::string> regionNames() const;

signals:
    void checkStarted(int regionCount);
    /// One more region compared (or found unreadable); done of total.
    void regionChecked(const QString &region, int done, int total);
    void checkFinished(const std::shared_ptr<const drift::DriftReport> &report);
    void checkFailed(const QString &message);
    void checkCancelled();
    void runningChanged(bool running);

private:
    void onCheckDone(const DriftOutcome &outcome);

    // Room for superseded checks still stopping, so a re-check never queues behind them.
    JobTracker m_jobs{4, QStringLiteral("envsync-drift-workers")};
    std::shared_ptr<const config::Config> m_config;
    std::shared_ptr<const drift::DriftReport> m_report;
};

} // namespace envsync::ui
