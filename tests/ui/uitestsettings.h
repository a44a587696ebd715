#pragma once

#include <QCoreApplication>
#include <QSettings>
#include <QString>

namespace envsync::uitest {

/// Points QSettings at `directory` and names the application, so a UI test never reads or
/// writes the user's own window state and recent files.
inline void isolateSettings(const QString &directory, const QString &applicationName)
{
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, directory);
    QCoreApplication::setOrganizationName(QStringLiteral("EnvSyncTest"));
    QCoreApplication::setApplicationName(applicationName);
}

} // namespace envsync::uitest
