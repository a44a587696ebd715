#pragma once

#include "core/config/config.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <string>
#include <vector>

/// What dragging a window in the Calendar tab means for the config: pure functions, so the
/// preview and the tests agree with what gets saved.
namespace envsync::ui::calendarreschedule {

/// The step a dragged window snaps to, in the region's local time.
inline constexpr int snapMinutes = 15;

/// The days (1 = Monday … 7 = Sunday) of a rule that is exactly FREQ=WEEKLY;BYDAY=<days>
/// (any order of the two parts, plain two-letter days); nullopt for every other rule, which
/// the calendar does not move (INTERVAL, BYSETPOS, ordinal days … are edited in the file).
[[nodiscard]] std::optional<std::vector<int>> simpleWeeklyDays(const std::string &rrule);

/// Whether the calendar can move the region's window by dragging.
[[nodiscard]] bool isDraggable(const config::RegionConfig &region);

/// `droppedUtc` moved to the nearest snapMinutes step of the local clock in `timezone`
/// (unchanged for an unknown zone).
[[nodiscard]] QDateTime snappedStart(const QDateTime &droppedUtc, const std::string &timezone);

/// The window after dragging the occurrence that starts at `occurrenceStartUtc` so that it
/// starts at `droppedStartUtc`: the drop is read in the region's zone, snapped to
/// snapMinutes; every BYDAY day moves by the same number of local days and the start time
/// becomes the drop's local time. nullopt when the region's rule is not draggable.
[[nodiscard]] std::optional<config::WindowConfig> movedWindow(const config::RegionConfig &region,
                                                              const QDateTime &occurrenceStartUtc,
                                                              const QDateTime &droppedStartUtc);

/// "FREQ=WEEKLY;BYDAY=TU at 03:30, 3 h (Europe/Berlin)".
[[nodiscard]] QString ruleText(const config::WindowConfig &window, const std::string &timezone);

/// A copy of `config` with `region`'s window replaced (the preview's "what if").
[[nodiscard]] config::Config withWindow(const config::Config &config, const std::string &region,
                                        const config::WindowConfig &window);

} // namespace envsync::ui::calendarreschedule
