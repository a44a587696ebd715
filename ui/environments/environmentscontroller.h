#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/env/environments.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <chrono>
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
/// Threading contract, as SnapshotController: each job runs on this object's own QThreadPool
/// through QtConcurrent::run and opens its own connections. One create or drop at a time (a
/// CREATE DATABASE … TEMPLATE takes seconds and holds the template); list loads are
/// superseded by a generation id. The destructor waits for every worker. All signals are
/// emitted on the GUI thread.
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

    [[nodiscard]] bool isChanging() const { return m_changeWatcher != nullptr; }
    [[nodiscard]] bool isLoading() const { return m_listWatcher != nullptr; }

signals:
    void listLoaded(const envsync::ui::EnvironmentListOutcome &outcome);
    void changeStarted(const QString &description);
    void changeFinished(const envsync::ui::EnvironmentChangeOutcome &outcome);

private:
    void watchChange(QFutureWatcher<EnvironmentChangeOutcome> *watcher);
    void clearWatchers() override;
    void clearLoadWatchers() override { m_listWatcher = nullptr; }

    QFutureWatcherBase *m_listWatcher = nullptr;
    QFutureWatcherBase *m_changeWatcher = nullptr;
};

} // namespace envsync::ui
