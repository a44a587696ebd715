#include "ui/common/jobprogresschannel.h"

namespace envsync::ui {

void JobProgressChannel::setProgress(const job::Progress &progress)
{
    const std::lock_guard lock(m_mutex);
    m_latest = progress;
}

void JobProgressChannel::addStep(const std::string &step)
{
    const std::lock_guard lock(m_mutex);
    m_steps.push_back(step);
}

void JobProgressChannel::take(std::optional<job::Progress> &progress,
                              std::vector<std::string> &steps)
{
    const std::lock_guard lock(m_mutex);
    progress.reset();
    progress.swap(m_latest);
    steps.clear();
    steps.swap(m_steps);
}

} // namespace envsync::ui
