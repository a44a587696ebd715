#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/report/reportmodel.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <memory>

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
/// Threading contract, as the other controllers: every job runs on the JobTracker and opens its
/// own connections; a newer gather or config supersedes an older gather; the destructor
/// cancels every job and waits for the workers. All signals are emitted on the GUI thread.
class ReportsController : public ConfigJobController
{
    Q_OBJECT

public:
    explicit ReportsController(QObject *parent = nullptr);

    /// Gathers the report of [fromUtc, toUtc) with ages measured at nowUtc; ends with loaded.
    bool load(const QDateTime &fromUtc, const QDateTime &toUtc, const QDateTime &nowUtc);
    /// Writes `report` to `path` in the format its extension names; ends with exported.
    bool exportTo(const QString &path, std::shared_ptr<const report::FreshnessReport> report);

    [[nodiscard]] bool isLoading() const;
    [[nodiscard]] bool isExporting() const;

signals:
    void loaded(const envsync::ui::ReportData &data);
    void exported(const envsync::ui::ReportExportOutcome &outcome);
};

} // namespace envsync::ui
