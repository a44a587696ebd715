#pragma once

#include "core/error.h"

#include <QString>

namespace envsync::ui {

/// An Error as the console shows it: core's one line plus, where core marked it, how to make
/// what was missing or lift the refusal in this window's terms (tabs, buttons, typed names),
/// never the command line's flags. Core's text is never parsed: only its structured fields.
[[nodiscard]] QString errorText(const Error &error);

} // namespace envsync::ui
