#include "ui/common/regionpalette.h"

#include <array>

namespace envsync::ui {

namespace {

// Blue, purple, teal, indigo, magenta, light blue: far in hue from the status colours.
constexpr std::array<QRgb, 6> regionColors
        = {0x1f77b4, 0x8e44ad, 0x00838f, 0x3949ab, 0xb0379a, 0x64b5f6};

} // namespace

QColor RegionPalette::color(std::size_t index)
{
    return QColor::fromRgb(regionColors.at(index % regionColors.size()));
}

std::size_t RegionPalette::size()
{
    return regionColors.size();
}

} // namespace envsync::ui
