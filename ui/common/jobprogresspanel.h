#pragma once

#include "core/job/progress.h"

#include <QString>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QProgressBar;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

namespace envsync::ui {

class TableProgressModel;

/// A copy job as the refresh and snapshot views show it: a step line, the overall bar with a
/// Cancel button, a stats line (rows, bytes, rate, ETA) and the per-table progress table.
///
/// When no job runs the bar and the stats are hidden (no 0 % bar for nothing) until a job
/// starts; after a job they keep showing its last result. The panel only paints what it is
/// given: the owning view feeds it from its controller's signals.
class JobProgressPanel : public QWidget
{
    Q_OBJECT

public:
    /// `cancelAction` is shown as a button beside the bar while cancelling is possible;
    /// `namePrefix` prefixes the children's object names ("refresh" → "refreshOverallProgress").
    JobProgressPanel(QAction *cancelAction, const QString &namePrefix, QWidget *parent = nullptr);

    /// No job: `text` only, no bar, no figures.
    void showIdle(const QString &text);
    /// A job starts: an empty table, the bar at 0 % (or busy without a count when
    /// `indeterminate`), `text` as the step line.
    void showStarted(const QString &text, bool indeterminate = false);
    void setStep(const QString &text);
    /// The copy's share of the whole job in percent (the rest is the job's own last stretch)
    /// and what the bar's text says before the phase ("copy ").
    void setCopyShare(int percent, const QString &phasePrefix = {});
    /// Appended to every stats line while the job runs ("refresh expected ~3 min").
    void setStatsNote(const QString &note);
    /// Newest copy figures (several a second at most).
    void showProgress(const job::Progress &progress);
    /// Moves the bar forward to at least `percent` (the job's last stretch).
    void advanceTo(int percent);
    /// The job ended: `text` as the step line, the bar full when `complete`, `barText` on it.
    void showFinished(const QString &text, const QString &barText, bool complete);
    /// Whether the Cancel button is offered (a job that can be cancelled runs).
    void setCancellable(bool cancellable);

    [[nodiscard]] TableProgressModel *tableModel() const { return m_tableModel; }
    [[nodiscard]] QLabel *stepLabel() const { return m_stepLabel; }
    [[nodiscard]] QProgressBar *overallProgress() const { return m_overall; }
    [[nodiscard]] QLabel *statsLabel() const { return m_statsLabel; }
    [[nodiscard]] QTreeView *tablesView() const { return m_tablesView; }
    [[nodiscard]] QToolButton *cancelButton() const { return m_cancelButton; }

private:
    void resetFigures();

    TableProgressModel *m_tableModel = nullptr;
    QLabel *m_stepLabel = nullptr;
    QProgressBar *m_overall = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QLabel *m_statsLabel = nullptr;
    QTreeView *m_tablesView = nullptr;
    int m_copyShare = 100;
    QString m_phasePrefix;
    QString m_statsNote;
};

} // namespace envsync::ui
