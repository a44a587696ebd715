#include "ui/common/timedisplay.h"

namespace envsync::ui {

namespace {

const QString dash = QStringLiteral("—");

QString withZone(const QDateTime &shown, const QString &format)
{
    const QString zone = shown.timeSpec() == Qt::UTC ? QStringLiteral("UTC")
                                                     : shown.timeZoneAbbreviation();
    return shown.toString(format) + QLatin1Char(' ') + zone;
}

} // namespace

TimeDisplay::TimeDisplay(QObject *parent)
    : QObject(parent)
{
}

TimeDisplay &TimeDisplay::instance()
{
    static TimeDisplay display;
    return display;
}

void TimeDisplay::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    emit changed();
}

QDateTime TimeDisplay::toShownZone(const QDateTime &time)
{
    return instance().utc() ? time.toUTC() : time.toLocalTime();
}

QString TimeDisplay::dateTime(const QDateTime &time)
{
    return time.isValid() ? withZone(toShownZone(time), QStringLiteral("yyyy-MM-dd HH:mm")) : dash;
}

QString TimeDisplay::dateTimeSeconds(const QDateTime &time)
{
    return time.isValid() ? withZone(toShownZone(time), QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : dash;
}

QString TimeDisplay::timeOfDay(const QDateTime &time)
{
    return time.isValid() ? withZone(toShownZone(time), QStringLiteral("HH:mm")) : dash;
}

QString TimeDisplay::timeOfDaySeconds(const QDateTime &time)
{
    return time.isValid() ? toShownZone(time).toString(QStringLiteral("HH:mm:ss")) : dash;
}

QString TimeDisplay::inZone(const QDateTime &time, const QTimeZone &zone)
{
    if (!time.isValid())
        return dash;
    const QDateTime local = time.toTimeZone(zone);
    return local.toString(QStringLiteral("ddd yyyy-MM-dd HH:mm")) + QLatin1Char(' ')
           + zone.abbreviation(local);
}

QString TimeDisplay::zoneName()
{
    return instance().utc() ? QStringLiteral("UTC")
                            : QDateTime::currentDateTime().timeZoneAbbreviation();
}

} // namespace envsync::ui
