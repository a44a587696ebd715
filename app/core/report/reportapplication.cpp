#include "core/report/reportapplication.h"

#include <QGuiApplication>

namespace envsync::report {

std::unique_ptr<QCoreApplication> makeReportApplication(int &argc, char **argv, bool withGui)
{
    if (!withGui)
        return std::make_unique<QCoreApplication>(argc, argv);
    // A headless CLI never shows a window: offscreen works without X11/Wayland.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    return std::make_unique<QGuiApplication>(argc, argv);
}

} // namespace envsync::report
