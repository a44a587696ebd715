#include "core/agent/systemclock.h"

#include <thread>

namespace envsync::agent {

SystemClock::SystemClock(const QDateTime &startAt)
    : m_offsetMs(startAt.isValid() ? QDateTime::currentDateTimeUtc().msecsTo(startAt) : 0)
{
}

QDateTime SystemClock::now() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_offsetMs);
}

bool SystemClock::sleepFor(std::chrono::seconds duration, const job::CancelToken &cancel)
{
    // Short slices: a signal handler can only set the token, it cannot wake a sleeper.
    constexpr auto slice = std::chrono::milliseconds(200);
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!cancel.isCancelled()) {
        const auto left = until - std::chrono::steady_clock::now();
        if (left <= std::chrono::steady_clock::duration::zero())
            return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, slice));
    }
    return false;
}

} // namespace envsync::agent
