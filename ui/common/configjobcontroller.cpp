#include "ui/common/configjobcontroller.h"

#include <QFutureWatcherBase>

namespace envsync::ui {

ConfigJobController::ConfigJobController(int maxThreads, const QString &poolName, QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(maxThreads);
    m_pool.setObjectName(poolName);
}

ConfigJobController::~ConfigJobController()
{
    // not forgetWatchers(): the subclass part is gone, its clearWatchers() cannot be called
    ++m_generation;
    disconnectWatchers();
    m_pool.waitForDone();
}

void ConfigJobController::setConfig(std::shared_ptr<const config::Config> config)
{
    // A running job keeps the config it started with and still reports; only loads go stale.
    ++m_generation;
    clearLoadWatchers();
    m_config = std::move(config);
    emit busyChanged();
}

void ConfigJobController::forgetWatchers()
{
    ++m_generation;
    disconnectWatchers();
    clearWatchers();
}

void ConfigJobController::disconnectWatchers()
{
    const auto watchers = findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly);
    for (QFutureWatcherBase *watcher : watchers)
        watcher->disconnect(this);
}

} // namespace envsync::ui
