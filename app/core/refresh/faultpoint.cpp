#include "core/refresh/faultpoint.h"

#include <csignal>
#include <cstdlib>

namespace envsync::refresh {

void faultPoint([[maybe_unused]] std::string_view name)
{
#ifdef ENVSYNC_FAULT_INJECTION
    const char *wanted = std::getenv("ENVSYNC_FAULT");
    if (wanted != nullptr && name == wanted)
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
