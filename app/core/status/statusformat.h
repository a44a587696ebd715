#pragma once

#include "core/status/endpointstatus.h"

#include <string>

namespace envsync::status {

/// The documented JSON shape of `envsyncctl status --format json` (see README).
[[nodiscard]] std::string toJson(const StatusReport &report);
/// An aligned plain-text table for terminals.
[[nodiscard]] std::string toTable(const StatusReport &report);

/// "1.2 GB", "840 kB": decimal units like pg_size_pretty's neighbours in other tools.
[[nodiscard]] std::string humanBytes(std::int64_t bytes);
/// "3d 4h", "5h 12m", "42s"
[[nodiscard]] std::string humanDuration(std::chrono::seconds duration);

} // namespace envsync::status
