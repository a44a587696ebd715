#pragma once

#include <QCoreApplication>
#include <QDir>
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

/// Where UI tests save their screenshots: ENVSYNC_SCREENSHOT_DIR when set, else
/// `screenshots/` in the build directory (CTest sets ENVSYNC_BUILD_DIR) or the current one.
/// Created here, so a test that runs alone (or first) can save into it.
inline QString screenshotDir()
{
    const QByteArray wanted = qgetenv("ENVSYNC_SCREENSHOT_DIR");
    const QByteArray buildDir = qgetenv("ENVSYNC_BUILD_DIR");
    const QString dir = !wanted.isEmpty() ? QString::fromLocal8Bit(wanted)
                        : (buildDir.isEmpty() ? QDir::currentPath()
                                              : QString::fromLocal8Bit(buildDir))
                                  + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    return dir;
}

} // namespace envsync::uitest
