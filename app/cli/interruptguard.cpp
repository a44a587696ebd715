#include "interruptguard.h"

#include <csignal>

namespace envsync::cli {

namespace {

// A signal handler may only touch lock-free atomics: the token's flag is one.
std::shared_ptr<copy::CancelToken> g_token;

void onInterrupt(int)
{
    if (g_token)
        g_token->cancel();
}

} // namespace

InterruptGuard::InterruptGuard()
    : m_token(std::make_shared<copy::CancelToken>())
{
    g_token = m_token;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptGuard::~InterruptGuard()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_token.reset();
}

} // namespace envsync::cli
