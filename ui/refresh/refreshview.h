#pragma once

#include "core/config/config.h"
#include "core/job/progress.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QMessageBox;
class QInputDialog;
class QProgressBar;
class QTableView;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

namespace envsync::ui {

class JobProgressPanel;
class RefreshController;
class RefreshDialog;
class RefreshHistoryModel;
class TableProgressModel;
struct RefreshHistoryOutcome;
struct RefreshJobOutcome;
struct RollbackOutcome;
struct RollbackStateOutcome;

/// Refreshes of one region at a time: "Refresh Region…" (the dialog with the dry-run plan),
/// the job panel (step, overall and per-table progress, rate, ETA, Cancel), "Roll Back" and the
/// region's refresh history.
///
/// Every database call runs in RefreshController (its own workers and connections); this
/// widget only reacts to its signals on the GUI thread. The history is read when the tab is
/// shown, when another region is picked and after every job.
class RefreshView : public QWidget
{
    Q_OBJECT

public:
    explicit RefreshView(QWidget *parent = nullptr);
    ~RefreshView() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    /// Picks the region the actions work on (ignored when it is not in the config, and while a
    /// refresh or rollback runs).
    void setRegion(const QString &region);
    [[nodiscard]] QString region() const;

    /// Opens the refresh dialog for the current region (window-modal; starts on accept).
    void openRefreshDialog();
    /// Asks whether to roll the current region back (window-modal; rolls back on Yes).
    void confirmRollback();
    void cancelRefresh();
    void reloadHistory();

    /// The history table's column layout, for the window's settings.
    [[nodiscard]] QByteArray columnState() const;
    void restoreColumnState(const QByteArray &state);

    [[nodiscard]] RefreshController *controller() const { return m_controller; }
    [[nodiscard]] RefreshHistoryModel *historyModel() const { return m_historyModel; }
    [[nodiscard]] TableProgressModel *tableProgressModel() const;
    /// The open refresh dialog, if any.
    [[nodiscard]] RefreshDialog *refreshDialog() const;
    /// The open rollback confirmation, if any.
    [[nodiscard]] QMessageBox *rollbackConfirmation() const;
    /// Asks for the region's name when the production guard refused the rollback or refresh.
    [[nodiscard]] QInputDialog *typedNameConfirmation() const;
    [[nodiscard]] QComboBox *regionCombo() const { return m_regionCombo; }
    [[nodiscard]] JobProgressPanel *jobPanel() const { return m_jobPanel; }
    [[nodiscard]] QProgressBar *overallProgress() const;
    [[nodiscard]] QLabel *stepLabel() const;
    [[nodiscard]] QLabel *statsLabel() const;
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QTableView *historyView() const { return m_historyView; }
    [[nodiscard]] QAction *refreshAction() const { return m_refreshAction; }
    [[nodiscard]] QAction *rollbackAction() const { return m_rollbackAction; }
    [[nodiscard]] QAction *cancelAction() const { return m_cancelAction; }
    [[nodiscard]] QAction *reloadAction() const { return m_reloadAction; }

signals:
    /// The history shows a new read (or a failure to read it).
    void historyChanged();
    /// A refresh or rollback changed what a region serves (the dashboard probes again).
    void regionDataChanged(const QString &region);

protected:
    void showEvent(QShowEvent *event) override;

private:
    /// What the typed-name box asks and what it runs once the name matches.
    struct TypedNameRequest
    {
        QString action;      ///< "Roll Back": the box's title
        QString doing;       ///< "roll it back"
        QString done;        ///< "rolled back"
        QString okText;      ///< "Roll &Back"
        QString guardReason; ///< the guard's reason, as core words it
        QString confirmName; ///< what the guard's verdict asks to be typed
        std::function<bool(const QString &typed)> proceed; ///< false: a job already runs
    };
    void askForTypedName(const TypedNameRequest &ask);
    void createActions();
    void createControls();
    QWidget *createJobPanel();
    QWidget *createHistoryPanel();
    void updateActions();
    void onRefreshStarted(const QString &region);
    void onRefreshFinished(const RefreshJobOutcome &outcome);
    void onRollbackFinished(const RollbackOutcome &outcome);
    void onHistoryLoaded(const RefreshHistoryOutcome &outcome);
    void onRollbackStateLoaded(const RollbackStateOutcome &outcome);
    /// Asks (on a worker) whether the region has a previous database; Roll Back waits for it.
    void reloadRollbackState(bool sameRegion = false);
    /// Another region: the banner and the job panel were about the one before.
    void onRegionChanged();
    void showError(const QString &text);
    void fitHistoryColumns();

    RefreshController *m_controller = nullptr;
    RefreshHistoryModel *m_historyModel = nullptr;
    QPointer<RefreshDialog> m_dialog;
    QPointer<QMessageBox> m_rollbackBox;
    QPointer<QInputDialog> m_typedNameBox;
    bool m_historyPending = false;
    bool m_columnsRestored = false;
    bool m_columnsFitted = false;
    double m_expectedSeconds = -1; ///< from the plan of the running refresh (for its stats)
    /// Roll Back needs <db>__envsync_prev; known only once a worker looked it up.
    enum class RollbackState { Checking, Available, NoPrevious, Unknown };
    RollbackState m_rollbackState = RollbackState::Checking;
    QString m_rollbackNote; ///< why Roll Back is disabled (its tooltip)

    QAction *m_refreshAction = nullptr;
    QAction *m_rollbackAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QComboBox *m_regionCombo = nullptr;
    QLabel *m_banner = nullptr;
    JobProgressPanel *m_jobPanel = nullptr;
    QLabel *m_historyTitle = nullptr;
    QTableView *m_historyView = nullptr;
};

} // namespace envsync::ui
