#pragma once

#include "core/agent/agentclock.h"

namespace envsync::agent {

/// Wall-clock time, optionally shifted so that it reads `startAt` at construction (the CLI's
/// `--now`, for testing a schedule against the real estate); sleeps for real.
class SystemClock : public AgentClock
{
public:
    explicit SystemClock(const QDateTime &startAt = {});

    [[nodiscard]] QDateTime now() const override;
    bool sleepFor(std::chrono::seconds duration, const job::CancelToken &cancel) override;

private:
    qint64 m_offsetMs = 0;
};

} // namespace envsync::agent
