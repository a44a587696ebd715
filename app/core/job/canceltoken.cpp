#include "canceltoken.h"

#include <utility>

namespace envsync::job {

void CancelToken::cancel()
{
    std::lock_guard lock(m_mutex);
    if (m_cancelled.exchange(true, std::memory_order_acq_rel))
        return;
    // Under the lock: a registration being destroyed waits, so no action outlives its owner.
    for (auto &[id, action] : m_actions)
        action();
}

CancelRegistration CancelToken::onCancel(std::function<void()> action)
{
    std::lock_guard lock(m_mutex);
    if (m_cancelled.load(std::memory_order_acquire)) {
        action();
        return {};
    }
    const std::uint64_t id = m_nextId++;
    m_actions.emplace(id, std::move(action));
    return CancelRegistration(this, id);
}

void CancelToken::forget(std::uint64_t id)
{
    std::lock_guard lock(m_mutex);
    m_actions.erase(id);
}

CancelRegistration::CancelRegistration(CancelRegistration &&other) noexcept
    : m_token(std::exchange(other.m_token, nullptr))
    , m_id(std::exchange(other.m_id, 0))
{
}

CancelRegistration &CancelRegistration::operator=(CancelRegistration &&other) noexcept
{
    if (this != &other) {
        if (m_token)
            m_token->forget(m_id);
        m_token = std::exchange(other.m_token, nullptr);
        m_id = std::exchange(other.m_id, 0);
    }
    return *this;
}

CancelRegistration::~CancelRegistration()
{
    if (m_token)
        m_token->forget(m_id);
}

} // namespace envsync::job
