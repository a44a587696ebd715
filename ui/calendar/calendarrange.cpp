#include "ui/calendar/calendarrange.h"

namespace envsync::ui {

namespace {

QDate firstDayOf(QDate day, CalendarRange::Span span)
{
    if (span == CalendarRange::Span::Month)
        return QDate(day.year(), day.month(), 1);
    return day.addDays(1 - day.dayOfWeek()); // ISO weeks start on Monday
}

QDate endDayOf(QDate first, CalendarRange::Span span)
{
    return span == CalendarRange::Span::Month ? first.addMonths(1) : first.addDays(7);
}

QDateTime localMidnightUtc(QDate day, const QTimeZone &zone)
{
    return QDateTime(day, QTime(0, 0), zone).toUTC();
}

} // namespace

CalendarRange::CalendarRange(QDate firstDay, Span span, const QTimeZone &zone)
    : m_firstDay(firstDay)
    , m_span(span)
    , m_zone(zone)
    , m_fromUtc(localMidnightUtc(firstDay, zone))
    , m_toUtc(localMidnightUtc(endDayOf(firstDay, span), zone))
{
}

CalendarRange CalendarRange::containing(const QDateTime &utc, Span span,
                                        const QTimeZone &viewerZone)
{
    return {firstDayOf(utc.toTimeZone(viewerZone).date(), span), span, viewerZone};
}

CalendarRange CalendarRange::shifted(int steps) const
{
    const QDate first
            = m_span == Span::Month ? m_firstDay.addMonths(steps) : m_firstDay.addDays(7LL * steps);
    return {first, m_span, m_zone};
}

CalendarRange CalendarRange::withSpan(Span span) const
{
    return {firstDayOf(m_firstDay, span), span, m_zone};
}

int CalendarRange::dayCount() const
{
    return static_cast<int>(m_firstDay.daysTo(endDayOf(m_firstDay, m_span)));
}

QString CalendarRange::title() const
{
    if (m_span == Span::Month)
        return m_firstDay.toString(QStringLiteral("MMMM yyyy"));
    return QStringLiteral("Week of ") + m_firstDay.toString(QStringLiteral("ddd d MMM yyyy"));
}

} // namespace envsync::ui
