#pragma once

#include <QColor>

#include <cstddef>

namespace envsync::ui {

/// Colours that tell regions apart in charts and the calendar. None of them is a status hue
/// (green ok, amber due, red overdue/breaking, grey unknown): a region is never "green" just
/// because of its slot. Every chart uses this one list, so eu has the same colour everywhere.
struct RegionPalette
{
    /// The colour of the region at `index` in config order (cycles after six).
    [[nodiscard]] static QColor color(std::size_t index);
    [[nodiscard]] static std::size_t size();
};

} // namespace envsync::ui
