#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace envsync::ui {

/// The stretch of time the Calendar tab shows: a week (Monday 00:00 to Monday 00:00) or a
/// calendar month, both in the viewer's time zone, kept as UTC instants for the engine.
class CalendarRange
{
public:
    enum class Span { Week, Month };

    /// An empty range (no days); use containing() for a real one.
    CalendarRange() = default;

    /// The week or month containing `utc` in `viewerZone`.
    [[nodiscard]] static CalendarRange containing(const QDateTime &utc, Span span,
                                                  const QTimeZone &viewerZone);

    /// The range `steps` weeks or months later (earlier when negative).
    [[nodiscard]] CalendarRange shifted(int steps) const;
    /// The same start, shown as the other span.
    [[nodiscard]] CalendarRange withSpan(Span span) const;

    [[nodiscard]] Span span() const { return m_span; }
    [[nodiscard]] const QDateTime &fromUtc() const { return m_fromUtc; }
    [[nodiscard]] const QDateTime &toUtc() const { return m_toUtc; }
    [[nodiscard]] const QTimeZone &viewerZone() const { return m_zone; }
    /// Local days covered (7 for a week, 28..31 for a month; DST days count once).
    [[nodiscard]] int dayCount() const;
    /// "Week of Mon 30 Nov 2026" or "December 2026".
    [[nodiscard]] QString title() const;

private:
    CalendarRange(QDate firstDay, Span span, const QTimeZone &zone);

    QDate m_firstDay;
    Span m_span = Span::Week;
    QTimeZone m_zone;
    QDateTime m_fromUtc;
    QDateTime m_toUtc;
};

} // namespace envsync::ui
