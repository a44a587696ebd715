#pragma once

#include "core/error.h"

#include <string>
#include <string_view>

namespace envsync::util {

/// Writes `contents` to `path`. A regular file (or a path that does not exist yet) is written
/// atomically (QSaveFile: a temporary file next to the target, renamed over it on success), so
/// a failed write leaves the old file, or none, as it was. A FIFO or character device
/// (/dev/null, a pipe from `>(cmd)`, a terminal) is written in place: renaming over it would
/// replace the device or pipe with a regular file. /dev/stdout, /dev/stderr, /dev/fd/N and
/// /proc/self/fd/N write to that descriptor of this process. Anything else (a directory, a
/// block device, a socket) is refused with ErrorCode::Usage. The error names the path and says
/// why.
[[nodiscard]] Result<void> saveFile(const std::string &path, std::string_view contents);

} // namespace envsync::util
