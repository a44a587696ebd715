#pragma once

#include "core/job/canceltoken.h"
#include "core/job/progress.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace envsync::ui {

/// What a job's worker gets from its JobTracker. Copyable; every member may be used from any
/// thread of the job.
struct JobContext
{
    /// Cancelled by JobTracker::cancel(), discard(), a superseding start() and the tracker's
    /// destruction; pass it to the core API so the server work and children stop too.
    std::shared_ptr<job::CancelToken> cancel;
    /// Newest figures; reach the UI thread coalesced to at most 10 a second (latest wins,
    /// phase changes and the last figures are never dropped).
    job::ProgressFn progress;
    /// Runs `event` on the UI thread, in the order posted, unless the job was discarded by then
    /// (step lines, partial results such as one endpoint's probe).
    std::function<void(std::function<void()>)> post;
};

/// The console's one way to run a job off the UI thread (Hotspot's JobTracker, Qt Creator's
/// task tree): every controller starts its jobs here.
///
/// Jobs run on the tracker's own QThreadPool. Each job has a key (its kind: "list", "create",
/// "probe"…): starting a job with the key of a running one supersedes it (its token is
/// cancelled and its result dropped). Results, progress and posted events are delivered on the
/// UI thread, and only while the job is current. busy(key) holds from start until the result
/// is delivered (or the job is discarded). The destructor cancels every job, current or
/// superseded, and waits for the workers: none outlives the tracker. Cancel actions registered
/// on a token (PQcancel, SIGTERM of a child) run on a helper thread, never on the UI thread.
class JobTracker : public QObject
{
    Q_OBJECT

public:
    using ProgressHandler = std::function<void(const job::Progress &)>;

    /// Progress of one job reaches the UI thread at most once per this interval.
    static constexpr int progressIntervalMs = 100;

    JobTracker(int maxThreads, const QString &poolName, QObject *parent = nullptr);
    ~JobTracker() override;

    /// Runs `work` on a worker; on the UI thread, `onResult` gets what it returned and
    /// `onProgress` its coalesced figures. Supersedes a running job with the same key. When
    /// `work` throws, jobFailed is emitted instead of onResult.
    template<typename R>
    void start(const QString &key, std::function<R(const JobContext &)> work,
               std::function<void(R)> onResult, ProgressHandler onProgress = {})
    {
        auto deliverable = [work = std::move(work),
                            onResult = std::move(onResult)](const JobContext &context) {
            auto result = std::make_shared<R>(work(context));
            return std::function<void()>([onResult, result] { onResult(std::move(*result)); });
        };
        launch(key, std::move(deliverable), std::move(onProgress));
    }

    /// Asks the job to stop (cancels its token); it stays busy and still delivers its result
    /// (typically a "cancelled" outcome) when its worker ends. False when no job has the key.
    bool cancel(const QString &key);
    /// Cancels the job and drops whatever it still delivers; busy(key) is false at once.
    bool discard(const QString &key);

    [[nodiscard]] bool busy(const QString &key) const;
    /// Any current job at all.
    [[nodiscard]] bool busy() const { return !m_current.empty(); }
    /// Workers still running, superseded and discarded ones included.
    [[nodiscard]] int runningWorkers() const { return static_cast<int>(m_running.size()); }

signals:
    void busyChanged(const QString &key, bool busy);
    /// The job's work threw (its result is lost): `message` says what.
    void jobFailed(const QString &key, const QString &message);

private:
    struct Job;
    using Work = std::function<std::function<void()>(const JobContext &)>;

    void launch(const QString &key, Work work, ProgressHandler onProgress);
    [[nodiscard]] JobContext contextFor(const std::shared_ptr<Job> &job);
    void report(const std::shared_ptr<Job> &job, const job::Progress &progress);
    void scheduleFlush(const std::shared_ptr<Job> &job);
    void flush(const std::shared_ptr<Job> &job);
    void finish(const std::shared_ptr<Job> &job, const std::function<void()> &deliver,
                const QString &failure);
    /// Retires and cancels the current job with `key` without announcing it; true if one ran.
    bool supersede(const QString &key);
    /// Drops the job from the current ones (no more deliveries); true if it was current.
    bool retire(const std::shared_ptr<Job> &job);
    void cancelOffThread(const std::shared_ptr<job::CancelToken> &token);

    QThreadPool m_pool;
    /// Runs cancel actions (PQcancel connects to the server): never on the UI thread, and not
    /// behind the jobs queued on m_pool.
    QThreadPool m_cancelPool;
    std::map<QString, std::shared_ptr<Job>> m_current;
    std::vector<std::shared_ptr<Job>> m_running;
};

} // namespace envsync::ui
