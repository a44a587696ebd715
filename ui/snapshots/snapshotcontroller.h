#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/job/canceltoken.h"
#include "core/job/progress.h"
#include "core/snapshot/snapshot.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envsync::ui {

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
/// Threading contract: every job runs on the JobTracker (ConfigJobController); each worker
/// opens its own connections (the db layer refuses GUI-thread connects). A create's copy
/// figures reach the GUI thread at most 10 times a second, its step lines all and in order.
/// Cancel cancels the job's token: the engine stops its workers (PQcancel) and createSnapshot
/// drops golden_vN__building. A newer list load or config supersedes a list load; a new config
/// never cancels a running create or verify (each owns the config it started with) and their
/// results are still delivered. The destructor cancels every job and waits for the workers.
/// All signals are emitted on the GUI thread.
class SnapshotController : public ConfigJobController
{
    Q_OBJECT

public:
    explicit SnapshotController(QObject *parent = nullptr);

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
    void setJobs(int jobs) { m_copyJobs = jobs; }
    /// Rows per second over all copy workers for the next create (0: unlimited), to spare
    /// production; tests use it to make a small copy last long enough to cancel.
    void setMaxRowsPerSecond(std::int64_t rows) { m_maxRowsPerSecond = rows; }

    [[nodiscard]] bool isCreating() const;
    [[nodiscard]] bool isVerifying() const;
    [[nodiscard]] bool isLoading() const;

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
    void onCreated(const SnapshotCreateOutcome &outcome);

    int m_copyJobs = 0;
    std::int64_t m_maxRowsPerSecond = 0;
};

} // namespace envsync::ui
