#include "core/cdc/runstate.h"

namespace envsync::cdc {

const char *regionStateName(RegionState state)
{
    switch (state) {
    case RegionState::Starting:
        return "starting";
    case RegionState::Streaming:
        return "streaming";
    case RegionState::Paused:
        return "paused";
    case RegionState::Refreshing:
        return "refreshing";
    case RegionState::Reconnecting:
        return "reconnecting";
    case RegionState::NeedsRefresh:
        return "needs-refresh";
    case RegionState::Error:
        return "stopped-with-error";
    case RegionState::Stopped:
        return "stopped";
    }
    return "unknown";
}

RunState::RunState(const std::vector<std::string> &regions)
{
    for (const auto &region : regions)
        m_regions[region].region = region;
}

void RunState::updateReader(const std::function<void(ReaderFigures &)> &change)
{
    const std::lock_guard lock(m_mutex);
    change(m_reader);
}

void RunState::updateRegion(const std::string &region,
                            const std::function<void(RegionFigures &)> &change)
{
    const std::lock_guard lock(m_mutex);
    change(m_regions[region]);
}

ReaderFigures RunState::reader() const
{
    const std::lock_guard lock(m_mutex);
    return m_reader;
}

std::vector<RegionFigures> RunState::regions() const
{
    const std::lock_guard lock(m_mutex);
    std::vector<RegionFigures> out;
    for (const auto &[name, figures] : m_regions)
        out.push_back(figures);
    return out;
}

void RunState::setControl(const std::string &region, RegionControl control)
{
    {
        const std::lock_guard lock(m_mutex);
        m_controls[region] = control;
    }
    m_grew.notify_all(); // a paused applier resumes without waiting for its timeout
}

RegionControl RunState::control(const std::string &region) const
{
    const std::lock_guard lock(m_mutex);
    const auto found = m_controls.find(region);
    return found == m_controls.end() ? RegionControl{} : found->second;
}

void RunState::notifySpoolGrew()
{
    {
        const std::lock_guard lock(m_mutex);
        ++m_generation;
    }
    m_grew.notify_all();
}

void RunState::waitForSpool(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t seen = m_generation;
    m_grew.wait_for(lock, timeout, [&] { return m_generation != seen; });
}

} // namespace envsync::cdc
