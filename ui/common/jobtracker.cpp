#include "ui/common/jobtracker.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

namespace envsync::ui {

struct JobTracker::Job
{
    QString key;
    std::shared_ptr<job::CancelToken> token = std::make_shared<job::CancelToken>();
    ProgressHandler onProgress;

    /// Set (on the UI thread) when nobody listens any more: a worker not started yet skips it.
    std::atomic<bool> discarded{false};

    // UI thread only.
    bool current = true;
    bool flushScheduled = false;
    QElapsedTimer sinceDelivery; ///< invalid until the first progress was delivered

    // Worker threads → UI thread: figures not delivered yet, one entry per phase (the newest).
    std::mutex mutex;
    std::vector<job::Progress> pending;
};

JobTracker::JobTracker(int maxThreads, const QString &poolName, QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(std::max(1, maxThreads));
    m_pool.setObjectName(poolName);
    m_cancelPool.setMaxThreadCount(2);
    m_cancelPool.setObjectName(poolName + QStringLiteral("-cancel"));
}

JobTracker::~JobTracker()
{
    m_current.clear();
    for (const auto &job : m_running) {
        job->current = false;
        job->discarded = true;
        cancelOffThread(job->token);
    }
    if (m_pool.activeThreadCount() > 0)
        spdlog::debug("waiting for {} job(s) of {} to stop", m_pool.activeThreadCount(),
                      objectName().toStdString());
    m_pool.waitForDone();
    m_cancelPool.waitForDone();
}

void JobTracker::launch(const QString &key, Work work, ProgressHandler onProgress)
{
    const bool wasBusy = supersede(key);
    auto job = std::make_shared<Job>();
    job->key = key;
    job->onProgress = std::move(onProgress);
    m_current[key] = job;
    m_running.push_back(job);
    const JobContext context = contextFor(job);
    m_pool.start([this, job, context, work = std::move(work)] {
        std::function<void()> deliver;
        QString failure;
        try {
            if (!job->discarded.load())
                deliver = work(context);
        } catch (const std::exception &e) {
            failure = QString::fromUtf8(e.what());
        } catch (...) {
            failure = QStringLiteral("unknown exception");
        }
        QMetaObject::invokeMethod(
                this, [this, job, deliver, failure] { finish(job, deliver, failure); },
                Qt::QueuedConnection);
    });
    if (!wasBusy)
        emit busyChanged(key, true);
}

JobContext JobTracker::contextFor(const std::shared_ptr<Job> &job)
{
    JobContext context;
    context.cancel = job->token;
    context.progress = [this, job](const job::Progress &progress) {
        report(job, progress);
    };
    context.post = [this, job](std::function<void()> event) {
        QMetaObject::invokeMethod(
                this,
                [job, event = std::move(event)] {
                    if (job->current)
                        event();
                },
                Qt::QueuedConnection);
    };
    return context;
}

void JobTracker::report(const std::shared_ptr<Job> &job, const job::Progress &progress)
{
    bool wake = false;
    {
        const std::lock_guard lock(job->mutex);
        wake = job->pending.empty();
        if (!wake && job->pending.back().phase == progress.phase)
            job->pending.back() = progress; // latest wins within a phase
        else
            job->pending.push_back(progress); // a phase change is never dropped
    }
    // One wake-up per batch: the next comes only after the UI thread took the pending figures.
    if (wake)
        QMetaObject::invokeMethod(
                this, [this, job] { scheduleFlush(job); }, Qt::QueuedConnection);
}

void JobTracker::scheduleFlush(const std::shared_ptr<Job> &job)
{
    if (!job->current || job->flushScheduled)
        return;
    const qint64 since
            = job->sinceDelivery.isValid() ? job->sinceDelivery.elapsed() : progressIntervalMs;
    if (since >= progressIntervalMs) {
        flush(job);
        return;
    }
    job->flushScheduled = true;
    QTimer::singleShot(progressIntervalMs - since, this, [this, job] {
        job->flushScheduled = false;
        flush(job);
    });
}

void JobTracker::flush(const std::shared_ptr<Job> &job)
{
    std::vector<job::Progress> batch;
    {
        const std::lock_guard lock(job->mutex);
        batch.swap(job->pending);
    }
    if (batch.empty() || !job->current)
        return;
    job->sinceDelivery.start();
    for (const job::Progress &progress : batch) {
        if (!job->current || !job->onProgress)
            return; // a handler discarded the job
        job->onProgress(progress);
    }
}

void JobTracker::finish(const std::shared_ptr<Job> &job, const std::function<void()> &deliver,
                        const QString &failure)
{
    std::erase(m_running, job);
    if (!job->current)
        return; // superseded or discarded: its result goes nowhere
    flush(job); // the last figures arrive before the result, whatever the interval
    if (!retire(job))
        return;
    emit busyChanged(job->key, false);
    if (!failure.isEmpty()) {
        spdlog::error("job {} failed: {}", job->key.toStdString(), failure.toStdString());
        emit jobFailed(job->key, failure);
    } else if (deliver) {
        deliver();
    }
}

bool JobTracker::retire(const std::shared_ptr<Job> &job)
{
    if (!job->current)
        return false;
    job->current = false;
    job->discarded = true;
    const auto it = m_current.find(job->key);
    if (it != m_current.end() && it->second == job)
        m_current.erase(it);
    return true;
}

bool JobTracker::cancel(const QString &key)
{
    const auto it = m_current.find(key);
    if (it == m_current.end())
        return false;
    cancelOffThread(it->second->token);
    return true;
}

bool JobTracker::discard(const QString &key)
{
    if (!supersede(key))
        return false;
    emit busyChanged(key, false);
    return true;
}

bool JobTracker::supersede(const QString &key)
{
    const auto it = m_current.find(key);
    if (it == m_current.end())
        return false;
    const std::shared_ptr<Job> job = it->second;
    retire(job);
    cancelOffThread(job->token);
    return true;
}

bool JobTracker::busy(const QString &key) const
{
    return m_current.contains(key);
}

void JobTracker::cancelOffThread(const std::shared_ptr<job::CancelToken> &token)
{
    m_cancelPool.start([token] { token->cancel(); });
}

} // namespace envsync::ui
