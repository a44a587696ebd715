#pragma once

#include "core/job/canceltoken.h"

#include <QDateTime>

#include <chrono>

namespace envsync::agent {

/// The agent's notion of time. Injectable so tests drive days of schedule without sleeping.
class AgentClock
{
public:
    virtual ~AgentClock() = default;
    /// The current instant, UTC.
    [[nodiscard]] virtual QDateTime now() const = 0;
    /// Waits `duration` (or until `cancel` fires); false when cancelled.
    virtual bool sleepFor(std::chrono::seconds duration, const job::CancelToken &cancel) = 0;
};

} // namespace envsync::agent
