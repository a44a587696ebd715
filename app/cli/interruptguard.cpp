#include "interruptguard.h"

#include <semaphore.h>

#include <atomic>
#include <csignal>

namespace envsync::cli {

namespace {

// A signal handler may only make async-signal-safe calls: it posts a semaphore, and the guard's
// thread cancels the token (which takes a lock and runs the registered PQcancel/kill actions).
sem_t g_wake;
std::atomic<bool> g_interrupted{false};

void onInterrupt(int)
{
    g_interrupted.store(true);
    sem_post(&g_wake);
}

} // namespace

InterruptGuard::InterruptGuard()
    : m_token(std::make_shared<job::CancelToken>())
{
    sem_init(&g_wake, 0, 0);
    g_interrupted.store(false);
    m_forwarder = std::thread([token = m_token] {
        while (sem_wait(&g_wake) != 0) {
        }
        if (g_interrupted.load())
            token->cancel();
    });
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

InterruptGuard::~InterruptGuard()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    sem_post(&g_wake); // wakes the forwarder without an interrupt: it returns
    m_forwarder.join();
    sem_destroy(&g_wake);
}

} // namespace envsync::cli
