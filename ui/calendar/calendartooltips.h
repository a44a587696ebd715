#pragma once

#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendartimelinelayout.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

/// The Calendar tab's tooltip texts (plain text, one fact a line). Pure, so tests read them.
namespace envsync::ui::calendartooltips {

/// "Mon 02:00–05:00 CET" (the end's day is named only when it differs).
[[nodiscard]] QString interval(const QDateTime &startUtc, const QDateTime &endUtc,
                               const QTimeZone &zone);

/// Region, local and viewer times, duration, expected duration, the refresh that ran, the
/// blackout that cancels it, its conflicts and whether it can be dragged.
[[nodiscard]] QString window(const CalendarData &data, const TimelineWindowItem &item,
                             const QTimeZone &viewerZone);
[[nodiscard]] QString blackout(const CalendarData &data, const TimelineBlackoutItem &item,
                               const QTimeZone &viewerZone);
[[nodiscard]] QString refreshMark(const CalendarData &data, const TimelineRefreshMark &mark,
                                  const QTimeZone &viewerZone);

} // namespace envsync::ui::calendartooltips
