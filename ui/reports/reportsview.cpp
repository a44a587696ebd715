#include "ui/reports/reportsview.h"

#include "reportpdf/reportpainter.h"

#include "ui/reports/reportscontroller.h"
#include "ui/common/statuspalette.h"
#include "ui/common/viewwidgets.h"

#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPageLayout>
#include <QPainter>
#include <QPrintDialog>
#include <QPrintPreviewWidget>
#include <QPrinter>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStyle>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace envsync::ui {

namespace {

const QString presetKey = QStringLiteral("reports/preset");
const QString exportDirectoryKey = QStringLiteral("reports/exportDirectory");
const QString exportFilterKey = QStringLiteral("reports/exportFilter");

/// Typing a date fires on every digit: gather once the user pauses.
constexpr int editDelayMs = 400;

const QStringList exportFilters{
        QStringLiteral("PDF document (*.pdf)"), QStringLiteral("HTML page (*.html *.htm)"),
        QStringLiteral("CSV table (*.csv)"), QStringLiteral("JSON data (*.json)")};

QDateTime startOfUtcDay(QDate date)
{
    return QDateTime(date, QTime(0, 0), QTimeZone::utc());
}

/// The suffix a filter's first pattern names ("pdf" of "PDF document (*.pdf)").
QString suffixOfFilter(const QString &filter)
{
    const qsizetype star = filter.indexOf(QStringLiteral("*."));
    if (star < 0)
        return QStringLiteral("pdf");
    const qsizetype end = filter.indexOf(QRegularExpression(QStringLiteral("[ )]")), star);
    return filter.mid(star + 2, end - star - 2);
}

} // namespace

ReportsView::ReportsView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new ReportsController(this))
    , m_printer(std::make_unique<QPrinter>(QPrinter::ScreenResolution))
{
    m_printer->setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
    m_printer->setDocName(QStringLiteral("EnvSync freshness report"));
    createActions();
    createControls();
    connect(m_controller, &ReportsController::loaded, this, &ReportsView::onLoaded);
    connect(m_controller, &ReportsController::exported, this, &ReportsView::onExported);
    connect(m_controller, &ReportsController::busyChanged, this, &ReportsView::updateBusy);
    const int stored = QSettings().value(presetKey, static_cast<int>(Preset::Last30Days)).toInt();
    applyPreset(stored >= 0 && stored < static_cast<int>(Preset::Custom)
                        ? static_cast<Preset>(stored)
                        : Preset::Last30Days);
}

ReportsView::~ReportsView() = default;

void ReportsView::createActions()
{
    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                 QStringLiteral("Reload"), this);
    m_reloadAction->setToolTip(QStringLiteral("Gather the report again from every region"));
    m_reloadAction->setEnabled(false);
    connect(m_reloadAction, &QAction::triggered, this, &ReportsView::reload);

    m_exportAction = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton),
                                 QStringLiteral("&Export Report…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportReportAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(QStringLiteral(
            "Write the report as PDF, HTML, CSV or JSON, chosen by the file's extension "
            "(Ctrl+E)"));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &ReportsView::chooseExportFile);

    m_printAction = new QAction(QIcon::fromTheme(QStringLiteral("document-print")),
                                QStringLiteral("&Print Report…"), this);
    m_printAction->setObjectName(QStringLiteral("printReportAction"));
    m_printAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_printAction->setToolTip(QStringLiteral("Print the previewed pages (Ctrl+Shift+P)"));
    m_printAction->setEnabled(false);
    connect(m_printAction, &QAction::triggered, this, &ReportsView::choosePrinter);
}

void ReportsView::createControls()
{
    m_presetCombo = new QComboBox;
    m_presetCombo->setObjectName(QStringLiteral("reportPeriodPreset"));
    m_presetCombo->addItems({QStringLiteral("Last 7 days"), QStringLiteral("Last 30 days"),
                             QStringLiteral("Last 90 days"), QStringLiteral("This month"),
                             QStringLiteral("Previous month"), QStringLiteral("Custom")});
    connect(m_presetCombo, &QComboBox::activated, this,
            [this](int index) { setPreset(static_cast<Preset>(index)); });

    const auto dateEdit = [this](const QString &name) {
        auto *edit = new QDateEdit;
        edit->setObjectName(name);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        edit->setToolTip(QStringLiteral("Whole days in UTC; the last day is included"));
        connect(edit, &QDateEdit::dateChanged, this, &ReportsView::periodEdited);
        return edit;
    };
    m_fromEdit = dateEdit(QStringLiteral("reportFrom"));
    m_toEdit = dateEdit(QStringLiteral("reportTo"));
    m_editDelay = new QTimer(this);
    m_editDelay->setSingleShot(true);
    m_editDelay->setInterval(editDelayMs);
    connect(m_editDelay, &QTimer::timeout, this, &ReportsView::reload);

    m_busy = new QProgressBar;
    m_busy->setRange(0, 0); // gathering has no measurable steps: a busy bar
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->hide();

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(QStringLiteral("Period:")));
    bar->addWidget(m_presetCombo);
    bar->addWidget(m_fromEdit);
    bar->addWidget(new QLabel(QStringLiteral("to")));
    bar->addWidget(m_toEdit);
    bar->addWidget(viewwidgets::toolButton(m_reloadAction));
    bar->addWidget(m_busy);
    bar->addStretch(1);
    bar->addWidget(viewwidgets::toolButton(m_exportAction));
    bar->addWidget(viewwidgets::toolButton(m_printAction));

    m_banner = viewwidgets::errorBanner();
    m_banner->setObjectName(QStringLiteral("reportErrorBanner"));
    m_summary = new QLabel(QStringLiteral("Open a config to see its freshness report."));
    m_summary->setObjectName(QStringLiteral("reportSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_preview = new QPrintPreviewWidget(m_printer.get());
    m_preview->setObjectName(QStringLiteral("reportPreview"));
    m_preview->setViewMode(QPrintPreviewWidget::AllPagesView);
    m_preview->setZoomMode(QPrintPreviewWidget::FitToWidth);
    connect(m_preview, &QPrintPreviewWidget::paintRequested, this, &ReportsView::paintPreview);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_summary);
    layout->addWidget(m_preview, 1);
}

// --- period ----------------------------------------------------------------------------------

QDateTime ReportsView::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

QDate ReportsView::today() const
{
    return now().toUTC().date();
}

void ReportsView::setNow(const QDateTime &nowUtc)
{
    m_now = nowUtc;
    if (m_presetCombo->currentIndex() != static_cast<int>(Preset::Custom))
        applyPreset(static_cast<Preset>(m_presetCombo->currentIndex()));
}

void ReportsView::setPreset(Preset preset)
{
    QSettings().setValue(presetKey, static_cast<int>(preset));
    applyPreset(preset);
}

void ReportsView::applyPreset(Preset preset)
{
    m_presetCombo->setCurrentIndex(static_cast<int>(preset));
    const QDate day = today();
    const QDate monthStart(day.year(), day.month(), 1);
    QDate from;
    QDate to = day;
    switch (preset) {
    case Preset::Last7Days:
        from = day.addDays(-7);
        break;
    case Preset::Last30Days:
        from = day.addDays(-30);
        break;
    case Preset::Last90Days:
        from = day.addDays(-90);
        break;
    case Preset::ThisMonth:
        from = monthStart;
        break;
    case Preset::PreviousMonth:
        from = monthStart.addMonths(-1);
        to = monthStart.addDays(-1);
        break;
    case Preset::Custom:
        return; // keeps the dates as they are
    }
    showDates(from, to);
}

void ReportsView::setPeriod(QDate from, QDate to)
{
    m_presetCombo->setCurrentIndex(static_cast<int>(Preset::Custom));
    showDates(from, to);
}

void ReportsView::showDates(QDate from, QDate to)
{
    // Both edits change before the one gather: their own dateChanged would gather twice.
    m_settingDates = true;
    m_fromEdit->setDate(from);
    m_toEdit->setDate(to);
    m_settingDates = false;
    periodEdited();
}

void ReportsView::periodEdited()
{
    if (m_settingDates)
        return;
    if (sender() == m_fromEdit || sender() == m_toEdit)
        m_presetCombo->setCurrentIndex(static_cast<int>(Preset::Custom));
    if (m_controller->config() && isVisible())
        m_editDelay->start();
    else
        m_loadPending = m_controller->config() != nullptr;
}

report::Period ReportsView::period() const
{
    const QDateTime end = startOfUtcDay(m_toEdit->date().addDays(1));
    return {startOfUtcDay(m_fromEdit->date()), std::min(end, now())};
}

// --- loading ---------------------------------------------------------------------------------

void ReportsView::setConfig(std::shared_ptr<const config::Config> config)
{
    m_controller->setConfig(std::move(config));
    m_report.reset();
    m_banner->hide();
    const bool hasConfig = m_controller->config() != nullptr;
    m_summary->setText(hasConfig ? QString()
                                 : QStringLiteral("Open a config to see its freshness report."));
    m_reloadAction->setEnabled(hasConfig);
    m_exportAction->setEnabled(false);
    m_printAction->setEnabled(false);
    m_preview->updatePreview();
    m_loadPending = hasConfig;
    if (m_loadPending && isVisible())
        reload();
}

void ReportsView::reload()
{
    m_editDelay->stop();
    m_loadPending = false;
    const report::Period wanted = period();
    if (!(wanted.fromUtc < wanted.toUtc)) {
        m_banner->setText(QStringLiteral("The period is empty: its first day must not be after "
                                         "its last, nor after today."));
        m_banner->show();
        return;
    }
    if (m_controller->load(wanted.fromUtc, wanted.toUtc, now())) {
        m_banner->hide();
        m_summary->setText(QStringLiteral("Gathering the report from every region…"));
    }
}

void ReportsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loadPending)
        reload();
}

void ReportsView::onLoaded(const ReportData &data)
{
    m_report = data.report;
    if (!data.error.isEmpty()) {
        m_banner->setText(data.error);
        m_banner->show();
        m_summary->clear();
    } else {
        m_banner->hide();
        m_summary->setText(QString::fromStdString(m_report->summary.text()));
        // Overdue or unreachable regions: the summary in the dashboard's "overdue" red.
        QPalette palette = this->palette();
        if (m_report->needsAttention())
            palette.setColor(QPalette::WindowText,
                             StatusPalette::freshnessColor(status::Freshness::Overdue));
        m_summary->setPalette(palette);
    }
    m_exportAction->setEnabled(m_report != nullptr);
    m_printAction->setEnabled(m_report != nullptr);
    m_preview->updatePreview();
    emit reportLoaded();
}

void ReportsView::updateBusy()
{
    m_busy->setVisible(m_controller->isLoading() || m_controller->isExporting());
}

void ReportsView::paintPreview(QPrinter *printer)
{
    if (!m_report)
        return; // an empty page until the report is gathered
    QPainter painter(printer);
    report::paintReport(*m_report, *printer, painter, report::TablePages::Landscape);
}

// --- export and print ------------------------------------------------------------------------

bool ReportsView::exportTo(const QString &path)
{
    return m_controller->exportTo(path, m_report);
}

void ReportsView::chooseExportFile()
{
    if (!m_report)
        return;
    QSettings settings;
    const QString directory = settings.value(exportDirectoryKey, QDir::homePath()).toString();
    QString filter = settings.value(exportFilterKey, exportFilters.front()).toString();
    const QString suggested = QDir(directory).filePath(
            QStringLiteral("freshness-%1.%2")
                    .arg(today().toString(Qt::ISODate), suffixOfFilter(filter)));
    QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export Report"), suggested,
                                                exportFilters.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + suffixOfFilter(filter);
    settings.setValue(exportDirectoryKey, QFileInfo(path).absolutePath());
    settings.setValue(exportFilterKey, filter);
    exportTo(path);
}

void ReportsView::onExported(const ReportExportOutcome &outcome)
{
    if (outcome.error.isEmpty()) {
        m_banner->hide();
    } else {
        m_banner->setText(outcome.error);
        m_banner->show();
    }
    emit exportFinished(outcome);
}

bool ReportsView::print(QPrinter &printer) const
{
    if (!m_report)
        return false;
    QPainter painter;
    if (!painter.begin(&printer))
        return false;
    report::paintReport(*m_report, printer, painter, report::TablePages::Landscape);
    return painter.end();
}

void ReportsView::choosePrinter()
{
    if (!m_report)
        return;
    QPrintDialog dialog(m_printer.get(), this);
    dialog.setWindowTitle(QStringLiteral("Print Report"));
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!print(*m_printer)) {
        m_banner->setText(QStringLiteral("Printing failed: the printer did not accept the job."));
        m_banner->show();
    }
    m_preview->updatePreview();
}

} // namespace envsync::ui
