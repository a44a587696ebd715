#pragma once

#include "core/config/config.h"
#include "ui/calendar/calendarrange.h"

#include <QDateTime>
#include <QPointer>
#include <QTimeZone>
#include <QWidget>

#include <cstddef>
#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QUndoStack;
QT_END_NAMESPACE

namespace envsync::ui {

class CalendarController;
class CalendarMoveDialog;
class CalendarTimeline;
class ConcurrencyChartView;
struct CalendarData;
struct CalendarExportOutcome;
struct CalendarSaveOutcome;

/// The Calendar tab (release managers): every region's refresh windows over a week or a
/// month in the viewer's time zone, blackouts, conflicts and past refreshes, with the number
/// of concurrent refreshes against capacity below. Dragging a window previews the new rule and
/// its conflicts, and Save writes it to the config file. Export ICS writes the shown range.
/// Every saved move is a command on the view's undo stack: Undo (Ctrl+Z) writes the window
/// as it was back to the file, Redo (Ctrl+Shift+Z) the moved one again.
///
/// Every read and write runs in CalendarController on its workers; the calendar is built when
/// the tab is first shown after a config was opened, and again on every navigation.
class CalendarView : public QWidget
{
    Q_OBJECT

public:
    explicit CalendarView(QWidget *parent = nullptr);
    ~CalendarView() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    /// Builds the calendar of the shown range again (history included).
    void reload();

    /// The zone the axis and "your time" use (default: the system's). Tests pin it.
    void setViewerZone(const QTimeZone &zone);
    /// The clock for "now", "today" and past windows (invalid: the real time). Tests pin it.
    void setNow(const QDateTime &nowUtc);
    void setSpan(CalendarRange::Span span);
    void showToday();
    /// Moves the shown range by `steps` weeks or months.
    void step(int steps);
    /// Writes the shown range as iCalendar (off the GUI thread; ends with exportFinished).
    bool exportIcs(const QString &path);
    /// Asks for a file name, then exportIcs.
    void chooseIcsFile();

    [[nodiscard]] const CalendarRange &range() const { return m_range; }
    [[nodiscard]] std::shared_ptr<const CalendarData> data() const { return m_data; }
    [[nodiscard]] CalendarController *controller() const { return m_controller; }
    [[nodiscard]] CalendarTimeline *timeline() const { return m_timeline; }
    [[nodiscard]] ConcurrencyChartView *chart() const { return m_chart; }
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QLabel *summaryLabel() const { return m_summary; }
    [[nodiscard]] QLabel *titleLabel() const { return m_title; }
    /// The open drag preview, if any.
    [[nodiscard]] CalendarMoveDialog *moveDialog() const;
    [[nodiscard]] QAction *exportIcsAction() const { return m_exportAction; }
    [[nodiscard]] QAction *weekAction() const { return m_weekAction; }
    [[nodiscard]] QAction *monthAction() const { return m_monthAction; }
    [[nodiscard]] QAction *undoAction() const { return m_undoAction; }
    [[nodiscard]] QAction *redoAction() const { return m_redoAction; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undoStack; }

signals:
    /// The timeline shows a new calendar (or the failure to build one).
    void calendarLoaded();
    /// A moved window was written to the config file at `path`.
    void configSaved(const QString &path);
    void exportFinished(const envsync::ui::CalendarExportOutcome &outcome);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createControls();
    void showRange(const CalendarRange &range);
    void onLoaded(const CalendarData &data);
    void onSaved(const CalendarSaveOutcome &outcome);
    void onExported(const CalendarExportOutcome &outcome);
    void previewMove(std::size_t region, std::size_t window, const QDateTime &newStartUtc);
    /// What a move command does and undoes: saves `window` as the region's window.
    void writeWindow(const QString &region, const config::WindowConfig &window);
    void updateUndoActions();
    void updateSummary();
    [[nodiscard]] QDateTime now() const;

    CalendarController *m_controller = nullptr;
    CalendarTimeline *m_timeline = nullptr;
    ConcurrencyChartView *m_chart = nullptr;
    std::shared_ptr<const CalendarData> m_data;
    CalendarRange m_range;
    QTimeZone m_viewerZone = QTimeZone::systemTimeZone();
    QDateTime m_now;
    bool m_loadPending = false;
    QPointer<CalendarMoveDialog> m_moveDialog;
    QUndoStack *m_undoStack = nullptr;
    /// The stack's index before the running save's command ran (restored when it fails).
    int m_indexBeforeSave = -1;
    /// Set while a failed save's command is stepped back: the file was never changed.
    bool m_revertingFailedSave = false;

    QAction *m_previousAction = nullptr;
    QAction *m_nextAction = nullptr;
    QAction *m_todayAction = nullptr;
    QAction *m_weekAction = nullptr;
    QAction *m_monthAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace envsync::ui
