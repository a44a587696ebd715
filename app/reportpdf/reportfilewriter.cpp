#include "reportpdf/reportfilewriter.h"

#include "core/util/savefile.h"
#include "reportpdf/reportpdf.h"

namespace envsync::report {

Result<void> writeReportFile(const FreshnessReport &report, ReportFormat format,
                             const QString &path)
{
    if (auto text = reportText(report, format))
        return util::saveFile(path.toStdString(), *text);
    return writePdf(report, path);
}

} // namespace envsync::report
