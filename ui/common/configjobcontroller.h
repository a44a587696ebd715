#pragma once

#include "core/config/config.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

namespace envsync::ui {

/// What the console's job controllers (snapshots, environments, calendar, reports) share: a
/// private QThreadPool their jobs run on, the config the jobs run against, and a generation id
/// so that a job started before the config changed reports to nobody.
///
/// A subclass watches each job with a QFutureWatcher parented to itself, keeps the watchers it
/// cares about in pointers that clearWatchers() nulls, and compares the generation it started a
/// read-only load with against m_generation when the load ends. A job that changes the estate
/// (snapshot create, environment create/drop, window save) is never generation-checked: it owns
/// the config it started with (a shared_ptr captured by value) and its result is always
/// delivered, whatever config came meanwhile. The destructor stops listening and waits for
/// every worker.
class ConfigJobController : public QObject
{
    Q_OBJECT

public:
    ~ConfigJobController() override;

    /// Takes `config` for the next jobs. Supersedes only stale read-only loads (their results
    /// are dropped; the view reloads with the new config); a running job is never cancelled
    /// and still reports its result.
    void setConfig(std::shared_ptr<const config::Config> config);
    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }

signals:
    void busyChanged();

protected:
    ConfigJobController(int maxThreads, const QString &poolName, QObject *parent);

    /// Stops listening to every running job: bumps the generation, disconnects the watchers
    /// and lets the subclass forget them (clearWatchers).
    void forgetWatchers();
    /// Nulls the subclass' pointers to its watchers.
    virtual void clearWatchers() = 0;
    /// Nulls the subclass' pointers to its read-only load watchers (the generation is bumped
    /// already, so their results are dropped).
    virtual void clearLoadWatchers() = 0;

    QThreadPool m_pool;
    std::shared_ptr<const config::Config> m_config;
    quint64 m_generation = 0;

private:
    void disconnectWatchers();
};

} // namespace envsync::ui
