#pragma once

#include "core/config/config.h"
#include "core/db/controldb.h"
#include "core/job/canceltoken.h"
#include "core/job/progress.h"
#include "core/refresh/refresh.h"
#include "ui/common/jobtracker.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace envsync::ui {

/// What the user chose in the refresh dialog (the GUI's `envsyncctl refresh` arguments).
struct RefreshRequest
{
    QString region;
    QString snapshot;  ///< empty: the newest ready one
    QString typedName; ///< the region's name as typed (passes the marker guard)
    /// The user ticked "the source is unreachable: refresh anyway" (passes that guard only).
    bool sourceUnreachableOk = false;
    bool forceOutsideWindow = false;
    QString reason; ///< audited; required with forceOutsideWindow
};

/// The dry run as the refresh dialog shows it.
struct RefreshPlanOutcome
{
    RefreshRequest request;
    std::optional<refresh::RefreshPlan> plan;
    QStringList readySnapshots; ///< oldest first, for the picker
    /// The production guard asks for the region's name to be typed (no or a foreign EnvSync
    /// marker). The plan is still shown.
    bool needsTypedName = false;
    QString guardReason; ///< why it asks, in the guard's words
    QString confirmName; ///< the name the guard asks to be typed (the region's)
    /// The source cannot be reached, so the target cannot be proven not to be production: the
    /// guard asks for its own explicit override. The plan is still shown.
    bool needsSourceUnreachableOk = false;
    QString sourceUnreachableReason; ///< in the guard's words
    QString error;       ///< no plan: refused outright, unreachable, no snapshot …
};

struct RefreshJobOutcome
{
    QString region;
    RefreshRequest request; ///< what was asked (to run it again once the user confirmed)
    std::optional<refresh::RefreshResult> result;
    QString error;
    bool cancelled = false;
    bool refused = false; ///< a safety guard said no (window, lock, marker)
    Refusal refusal = Refusal::None; ///< which override would lift it (the view words it)
    QString reason; ///< the refusal without its context, for the view's own sentence
    QString confirmName; ///< Refusal::UnmarkedTarget: the name the guard asks to be typed
};

struct RollbackOutcome
{
    QString region;
    std::optional<refresh::RollbackResult> result;
    QString error;
    bool needsTypedName = false; ///< the guard refused; typing confirmName lifts it
    QString confirmName;
};

struct RefreshHistoryOutcome
{
    QString region;
    std::vector<db::RefreshRecord> history; ///< newest first
    QString error;
};

/// Whether Roll Back has something to swap back to, as the Refresh tab shows it.
struct RollbackStateOutcome
{
    QString region;
    QString previousName; ///< "<db>__envsync_prev" (empty when the lookup failed early)
    bool hasPrevious = false;
    QString error; ///< the lookup failed: whether a rollback could run is unknown
};

/// Runs the refresh jobs (plan, refresh, rollback, history, rollback check) off the GUI thread.
///
/// Threading contract, as SnapshotController: every job runs on this object's JobTracker and
/// opens its own connections (the db layer refuses GUI-thread connects). A refresh's copy
/// figures reach the GUI thread at most 10 times a second, its step lines all and in order.
/// Cancel cancels the job's token: the engine stops its workers (PQcancel) and refreshRegion
/// drops the shadow database, leaving the region untouched. One refresh or rollback at a
/// time; a newer plan, history or rollback-state load (or a new config) supersedes the older
/// one; a new config never cancels a running refresh or rollback. The destructor cancels every
/// job and waits for the workers. All signals are emitted on the GUI thread.
class RefreshController : public QObject
{
    Q_OBJECT

public:
    explicit RefreshController(QObject *parent = nullptr);
    ~RefreshController() override;

    /// A new config for the next jobs: forgets pending plan, history and rollback-state loads
    /// but never cancels a running refresh or rollback (it keeps its config and still reports).
    void setConfig(std::shared_ptr<const config::Config> config);
    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }

    /// Computes the dry-run plan (and the ready snapshots); ends with planReady.
    bool plan(const RefreshRequest &request);
    /// Starts refreshRegion; false without a config or while a refresh or rollback runs.
    bool startRefresh(const RefreshRequest &request);
    /// Asks the running refresh to stop (it ends with refreshFinished, cancelled).
    void cancelRefresh();
    /// Swaps the region back to <db>__envsync_prev; false while a job runs.
    bool rollback(const QString &region, const QString &typedName = {});
    /// Reads the region's refresh history; ends with historyLoaded.
    bool loadHistory(const QString &region);
    /// Looks up whether the region has a previous database (on a worker: it connects to the
    /// region's cluster); ends with rollbackStateLoaded. A newer call supersedes it.
    bool loadRollbackState(const QString &region);

    /// The clock of the window check (invalid: the real time). Tests pin it inside or outside
    /// the demo's windows.
    void setNow(const QDateTime &now) { m_now = now; }
    /// Copy workers of the next refresh (0: number of cores).
    void setJobs(int jobs) { m_copyJobs = jobs; }

    [[nodiscard]] bool isBusy() const;
    [[nodiscard]] bool isRefreshing() const { return isBusy() && m_refreshing; }
    /// The region the running refresh or rollback works on (empty when idle).
    [[nodiscard]] const QString &busyRegion() const { return m_busyRegion; }

signals:
    void planReady(const envsync::ui::RefreshPlanOutcome &outcome);
    void refreshStarted(const QString &region);
    /// Newest copy figures (several a second at most).
    void refreshProgress(const envsync::job::Progress &progress);
    /// One line about what the job does ("swapping shop__envsync_next in").
    void refreshStep(const QString &step);
    /// The copy is done and the shadow database is being swapped in (the view's last stretch).
    void refreshSwapping();
    void refreshFinished(const envsync::ui::RefreshJobOutcome &outcome);
    void rollbackStarted(const QString &region);
    void rollbackFinished(const envsync::ui::RollbackOutcome &outcome);
    void historyLoaded(const envsync::ui::RefreshHistoryOutcome &outcome);
    void rollbackStateLoaded(const envsync::ui::RollbackStateOutcome &outcome);
    void busyChanged();

private:
    [[nodiscard]] refresh::RefreshOptions optionsFor(const RefreshRequest &request) const;
    void jobEnded();

    // A refresh (whose copy engine has its own threads), a plan, a history load and a
    // rollback check at once.
    JobTracker m_jobs{4, QStringLiteral("envsync-refresh-workers")};
    std::shared_ptr<const config::Config> m_config;
    QString m_busyRegion;
    bool m_refreshing = false; ///< the running job is a refresh (not a rollback)
    QDateTime m_now;
    int m_copyJobs = 0;
};

} // namespace envsync::ui
