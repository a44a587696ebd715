#pragma once

#include "core/job/progress.h"

#include <QPromise>

#include <atomic>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace envsync::ui {

/// Where a job's worker leaves its newest copy figures and step lines for the GUI thread: the
/// copy engine calls back on its own threads, the GUI takes what is there when the
/// QFutureWatcher (throttled by Qt) wakes it. Only the newest figures matter; steps are kept
/// in order.
class JobProgressChannel
{
public:
    void setProgress(const job::Progress &progress);
    void addStep(const std::string &step);
    /// Takes everything posted since the last take (nullopt: no new figures).
    void take(std::optional<job::Progress> &progress, std::vector<std::string> &steps);

private:
    std::mutex m_mutex;
    std::optional<job::Progress> m_latest;
    std::vector<std::string> m_steps;
};

/// Points a core job's `progress` and `step` callbacks at `channel`, nudging `promise` after each
/// post: its progress value only wakes the GUI's QFutureWatcher (which Qt throttles); the figures
/// travel through the channel. `promise` and `channel` must outlive the job.
template<typename JobOptions, typename T>
void postProgressTo(JobOptions &options, QPromise<T> &promise, JobProgressChannel &channel)
{
    auto tick = std::make_shared<std::atomic<int>>(0);
    promise.setProgressRange(0, std::numeric_limits<int>::max());
    options.progress = [&channel, &promise, tick](const job::Progress &progress) {
        channel.setProgress(progress);
        promise.setProgressValue(++*tick);
    };
    options.step = [&channel, &promise, tick](const std::string &step) {
        channel.addStep(step);
        promise.setProgressValue(++*tick);
    };
}

} // namespace envsync::ui
