#pragma once

#include "core/demo/demo.h"
#include "core/status/endpointstatus.h"
#include "ui/common/configerrordialog.h"
#include "ui/common/estatechange.h"
#include "ui/common/recentfiles.h"
#include "ui/common/settingswriter.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;
QT_END_NAMESPACE

namespace envsync::ui {

class AgeChartView;
class CalendarView;
class CdcView;
class ReportsView;
class ServicesView;
class DashboardModel;
class DashboardProxyModel;
class DriftView;
class EnvironmentsView;
class LogView;
class MaskingView;
class RefreshView;
class RegionTreeModel;
class SnapshotsView;
class StatusController;

/// The DBA console: region tree (left), dashboard table (centre), data-age chart and log
/// (bottom docks). All blocking work goes through StatusController; this class only reacts to
/// its signals on the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Loads the config on a worker, then probes it; remembered in File › Open Recent.
    void openConfig(const QString &path);
    /// Starts the local demo clusters on a worker and opens their config when they are up.
    void startDemo(const demo::DemoOptions &options);

    [[nodiscard]] StatusController *controller() const { return m_controller; }
    [[nodiscard]] DashboardModel *dashboardModel() const { return m_dashboardModel; }
    [[nodiscard]] DashboardProxyModel *dashboardProxy() const { return m_proxy; }
    [[nodiscard]] RegionTreeModel *regionTreeModel() const { return m_treeModel; }
    [[nodiscard]] QTableView *dashboardView() const { return m_table; }
    [[nodiscard]] QTreeView *regionTreeView() const { return m_tree; }
    [[nodiscard]] AgeChartView *chartView() const { return m_chart; }
    [[nodiscard]] LogView *logView() const { return m_log; }
    /// The Schema Drift tab (Ctrl+2).
    [[nodiscard]] DriftView *driftView() const { return m_driftView; }
    /// The Snapshots tab (Ctrl+3).
    [[nodiscard]] SnapshotsView *snapshotsView() const { return m_snapshotsView; }
    /// The Masking Rules tab (Ctrl+4).
    [[nodiscard]] MaskingView *maskingView() const { return m_maskingView; }
    /// The Environments tab (Ctrl+5).
    [[nodiscard]] EnvironmentsView *environmentsView() const { return m_environmentsView; }
    /// The Refresh tab (Ctrl+6): job panel and history of one region.
    [[nodiscard]] RefreshView *refreshView() const { return m_refreshView; }
    /// The Calendar tab (Ctrl+7): windows, blackouts and conflicts over a week or a month.
    [[nodiscard]] CalendarView *calendarView() const { return m_calendarView; }
    [[nodiscard]] ReportsView *reportsView() const { return m_reportsView; }
    /// The CDC tab (Ctrl+9): slot, lag and throughput per region, pause/resume.
    [[nodiscard]] CdcView *cdcView() const { return m_cdcView; }
    /// The Services tab (Ctrl+0): virtual services per region, their journals, start/stop.
    [[nodiscard]] ServicesView *servicesView() const { return m_servicesView; }
    /// The region a tree row stands for (empty for source, golden and groups).
    [[nodiscard]] QString regionAt(const QModelIndex &treeIndex) const;
    [[nodiscard]] QTabWidget *centralTabs() const { return m_tabs; }
    /// "Checked 12:34:56 · 4/5 reachable", or the probe's progress.
    [[nodiscard]] QString statusSummary() const;
    /// The open configuration-error dialog, if any.
    [[nodiscard]] ConfigErrorDialog *configErrorDialog() const { return m_errorDialog; }
    /// The jobs that change the estate and are running now ("refresh of eu"); a config
    /// change never cancels them, closing the window asks first.
    [[nodiscard]] QStringList runningJobs() const;
    /// The box closing the window asks while a job runs (Cancel Job and Quit, Quit When
    /// Finished, Don't Quit), while it is open.
    [[nodiscard]] QMessageBox *quitConfirmation() const { return m_quitBox; }
    /// The window closes by itself once every running job has ended (the user chose to quit).
    [[nodiscard]] bool quitsWhenIdle() const { return m_quitWhenIdle; }

signals:
    /// A job finished that changed the estate (`name`: the snapshot, region or environment).
    /// Every view showing that part re-reads it; see onEstateChanged.
    void estateChanged(envsync::ui::EstateChange what, const QString &name);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentralWidget();
    void createDocks();
    void createStatusBar();
    void restoreWindowState();
    void saveWindowState();

    void chooseConfig();
    void rebuildRecentMenu();
    void showAbout();
    void setAutoRefresh(bool enabled);

    void onConfigLoading(const QString &path);
    void onConfigLoaded(const QString &path, const std::vector<status::EndpointStatus> &planned);
    void onConfigFailed(const QString &path, const QStringList &diagnostics);
    void onProbeStarted();
    void onEndpointProbed(int index, const status::EndpointStatus &endpoint);
    void onProbeFinished();
    void onBusyChanged(bool busy);
    void onEstateChanged(EstateChange what, const QString &name);
    void askBeforeQuitting(const QStringList &jobs);
    void quitIfIdle();

    void updateChart();
    void updateSummary();
    void fitColumns();
    void selectFromTree();
    void copySelectedRows() const;
    void showTableContextMenu(const QPoint &position);
    void showTreeContextMenu(const QPoint &position);
    /// Shows the Refresh tab on `region` and runs `action` (refresh, roll back) there.
    void runRegionAction(const QString &region, QAction *action);
    [[nodiscard]] std::vector<int> selectedEndpoints() const;

    StatusController *m_controller = nullptr;
    DashboardModel *m_dashboardModel = nullptr;
    DashboardProxyModel *m_proxy = nullptr;
    RegionTreeModel *m_treeModel = nullptr;

    QStackedWidget *m_centralStack = nullptr;
    QTabWidget *m_tabs = nullptr; ///< Dashboard, Drift, … Refresh, Calendar
    QTableView *m_table = nullptr;
    DriftView *m_driftView = nullptr;
    SnapshotsView *m_snapshotsView = nullptr;
    MaskingView *m_maskingView = nullptr;
    EnvironmentsView *m_environmentsView = nullptr;
    RefreshView *m_refreshView = nullptr;
    CalendarView *m_calendarView = nullptr;
    ReportsView *m_reportsView = nullptr;
    CdcView *m_cdcView = nullptr;
    ServicesView *m_servicesView = nullptr;
    QTreeView *m_tree = nullptr;
    AgeChartView *m_chart = nullptr;
    LogView *m_log = nullptr;
    QDockWidget *m_treeDock = nullptr;
    QDockWidget *m_chartDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QLabel *m_summaryLabel = nullptr;
    QProgressBar *m_busyBar = nullptr;

    QAction *m_openAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_problemsOnlyAction = nullptr;
    QAction *m_autoRefreshAction = nullptr;
    QAction *m_utcTimesAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;

    SettingsWriter m_settingsWriter; ///< settings are written off the GUI thread
    RecentFiles m_recent;
    QString m_lastConfigDir;
    int m_autoRefreshSeconds = 60; ///< settings key status/autoRefreshSeconds
    bool m_autoRefreshEnabled = true;
    QPointer<ConfigErrorDialog> m_errorDialog;
    QPointer<QMessageBox> m_quitBox;
    bool m_quitWhenIdle = false; ///< close as soon as no job runs
    bool m_columnsFitted = false;
    bool m_showsLoading = false; ///< the status bar still shows "Loading <config>…"
};

} // namespace envsync::ui
