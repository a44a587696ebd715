#include "core/refresh/faultpoint.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>

namespace envsync::refresh {

#ifdef ENVSYNC_FAULT_INJECTION
namespace {

/// ENVSYNC_FAULT as "name" (the first time it is passed) or "name@N" (the N-th time).
struct WantedFault
{
    std::string name;
    long hit = 1;
};

const std::optional<WantedFault> &wantedFault()
{
    static const std::optional<WantedFault> wanted = []() -> std::optional<WantedFault> {
        const char *text = std::getenv("ENVSYNC_FAULT");
        if (text == nullptr || *text == '\0')
            return std::nullopt;
        WantedFault fault{text, 1};
        if (const auto at = fault.name.rfind('@'); at != std::string::npos) {
            fault.hit = std::max(1L, std::strtol(fault.name.c_str() + at + 1, nullptr, 10));
            fault.name.resize(at);
        }
        return fault;
    }();
    return wanted;
}

} // namespace
#endif

void faultPoint([[maybe_unused]] std::string_view name)
{
#ifdef ENVSYNC_FAULT_INJECTION
    static std::atomic<long> hits{0};
    const auto &wanted = wantedFault();
    if (wanted && name == wanted->name && ++hits >= wanted->hit)
        std::raise(SIGKILL);
#endif
}

bool faultInjectionCompiledIn()
{
#ifdef ENVSYNC_FAULT_INJECTION
    return true;
#else
    return false;
#endif
}

} // namespace envsync::refresh
