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
/// job with against m_generation when the job ends. The destructor stops listening and waits
/// for every worker.
class ConfigJobController : public QObject
{
    Q_OBJECT

public:
    ~ConfigJobController() override;

    /// Drops every running job's result (the jobs finish on their own) and takes `config`.
    virtual void setConfig(std::shared_ptr<const config::Config> config);
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

    QThreadPool m_pool;
    std::shared_ptr<const config::Config> m_config;
    quint64 m_generation = 0;

private:
    void disconnectWatchers();
};

} // namespace envsync::ui
