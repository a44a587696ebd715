#include "ui/reports/reportscontroller.h"

#include "reportpdf/reportfilewriter.h"
#include "core/report/reportgather.h"

#include "ui/common/watcherresult.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

void runGather(QPromise<ReportData> &promise, std::shared_ptr<const config::Config> config,
               report::GatherOptions options)
{
    ReportData data;
    try {
        data.report = std::make_shared<const report::FreshnessReport>(
                report::gatherReport(*config, options));
    } catch (const std::exception &e) {
        data.error = QStringLiteral("gathering the report failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(data));
}

void runExport(QPromise<ReportExportOutcome> &promise, QString path,
               std::shared_ptr<const report::FreshnessReport> report)
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
    promise.addResult(std::move(outcome));
}

} // namespace

ReportsController::ReportsController(QObject *parent)
    // 2 workers: a gather next to an export
    : ConfigJobController(2, QStringLiteral("envsync-report-workers"), parent)
{}

void ReportsController::clearWatchers()
{
    m_loadWatcher = m_exportWatcher = nullptr;
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
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<ReportData>(this);
    m_loadWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_generation || watcher != m_loadWatcher)
            return; // superseded by a newer period or config
        m_loadWatcher = nullptr;
        emit busyChanged();
        const ReportData data = resultOf(watcher, "gathering the report");
        if (!data.error.isEmpty())
            spdlog::error("report: {}", data.error.toStdString());
        emit loaded(data);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runGather, m_config, options));
    emit busyChanged();
    return true;
}

bool ReportsController::exportTo(const QString &path,
                                 std::shared_ptr<const report::FreshnessReport> report)
{
    if (!report || path.isEmpty() || m_exportWatcher)
        return false;
    auto *watcher = new QFutureWatcher<ReportExportOutcome>(this);
    m_exportWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_exportWatcher = nullptr;
        const ReportExportOutcome outcome = resultOf(watcher, "exporting the report");
        if (outcome.error.isEmpty())
            spdlog::info("report: exported to {}", outcome.path.toStdString());
        else
            spdlog::error("report: {}", outcome.error.toStdString());
        emit busyChanged();
        emit exported(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runExport, path, std::move(report)));
    emit busyChanged();
    return true;
}

} // namespace envsync::ui
