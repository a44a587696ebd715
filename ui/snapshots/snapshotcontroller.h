#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/job/canceltoken.h"
#include "core/job/progress.h"
#include "core/snapshot/snapshot.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

QT_BEGIN_NAMESPACE
class QFutureWatcherBase;
QT_END_NAMESPACE

namespace envsync::ui {

class JobProgressChannel;

/// The snapshot catalogue as the list shows it.
struct SnapshotListOutcome
{
    std::vector<snapshot::SnapshotInfo> snapshots;
    std::map<std::string, std::vector<std::string>> inUse; ///< snapshot → regions
    QString error;
};

/// How a "New snapshot" job ended.
struct SnapshotCreateOutcome
{
    std::optional<snapshot::SnapshotInfo> created;
    QString error;
    bool cancelled = false;
    /// Refused by fail-closed masking: the unclassified columns, "schema.table.column (type)".
    QStringList unclassified;
};

struct SnapshotVerifyOutcome
{
    std::optional<snapshot::VerifyReport> report;
    QString error;
};

/// Runs the snapshot jobs (list, create, verify) off the GUI thread.
///
/// Threading contract: every job runs on this object's own QThreadPool through QtConcurrent::run
/// with a QPromise; each worker opens its own connections (the db layer refuses GUI-thread
/// connects). A create job's copy progress and step lines are kept in a mutex-guarded channel;
/// the worker only bumps the promise's progress value, and the QFutureWatcher (throttled by Qt
/// to a few updates a second) makes the GUI thread read the newest figures from the channel.
/// Cancel sets the copy's CancelToken: the engine stops its workers (PQcancel) and
/// createSnapshot drops golden_vN__building. Stale list loads are superseded by a generation
/// id; a new config never cancels a running create or verify (each owns the config it started
/// with) and their results are still delivered. The destructor cancels a running create and
/// waits for every worker. All signals are emitted on the GUI thread.
class SnapshotController : public ConfigJobController
{
    Q_OBJECT

public:
    explicit SnapshotController(QObject *parent = nullptr);
    ~SnapshotController() override;

    /// Reloads the catalogue and the in-use map; false without a config.
    bool reload();
    /// Starts createSnapshot; false without a config or while one runs.
    bool create();
    /// Asks the running create to stop (it ends with createCancelled).
    void cancelCreate();
    /// Verifies `name` (empty: the newest ready snapshot); false without a config or while a
    /// verify runs.
    bool verify(const QString &name);

    /// Copy workers of the next create (0: number of cores).
    void setJobs(int jobs) { m_jobs = jobs; }
    /// Rows per second over all copy workers for the next create (0: unlimited), to spare
    /// production; tests use it to make a small copy last long enough to cancel.
    void setMaxRowsPerSecond(std::int64_t rows) { m_maxRowsPerSecond = rows; }

    [[nodiscard]] bool isCreating() const { return m_createWatcher != nullptr; }
    [[nodiscard]] bool isVerifying() const { return m_verifyWatcher != nullptr; }
    [[nodiscard]] bool isLoading() const { return m_listWatcher != nullptr; }

signals:
    void listLoaded(const envsync::ui::SnapshotListOutcome &outcome);
    void createStarted();
    /// Newest copy figures (several a second at most).
    void createProgress(const envsync::job::Progress &progress);
    /// One line about what the job does ("creating golden_v2__building").
    void createStep(const QString &step);
    void createFinished(const envsync::ui::SnapshotCreateOutcome &outcome);
    void verifyStarted(const QString &name);
    void verifyFinished(const envsync::ui::SnapshotVerifyOutcome &outcome);

private:
    void drain(JobProgressChannel &channel);
    void clearWatchers() override;
    void clearLoadWatchers() override { m_listWatcher = nullptr; }

    std::shared_ptr<job::CancelToken> m_cancel;
    QFutureWatcherBase *m_listWatcher = nullptr;
    QFutureWatcherBase *m_createWatcher = nullptr;
    QFutureWatcherBase *m_verifyWatcher = nullptr;
    int m_jobs = 0;
    std::int64_t m_maxRowsPerSecond = 0;
};

} // namespace envsync::ui
