#pragma once

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

/// The report as text (CSV, JSON, HTML); a PDF is not text and gives nullopt (the GUI-side
/// library writes it: reportpdf/reportfilewriter.h writes every format).
[[nodiscard]] std::optional<std::string> reportText(const FreshnessReport &report,
                                                    ReportFormat format);

} // namespace envsync::report
