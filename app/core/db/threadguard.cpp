#include "core/db/threadguard.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <thread>

namespace envsync::db {

namespace {
std::atomic<std::thread::id> g_guiThread{};
}

void registerGuiThread()
{
    g_guiThread.store(std::this_thread::get_id());
}

void unregisterGuiThread()
{
    g_guiThread.store(std::thread::id{});
}

bool onGuiThread()
{
    const std::thread::id gui = g_guiThread.load();
    return gui != std::thread::id{} && gui == std::this_thread::get_id();
}

std::optional<Error> refuseOnGuiThread(const char *operation)
{
    if (!onGuiThread())
        return std::nullopt;
    spdlog::critical("{} was called on the GUI thread; database work must run on a worker",
                     operation);
    return Error{ErrorCode::WrongThread,
                 std::string(operation) + " refused on the GUI thread (run it on a worker)",
                 {}};
}

} // namespace envsync::db
