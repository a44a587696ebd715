#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace envsync::job {

class CancelRegistration;

/// Cancels a running job from any thread. Jobs poll isCancelled() between steps and register
/// what stops work already in flight (PQcancel of a busy connection, SIGTERM of a child) with
/// onCancel(), so cancelling stops the servers and children too, not only the listening.
/// cancel() takes a lock: from a signal handler, only set a flag that a thread forwards here.
class CancelToken
{
public:
    CancelToken() = default;
    CancelToken(const CancelToken &) = delete;
    CancelToken &operator=(const CancelToken &) = delete;

    /// Sets the flag, then runs every registered action once (on the calling thread).
    void cancel();
    [[nodiscard]] bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }

    /// Runs `action` on cancel (at once when already cancelled) until the returned registration
    /// is destroyed; its destructor waits for a running action, so the action may use what the
    /// registering scope owns (a PGconn's cancel handle, a child's pid). Keep actions short.
    [[nodiscard]] CancelRegistration onCancel(std::function<void()> action);

private:
    friend class CancelRegistration;
    void forget(std::uint64_t id);

    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::map<std::uint64_t, std::function<void()>> m_actions;
    std::uint64_t m_nextId = 1;
};

/// Keeps one onCancel() action registered while alive. Move-only; empty when default-built.
class CancelRegistration
{
public:
    CancelRegistration() = default;
    CancelRegistration(CancelToken *token, std::uint64_t id) : m_token(token), m_id(id) {}
    CancelRegistration(CancelRegistration &&other) noexcept;
    CancelRegistration &operator=(CancelRegistration &&other) noexcept;
    CancelRegistration(const CancelRegistration &) = delete;
    CancelRegistration &operator=(const CancelRegistration &) = delete;
    ~CancelRegistration();

private:
    CancelToken *m_token = nullptr;
    std::uint64_t m_id = 0;
};

/// True when `token` is set and cancelled (jobs accept a null token: not cancellable).
[[nodiscard]] inline bool cancelled(const std::shared_ptr<CancelToken> &token)
{
    return token && token->isCancelled();
}

} // namespace envsync::job
