#pragma once

#include "core/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace envsync::cdc {

/// A position in the source's write-ahead log (XLogRecPtr).
using Lsn = std::uint64_t;

/// "16/B374D848", as pg_lsn prints it.
[[nodiscard]] std::string formatLsn(Lsn lsn);
/// Parses pg_lsn's text form ("16/B374D848"); Usage error naming the text otherwise.
[[nodiscard]] Result<Lsn> parseLsn(std::string_view text);

} // namespace envsync::cdc
