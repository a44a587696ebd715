#include "ui/common/configjobcontroller.h"

namespace envsync::ui {

ConfigJobController::ConfigJobController(int maxThreads, const QString &poolName,
                                         QStringList loadKeys, QObject *parent)
    : QObject(parent)
    , m_jobs(maxThreads, poolName)
    , m_loadKeys(std::move(loadKeys))
{
    connect(&m_jobs, &JobTracker::busyChanged, this, &ConfigJobController::busyChanged);
}

ConfigJobController::~ConfigJobController() = default;

void ConfigJobController::setConfig(std::shared_ptr<const config::Config> config)
{
    // A running job keeps the config it started with and still reports; only loads go stale.
    for (const QString &key : m_loadKeys)
        m_jobs.discard(key);
    m_config = std::move(config);
    emit busyChanged();
}

} // namespace envsync::ui
