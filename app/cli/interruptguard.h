#pragma once

#include "core/job/canceltoken.h"

#include <memory>
#include <thread>

namespace envsync::cli {

/// While alive, SIGINT and SIGTERM cancel `token()` instead of killing the process, so a job
/// can roll back cleanly (drop its half-built database). One at a time.
class InterruptGuard
{
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

    [[nodiscard]] const std::shared_ptr<job::CancelToken> &token() const { return m_token; }

private:
    std::shared_ptr<job::CancelToken> m_token;
    std::thread m_forwarder;
};

} // namespace envsync::cli
