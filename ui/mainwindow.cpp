#include "ui/mainwindow.h"

#include "ui/dashboard/agechartmapping.h"
#include "ui/dashboard/agechartview.h"
#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendarview.h"
#include "ui/reports/reportsview.h"
#include "ui/common/configerrordialog.h"
#include "ui/dashboard/dashboardmodel.h"
#include "ui/dashboard/dashboardproxymodel.h"
#include "ui/cdc/cdcview.h"
#include "ui/drift/driftview.h"
#include "ui/environments/environmentscontroller.h"
#include "ui/environments/environmentsview.h"
#include "ui/common/logview.h"
#include "ui/masking/maskingview.h"
#include "ui/refresh/refreshcontroller.h"
#include "ui/refresh/refreshview.h"
#include "ui/services/servicesview.h"
#include "ui/dashboard/regiontreemodel.h"
#include "ui/snapshots/snapshotcontroller.h"
#include "ui/snapshots/snapshotsview.h"
#include "ui/dashboard/statuscontroller.h"
#include "ui/common/statusicons.h"
#include "ui/common/timedisplay.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace envsync::ui {

namespace {

constexpr int windowStateVersion = 1;
constexpr int defaultAutoRefreshSeconds = 60;

const QString geometryKey = QStringLiteral("mainWindow/geometry");
const QString stateKey = QStringLiteral("mainWindow/state");
const QString autoRefreshKey = QStringLiteral("status/autoRefresh");
const QString autoRefreshSecondsKey = QStringLiteral("status/autoRefreshSeconds");
const QString utcTimesKey = QStringLiteral("display/utcTimes");
const QString lastDirKey = QStringLiteral("mainWindow/lastConfigDir");
const QString snapshotColumnsKey = QStringLiteral("snapshots/listColumns");
const QString maskingColumnsKey = QStringLiteral("masking/tableColumns");
const QString environmentColumnsKey = QStringLiteral("environments/tableColumns");
const QString historyColumnsKey = QStringLiteral("refresh/historyColumns");

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_controller(new StatusController(this))
    , m_dashboardModel(new DashboardModel(this))
    , m_proxy(new DashboardProxyModel(this))
    , m_treeModel(new RegionTreeModel(this))
    , m_recent(&m_settingsWriter)
{
    // Settings are read once, here (before the window shows); writes go through
    // m_settingsWriter so an fdatasync never stalls the GUI thread.
    {
        const QSettings settings;
        m_lastConfigDir = settings.value(lastDirKey).toString();
        m_autoRefreshEnabled = settings.value(autoRefreshKey, true).toBool();
        m_autoRefreshSeconds
                = settings.value(autoRefreshSecondsKey, defaultAutoRefreshSeconds).toInt();
        if (m_autoRefreshSeconds <= 0)
            m_autoRefreshSeconds = defaultAutoRefreshSeconds;
        TimeDisplay::instance().setUtc(settings.value(utcTimesKey, false).toBool());
    }
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("EnvSync"));
    setWindowIcon(QIcon(QStringLiteral(":/envsync/icons/envsync.svg")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    m_proxy->setSourceModel(m_dashboardModel);

    createActions();
    createCentralWidget();
    createDocks();
    createToolBar();
    createMenus();
    createStatusBar();

    connect(m_controller, &StatusController::configLoading, this, &MainWindow::onConfigLoading);
    connect(m_controller, &StatusController::configLoaded, this, &MainWindow::onConfigLoaded);
    connect(m_controller, &StatusController::configFailed, this, &MainWindow::onConfigFailed);
    connect(m_controller, &StatusController::probeStarted, this, &MainWindow::onProbeStarted);
    connect(m_controller, &StatusController::endpointProbed, this, &MainWindow::onEndpointProbed);
    connect(m_controller, &StatusController::probeFinished, this, &MainWindow::onProbeFinished);
    connect(m_controller, &StatusController::busyChanged, this, &MainWindow::onBusyChanged);
    // A new config's drift is checked once, after its first probe round has answered.
    connect(m_controller, &StatusController::probeFinished, m_driftView,
            &DriftView::startPendingCheck);
    connect(m_controller, &StatusController::demoProgress, this, [this](const QString &step) {
        statusBar()->showMessage(QStringLiteral("Demo: ") + step);
    });
    connect(m_controller, &StatusController::demoReady, this, &MainWindow::openConfig);
    // Jobs that change the estate tell every view showing it (no view keeps stale results).
    connect(m_refreshView, &RefreshView::regionDataChanged, this,
            [this](const QString &region) { emit estateChanged(EstateChange::Region, region); });
    connect(m_snapshotsView, &SnapshotsView::snapshotCreated, this,
            [this](const QString &name) { emit estateChanged(EstateChange::Snapshot, name); });
    connect(m_environmentsView, &EnvironmentsView::environmentChanged, this,
            [this](const QString &name) { emit estateChanged(EstateChange::Environment, name); });
    connect(this, &MainWindow::estateChanged, this, &MainWindow::onEstateChanged);
    // The user chose to quit once the running jobs have ended.
    connect(m_refreshView->controller(), &RefreshController::busyChanged, this,
            &MainWindow::quitIfIdle);
    connect(m_snapshotsView->controller(), &SnapshotController::busyChanged, this,
            &MainWindow::quitIfIdle);
    connect(m_environmentsView->controller(), &EnvironmentsController::busyChanged, this,
            &MainWindow::quitIfIdle);
    connect(m_calendarView->controller(), &CalendarController::busyChanged, this,
            &MainWindow::quitIfIdle);
    connect(m_controller, &StatusController::demoFailed, this, [this](const QString &message) {
        statusBar()->showMessage(QStringLiteral("The demo could not start"), 10000);
        auto *box = new QMessageBox(QMessageBox::Critical, QStringLiteral("Demo"),
                                    QStringLiteral("The demo clusters could not be started."),
                                    QMessageBox::Close, this);
        box->setInformativeText(message);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });

    m_controller->setAutoRefreshInterval(
            std::chrono::seconds(m_autoRefreshEnabled ? m_autoRefreshSeconds : 0));
    m_autoRefreshAction->setText(
            QStringLiteral("&Auto Refresh Every %1 s").arg(m_autoRefreshSeconds));
    m_autoRefreshAction->setChecked(m_autoRefreshEnabled);

    restoreWindowState();
    updateSummary();
    spdlog::info("EnvSync {} ready", ENVSYNC_VERSION);
}

MainWindow::~MainWindow()
{
    // Wait for the workers first, while every widget its signals might reach still exists.
    delete m_controller;
    m_controller = nullptr;
}

// --- construction ----------------------------------------------------------------------------

void MainWindow::createActions()
{
    m_openAction = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
                               QStringLiteral("&Open Config…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(QStringLiteral("Open an EnvSync YAML configuration"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseConfig);

    m_refreshAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                  QStringLiteral("&Refresh Status"), this);
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setStatusTip(
            QStringLiteral("Probe every endpoint again: reachability, version, size, freshness"));
    m_refreshAction->setEnabled(false);
    connect(m_refreshAction, &QAction::triggered, this, [this] { m_controller->refresh(); });

    m_quitAction = new QAction(QStringLiteral("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_copyAction = new QAction(QStringLiteral("&Copy Rows"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyAction->setStatusTip(QStringLiteral("Copy the selected rows as tab-separated text"));
    connect(m_copyAction, &QAction::triggered, this, &MainWindow::copySelectedRows);

    m_problemsOnlyAction = new QAction(QStringLiteral("&Problems Only"), this);
    m_problemsOnlyAction->setCheckable(true);
    m_problemsOnlyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_problemsOnlyAction->setStatusTip(
            QStringLiteral("Show only unreachable endpoints and regions that are not fresh"));
    connect(m_problemsOnlyAction, &QAction::toggled, m_proxy,
            &DashboardProxyModel::setProblemsOnly);

    m_autoRefreshAction = new QAction(QStringLiteral("&Auto Refresh"), this);
    m_autoRefreshAction->setCheckable(true);
    m_autoRefreshAction->setStatusTip(
            QStringLiteral("Probe every endpoint again a while after each check"));
    connect(m_autoRefreshAction, &QAction::triggered, this, &MainWindow::setAutoRefresh);

    m_utcTimesAction = new QAction(QStringLiteral("Show Times in &UTC"), this);
    m_utcTimesAction->setObjectName(QStringLiteral("utcTimesAction"));
    m_utcTimesAction->setCheckable(true);
    m_utcTimesAction->setChecked(TimeDisplay::instance().utc());
    m_utcTimesAction->setStatusTip(
            QStringLiteral("Show every time in UTC instead of this computer's time zone"));
    connect(m_utcTimesAction, &QAction::toggled, this, [this](bool utc) {
        TimeDisplay::instance().setUtc(utc);
        m_settingsWriter.setValue(utcTimesKey, utc);
    });

    m_aboutAction = new QAction(QStringLiteral("&About EnvSync"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(QStringLiteral("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_refreshAction);
    file->addAction(m_driftView->recheckAction());
    file->addAction(m_calendarView->exportIcsAction());
    file->addAction(m_reportsView->exportAction());
    file->addAction(m_reportsView->printAction());
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    edit->addAction(m_copyAction);
    QAction *find = edit->addAction(QStringLiteral("&Filter…"));
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });

    m_viewMenu = menuBar()->addMenu(QStringLiteral("&View"));
    QAction *showDashboard = m_viewMenu->addAction(QStringLiteral("&Dashboard"));
    showDashboard->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(showDashboard, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_table); });
    QAction *showDrift = m_viewMenu->addAction(QStringLiteral("Schema D&rift"));
    showDrift->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    connect(showDrift, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_driftView); });
    QAction *showSnapshots = m_viewMenu->addAction(QStringLiteral("&Snapshots"));
    showSnapshots->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    connect(showSnapshots, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_snapshotsView); });
    QAction *showMasking = m_viewMenu->addAction(QStringLiteral("&Masking Rules"));
    showMasking->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
    connect(showMasking, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_maskingView); });
    QAction *showEnvironments = m_viewMenu->addAction(QStringLiteral("&Environments"));
    showEnvironments->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_5));
    connect(showEnvironments, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_environmentsView); });
    QAction *showRefresh = m_viewMenu->addAction(QStringLiteral("Re&fresh Jobs"));
    showRefresh->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_6));
    connect(showRefresh, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_refreshView); });
    QAction *showCalendar = m_viewMenu->addAction(QStringLiteral("&Calendar"));
    showCalendar->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_7));
    connect(showCalendar, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_calendarView); });
    QAction *showReports = m_viewMenu->addAction(QStringLiteral("Re&ports"));
    showReports->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_8));
    connect(showReports, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_reportsView); });
    QAction *showCdc = m_viewMenu->addAction(QStringLiteral("C&DC"));
    showCdc->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_9));
    connect(showCdc, &QAction::triggered, this, [this] { m_tabs->setCurrentWidget(m_cdcView); });
    QAction *showServices = m_viewMenu->addAction(QStringLiteral("Ser&vices"));
    showServices->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(showServices, &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_servicesView); });
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_treeDock->toggleViewAction());
    m_viewMenu->addAction(m_chartDock->toggleViewAction());
    m_viewMenu->addAction(m_logDock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_problemsOnlyAction);
    m_viewMenu->addAction(m_autoRefreshAction);
    m_viewMenu->addAction(m_utcTimesAction);

    // The region commands work on the Refresh tab's region (the tree selection follows it);
    // in the menu bar their shortcuts work from every tab.
    QMenu *region = menuBar()->addMenu(QStringLiteral("&Region"));
    region->addAction(m_refreshView->refreshAction());
    region->addAction(m_refreshView->rollbackAction());
    region->addAction(m_refreshView->cancelAction());
    connect(m_refreshView->refreshAction(), &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_refreshView); });
    connect(m_refreshView->rollbackAction(), &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_refreshView); });

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(m_aboutAction);
    QAction *aboutQt = help->addAction(QStringLiteral("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    QToolBar *toolBar = addToolBar(QStringLiteral("Main Toolbar"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_openAction);
    toolBar->addAction(m_refreshAction);
    toolBar->addSeparator();

    m_filterEdit = new QLineEdit(toolBar);
    m_filterEdit->setObjectName(QStringLiteral("filterEdit"));
    m_filterEdit->setPlaceholderText(QStringLiteral("Filter by name, address or error (Ctrl+F)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMaximumWidth(360);
    m_filterEdit->setMinimumWidth(220);
    connect(m_filterEdit, &QLineEdit::textChanged, m_proxy, &DashboardProxyModel::setFilterText);
    toolBar->addWidget(m_filterEdit);
    toolBar->addAction(m_problemsOnlyAction);
}

void MainWindow::createCentralWidget()
{
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("dashboardTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    // Middle: socket paths and long errors keep their informative ends (port/db, the cause).
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setIconSize(QSize(16, 16));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(
            std::max(26, m_table->fontMetrics().height() + 10));
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    header->setSortIndicatorClearable(true);
    header->setSortIndicator(-1, Qt::AscendingOrder); // config order until the user sorts
    m_table->setSortingEnabled(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->addAction(m_copyAction);
    connect(m_table, &QWidget::customContextMenuRequested, this, &MainWindow::showTableContextMenu);

    // Starting widths from the font; fitColumns() adjusts them to the data once it arrives.
    const int ch = m_table->fontMetrics().averageCharWidth();
    const std::array<int, DashboardModel::ColumnCount - 1> chars
            = {12, 8, 30, 10, 11, 9, 24, 9, 7, 11};
    for (std::size_t column = 0; column < chars.size(); ++column)
        header->resizeSection(static_cast<int>(column), chars[column] * ch + 28);

    auto *placeholder = new QLabel(
            QStringLiteral("<h3>No configuration open</h3>"
                           "<p>File › Open Config… (Ctrl+O) opens an EnvSync YAML file.<br>"
                           "Run <tt>envsync --demo</tt> to try it with local demo clusters.</p>"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setObjectName(QStringLiteral("emptyPlaceholder"));
    placeholder->setForegroundRole(QPalette::PlaceholderText);

    m_driftView = new DriftView;
    m_driftView->setObjectName(QStringLiteral("driftView"));
    connect(m_driftView->recheckAction(), &QAction::triggered, this,
            [this] { m_tabs->setCurrentWidget(m_driftView); });

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("centralTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_table, QStringLiteral("Dashboard"));
    m_tabs->addTab(m_driftView, QStringLiteral("Schema Drift"));

    m_snapshotsView = new SnapshotsView;
    m_snapshotsView->setObjectName(QStringLiteral("snapshotsView"));
    m_tabs->addTab(m_snapshotsView, QStringLiteral("Snapshots"));
    m_maskingView = new MaskingView;
    m_maskingView->setObjectName(QStringLiteral("maskingView"));
    m_tabs->addTab(m_maskingView, QStringLiteral("Masking Rules"));
    m_environmentsView = new EnvironmentsView;
    m_environmentsView->setObjectName(QStringLiteral("environmentsView"));
    m_tabs->addTab(m_environmentsView, QStringLiteral("Environments"));
    m_refreshView = new RefreshView;
    m_refreshView->setObjectName(QStringLiteral("refreshView"));
    m_tabs->addTab(m_refreshView, QStringLiteral("Refresh"));
    m_calendarView = new CalendarView;
    m_calendarView->setObjectName(QStringLiteral("calendarView"));
    m_tabs->addTab(m_calendarView, QStringLiteral("Calendar"));
    // A moved window changes the config: every view reads the file again.
    connect(m_calendarView, &CalendarView::configSaved, this, &MainWindow::openConfig);
    m_reportsView = new ReportsView;
    m_reportsView->setObjectName(QStringLiteral("reportsView"));
    m_tabs->addTab(m_reportsView, QStringLiteral("Reports"));
    // From another tab, Export and Print show what they act on first.
    for (QAction *action : {m_reportsView->exportAction(), m_reportsView->printAction()})
        connect(action, &QAction::triggered, this,
                [this] { m_tabs->setCurrentWidget(m_reportsView); });
    m_cdcView = new CdcView;
    m_cdcView->setObjectName(QStringLiteral("cdcView"));
    m_tabs->addTab(m_cdcView, QStringLiteral("CDC"));
    m_servicesView = new ServicesView;
    m_servicesView->setObjectName(QStringLiteral("servicesView"));
    m_tabs->addTab(m_servicesView, QStringLiteral("Services"));

    m_centralStack = new QStackedWidget;
    m_centralStack->addWidget(placeholder);
    m_centralStack->addWidget(m_tabs);
    setCentralWidget(m_centralStack);
}

void MainWindow::createDocks()
{
    m_tree = new QTreeView;
    m_tree->setObjectName(QStringLiteral("regionTree"));
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setIconSize(QSize(16, 16));
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(RegionTreeModel::NameColumn,
                                           QHeaderView::ResizeToContents);
    connect(m_treeModel, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::selectFromTree);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &MainWindow::showTreeContextMenu);

    m_treeDock = new QDockWidget(QStringLiteral("Regions"), this);
    m_treeDock->setObjectName(QStringLiteral("regionsDock"));
    m_treeDock->setWidget(m_tree);
    m_treeDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    addDockWidget(Qt::LeftDockWidgetArea, m_treeDock);

    m_chart = new AgeChartView;
    m_chart->setObjectName(QStringLiteral("ageChart"));
    m_chartDock = new QDockWidget(QStringLiteral("Data Age"), this);
    m_chartDock->setObjectName(QStringLiteral("chartDock"));
    m_chartDock->setWidget(m_chart);
    m_chartDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    addDockWidget(Qt::BottomDockWidgetArea, m_chartDock);

    m_log = new LogView;
    m_log->setObjectName(QStringLiteral("logView"));
    m_logDock = new QDockWidget(QStringLiteral("Log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setWidget(m_log);
    m_logDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    splitDockWidget(m_chartDock, m_logDock, Qt::Horizontal);
}

void MainWindow::createStatusBar()
{
    m_busyBar = new QProgressBar;
    m_busyBar->setObjectName(QStringLiteral("busyIndicator"));
    m_busyBar->setRange(0, 0); // indeterminate
    m_busyBar->setMaximumWidth(120);
    m_busyBar->setMaximumHeight(statusBar()->fontMetrics().height() + 4);
    m_busyBar->setTextVisible(false);
    m_busyBar->hide();

    m_summaryLabel = new QLabel;
    m_summaryLabel->setObjectName(QStringLiteral("statusSummary"));
    m_summaryLabel->setContentsMargins(6, 0, 6, 0);

    statusBar()->addPermanentWidget(m_busyBar);
    statusBar()->addPermanentWidget(m_summaryLabel);
    connect(statusBar(), &QStatusBar::messageChanged, this, [this] { m_showsLoading = false; });
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    const bool geometryRestored = restoreGeometry(settings.value(geometryKey).toByteArray());
    const bool stateRestored
            = restoreState(settings.value(stateKey).toByteArray(), windowStateVersion);
    if (!geometryRestored) {
        QSize size(1440, 900);
        if (const QScreen *screen = QApplication::primaryScreen())
            size = size.boundedTo(screen->availableSize() * 0.92);
        resize(size);
    }
    m_snapshotsView->restoreColumnState(settings.value(snapshotColumnsKey).toByteArray());
    m_maskingView->restoreColumnState(settings.value(maskingColumnsKey).toByteArray());
    m_environmentsView->restoreColumnState(settings.value(environmentColumnsKey).toByteArray());
    m_refreshView->restoreColumnState(settings.value(historyColumnsKey).toByteArray());
    if (!stateRestored) {
        resizeDocks({m_treeDock}, {290}, Qt::Horizontal);
        const int dockHeight = height() * 45 / 100;
        resizeDocks({m_chartDock, m_logDock}, {dockHeight, dockHeight}, Qt::Vertical);
        resizeDocks({m_chartDock, m_logDock}, {width() / 2, width() / 2}, Qt::Horizontal);
    }
}

void MainWindow::saveWindowState()
{
    m_settingsWriter.setValue(geometryKey, saveGeometry());
    m_settingsWriter.setValue(stateKey, saveState(windowStateVersion));
    m_settingsWriter.setValue(snapshotColumnsKey, m_snapshotsView->columnState());
    m_settingsWriter.setValue(maskingColumnsKey, m_maskingView->columnState());
    m_settingsWriter.setValue(environmentColumnsKey, m_environmentsView->columnState());
    m_settingsWriter.setValue(historyColumnsKey, m_refreshView->columnState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const QStringList jobs = runningJobs();
    if (!jobs.isEmpty()) {
        // Quitting would kill a job half-way: the user decides (quitIfIdle closes later).
        event->ignore();
        askBeforeQuitting(jobs);
        return;
    }
    m_quitWhenIdle = false; // done: a window shown again does not close by itself
    saveWindowState();
    QMainWindow::closeEvent(event);
}

QStringList MainWindow::runningJobs() const
{
    QStringList jobs;
    const RefreshController *refresh = m_refreshView->controller();
    if (refresh->isBusy())
        jobs << (refresh->isRefreshing() ? QStringLiteral("refresh of %1")
                                         : QStringLiteral("rollback of %1"))
                        .arg(refresh->busyRegion());
    if (m_snapshotsView->controller()->isCreating())
        jobs << QStringLiteral("snapshot create");
    if (m_environmentsView->controller()->isChanging())
        jobs << QStringLiteral("environment create or drop");
    if (m_calendarView->controller()->isSaving())
        jobs << QStringLiteral("window save");
    return jobs;
}

void MainWindow::askBeforeQuitting(const QStringList &jobs)
{
    if (m_quitBox) {
        m_quitBox->raise();
        return;
    }
    m_quitBox = new QMessageBox(
            QMessageBox::Warning, QStringLiteral("Quit EnvSync"),
            QStringLiteral("The %1 %2 still running.")
                    .arg(jobs.join(QStringLiteral(" and the ")),
                         jobs.size() > 1 ? QStringLiteral("are") : QStringLiteral("is")),
            QMessageBox::NoButton, this);
    m_quitBox->setObjectName(QStringLiteral("quitWhileBusyBox"));
    m_quitBox->setInformativeText(QStringLiteral(
            "Cancel Job and Quit stops it (a refresh or snapshot drops what it was building and "
            "leaves the region untouched; a short rollback, environment or window job is let "
            "finish) and quits once it has stopped. Quit When Finished lets it run to the end "
            "and then quits. Don't Quit keeps EnvSync open."));
    QPushButton *cancelAndQuit = m_quitBox->addButton(QStringLiteral("Cancel Job and Quit"),
                                                      QMessageBox::DestructiveRole);
    QPushButton *quitWhenDone
            = m_quitBox->addButton(QStringLiteral("Quit When Finished"), QMessageBox::AcceptRole);
    QPushButton *stay = m_quitBox->addButton(QStringLiteral("Don't Quit"), QMessageBox::RejectRole);
    m_quitBox->setDefaultButton(stay);
    m_quitBox->setEscapeButton(stay);
    m_quitBox->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_quitBox, &QMessageBox::buttonClicked, this,
            [this, cancelAndQuit, quitWhenDone, stay](QAbstractButton *button) {
                if (button == stay) {
                    m_quitWhenIdle = false;
                    statusBar()->showMessage(QStringLiteral("EnvSync stays open"), 5000);
                    return;
                }
                m_quitWhenIdle = true;
                if (button == cancelAndQuit) {
                    spdlog::info("quit: cancelling the running jobs");
                    m_refreshView->controller()->cancelRefresh();
                    m_snapshotsView->controller()->cancelCreate();
                    statusBar()->showMessage(
                            QStringLiteral("Cancelling; EnvSync quits once the job has stopped"));
                } else if (button == quitWhenDone) {
                    statusBar()->showMessage(
                            QStringLiteral("EnvSync quits when the %1 has finished")
                                    .arg(runningJobs().join(QStringLiteral(" and the "))));
                }
                quitIfIdle();
            });
    m_quitBox->open();
}

void MainWindow::quitIfIdle()
{
    if (!m_quitWhenIdle || !runningJobs().isEmpty())
        return;
    // After the finishing job's own signals (its result is shown and logged) have run.
    QTimer::singleShot(0, this, [this] {
        if (m_quitWhenIdle && runningJobs().isEmpty())
            close();
    });
}

// --- commands --------------------------------------------------------------------------------

void MainWindow::openConfig(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_recent.add(absolute);
    m_controller->openConfig(absolute);
}

void MainWindow::startDemo(const demo::DemoOptions &options)
{
    statusBar()->showMessage(QStringLiteral("Starting the demo clusters…"));
    m_controller->startDemo(options);
}

void MainWindow::chooseConfig()
{
    QString directory = m_lastConfigDir;
    if (directory.isEmpty() && !m_controller->configPath().isEmpty())
        directory = QFileInfo(m_controller->configPath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
            this, QStringLiteral("Open EnvSync Config"), directory,
            QStringLiteral("EnvSync config (*.yaml *.yml);;All files (*)"));
    if (path.isEmpty())
        return;
    m_lastConfigDir = QFileInfo(path).absolutePath();
    m_settingsWriter.setValue(lastDirKey, m_lastConfigDir);
    openConfig(path);
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_recent.files();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString &path = files[i];
        const QString label = QStringLiteral("&%1  %2").arg(i + 1).arg(
                QDir::toNativeSeparators(path).replace(QLatin1Char('&'), QStringLiteral("&&")));
        QAction *action = m_recentMenu->addAction(label);
        action->setData(path);
        connect(action, &QAction::triggered, this, [this, path] { openConfig(path); });
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(QStringLiteral("No recent configs"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(QStringLiteral("Clear List"), this, [this] { m_recent.clear(); });
}

void MainWindow::showAbout()
{
    QMessageBox::about(
            this, QStringLiteral("About EnvSync"),
            QStringLiteral("<h3>EnvSync %1</h3>"
                           "<p>Keeps regional PostgreSQL test databases in sync with production "
                           "without freeze days: masked golden snapshots, staggered refresh "
                           "windows, atomic swaps, drift detection and freshness reports.</p>"
                           "<p>Built with Qt %2.</p>")
                    .arg(QStringLiteral(ENVSYNC_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::setAutoRefresh(bool enabled)
{
    m_autoRefreshEnabled = enabled;
    m_settingsWriter.setValue(autoRefreshKey, enabled);
    m_controller->setAutoRefreshInterval(std::chrono::seconds(enabled ? m_autoRefreshSeconds : 0));
}

// --- controller signals ----------------------------------------------------------------------

void MainWindow::onConfigLoading(const QString &path)
{
    statusBar()->showMessage(QStringLiteral("Loading %1…").arg(QDir::toNativeSeparators(path)));
    m_showsLoading = true; // until another message replaces it (messageChanged)
}

void MainWindow::onConfigLoaded(const QString &path,
                                const std::vector<status::EndpointStatus> &planned)
{
    setWindowTitle(QStringLiteral("%1 — EnvSync").arg(QFileInfo(path).fileName()));
    setWindowFilePath(path);
    m_dashboardModel->resetData(planned);
    m_treeModel->resetData(planned);
    m_columnsFitted = false;
    m_centralStack->setCurrentWidget(m_tabs);
    // A config change never cancels a running job: it keeps the config it started with.
    const QStringList jobs = runningJobs();
    m_driftView->setConfig(m_controller->config());
    m_snapshotsView->setConfig(m_controller->config());
    m_maskingView->setConfig(m_controller->config());
    m_environmentsView->setConfig(m_controller->config());
    m_refreshView->setConfig(m_controller->config());
    m_calendarView->setConfig(m_controller->config());
    m_reportsView->setConfig(m_controller->config());
    m_cdcView->setConfig(m_controller->config());
    m_servicesView->setConfig(m_controller->config());
    m_refreshAction->setEnabled(true);
    if (jobs.isEmpty()) {
        statusBar()->showMessage(QStringLiteral("Opened %1").arg(QDir::toNativeSeparators(path)),
                                 5000);
    } else {
        const QString note = QStringLiteral("Configuration reloaded; the running %1 %2 with "
                                            "the configuration it started with")
                                     .arg(jobs.join(QStringLiteral(" and the ")),
                                          jobs.size() > 1 ? QStringLiteral("continue")
                                                          : QStringLiteral("continues"));
        spdlog::info("{}", note.toStdString());
        statusBar()->showMessage(note, 15000);
    }
    updateChart();
}

void MainWindow::onConfigFailed(const QString &path, const QStringList &diagnostics)
{
    statusBar()->showMessage(QStringLiteral("%1 has errors").arg(QFileInfo(path).fileName()),
                             10000);
    if (m_errorDialog)
        m_errorDialog->close();
    m_errorDialog = new ConfigErrorDialog(path, diagnostics, this);
    m_errorDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_errorDialog->open();
}

void MainWindow::onEstateChanged(EstateChange what, const QString &name)
{
    if (!m_controller->hasConfig())
        return;
    m_driftView->estateChanged(what, name);
    switch (what) {
    case EstateChange::Snapshot:
        m_environmentsView->reloadWhenShown(); // its snapshot picker
        break;
    case EstateChange::Region:
        m_snapshotsView->reloadWhenShown(); // "regions using it"
        break;
    case EstateChange::Environment:
        break;
    }
    // Freshness, sizes and versions on the dashboard.
    m_controller->refresh();
}

void MainWindow::onProbeStarted()
{
    m_dashboardModel->markAllPending();
    m_treeModel->markAllPending();
    updateSummary();
}

void MainWindow::onEndpointProbed(int index, const status::EndpointStatus &endpoint)
{
    const auto i = static_cast<std::size_t>(index);
    m_dashboardModel->updateEndpoint(i, endpoint);
    m_treeModel->updateEndpoint(i, endpoint);
    if (endpoint.role == status::EndpointRole::Region)
        m_driftView->regionProbed(QString::fromStdString(endpoint.name), endpoint.reachable);
    updateChart();
    updateSummary();
}

void MainWindow::onProbeFinished()
{
    updateSummary();
    if (!m_columnsFitted) {
        fitColumns();
        m_columnsFitted = true;
    }
}

void MainWindow::onBusyChanged(bool busy)
{
    m_busyBar->setVisible(busy);
    if (!busy && m_showsLoading)
        statusBar()->clearMessage();
    updateSummary();
}

// --- view helpers ----------------------------------------------------------------------------

void MainWindow::updateChart()
{
    m_chart->setBars(
            AgeChartMapping::bars(m_dashboardModel->endpoints(), m_dashboardModel->probedFlags()));
}

QString MainWindow::statusSummary() const
{
    return m_summaryLabel->text();
}

void MainWindow::updateSummary()
{
    const int total = m_dashboardModel->rowCount();
    QString text;
    if (m_controller->isProbing()) {
        text = QStringLiteral("Probing… %1/%2 answered")
                       .arg(total - m_dashboardModel->pendingCount())
                       .arg(total);
    } else if (m_controller->lastChecked().isValid()) {
        text = QStringLiteral("Checked %1 · %2/%3 reachable")
                       .arg(m_controller->lastChecked().toString(QStringLiteral("HH:mm:ss")))
                       .arg(m_dashboardModel->reachableCount())
                       .arg(total);
    } else if (m_controller->isDemoRunning()) {
        text = QStringLiteral("Starting demo…");
    } else if (!m_controller->hasConfig()) {
        text = QStringLiteral("No config");
    }
    m_summaryLabel->setText(text);
    m_summaryLabel->setToolTip(m_controller->configPath());
}

void MainWindow::fitColumns()
{
    // Fit to the data, within bounds; the error column takes what is left.
    QHeaderView *header = m_table->horizontalHeader();
    const int ch = m_table->fontMetrics().averageCharWidth();
    for (int column = 0; column < DashboardModel::ErrorColumn; ++column) {
        const int before = header->sectionSize(column);
        const int widest = (column == DashboardModel::AddressColumn ? 26 : 34) * ch;
        m_table->resizeColumnToContents(column);
        const int fitted = header->sectionSize(column) + ch;
        header->resizeSection(column, std::clamp(fitted, std::min(before, 8 * ch), widest));
    }
}

std::vector<int> MainWindow::selectedEndpoints() const
{
    std::vector<int> endpoints;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        endpoints.push_back(index.data(DashboardModel::EndpointIndexRole).toInt());
    std::ranges::sort(endpoints);
    return endpoints;
}

void MainWindow::selectFromTree()
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    if (const QString region = regionAt(current); !region.isEmpty())
        m_refreshView->setRegion(region);
    std::vector<int> endpoints;
    if (const int endpoint = m_treeModel->endpointAt(current); endpoint >= 0) {
        endpoints.push_back(endpoint);
    } else {
        const QModelIndex group = current.siblingAtColumn(0);
        for (int row = 0; row < m_treeModel->rowCount(group); ++row)
            endpoints.push_back(m_treeModel->endpointAt(m_treeModel->index(row, 0, group)));
    }
    QItemSelection selection;
    for (int endpoint : endpoints) {
        const QModelIndex proxyIndex = m_proxy->mapFromSource(m_dashboardModel->index(endpoint, 0));
        if (proxyIndex.isValid())
            selection.select(proxyIndex,
                             proxyIndex.siblingAtColumn(DashboardModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        m_table->scrollTo(selection.first().topLeft());
}

void MainWindow::copySelectedRows() const
{
    const std::vector<int> endpoints = selectedEndpoints();
    if (endpoints.empty())
        return;
    QStringList lines;
    QStringList header;
    for (int column = 0; column < DashboardModel::ColumnCount; ++column)
        header << m_dashboardModel->headerData(column, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int endpoint : endpoints) {
        QStringList cells;
        for (int column = 0; column < DashboardModel::ColumnCount; ++column) {
            QString cell = m_dashboardModel->index(endpoint, column).data().toString();
            if (column == DashboardModel::ErrorColumn) {
                const auto &all = m_dashboardModel->endpoints();
                const auto &error = all[static_cast<std::size_t>(endpoint)].error;
                cell = error ? QString::fromStdString(*error).simplified() : QString();
            }
            cells << cell;
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

void MainWindow::showTableContextMenu(const QPoint &position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    const auto endpoint
            = static_cast<std::size_t>(index.data(DashboardModel::EndpointIndexRole).toInt());
    const status::EndpointStatus &clicked = m_dashboardModel->endpoints()[endpoint];

    QMenu menu(this);
    menu.addAction(m_copyAction);
    QAction *copyAddress = menu.addAction(QStringLiteral("Copy Address"));
    copyAddress->setEnabled(!clicked.address.empty());
    QAction *copyError = menu.addAction(QStringLiteral("Copy Error Message"));
    copyError->setEnabled(clicked.error.has_value());
    menu.addSeparator();
    menu.addAction(m_refreshAction);

    QAction *chosen = menu.exec(m_table->viewport()->mapToGlobal(position));
    if (chosen == copyAddress)
        QApplication::clipboard()->setText(QString::fromStdString(clicked.address));
    else if (chosen == copyError && clicked.error)
        QApplication::clipboard()->setText(QString::fromStdString(*clicked.error));
}

QString MainWindow::regionAt(const QModelIndex &treeIndex) const
{
    const int endpoint = m_treeModel->endpointAt(treeIndex.siblingAtColumn(0));
    const auto &endpoints = m_dashboardModel->endpoints();
    if (endpoint < 0 || static_cast<std::size_t>(endpoint) >= endpoints.size())
        return {};
    const status::EndpointStatus &status = endpoints[static_cast<std::size_t>(endpoint)];
    return status.role == status::EndpointRole::Region ? QString::fromStdString(status.name)
                                                        : QString();
}

void MainWindow::runRegionAction(const QString &region, QAction *action)
{
    m_refreshView->setRegion(region);
    m_tabs->setCurrentWidget(m_refreshView);
    if (action)
        action->trigger();
}

void MainWindow::showTreeContextMenu(const QPoint &position)
{
    const QString region = regionAt(m_tree->indexAt(position));
    if (region.isEmpty())
        return;
    // The actions follow the Refresh tab's region: point it at the clicked one first, so the
    // enabled state (a job running?) and the shortcuts shown are the real ones.
    m_refreshView->setRegion(region);
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("regionContextMenu"));
    QAction *refresh = menu.addAction(m_refreshView->refreshAction()->icon(),
                                      QStringLiteral("&Refresh %1…").arg(region));
    refresh->setShortcut(m_refreshView->refreshAction()->shortcut());
    refresh->setEnabled(m_refreshView->refreshAction()->isEnabled());
    QAction *rollback = menu.addAction(m_refreshView->rollbackAction()->icon(),
                                       QStringLiteral("Roll &Back %1…").arg(region));
    rollback->setShortcut(m_refreshView->rollbackAction()->shortcut());
    rollback->setEnabled(m_refreshView->rollbackAction()->isEnabled());
    menu.addSeparator();
    QAction *history = menu.addAction(QStringLiteral("Refresh &History"));
    QAction *chosen = menu.exec(m_tree->viewport()->mapToGlobal(position));
    if (chosen == refresh)
        runRegionAction(region, m_refreshView->refreshAction());
    else if (chosen == rollback)
        runRegionAction(region, m_refreshView->rollbackAction());
    else if (chosen == history)
        runRegionAction(region, nullptr);
}

} // namespace envsync::ui
