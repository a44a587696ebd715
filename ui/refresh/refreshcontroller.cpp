#include "ui/refresh/refreshcontroller.h"

#include "core/refresh/previousdatabase.h"
#include "core/refresh/refreshhistory.h"
#include "core/snapshot/snapshot.h"
#include "ui/common/errortext.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString planKey = QStringLiteral("plan");
/// The running refresh or rollback: one at a time.
const QString jobKey = QStringLiteral("job");
const QString historyKey = QStringLiteral("history");
const QString rollbackStateKey = QStringLiteral("rollbackState");

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

QStringList readySnapshotNames(const config::Config &config,
                               const std::shared_ptr<job::CancelToken> &cancel)
{
    QStringList names;
    auto list = snapshot::listSnapshots(config, cancel);
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

RefreshPlanOutcome runPlan(std::shared_ptr<const config::Config> config, RefreshRequest request,
                           refresh::RefreshOptions options)
{
    RefreshPlanOutcome outcome;
    outcome.request = std::move(request);
    try {
        outcome.readySnapshots = readySnapshotNames(*config, options.cancel);
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
    return outcome;
}

RefreshJobOutcome runRefresh(std::shared_ptr<const config::Config> config, RefreshRequest request,
                             refresh::RefreshOptions options)
{
    RefreshJobOutcome outcome;
    outcome.region = qs(options.region);
    outcome.request = std::move(request);
    try {
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
    return outcome;
}

RollbackOutcome runRollback(std::shared_ptr<const config::Config> config,
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
    return outcome;
}

RefreshHistoryOutcome runHistory(std::shared_ptr<const config::Config> config, QString region,
                                 const std::shared_ptr<job::CancelToken> &cancel)
{
    RefreshHistoryOutcome outcome;
    outcome.region = region;
    try {
        auto history = refresh::regionHistory(*config, region.toStdString(), historyRows, cancel);
        if (history)
            outcome.history = std::move(*history);
        else
            outcome.error = qs(history.error().describe());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("reading the history failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

RollbackStateOutcome runRollbackState(std::shared_ptr<const config::Config> config, QString region,
                                      const std::shared_ptr<job::CancelToken> &cancel)
{
    RollbackStateOutcome outcome;
    outcome.region = region;
    try {
        auto previous = refresh::previousDatabase(*config, region.toStdString(), cancel);
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
    return outcome;
}

} // namespace

RefreshController::RefreshController(QObject *parent)
    : QObject(parent)
{
    connect(&m_jobs, &JobTracker::busyChanged, this, [this](const QString &key, bool busy) {
        if (key != jobKey)
            return;
        if (!busy)
            jobEnded();
        emit busyChanged();
    });
}

RefreshController::~RefreshController() = default;

bool RefreshController::isBusy() const
{
    return m_jobs.busy(jobKey);
}

void RefreshController::setConfig(std::shared_ptr<const config::Config> config)
{
    // A running refresh or rollback owns the config it started with (captured by value) and
    // still reports: only the read-only loads are stale.
    m_jobs.discard(planKey);
    m_jobs.discard(historyKey);
    m_jobs.discard(rollbackStateKey);
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
    options.jobs = m_copyJobs;
    options.now = m_now;
    return options;
}

bool RefreshController::plan(const RefreshRequest &request)
{
    if (!m_config || request.region.isEmpty())
        return false;
    refresh::RefreshOptions options = optionsFor(request);
    // So the outcome says whether the guards ask at all.
    options.iKnowThisIs.clear();
    options.sourceUnreachableOk = false;
    m_jobs.start<RefreshPlanOutcome>(
            planKey,
            [config = m_config, request, options](const JobContext &context) mutable {
                options.cancel = context.cancel;
                return runPlan(config, request, options);
            },
            [this](RefreshPlanOutcome outcome) { emit planReady(outcome); });
    return true;
}

bool RefreshController::startRefresh(const RefreshRequest &request)
{
    if (!m_config || isBusy() || request.region.isEmpty())
        return false;
    spdlog::info("refresh of {} started", request.region.toStdString());
    m_busyRegion = request.region;
    m_refreshing = true;
    auto onStep = [this](const QString &step) {
        spdlog::info("refresh: {}", step.toStdString());
        emit refreshStep(step);
    };
    auto onSwapping = [this] {
        emit refreshSwapping();
    };
    m_jobs.start<RefreshJobOutcome>(
            jobKey,
            [config = m_config, request, options = optionsFor(request), onStep,
             onSwapping](const JobContext &context) mutable {
                options.cancel = context.cancel;
                options.progress = context.progress;
                options.step = [post = context.post, onStep](const std::string &step) {
                    post([onStep, step = qs(step)] { onStep(step); });
                };
                options.swapping = [post = context.post, onSwapping] {
                    post(onSwapping);
                };
                return runRefresh(config, request, options);
            },
            [this](RefreshJobOutcome outcome) {
                if (outcome.result)
                    spdlog::info("refresh of {} done", outcome.region.toStdString());
                else if (outcome.cancelled)
                    spdlog::warn("refresh of {} cancelled", outcome.region.toStdString());
                else
                    spdlog::error("refresh of {} failed: {}", outcome.region.toStdString(),
                                  outcome.error.toStdString());
                emit refreshFinished(outcome);
            },
            [this](const job::Progress &progress) { emit refreshProgress(progress); });
    emit refreshStarted(request.region);
    return true;
}

void RefreshController::cancelRefresh()
{
    if (!isRefreshing())
        return;
    spdlog::info("cancelling the refresh of {}", m_busyRegion.toStdString());
    m_jobs.cancel(jobKey);
}

bool RefreshController::rollback(const QString &region, const QString &typedName)
{
    if (!m_config || isBusy() || region.isEmpty())
        return false;
    spdlog::info("rollback of {} started", region.toStdString());
    m_busyRegion = region;
    m_refreshing = false;
    RefreshRequest request;
    request.region = region;
    request.typedName = typedName;
    m_jobs.start<RollbackOutcome>(
            jobKey,
            [config = m_config, options = optionsFor(request)](const JobContext &context) mutable {
                options.cancel = context.cancel;
                return runRollback(config, options);
            },
            [this](RollbackOutcome outcome) {
                if (outcome.result)
                    spdlog::info("rollback of {} done", outcome.region.toStdString());
                else
                    spdlog::error("rollback of {} failed: {}", outcome.region.toStdString(),
                                  outcome.error.toStdString());
                emit rollbackFinished(outcome);
            });
    emit rollbackStarted(region);
    return true;
}

bool RefreshController::loadHistory(const QString &region)
{
    if (!m_config || region.isEmpty())
        return false;
    // A newer call (another region picked) supersedes this one.
    m_jobs.start<RefreshHistoryOutcome>(
            historyKey,
            [config = m_config, region](const JobContext &context) {
                return runHistory(config, region, context.cancel);
            },
            [this](RefreshHistoryOutcome outcome) { emit historyLoaded(outcome); });
    return true;
}

bool RefreshController::loadRollbackState(const QString &region)
{
    if (!m_config || region.isEmpty())
        return false;
    // A newer call (another region, or a job changed the answer) supersedes this one.
    m_jobs.start<RollbackStateOutcome>(
            rollbackStateKey,
            [config = m_config, region](const JobContext &context) {
                return runRollbackState(config, region, context.cancel);
            },
            [this](RollbackStateOutcome outcome) { emit rollbackStateLoaded(outcome); });
    return true;
}

void RefreshController::jobEnded()
{
    m_refreshing = false;
    m_busyRegion.clear();
}

} // namespace envsync::ui
