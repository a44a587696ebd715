#pragma once

#include "core/error.h"

#include <optional>

namespace envsync::db {

/// The GUI registers its thread here at start-up; every blocking database call checks it and
/// refuses to run there, so a slow or unreachable host can never freeze the window.
void registerGuiThread();
/// Forget the registration (tests).
void unregisterGuiThread();
/// True when the calling thread is the registered GUI thread.
[[nodiscard]] bool onGuiThread();
/// An Error (ErrorCode::WrongThread) naming the operation when called on the GUI thread.
[[nodiscard]] std::optional<Error> refuseOnGuiThread(const char *operation);

} // namespace envsync::db
