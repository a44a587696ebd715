#pragma once

#include <QDate>
#include <QDateTime>
#include <QTime>
#include <QTimeZone>

namespace envsync::schedule {

/// The UTC instant of a local date and time in a zone, by the rule windowexpander.h documents:
/// a time that a DST change skips moves forward by the gap (02:30 on a 02:00→03:00 night is
/// 03:30 after the change); a time that occurs twice takes its first occurrence (before the
/// clocks go back). Qt 6.4's QDateTime(date, time, zone) does neither: it returns an invalid
/// value in a gap and the second occurrence of a repeated time.
[[nodiscard]] QDateTime zonedToUtc(const QDate &date, const QTime &time, const QTimeZone &zone);

} // namespace envsync::schedule
