#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimeZone>

namespace envsync::ui {

/// The one way the console writes a point in time: "2026-12-03 21:14 CET", in the viewer's
/// zone by default or in UTC when the user chose so (View › Show Times in UTC). Every table,
/// tooltip, dialog and export of the console goes through here, so a time never appears
/// without its zone and the toggle changes all of them at once.
class TimeDisplay : public QObject
{
    Q_OBJECT

public:
    /// The application's instance (created on first use, lives until exit; GUI thread only).
    [[nodiscard]] static TimeDisplay &instance();

    [[nodiscard]] bool utc() const { return m_utc; }
    /// Emits changed() when the choice changes (views re-render their times).
    void setUtc(bool utc);

    /// "2026-12-03 21:14 CET"; "—" for an invalid time.
    [[nodiscard]] static QString dateTime(const QDateTime &time);
    /// "2026-12-03 21:14:05 CET".
    [[nodiscard]] static QString dateTimeSeconds(const QDateTime &time);
    /// "21:14 CET" (for times of today, e.g. a poll).
    [[nodiscard]] static QString timeOfDay(const QDateTime &time);
    /// "21:14:05" without zone: only for dense columns whose header already names the zone.
    [[nodiscard]] static QString timeOfDaySeconds(const QDateTime &time);
    /// "Mon 2026-12-07 06:00 CET" in `zone` (a region's own zone, for its windows).
    [[nodiscard]] static QString inZone(const QDateTime &time, const QTimeZone &zone);
    /// The zone times are shown in now: "CET", "UTC", …, for column headers.
    [[nodiscard]] static QString zoneName();
    /// `time` converted to the shown zone (for charts' axes).
    [[nodiscard]] static QDateTime toShownZone(const QDateTime &time);

signals:
    void changed();

private:
    explicit TimeDisplay(QObject *parent = nullptr);

    bool m_utc = false;
};

} // namespace envsync::ui
