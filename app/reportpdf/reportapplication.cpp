#include "reportpdf/reportapplication.h"

#include <QDir>
#include <QGuiApplication>

#include <sys/stat.h>
#include <unistd.h>

namespace envsync::report {

namespace {

/// A CLI run from cron, ssh or CI has no login session, hence no XDG_RUNTIME_DIR; Qt then
/// warns on stderr and uses /tmp/runtime-<user>. The same place, made private, without the
/// warning (a report's stderr is for the report's problems).
void ensureRuntimeDirectory()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    const QByteArray directory
            = QDir::tempPath().toLocal8Bit() + "/runtime-" + QByteArray::number(::getuid());
    struct stat info
    {
    };
    if (::mkdir(directory.constData(), 0700) != 0
        && (::stat(directory.constData(), &info) != 0 || info.st_uid != ::getuid()
            || (info.st_mode & 0077) != 0))
        return; // not ours or not private: let Qt say so
    qputenv("XDG_RUNTIME_DIR", directory);
}

} // namespace

std::unique_ptr<QCoreApplication> makeReportApplication(int &argc, char **argv, bool withGui)
{
    if (!withGui)
        return std::make_unique<QCoreApplication>(argc, argv);
    // A headless CLI never shows a window: offscreen works without X11/Wayland.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ensureRuntimeDirectory();
    return std::make_unique<QGuiApplication>(argc, argv);
}

} // namespace envsync::report
