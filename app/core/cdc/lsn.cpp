#include "lsn.h"

#include <charconv>
#include <cstdio>

namespace envsync::cdc {

std::string formatLsn(Lsn lsn)
{
    char text[24];
    std::snprintf(text, sizeof text, "%X/%X", static_cast<unsigned>(lsn >> 32),
                  static_cast<unsigned>(lsn & 0xffffffffu));
    return text;
}

Result<Lsn> parseLsn(std::string_view text)
{
    const auto slash = text.find('/');
    auto bad = [&] {
        return fail(ErrorCode::Usage, "not a WAL position: \"" + std::string(text) + '"');
    };
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size() || slash > 8
        || text.size() - slash - 1 > 8)
        return bad();
    std::uint32_t high = 0;
    std::uint32_t low = 0;
    const char *begin = text.data();
    const auto first = std::from_chars(begin, begin + slash, high, 16);
    const auto second = std::from_chars(begin + slash + 1, begin + text.size(), low, 16);
    if (first.ec != std::errc() || first.ptr != begin + slash || second.ec != std::errc()
        || second.ptr != begin + text.size())
        return bad();
    return (static_cast<Lsn>(high) << 32) | low;
}

} // namespace envsync::cdc
