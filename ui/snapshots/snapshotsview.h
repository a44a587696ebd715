#pragma once

#include "core/config/config.h"
#include "core/job/progress.h"

#include <QByteArray>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QProgressBar;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

namespace envsync::ui {

class JobProgressPanel;
class SnapshotController;
class SnapshotListModel;
class TableProgressModel;
class VerifyChecksModel;
struct SnapshotCreateOutcome;
struct SnapshotListOutcome;
struct SnapshotVerifyOutcome;

/// Golden snapshots: the catalogue (version, state, source as-of, size, rows, rules hash,
/// duration, who, regions using it), a "New Snapshot" job with overall and per-table progress
/// and Cancel, and Verify with its checks.
///
/// Every database call runs in SnapshotController (its own workers and connections); this
/// widget only reacts to its signals on the GUI thread. The catalogue is read when the tab is
/// first shown after a config was opened (no connection before anyone looks), and after every
/// job.
class SnapshotsView : public QWidget
{
    Q_OBJECT

public:
    explicit SnapshotsView(QWidget *parent = nullptr);
    ~SnapshotsView() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    /// Reads the catalogue again (F5 inside the tab).
    void reload();
    /// Something else changed the catalogue (a refresh: "regions using it"): reads it again
    /// now when the tab is shown, otherwise when it is next shown.
    void reloadWhenShown();
    void createSnapshot();
    void cancelCreate();
    /// Verifies the selected snapshot (the newest ready one when none is selected).
    void verifySelected();

    /// The list's column layout, for the window's settings.
    [[nodiscard]] QByteArray columnState() const;
    void restoreColumnState(const QByteArray &state);

    [[nodiscard]] SnapshotController *controller() const { return m_controller; }
    [[nodiscard]] SnapshotListModel *listModel() const { return m_listModel; }
    [[nodiscard]] TableProgressModel *tableProgressModel() const;
    [[nodiscard]] VerifyChecksModel *checksModel() const { return m_checksModel; }
    [[nodiscard]] QTableView *listView() const { return m_list; }
    [[nodiscard]] JobProgressPanel *jobPanel() const { return m_jobPanel; }
    [[nodiscard]] QTreeView *tablesView() const;
    [[nodiscard]] QProgressBar *overallProgress() const;
    [[nodiscard]] QLabel *stepLabel() const;
    [[nodiscard]] QLabel *statsLabel() const;
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QLabel *verifySummary() const { return m_verifySummary; }
    [[nodiscard]] QAction *newSnapshotAction() const { return m_newAction; }
    [[nodiscard]] QAction *cancelAction() const { return m_cancelAction; }
    [[nodiscard]] QAction *verifyAction() const { return m_verifyAction; }
    [[nodiscard]] QAction *reloadAction() const { return m_reloadAction; }
    [[nodiscard]] QTabWidget *detailTabs() const { return m_detailTabs; }

signals:
    /// The list shows a new catalogue (or a failure to read it).
    void listChanged();
    /// New Snapshot made `name` (golden_vN): views comparing with golden check again.
    void snapshotCreated(const QString &name);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createControls();
    QWidget *createJobPage();
    QWidget *createVerifyPage();
    void updateActions();
    void onListLoaded(const SnapshotListOutcome &outcome);
    void onCreateStarted();
    void onCreateFinished(const SnapshotCreateOutcome &outcome);
    void onVerifyFinished(const SnapshotVerifyOutcome &outcome);
    void showError(const QString &text);
    void fitListColumns();
    [[nodiscard]] QString selectedName() const;

    SnapshotController *m_controller = nullptr;
    SnapshotListModel *m_listModel = nullptr;
    QSortFilterProxyModel *m_listProxy = nullptr;
    VerifyChecksModel *m_checksModel = nullptr;
    bool m_loadPending = false;
    bool m_columnsRestored = false;
    bool m_columnsFitted = false;

    QAction *m_newAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_verifyAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_banner = nullptr;
    QTableView *m_list = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    JobProgressPanel *m_jobPanel = nullptr;
    QLabel *m_verifySummary = nullptr;
    QTreeView *m_checksView = nullptr;
};

} // namespace envsync::ui
