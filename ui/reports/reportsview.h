#pragma once

#include "core/config/config.h"
#include "core/report/reportmodel.h"

#include <QDate>
#include <QDateTime>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QDateEdit;
class QLabel;
class QPrintPreviewWidget;
class QPrinter;
class QProgressBar;
class QTimer;
QT_END_NAMESPACE

namespace envsync::ui {

class ReportsController;
struct ReportData;
struct ReportExportOutcome;

/// The Reports tab (release managers): the freshness report of a period, previewed page by
/// page exactly as the PDF and the printer get it (summary, freshness chart, refresh timeline,
/// drift bars, region table). Changing the period gathers it again; Export… writes PDF, HTML,
/// CSV or JSON by the file's extension; Print… sends the same pages to a printer.
///
/// Gathering and exporting run in ReportsController on its workers; the report is gathered
/// when the tab is first shown after a config was opened, and again when the period changes.
class ReportsView : public QWidget
{
    Q_OBJECT

public:
    /// The period presets of the combo box, in its order.
    enum class Preset { Last7Days, Last30Days, Last90Days, ThisMonth, PreviousMonth, Custom };

    explicit ReportsView(QWidget *parent = nullptr);
    ~ReportsView() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    /// Gathers the report of the chosen period again.
    void reload();

    /// The clock for "today" and for ages (invalid: the real time). Tests pin it.
    void setNow(const QDateTime &nowUtc);
    void setPreset(Preset preset);
    /// Whole UTC days, `to` included; switches the preset to Custom.
    void setPeriod(QDate from, QDate to);
    /// [from 00:00 UTC, the end of `to` or now if earlier).
    [[nodiscard]] report::Period period() const;

    /// Writes the shown report to `path` (format from the extension) off the GUI thread; ends
    /// with exportFinished. False when there is no report or an export runs.
    bool exportTo(const QString &path);
    /// Asks for a file name, then exportTo.
    void chooseExportFile();
    /// Paints the shown report on `printer` (the preview's pages). False without a report.
    bool print(QPrinter &printer) const;
    /// Asks for a printer, then print.
    void choosePrinter();

    [[nodiscard]] std::shared_ptr<const report::FreshnessReport> report() const { return m_report; }
    [[nodiscard]] ReportsController *controller() const { return m_controller; }
    [[nodiscard]] QPrintPreviewWidget *preview() const { return m_preview; }
    [[nodiscard]] QLabel *summaryLabel() const { return m_summary; }
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QAction *exportAction() const { return m_exportAction; }
    [[nodiscard]] QAction *printAction() const { return m_printAction; }
    [[nodiscard]] QAction *reloadAction() const { return m_reloadAction; }

signals:
    /// The preview shows a newly gathered report (or the failure to gather one).
    void reportLoaded();
    void exportFinished(const envsync::ui::ReportExportOutcome &outcome);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createControls();
    void applyPreset(Preset preset);
    void showDates(QDate from, QDate to);
    void periodEdited();
    void onLoaded(const ReportData &data);
    void onExported(const ReportExportOutcome &outcome);
    void updateBusy();
    void paintPreview(QPrinter *printer);
    [[nodiscard]] QDateTime now() const;
    [[nodiscard]] QDate today() const;

    ReportsController *m_controller = nullptr;
    std::shared_ptr<const report::FreshnessReport> m_report;
    QDateTime m_now;
    bool m_loadPending = false;
    bool m_settingDates = false;

    QAction *m_reloadAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_printAction = nullptr;
    QComboBox *m_presetCombo = nullptr;
    QDateEdit *m_fromEdit = nullptr;
    QDateEdit *m_toEdit = nullptr;
    QTimer *m_editDelay = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_banner = nullptr;
    QProgressBar *m_busy = nullptr;
    std::unique_ptr<QPrinter> m_printer;
    QPrintPreviewWidget *m_preview = nullptr;
};

} // namespace envsync::ui
