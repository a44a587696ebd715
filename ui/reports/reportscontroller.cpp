#include "ui/reports/reportscontroller.h"

#include "reportpdf/reportfilewriter.h"
#include "core/report/reportgather.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString gatherKey = QStringLiteral("gather");
const QString exportKey = QStringLiteral("export");

ReportData runGather(std::shared_ptr<const config::Config> config, report::GatherOptions options,
                     const std::shared_ptr<job::CancelToken> &cancel)
{
    ReportData data;
    try {
        data.report = std::make_shared<const report::FreshnessReport>(
                report::gatherReport(*config, options, cancel));
    } catch (const std::exception &e) {
        data.error = QStringLiteral("gathering the report failed: ") + QString::fromUtf8(e.what());
    }
    return data;
}

ReportExportOutcome runExport(QString path, std::shared_ptr<const report::FreshnessReport> report)
{
    ReportExportOutcome outcome;
    outcome.path = path;
    try {
        const auto format = report::formatOfPath(path);
        if (!format) {
            outcome.error = QStringLiteral("%1: the extension must be .pdf, .html, .csv or .json")
                                    .arg(path);
        } else if (auto written = report::writeReportFile(*report, *format, path); !written) {
            outcome.error = QString::fromStdString(written.error().describe());
        }
    } catch (const std::exception &e) {
        outcome.error
                = QStringLiteral("exporting the report failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace

ReportsController::ReportsController(QObject *parent)
    // 2 workers: a gather next to an export
    : ConfigJobController(2, QStringLiteral("envsync-report-workers"), {gatherKey}, parent)
{}

bool ReportsController::isLoading() const
{
    return m_jobs.busy(gatherKey);
}

bool ReportsController::isExporting() const
{
    return m_jobs.busy(exportKey);
}

bool ReportsController::load(const QDateTime &fromUtc, const QDateTime &toUtc,
                             const QDateTime &nowUtc)
{
    if (!m_config || !(fromUtc < toUtc))
        return false;
    report::GatherOptions options;
    options.nowUtc = nowUtc;
    options.fromUtc = fromUtc;
    options.toUtc = toUtc;
    m_jobs.start<ReportData>(
            gatherKey,
            [config = m_config, options](const JobContext &context) {
                return runGather(config, options, context.cancel);
            },
            [this](ReportData data) {
                if (!data.error.isEmpty())
                    spdlog::error("report: {}", data.error.toStdString());
                emit loaded(data);
            });
    return true;
}

bool ReportsController::exportTo(const QString &path,
                                 std::shared_ptr<const report::FreshnessReport> report)
{
    if (!report || path.isEmpty() || isExporting())
        return false;
    m_jobs.start<ReportExportOutcome>(
            exportKey,
            [path, report = std::move(report)](const JobContext &) {
                return runExport(path, report);
            },
            [this](ReportExportOutcome outcome) {
                if (outcome.error.isEmpty())
                    spdlog::info("report: exported to {}", outcome.path.toStdString());
                else
                    spdlog::error("report: {}", outcome.error.toStdString());
                emit exported(outcome);
            });
    return true;
}

} // namespace envsync::ui
