#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/report/reportmodel.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

QT_BEGIN_NAMESPACE
class QFutureWatcherBase;
QT_END_NAMESPACE

namespace envsync::ui {

/// One gathered report (or why there is none).
struct ReportData
{
    std::shared_ptr<const report::FreshnessReport> report;
    QString error;
};

struct ReportExportOutcome
{
    QString path;
    QString error;
};

/// Gathers freshness reports and writes them to files, off the GUI thread.
///
/// Threading contract, as the other controllers: every job runs on this object's own
/// QThreadPool through QtConcurrent::run and opens its own connections; a newer gather
/// supersedes an older one (generation id); the destructor waits for every worker. All signals
/// are emitted on the GUI thread.
class ReportsController : public ConfigJobController
{
    Q_OBJECT

public:
    explicit ReportsController(QObject *parent = nullptr);

    /// Gathers the report of [fromUtc, toUtc) with ages measured at nowUtc; ends with loaded.
    bool load(const QDateTime &fromUtc, const QDateTime &toUtc, const QDateTime &nowUtc);
    /// Writes `report` to `path` in the format its extension names; ends with exported.
    bool exportTo(const QString &path, std::shared_ptr<const report::FreshnessReport> report);

    [[nodiscard]] bool isLoading() const { return m_loadWatcher != nullptr; }
    [[nodiscard]] bool isExporting() const { return m_exportWatcher != nullptr; }

signals:
    void loaded(const envsync::ui::ReportData &data);
    void exported(const envsync::ui::ReportExportOutcome &outcome);

private:
    void clearWatchers() override;
    void clearLoadWatchers() override { m_loadWatcher = nullptr; }

    QFutureWatcherBase *m_loadWatcher = nullptr;
    QFutureWatcherBase *m_exportWatcher = nullptr;
};

} // namespace envsync::ui
