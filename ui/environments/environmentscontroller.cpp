#include "ui/environments/environmentscontroller.h"

#include "core/snapshot/snapshot.h"
#include "ui/common/errortext.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

void runList(QPromise<EnvironmentListOutcome> &promise,
             std::shared_ptr<const config::Config> config)
{
    EnvironmentListOutcome outcome;
    try {
        auto list = env::listEnvironments(*config);
        if (!list) {
            outcome.error = qs(list.error().describe());
        } else {
            outcome.environments = std::move(*list);
            // Without the snapshot names the picker still offers "newest ready".
            if (auto snapshots = snapshot::listSnapshots(*config)) {
                for (const auto &info : *snapshots) {
                    if (info.state == "ready")
                        outcome.readySnapshots << qs(info.name);
                }
            } else {
                spdlog::warn("environments: snapshots: {}", snapshots.error().describe());
            }
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("listing environments failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runCreate(QPromise<EnvironmentChangeOutcome> &promise,
               std::shared_ptr<const config::Config> config, env::CreateOptions options)
{
    EnvironmentChangeOutcome outcome;
    outcome.name = qs(options.name);
    outcome.created = true;
    try {
        auto created = env::createEnvironment(*config, options);
        if (created)
            outcome.info = std::move(*created);
        else
            outcome.error = errorText(created.error());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("env create failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runDrop(QPromise<EnvironmentChangeOutcome> &promise,
             std::shared_ptr<const config::Config> config, QString name)
{
    EnvironmentChangeOutcome outcome;
    outcome.name = name;
    try {
        if (auto dropped = env::dropEnvironment(*config, name.toStdString()); !dropped)
            outcome.error = errorText(dropped.error());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("env drop failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

} // namespace

EnvironmentsController::EnvironmentsController(QObject *parent)
    // 2 workers: a list load next to a create or drop
    : ConfigJobController(2, QStringLiteral("envsync-environment-workers"), parent)
{}

void EnvironmentsController::clearWatchers()
{
    m_listWatcher = m_changeWatcher = nullptr;
}

bool EnvironmentsController::reload()
{
    if (!m_config)
        return false;
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<EnvironmentListOutcome>(this);
    m_listWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_generation || watcher != m_listWatcher)
            return; // superseded by a newer load or config
        m_listWatcher = nullptr;
        emit busyChanged();
        EnvironmentListOutcome outcome;
        if (watcher->future().resultCount() > 0)
            outcome = watcher->result();
        else
            outcome.error = QStringLiteral("listing environments returned nothing");
        if (!outcome.error.isEmpty())
            spdlog::error("environments: {}", outcome.error.toStdString());
        emit listLoaded(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runList, m_config));
    emit busyChanged();
    return true;
}

bool EnvironmentsController::create(const env::CreateOptions &options)
{
    if (!m_config || m_changeWatcher)
        return false;
    spdlog::info("creating environment {}", options.name);
    auto *watcher = new QFutureWatcher<EnvironmentChangeOutcome>(this);
    watchChange(watcher);
    watcher->setFuture(QtConcurrent::run(&m_pool, runCreate, m_config, options));
    emit changeStarted(QStringLiteral("Creating %1…").arg(qs(options.name)));
    emit busyChanged();
    return true;
}

bool EnvironmentsController::drop(const QString &name)
{
    if (!m_config || m_changeWatcher || name.isEmpty())
        return false;
    spdlog::info("dropping environment {}", name.toStdString());
    auto *watcher = new QFutureWatcher<EnvironmentChangeOutcome>(this);
    watchChange(watcher);
    watcher->setFuture(QtConcurrent::run(&m_pool, runDrop, m_config, name));
    emit changeStarted(QStringLiteral("Dropping %1…").arg(name));
    emit busyChanged();
    return true;
}

void EnvironmentsController::watchChange(QFutureWatcher<EnvironmentChangeOutcome> *watcher)
{
    m_changeWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_changeWatcher = nullptr;
        EnvironmentChangeOutcome outcome;
        if (watcher->future().resultCount() > 0)
            outcome = watcher->result();
        else
            outcome.error = QStringLiteral("the environment job returned nothing");
        if (outcome.error.isEmpty())
            spdlog::info("environment {} {}", outcome.name.toStdString(),
                         outcome.created ? "created" : "dropped");
        else
            spdlog::error("environment {}: {}", outcome.name.toStdString(),
                          outcome.error.toStdString());
        emit busyChanged();
        emit changeFinished(outcome);
    });
}

} // namespace envsync::ui
