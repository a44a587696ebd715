#include "core/report/reportfile.h"

#include "core/report/reportcsv.h"
#include "core/report/reporthtml.h"
#include "core/report/reportjson.h"

#include <QFileInfo>

namespace envsync::report {

std::optional<ReportFormat> formatNamed(const QString &name)
{
    if (name == QLatin1String("csv"))
        return ReportFormat::Csv;
    if (name == QLatin1String("json"))
        return ReportFormat::Json;
    if (name == QLatin1String("html"))
        return ReportFormat::Html;
    if (name == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    return std::nullopt;
}

std::optional<ReportFormat> formatOfPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("htm"))
        return ReportFormat::Html;
    return formatNamed(suffix);
}

std::optional<std::string> reportText(const FreshnessReport &report, ReportFormat format)
{
    switch (format) {
    case ReportFormat::Csv:
        return toCsv(report);
    case ReportFormat::Json:
        return toJson(report);
    case ReportFormat::Html:
        return toHtml(report);
    case ReportFormat::Pdf:
        break;
    }
    return std::nullopt;
}

} // namespace envsync::report
