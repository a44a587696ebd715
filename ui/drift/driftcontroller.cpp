#include "ui/drift/driftcontroller.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

/// Worker: snapshot the reference and every region, diff them. Progress: regions done.
void runDriftCheck(QPromise<DriftOutcome> &promise, std::shared_ptr<const config::Config> config,
                   drift::DriftRequest request)
{
    if (promise.isCanceled())
        return; // superseded before it started
    DriftOutcome outcome;
    try {
        promise.setProgressRange(0, static_cast<int>(config->regions.size()));
        auto result = drift::checkDrift(
                *config, request, [&promise](const std::string &region, int done, int) {
                    promise.setProgressValueAndText(done, QString::fromStdString(region));
                });
        if (result)
            outcome.report = std::make_shared<const drift::DriftReport>(std::move(*result));
        else
            outcome.error = QString::fromStdString(result.error().describe());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("drift check failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

} // namespace

DriftController::DriftController(QObject *parent)
    : QObject(parent)
{
    // One thread for the current check plus room for superseded ones still waiting on a
    // connect timeout, so a re-check never queues behind them.
    m_pool.setMaxThreadCount(4);
    m_pool.setObjectName(QStringLiteral("envsync-drift-workers"));
}

DriftController::~DriftController()
{
    ++m_generation;
    const auto watchers = findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly);
    for (QFutureWatcherBase *watcher : watchers) {
        watcher->disconnect(this);
        watcher->cancel();
    }
    m_pool.clear();
    if (m_pool.activeThreadCount() > 0)
        spdlog::debug("waiting for {} drift check(s) to finish", m_pool.activeThreadCount());
    m_pool.waitForDone();
}

void DriftController::setConfig(std::shared_ptr<const config::Config> config)
{
    supersede();
    m_config = std::move(config);
    m_report.reset();
}

std::vector<std::string> DriftController::regionNames() const
{
    std::vector<std::string> names;
    if (m_config) {
        for (const auto &region : m_config->regions)
            names.push_back(region.name);
    }
    return names;
}

void DriftController::supersede()
{
    ++m_generation;
    if (m_watcher) {
        // Its results are ignored from now on (generation); it deletes itself when done.
        m_watcher->cancel();
        m_watcher = nullptr;
    }
    setRunning(false);
}

void DriftController::cancel()
{
    if (!m_running)
        return;
    supersede();
    spdlog::info("drift check cancelled");
    emit checkCancelled();
}

bool DriftController::check(drift::Reference against)
{
    if (!m_config) {
        spdlog::warn("no drift check: no config is open");
        return false;
    }
    supersede();
    const quint64 generation = m_generation;
    const int total = static_cast<int>(m_config->regions.size());
    spdlog::info("checking schema drift of {} region(s) against the {}", total,
                 against == drift::Reference::Golden ? "golden snapshot" : "source");
    setRunning(true);
    emit checkStarted(generation, total);

    auto *watcher = new QFutureWatcher<DriftOutcome>(this);
    m_watcher = watcher;
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this,
            [this, watcher, generation, total](int done) {
                if (generation != m_generation || done <= 0)
                    return;
                emit regionChecked(watcher->progressText(), done, total);
            });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // cancelled or superseded: discard
        m_watcher = nullptr;
        setRunning(false);
        if (watcher->future().resultCount() == 0) {
            emit checkFailed(QStringLiteral("the drift check returned nothing"));
            return;
        }
        const DriftOutcome outcome = watcher->result();
        if (!outcome.report) {
            spdlog::error("drift check failed: {}", outcome.error.toStdString());
            m_report.reset();
            emit checkFailed(outcome.error);
            return;
        }
        m_report = outcome.report;
        for (const Error &error : m_report->errors)
            spdlog::warn("drift: {}", error.describe());
        std::size_t differences = 0;
        for (const auto &regionDrift : m_report->drifts)
            differences += regionDrift.differences.size();
        spdlog::info("drift checked against {}: {} difference(s) in {} region(s), {} unreadable",
                     m_report->referenceName, differences, m_report->drifts.size(),
                     m_report->errors.size());
        emit checkFinished(m_report);
    });
    watcher->setFuture(
            QtConcurrent::run(&m_pool, runDriftCheck, m_config, drift::DriftRequest{{}, against}));
    return true;
}

void DriftController::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    emit runningChanged(running);
}

} // namespace envsync::ui
