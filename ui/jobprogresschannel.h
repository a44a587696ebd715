#pragma once

#include "core/copy/copyengine.h"

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
    void setProgress(const copy::CopyProgress &progress);
    void addStep(const std::string &step);
    /// Takes everything posted since the last take (nullopt: no new figures).
    void take(std::optional<copy::CopyProgress> &progress, std::vector<std::string> &steps);

private:
    std::mutex m_mutex;
    std::optional<copy::CopyProgress> m_latest;
    std::vector<std::string> m_steps;
};

} // namespace envsync::ui
