#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/env/environments.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace envsync::ui {

/// The catalogue of ephemeral environments and the snapshots they can be cloned from.
struct EnvironmentListOutcome
{
    std::vector<env::EnvironmentInfo> environments; ///< soonest expiry first
    QStringList readySnapshots;                     ///< oldest first
    QString error;
};

/// How a create or a drop ended.
struct EnvironmentChangeOutcome
{
    QString name;
    bool created = false; ///< false: a drop
    std::optional<env::EnvironmentInfo> info; ///< the created environment
    QString error;        ///< empty: it worked
};

/// Runs the environment jobs (list, create, drop) off the GUI thread.
///
/// Threading contract, as SnapshotController: each job runs on the JobTracker and opens its own
/// connections. One create or drop at a time (a CREATE DATABASE … TEMPLATE takes seconds and
/// holds the template); a newer list load or config supersedes a list load. The destructor
/// cancels every job and waits for the workers. All signals are emitted on the GUI thread.
class EnvironmentsController : public ConfigJobController
{
    Q_OBJECT

public:
    explicit EnvironmentsController(QObject *parent = nullptr);

    /// Reads the catalogue and the ready snapshots; ends with listLoaded.
    bool reload();
    /// CREATE DATABASE name TEMPLATE snapshot (empty: the newest ready one) with a TTL.
    bool create(const env::CreateOptions &options);
    /// Drops a catalogued environment.
    bool drop(const QString &name);

    [[nodiscard]] bool isChanging() const;
    [[nodiscard]] bool isLoading() const;

signals:
    void listLoaded(const envsync::ui::EnvironmentListOutcome &outcome);
    void changeStarted(const QString &description);
    void changeFinished(const envsync::ui::EnvironmentChangeOutcome &outcome);

private:
    void startChange(std::function<EnvironmentChangeOutcome(const JobContext &)> work);
    void onChanged(const EnvironmentChangeOutcome &outcome);
};

} // namespace envsync::ui
