#include "ui/refresh/refreshcontroller.h"

#include "core/refresh/previousdatabase.h"
#include "core/refresh/refreshhistory.h"
#include "core/snapshot/snapshot.h"
#include "ui/common/errortext.h"
#include "ui/common/jobprogresschannel.h"

#include "ui/common/watcherresult.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <atomic>
#include <exception>
#include <limits>

namespace envsync::ui {

namespace {

constexpr int historyRows = 200;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// Refusals a typed name lifts: the GUI asks for the name (Error::confirmName) instead of the
/// CLI's flag.
bool asksForTypedName(const Error &error)
{
    return error.refusal == Refusal::UnmarkedTarget;
}

/// The guard's reason as core words it (no override advice in it; the view words that).
QString guardReason(const Error &error)
{
    return qs(error.message);
}

QStringList readySnapshotNames(const config::Config &config)
{
    QStringList names;
    auto list = snapshot::listSnapshots(config);
    if (!list) {
        spdlog::warn("refresh plan: snapshots: {}", list.error().describe());
        return names;
    }
    for (const auto &info : *list) {
        if (info.state == "ready")
            names << qs(info.name);
    }
    return names;
}

void runPlan(QPromise<RefreshPlanOutcome> &promise, std::shared_ptr<const config::Config> config,
             RefreshRequest request, refresh::RefreshOptions options)
{
    RefreshPlanOutcome outcome;
    outcome.request = std::move(request);
    try {
        outcome.readySnapshots = readySnapshotNames(*config);
        auto plan = refresh::planRefresh(*config, options);
        if (!plan && plan.error().refusal == Refusal::SourceUnreachable) {
            outcome.needsSourceUnreachableOk = true;
            outcome.sourceUnreachableReason = guardReason(plan.error());
            // Planning only reads: show the plan (and any further guard) while the user decides.
            options.sourceUnreachableOk = true;
            plan = refresh::planRefresh(*config, options);
        }
        if (!plan && asksForTypedName(plan.error())) {
            outcome.needsTypedName = true;
            outcome.guardReason = guardReason(plan.error());
            outcome.confirmName = qs(plan.error().confirmName);
            // Planning only reads: show the plan while the user decides whether to type.
            options.iKnowThisIs = plan.error().confirmName;
            plan = refresh::planRefresh(*config, options);
        }
        if (plan)
            outcome.plan = std::move(*plan);
        else
            outcome.error = errorText(plan.error());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("planning the refresh failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runRefresh(QPromise<RefreshJobOutcome> &promise, std::shared_ptr<const config::Config> config,
                RefreshRequest request, refresh::RefreshOptions options,
                const std::shared_ptr<JobProgressChannel> &channel)
{
    RefreshJobOutcome outcome;
    outcome.region = qs(options.region);
    outcome.request = std::move(request);
    try {
        postProgressTo(options, promise, *channel);
        auto result = refresh::refreshRegion(*config, options);
        if (result) {
            outcome.result = std::move(*result);
        } else {
            outcome.error = errorText(result.error());
            outcome.cancelled = result.error().code == ErrorCode::Cancelled;
            outcome.refused = result.error().exitCode() == 4; // any safety guard
            outcome.refusal = result.error().refusal;
            outcome.reason = qs(result.error().message);
            outcome.confirmName = qs(result.error().confirmName);
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("refresh failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runRollback(QPromise<RollbackOutcome> &promise, std::shared_ptr<const config::Config> config,
                 refresh::RefreshOptions options)
{
    RollbackOutcome outcome;
    outcome.region = qs(options.region);
    try {
        auto result = refresh::rollbackRegion(*config, options);
        if (result) {
            outcome.result = std::move(*result);
        } else if (asksForTypedName(result.error())) {
            outcome.needsTypedName = true;
            outcome.confirmName = qs(result.error().confirmName);
            outcome.error = guardReason(result.error());
        } else {
            outcome.error = errorText(result.error());
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("rollback failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runHistory(QPromise<RefreshHistoryOutcome> &promise,
                std::shared_ptr<const config::Config> config, QString region)
{
    RefreshHistoryOutcome outcome;
    outcome.region = region;
    try {
        auto history = refresh::regionHistory(*config, region.toStdString(), historyRows);
        if (history)
            outcome.history = std::move(*history);
        else
            outcome.error = qs(history.error().describe());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("reading the history failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runRollbackState(QPromise<RollbackStateOutcome> &promise,
                      std::shared_ptr<const config::Config> config, QString region)
{
    RollbackStateOutcome outcome;
    outcome.region = region;
    try {
        auto previous = refresh::previousDatabase(*config, region.toStdString());
        if (previous) {
            outcome.previousName = qs(previous->name);
            outcome.hasPrevious = previous->exists;
        } else {
            outcome.error = qs(previous.error().describe());
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("looking up the previous database failed: ")
                        + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

} // namespace

RefreshController::RefreshController(QObject *parent)
    : QObject(parent)
{
    // A refresh (whose copy engine has its own threads), a plan, a history load and a
    // rollback check at once.
    m_pool.setMaxThreadCount(4);
    m_pool.setObjectName(QStringLiteral("envsync-refresh-workers"));
}

RefreshController::~RefreshController()
{
    if (m_cancel)
        m_cancel->cancel(); // the copy stops and the shadow database is dropped
    forgetWatchers();
    m_pool.waitForDone();
}

void RefreshController::forgetWatchers()
{
    ++m_planGeneration;
    ++m_historyGeneration;
    ++m_rollbackStateGeneration;
    const auto watchers = findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly);
    for (QFutureWatcherBase *watcher : watchers)
        watcher->disconnect(this);
    m_jobWatcher = nullptr;
    m_busyRegion.clear();
}

void RefreshController::setConfig(std::shared_ptr<const config::Config> config)
{
    // A running refresh or rollback owns the config it started with (captured by value) and
    // still reports: only the read-only loads are stale.
    ++m_planGeneration;
    ++m_historyGeneration;
    ++m_rollbackStateGeneration;
    m_config = std::move(config);
    emit busyChanged();
}

refresh::RefreshOptions RefreshController::optionsFor(const RefreshRequest &request) const
{
    refresh::RefreshOptions options;
    options.region = request.region.toStdString();
    options.snapshot = request.snapshot.toStdString();
    options.iKnowThisIs = request.typedName.toStdString();
    options.sourceUnreachableOk = request.sourceUnreachableOk;
    options.forceOutsideWindow = request.forceOutsideWindow;
    options.reason = request.reason.trimmed().toStdString();
    options.jobs = m_jobs;
    options.now = m_now;
    return options;
}

bool RefreshController::plan(const RefreshRequest &request)
{
    if (!m_config || request.region.isEmpty())
        return false;
    const quint64 generation = ++m_planGeneration;
    refresh::RefreshOptions options = optionsFor(request);
    // So the outcome says whether the guards ask at all.
    options.iKnowThisIs.clear();
    options.sourceUnreachableOk = false;
    auto *watcher = new QFutureWatcher<RefreshPlanOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_planGeneration)
            return; // superseded by a newer plan (another snapshot picked)
        emit planReady(resultOf(watcher, "planning"));
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runPlan, m_config, request, options));
    return true;
}

bool RefreshController::startRefresh(const RefreshRequest &request)
{
    if (!m_config || m_jobWatcher || request.region.isEmpty())
        return false;
    spdlog::info("refresh of {} started", request.region.toStdString());
    m_cancel = std::make_shared<job::CancelToken>();
    m_busyRegion = request.region;
    refresh::RefreshOptions options = optionsFor(request);
    options.cancel = m_cancel;
    auto channel = std::make_shared<JobProgressChannel>();

    auto *watcher = new QFutureWatcher<RefreshJobOutcome>(this);
    m_jobWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this,
            [this, channel] { drain(*channel); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, channel] {
        drain(*channel); // what the throttled progress signals did not deliver
        const RefreshJobOutcome outcome = resultOf(watcher, "refresh");
        jobEnded();
        if (outcome.result)
            spdlog::info("refresh of {} done", outcome.region.toStdString());
        else if (outcome.cancelled)
            spdlog::warn("refresh of {} cancelled", outcome.region.toStdString());
        else
            spdlog::error("refresh of {} failed: {}", outcome.region.toStdString(),
                          outcome.error.toStdString());
        emit refreshFinished(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runRefresh, m_config, request, options, channel));
    emit refreshStarted(request.region);
    emit busyChanged();
    return true;
}

void RefreshController::cancelRefresh()
{
    if (!m_cancel)
        return;
    spdlog::info("cancelling the refresh of {}", m_busyRegion.toStdString());
    m_cancel->cancel();
}

bool RefreshController::rollback(const QString &region, const QString &typedName)
{
    if (!m_config || m_jobWatcher || region.isEmpty())
        return false;
    spdlog::info("rollback of {} started", region.toStdString());
    m_busyRegion = region;
    RefreshRequest request;
    request.region = region;
    request.typedName = typedName;
    auto *watcher = new QFutureWatcher<RollbackOutcome>(this);
    m_jobWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const RollbackOutcome outcome = resultOf(watcher, "rollback");
        jobEnded();
        if (outcome.result)
            spdlog::info("rollback of {} done", outcome.region.toStdString());
        else
            spdlog::error("rollback of {} failed: {}", outcome.region.toStdString(),
                          outcome.error.toStdString());
        emit rollbackFinished(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runRollback, m_config, optionsFor(request)));
    emit rollbackStarted(region);
    emit busyChanged();
    return true;
}

bool RefreshController::loadHistory(const QString &region)
{
    if (!m_config || region.isEmpty())
        return false;
    const quint64 generation = ++m_historyGeneration;
    auto *watcher = new QFutureWatcher<RefreshHistoryOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_historyGeneration)
            return; // another region was picked meanwhile
        emit historyLoaded(resultOf(watcher, "the history"));
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runHistory, m_config, region));
    return true;
}

bool RefreshController::loadRollbackState(const QString &region)
{
    if (!m_config || region.isEmpty())
        return false;
    const quint64 generation = ++m_rollbackStateGeneration;
    auto *watcher = new QFutureWatcher<RollbackStateOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_rollbackStateGeneration)
            return; // another region was picked, or a job changed the answer meanwhile
        emit rollbackStateLoaded(resultOf(watcher, "the rollback check"));
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runRollbackState, m_config, region));
    return true;
}

void RefreshController::jobEnded()
{
    m_jobWatcher = nullptr;
    m_cancel.reset();
    m_busyRegion.clear();
    emit busyChanged();
}

void RefreshController::drain(JobProgressChannel &channel)
{
    std::optional<job::Progress> progress;
    std::vector<std::string> steps;
    channel.take(progress, steps);
    for (const auto &step : steps) {
        spdlog::info("refresh: {}", step);
        emit refreshStep(qs(step));
    }
    if (progress)
        emit refreshProgress(*progress);
}

} // namespace envsync::ui
