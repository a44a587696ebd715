#include "ui/calendar/calendarview.h"

#include "core/schedule/calendar.h"
#include "core/schedule/conflicts.h"
#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendarmovecommand.h"
#include "ui/calendar/calendarmovedialog.h"
#include "ui/calendar/calendarreschedule.h"
#include "ui/calendar/calendartimeline.h"
#include "ui/calendar/concurrencychartview.h"
#include "ui/common/viewwidgets.h"

#include <QAction>
#include <QActionGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace envsync::ui {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// The conflicts `config` would have over the calendar's range. Pure computation (the
/// expected durations were read with the calendar), so the preview may run it on the GUI thread.
std::vector<schedule::Conflict> conflictsOf(const config::Config &config, const CalendarData &data)
{
    auto calendar = schedule::buildCalendar(config, data.calendar.fromUtc, data.calendar.toUtc,
                                            data.expected);
    return calendar ? schedule::findConflicts(config, *calendar)
                    : std::vector<schedule::Conflict>{};
}

QAction *shortcutAction(QWidget *owner, const QString &text, const QKeySequence &key)
{
    auto *action = new QAction(text, owner);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                     key.toString(QKeySequence::NativeText)));
    owner->addAction(action);
    return action;
}

} // namespace

CalendarView::CalendarView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new CalendarController(this))
    , m_undoStack(new QUndoStack(this))
{
    createActions();
    createControls();
    m_range = CalendarRange::containing(now(), CalendarRange::Span::Week, m_viewerZone);
    m_title->setText(m_range.title());
    connect(m_controller, &CalendarController::loaded, this, &CalendarView::onLoaded);
    connect(m_controller, &CalendarController::saved, this, &CalendarView::onSaved);
    connect(m_controller, &CalendarController::exported, this, &CalendarView::onExported);
    connect(m_controller, &CalendarController::busyChanged, this, &CalendarView::updateUndoActions);
    connect(m_undoStack, &QUndoStack::indexChanged, this, &CalendarView::updateUndoActions);
    connect(m_timeline, &CalendarTimeline::windowDropped, this, &CalendarView::previewMove);
    connect(m_timeline, &CalendarTimeline::plotGeometryChanged, m_chart,
            &ConcurrencyChartView::setPlotMargins);
    setFocusPolicy(Qt::StrongFocus);
}

CalendarView::~CalendarView()
{
    // Wait for the workers while the widgets their signals reach still exist.
    delete m_moveDialog;
    delete m_controller;
    m_controller = nullptr;
}

void CalendarView::createActions()
{
    m_previousAction
            = shortcutAction(this, QStringLiteral("&Previous"), QKeySequence(Qt::Key_Left));
    m_previousAction->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    connect(m_previousAction, &QAction::triggered, this, [this] { step(-1); });
    m_nextAction = shortcutAction(this, QStringLiteral("&Next"), QKeySequence(Qt::Key_Right));
    m_nextAction->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    connect(m_nextAction, &QAction::triggered, this, [this] { step(1); });
    m_todayAction = shortcutAction(this, QStringLiteral("&Today"), QKeySequence(Qt::Key_T));
    connect(m_todayAction, &QAction::triggered, this, &CalendarView::showToday);

    m_weekAction = shortcutAction(this, QStringLiteral("&Week"), QKeySequence(Qt::Key_W));
    m_monthAction = shortcutAction(this, QStringLiteral("&Month"), QKeySequence(Qt::Key_M));
    auto *spans = new QActionGroup(this);
    for (QAction *action : {m_weekAction, m_monthAction}) {
        action->setCheckable(true);
        spans->addAction(action);
    }
    m_weekAction->setChecked(true);
    connect(m_weekAction, &QAction::triggered, this,
            [this] { setSpan(CalendarRange::Span::Week); });
    connect(m_monthAction, &QAction::triggered, this,
            [this] { setSpan(CalendarRange::Span::Month); });

    m_exportAction = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton),
                                 QStringLiteral("Export &ICS…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportIcsAction"));
    m_exportAction->setToolTip(
            QStringLiteral("Write the shown range's windows as an iCalendar file"));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &CalendarView::chooseIcsFile);

    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                 QStringLiteral("Reload"), this);
    m_reloadAction->setEnabled(false);
    connect(m_reloadAction, &QAction::triggered, this, &CalendarView::reload);

    m_undoAction = shortcutAction(this, QStringLiteral("Undo"), QKeySequence::Undo);
    m_undoAction->setObjectName(QStringLiteral("calendarUndoAction"));
    m_undoAction->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    connect(m_undoAction, &QAction::triggered, m_undoStack, &QUndoStack::undo);
    // Ctrl+Shift+Z everywhere (QKeySequence::Redo is Ctrl+Y on some platforms only).
    m_redoAction = shortcutAction(this, QStringLiteral("Redo"),
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    m_redoAction->setObjectName(QStringLiteral("calendarRedoAction"));
    m_redoAction->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    connect(m_redoAction, &QAction::triggered, m_undoStack, &QUndoStack::redo);
    updateUndoActions();
}

void CalendarView::updateUndoActions()
{
    // One save at a time: a step of the stack waits for the running save.
    const bool saving = m_controller && m_controller->isSaving();
    m_undoAction->setEnabled(m_undoStack->canUndo() && !saving);
    m_redoAction->setEnabled(m_undoStack->canRedo() && !saving);
    // "Undo Move eu window" / "Redo Move eu window"; the stack names the command.
    m_undoAction->setText(m_undoStack->canUndo()
                                  ? QStringLiteral("Undo %1").arg(m_undoStack->undoText())
                                  : QStringLiteral("Undo"));
    m_redoAction->setText(m_undoStack->canRedo()
                                  ? QStringLiteral("Redo %1").arg(m_undoStack->redoText())
                                  : QStringLiteral("Redo"));
}

void CalendarView::createControls()
{
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("calendarTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);

    auto *bar = new QHBoxLayout;
    bar->addWidget(viewwidgets::toolButton(m_previousAction));
    bar->addWidget(viewwidgets::toolButton(m_todayAction));
    bar->addWidget(viewwidgets::toolButton(m_nextAction));
    bar->addSpacing(12);
    bar->addWidget(m_title);
    bar->addStretch(1);
    bar->addWidget(viewwidgets::toolButton(m_weekAction));
    bar->addWidget(viewwidgets::toolButton(m_monthAction));
    bar->addSpacing(12);
    bar->addWidget(viewwidgets::toolButton(m_exportAction));
    bar->addWidget(viewwidgets::toolButton(m_reloadAction));
    bar->addSpacing(12);
    bar->addWidget(viewwidgets::toolButton(m_undoAction));
    bar->addWidget(viewwidgets::toolButton(m_redoAction));

    m_banner = viewwidgets::errorBanner();
    m_banner->setObjectName(QStringLiteral("calendarErrorBanner"));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("calendarSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_summary->setWordWrap(true);

    m_timeline = new CalendarTimeline;
    m_timeline->setObjectName(QStringLiteral("calendarTimeline"));
    m_timeline->setFocusPolicy(Qt::StrongFocus);
    m_chart = new ConcurrencyChartView;
    m_chart->setObjectName(QStringLiteral("concurrencyChart"));
    auto *chartTitle = new QLabel(QStringLiteral(
            "Concurrent refreshes (area) against capacity, golden.max_parallel_refreshes "
            "(dashed red)"));
    chartTitle->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_summary);
    layout->addWidget(m_timeline);
    layout->addSpacing(6);
    layout->addWidget(chartTitle);
    layout->addWidget(m_chart, 1);
}

// --- commands --------------------------------------------------------------------------------

QDateTime CalendarView::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

void CalendarView::setConfig(std::shared_ptr<const config::Config> config)
{
    delete m_moveDialog;
    // The moves on the stack belong to one file: the same file read again (as after every
    // save) keeps them, another file (or none) drops them.
    const auto &current = m_controller->config();
    if (!config || !current || config->path != current->path)
        m_undoStack->clear();
    m_controller->setConfig(std::move(config));
    m_data.reset();
    m_timeline->setData(nullptr, m_range);
    m_banner->hide();
    m_summary->clear();
    const bool hasConfig = m_controller->config() != nullptr;
    m_reloadAction->setEnabled(hasConfig);
    m_exportAction->setEnabled(false);
    m_loadPending = hasConfig;
    if (m_loadPending && isVisible())
        reload();
}

void CalendarView::reload()
{
    m_loadPending = false;
    if (m_controller->load(m_range.fromUtc(), m_range.toUtc()))
        m_summary->setText(QStringLiteral("Building the calendar…"));
}

void CalendarView::setViewerZone(const QTimeZone &zone)
{
    m_viewerZone = zone;
    showRange(CalendarRange::containing(m_range.fromUtc(), m_range.span(), zone));
}

void CalendarView::setNow(const QDateTime &nowUtc)
{
    m_now = nowUtc;
    m_timeline->setNow(nowUtc);
}

void CalendarView::setSpan(CalendarRange::Span span)
{
    (span == CalendarRange::Span::Week ? m_weekAction : m_monthAction)->setChecked(true);
    // The new span around what the user looks at: today if it is shown, else the range start.
    const bool todayShown = m_range.fromUtc() <= now() && now() < m_range.toUtc();
    showRange(
            CalendarRange::containing(todayShown ? now() : m_range.fromUtc(), span, m_viewerZone));
}

void CalendarView::showToday()
{
    showRange(CalendarRange::containing(now(), m_range.span(), m_viewerZone));
}

void CalendarView::step(int steps)
{
    showRange(m_range.shifted(steps));
}

void CalendarView::showRange(const CalendarRange &range)
{
    m_range = range;
    m_title->setText(range.title());
    if (m_controller->config() && (isVisible() || !m_loadPending))
        reload();
}

CalendarMoveDialog *CalendarView::moveDialog() const
{
    return m_moveDialog;
}

bool CalendarView::exportIcs(const QString &path)
{
    return m_data && m_data->error.isEmpty() && m_controller->exportIcs(path, *m_data);
}

void CalendarView::chooseIcsFile()
{
    if (!m_data || !m_data->config)
        return;
    const QString suggested
            = QFileInfo(qs(m_data->config->path))
                      .absoluteDir()
                      .filePath(QStringLiteral("envsync-%1.ics")
                                        .arg(m_range.fromUtc()
                                                     .toTimeZone(m_viewerZone)
                                                     .toString(QStringLiteral("yyyy-MM-dd"))));
    const QString path
            = QFileDialog::getSaveFileName(this, QStringLiteral("Export Calendar"), suggested,
                                           QStringLiteral("iCalendar (*.ics);;All files (*)"));
    if (!path.isEmpty())
        exportIcs(path);
}

void CalendarView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loadPending)
        reload();
}

// --- controller signals ----------------------------------------------------------------------

void CalendarView::onLoaded(const CalendarData &data)
{
    m_data = std::make_shared<const CalendarData>(data);
    m_banner->setVisible(!data.error.isEmpty());
    m_banner->setText(QStringLiteral("The calendar could not be built: ") + data.error);
    m_timeline->setData(data.error.isEmpty() ? m_data : nullptr, m_range);
    if (data.error.isEmpty()) {
        const int capacity = data.config ? data.config->golden.maxParallelRefreshes : 1;
        m_chart->setSteps(schedule::concurrency(data.calendar), m_range.fromUtc(), m_range.toUtc(),
                          capacity);
    }
    m_exportAction->setEnabled(data.error.isEmpty());
    updateSummary();
    emit calendarLoaded();
}

void CalendarView::updateSummary()
{
    if (!m_data || !m_data->error.isEmpty()) {
        m_summary->clear();
        return;
    }
    int windows = 0;
    int cancelled = 0;
    for (const schedule::RegionCalendar &region : m_data->calendar.regions) {
        windows += int(region.windows.size());
        cancelled += int(
                std::ranges::count_if(region.windows, [](const auto &w) { return w.cancelled(); }));
    }
    QString text = QStringLiteral("%1 window(s), %2 cancelled by blackouts, %3 conflict(s) · "
                                  "times in %4; hover a window for its region's local time")
                           .arg(windows)
                           .arg(cancelled)
                           .arg(m_data->conflicts.size())
                           .arg(QString::fromUtf8(m_viewerZone.id()));
    if (!m_data->warning.isEmpty())
        text += QStringLiteral("\n") + m_data->warning;
    m_summary->setText(text);
}

void CalendarView::previewMove(std::size_t region, std::size_t window, const QDateTime &newStartUtc)
{
    if (!m_data || !m_data->config || m_controller->isSaving())
        return;
    const schedule::RegionCalendar &shown = m_data->calendar.regions[region];
    const config::RegionConfig *regionConfig = m_data->config->findRegion(shown.region);
    if (!regionConfig || !regionConfig->window)
        return;
    const QDateTime oldStart = shown.windows[window].interval.startUtc;
    const auto moved = calendarreschedule::movedWindow(*regionConfig, oldStart, newStartUtc);
    if (!moved)
        return;

    CalendarMove move{qs(shown.region),
                      shown.timezone,
                      qs(m_data->config->path),
                      *regionConfig->window,
                      *moved,
                      oldStart,
                      newStartUtc,
                      m_viewerZone,
                      m_data->conflicts,
                      {}};
    move.conflictsAfter = conflictsOf(
            calendarreschedule::withWindow(*m_data->config, shown.region, *moved), *m_data);
    delete m_moveDialog;
    m_moveDialog = new CalendarMoveDialog(move, this);
    m_moveDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_moveDialog, &QDialog::accepted, this, [this, move] {
        // push() runs the command's redo: the save of the moved window.
        m_undoStack->push(new CalendarMoveCommand(
                move.region, move.before, move.after,
                [this](const QString &region, const config::WindowConfig &window) {
                    writeWindow(region, window);
                }));
    });
    m_moveDialog->open();
}

void CalendarView::writeWindow(const QString &region, const config::WindowConfig &window)
{
    if (m_revertingFailedSave)
        return;
    m_banner->hide();
    // The command runs before the stack moves its index: this is where it stands now.
    m_indexBeforeSave = m_undoStack->index();
    if (m_controller->saveWindow(region, window))
        m_summary->setText(QStringLiteral("Saving the %1 window…").arg(region));
}

void CalendarView::onSaved(const CalendarSaveOutcome &outcome)
{
    if (!outcome.error.isEmpty()) {
        // The file is as it was: the stack steps back to where it stood, writing nothing.
        if (m_indexBeforeSave >= 0 && m_undoStack->index() != m_indexBeforeSave) {
            m_revertingFailedSave = true;
            m_undoStack->setIndex(m_indexBeforeSave);
            m_revertingFailedSave = false;
        }
        m_banner->setText(QStringLiteral("The window of %1 was not saved: %2")
                                  .arg(outcome.region, outcome.error));
        m_banner->show();
        updateSummary();
        return;
    }
    reload();
    emit configSaved(qs(outcome.config->path));
}

void CalendarView::onExported(const CalendarExportOutcome &outcome)
{
    if (!outcome.error.isEmpty()) {
        m_banner->setText(QStringLiteral("The calendar was not exported: ") + outcome.error);
        m_banner->show();
    } else {
        m_summary->setText(QStringLiteral("Exported %1 window(s) to %2")
                                   .arg(outcome.events)
                                   .arg(outcome.path));
    }
    emit exportFinished(outcome);
}

} // namespace envsync::ui
