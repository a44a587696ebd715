#pragma once

#include "core/error.h"
#include "core/report/reportmodel.h"

#include <QString>

#include <optional>
#include <string>

namespace envsync::report {

enum class ReportFormat { Csv, Json, Html, Pdf };

/// "csv", "json", "html" or "pdf" (exactly, as the CLI's --format takes them).
[[nodiscard]] std::optional<ReportFormat> formatNamed(const QString &name);
/// The format a file name asks for by its extension (case-insensitive; .htm is HTML).
[[nodiscard]] std::optional<ReportFormat> formatOfPath(const QString &path);

/// The report as text (CSV, JSON, HTML); a PDF is not text and gives nullopt.
[[nodiscard]] std::optional<std::string> reportText(const FreshnessReport &report,
                                                    ReportFormat format);

/// Writes the report to `path` with util::saveFile: atomically over a regular file (a failed
/// write leaves no partial file behind, and an existing file as it was), in place into a pipe
/// or character device, refused for anything else. The PDF needs a QGuiApplication. Names the
/// path on failure.
[[nodiscard]] Result<void> writeReportFile(const FreshnessReport &report, ReportFormat format,
                                           const QString &path);

} // namespace envsync::report
