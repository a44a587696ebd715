#pragma once

#include "core/error.h"

#include <string>
#include <string_view>

namespace envsync::util {

/// Writes `contents` to `path` atomically (QSaveFile: a temporary file next to the target,
/// renamed over it on success), so a failed write leaves the old file, or none, as it was.
/// The error names the path and says why.
[[nodiscard]] Result<void> saveFile(const std::string &path, std::string_view contents);

} // namespace envsync::util
