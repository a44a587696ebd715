#pragma once

#include "core/error.h"
#include "core/report/reportfile.h"
#include "core/report/reportmodel.h"

#include <QString>

namespace envsync::report {

/// Writes the report to `path` with util::saveFile: atomically over a regular file (a failed
/// write leaves no partial file behind, and an existing file as it was), in place into a pipe
/// or character device, refused for anything else. The PDF needs a QGuiApplication. Names the
/// path on failure.
[[nodiscard]] Result<void> writeReportFile(const FreshnessReport &report, ReportFormat format,
                                           const QString &path);

} // namespace envsync::report
