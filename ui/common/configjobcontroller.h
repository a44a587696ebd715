#pragma once

#include "core/config/config.h"
#include "ui/common/jobtracker.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace envsync::ui {

/// What the console's job controllers (snapshots, environments, calendar, reports) share: the
/// JobTracker their jobs run on and the config the next jobs run against.
///
/// A read-only load (its key is in `loadKeys`) is superseded by a new config: its token is
/// cancelled and its result dropped (the view reloads with the new config). A job that changes
/// the estate (snapshot create, environment create/drop, window save) is never superseded by a
/// config: it owns the config it started with (a shared_ptr captured by value) and its result
/// is always delivered. The tracker cancels and waits for every worker when this object goes.
class ConfigJobController : public QObject
{
    Q_OBJECT

public:
    ~ConfigJobController() override;

    /// Takes `config` for the next jobs; discards only the read-only loads.
    void setConfig(std::shared_ptr<const config::Config> config);
    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }

signals:
    void busyChanged();

protected:
    ConfigJobController(int maxThreads, const QString &poolName, QStringList loadKeys,
                        QObject *parent);

    JobTracker m_jobs;
    std::shared_ptr<const config::Config> m_config;

private:
    QStringList m_loadKeys;
};

} // namespace envsync::ui
