#pragma once

#include <QCoreApplication>

#include <memory>

namespace envsync::report {

/// The CLI's application object. Fonts and QPdfWriter need a QGuiApplication, so `withGui`
/// makes one on the offscreen platform (no display needed); otherwise a plain QCoreApplication,
/// so every other command keeps running without any platform plugin.
[[nodiscard]] std::unique_ptr<QCoreApplication> makeReportApplication(int &argc, char **argv,
                                                                      bool withGui);

} // namespace envsync::report
