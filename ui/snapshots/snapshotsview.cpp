#include "ui/snapshots/snapshotsview.h"

#include "ui/common/jobformat.h"
#include "ui/common/jobprogresspanel.h"
#include "ui/common/tableprogressmodel.h"
#include "ui/common/viewwidgets.h"
#include "ui/snapshots/snapshotcontroller.h"
#include "ui/snapshots/snapshotlistmodel.h"
#include "ui/snapshots/verifychecksmodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace envsync::ui {

namespace {

constexpr int maxListedColumns = 25; ///< unclassified columns spelled out in the banner

const QString idleText = QStringLiteral("No snapshot job has run in this session.");

/// The refusal with one unclassified column per line, so the list is readable and copyable.
QString refusalText(const QStringList &columns)
{
    QString text = QStringLiteral("Snapshot refused: %1 unclassified column(s) (no masking rule "
                                  "and not in masking.keep). Add a rule or a keep entry for each, "
                                  "or set masking.unclassified:")
                           .arg(columns.size());
    for (qsizetype i = 0; i < columns.size() && i < maxListedColumns; ++i)
        text += QStringLiteral("\n   • ") + columns[i];
    if (columns.size() > maxListedColumns)
        text += QStringLiteral("\n   … and %1 more (see the Masking Rules tab)")
                        .arg(columns.size() - maxListedColumns);
    return text;
}

} // namespace

SnapshotsView::SnapshotsView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new SnapshotController(this))
    , m_listModel(new SnapshotListModel(this))
    , m_listProxy(new QSortFilterProxyModel(this))
    , m_checksModel(new VerifyChecksModel(this))
{
    m_listProxy->setSourceModel(m_listModel);
    m_listProxy->setSortRole(SnapshotListModel::SortRole);
    createActions();
    createControls();

    connect(m_controller, &SnapshotController::listLoaded, this, &SnapshotsView::onListLoaded);
    connect(m_controller, &SnapshotController::createStarted, this,
            &SnapshotsView::onCreateStarted);
    connect(m_controller, &SnapshotController::createProgress, m_jobPanel,
            &JobProgressPanel::showProgress);
    connect(m_controller, &SnapshotController::createStep, m_jobPanel, &JobProgressPanel::setStep);
    connect(m_controller, &SnapshotController::createFinished, this,
            &SnapshotsView::onCreateFinished);
    connect(m_controller, &SnapshotController::verifyStarted, this, [this](const QString &name) {
        m_checksModel->clear();
        m_verifySummary->setText(QStringLiteral("Verifying %1…")
                                         .arg(name.isEmpty() ? QStringLiteral("the newest snapshot")
                                                             : name));
        m_detailTabs->setCurrentIndex(1);
    });
    connect(m_controller, &SnapshotController::verifyFinished, this,
            &SnapshotsView::onVerifyFinished);
    connect(m_controller, &SnapshotController::busyChanged, this, &SnapshotsView::updateActions);
    updateActions();
}

SnapshotsView::~SnapshotsView()
{
    // Cancel and wait for the workers while the widgets their signals reach still exist.
    delete m_controller;
    m_controller = nullptr;
}

void SnapshotsView::createActions()
{
    m_newAction = new QAction(style()->standardIcon(QStyle::SP_FileDialogNewFolder),
                              QStringLiteral("&New Snapshot"), this);
    m_newAction->setObjectName(QStringLiteral("newSnapshotAction"));
    m_newAction->setToolTip(QStringLiteral(
            "Read the source once into a new masked golden snapshot (golden_vN). Refused while "
            "any column is unclassified."));
    connect(m_newAction, &QAction::triggered, this, &SnapshotsView::createSnapshot);

    m_cancelAction = new QAction(style()->standardIcon(QStyle::SP_BrowserStop),
                                 QStringLiteral("Cancel"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelSnapshotAction"));
    m_cancelAction->setToolTip(QStringLiteral("Stop the copy; the half-built database is dropped"));
    connect(m_cancelAction, &QAction::triggered, this, &SnapshotsView::cancelCreate);

    m_verifyAction = new QAction(style()->standardIcon(QStyle::SP_DialogApplyButton),
                                 QStringLiteral("&Verify"), this);
    m_verifyAction->setObjectName(QStringLiteral("verifySnapshotAction"));
    m_verifyAction->setToolTip(QStringLiteral(
            "Prove the selected snapshot against what its copy recorded (the source is not "
            "read): row counts and row hashes, foreign keys, and no sampled source value of a "
            "masked column in it"));
    connect(m_verifyAction, &QAction::triggered, this, &SnapshotsView::verifySelected);

    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                 QStringLiteral("Reload"), this);
    m_reloadAction->setObjectName(QStringLiteral("reloadSnapshotsAction"));
    m_reloadAction->setToolTip(QStringLiteral("Read the snapshot catalogue again"));
    connect(m_reloadAction, &QAction::triggered, this, &SnapshotsView::reload);
}

void SnapshotsView::createControls()
{
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("snapshotSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);

    auto *bar = new QHBoxLayout;
    bar->addWidget(viewwidgets::toolButton(m_newAction));
    bar->addWidget(viewwidgets::toolButton(m_verifyAction));
    bar->addWidget(viewwidgets::toolButton(m_reloadAction));
    bar->addStretch(1);
    bar->addWidget(m_summary);

    m_banner = viewwidgets::errorBanner();
    m_banner->setObjectName(QStringLiteral("snapshotErrorBanner"));

    m_list = new QTableView;
    m_list->setObjectName(QStringLiteral("snapshotList"));
    m_list->setModel(m_listProxy);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(SnapshotListModel::NameColumn, Qt::DescendingOrder);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->horizontalHeader()->setHighlightSections(false);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SnapshotsView::updateActions);

    m_detailTabs = new QTabWidget;
    m_detailTabs->setObjectName(QStringLiteral("snapshotDetailTabs"));
    m_detailTabs->setDocumentMode(true);
    m_detailTabs->addTab(createJobPage(), QStringLiteral("New Snapshot Job"));
    m_detailTabs->addTab(createVerifyPage(), QStringLiteral("Verify"));

    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->setObjectName(QStringLiteral("snapshotSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(m_detailTabs);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
}

QWidget *SnapshotsView::createJobPage()
{
    m_jobPanel = new JobProgressPanel(m_cancelAction, QStringLiteral("snapshot"));
    m_jobPanel->showIdle(idleText);
    return m_jobPanel;
}

TableProgressModel *SnapshotsView::tableProgressModel() const
{
    return m_jobPanel->tableModel();
}

QTreeView *SnapshotsView::tablesView() const
{
    return m_jobPanel->tablesView();
}

QProgressBar *SnapshotsView::overallProgress() const
{
    return m_jobPanel->overallProgress();
}

QLabel *SnapshotsView::stepLabel() const
{
    return m_jobPanel->stepLabel();
}

QLabel *SnapshotsView::statsLabel() const
{
    return m_jobPanel->statsLabel();
}

QWidget *SnapshotsView::createVerifyPage()
{
    auto *page = new QWidget;
    m_verifySummary = new QLabel(QStringLiteral("Select a snapshot and press Verify."));
    m_verifySummary->setObjectName(QStringLiteral("snapshotVerifySummary"));
    m_verifySummary->setTextFormat(Qt::PlainText);
    m_verifySummary->setWordWrap(true);
    m_checksView = viewwidgets::flatTree();
    m_checksView->setObjectName(QStringLiteral("snapshotVerifyChecks"));
    m_checksView->setModel(m_checksModel);
    const int ch = fontMetrics().averageCharWidth();
    m_checksView->header()->resizeSection(VerifyChecksModel::ResultColumn, 9 * ch);
    m_checksView->header()->resizeSection(VerifyChecksModel::CheckColumn, 14 * ch);
    m_checksView->header()->resizeSection(VerifyChecksModel::ObjectColumn, 48 * ch);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 6, 4, 4);
    layout->addWidget(m_verifySummary);
    layout->addWidget(m_checksView, 1);
    return page;
}

// --- commands --------------------------------------------------------------------------------

void SnapshotsView::setConfig(std::shared_ptr<const config::Config> config)
{
    m_controller->setConfig(std::move(config));
    m_listModel->clear();
    m_checksModel->clear();
    m_banner->hide();
    m_summary->clear();
    // A running create keeps its config and its job panel: it still reports when it ends.
    if (!m_controller->isCreating())
        m_jobPanel->showIdle(idleText);
    m_loadPending = m_controller->config() != nullptr;
    if (m_loadPending && isVisible())
        reload();
    updateActions();
}

void SnapshotsView::reload()
{
    m_loadPending = false;
    if (m_controller->reload())
        m_summary->setText(QStringLiteral("Reading the catalogue…"));
}

void SnapshotsView::reloadWhenShown()
{
    if (!m_controller->config())
        return;
    if (isVisible())
        reload();
    else
        m_loadPending = true;
}

void SnapshotsView::createSnapshot()
{
    m_controller->create();
}

void SnapshotsView::cancelCreate()
{
    if (!m_controller->isCreating())
        return;
    m_controller->cancelCreate();
    m_jobPanel->setStep(QStringLiteral("Cancelling… the building database is being dropped"));
}

void SnapshotsView::verifySelected()
{
    m_controller->verify(selectedName());
}

QString SnapshotsView::selectedName() const
{
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    if (rows.first().data(SnapshotListModel::StateRole).toString() != u"ready")
        return {};
    return rows.first().data(SnapshotListModel::NameRole).toString();
}

QByteArray SnapshotsView::columnState() const
{
    return m_list->horizontalHeader()->saveState();
}

void SnapshotsView::restoreColumnState(const QByteArray &state)
{
    if (!state.isEmpty() && m_list->horizontalHeader()->restoreState(state))
        m_columnsRestored = true;
}

void SnapshotsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loadPending)
        reload();
}

// --- controller signals ----------------------------------------------------------------------

void SnapshotsView::updateActions()
{
    const bool hasConfig = m_controller->config() != nullptr;
    const bool creating = m_controller->isCreating();
    m_newAction->setEnabled(hasConfig && !creating);
    m_cancelAction->setEnabled(creating);
    m_jobPanel->setCancellable(creating);
    m_reloadAction->setEnabled(hasConfig);
    const bool anyReady = std::ranges::any_of(m_listModel->snapshots(), [](const auto &info) {
        return info.state == "ready";
    });
    m_verifyAction->setEnabled(hasConfig && anyReady && !m_controller->isVerifying());
}

void SnapshotsView::onListLoaded(const SnapshotListOutcome &outcome)
{
    if (!outcome.error.isEmpty()) {
        showError(QStringLiteral("The snapshot catalogue could not be read: ") + outcome.error);
        m_summary->clear();
        emit listChanged();
        return;
    }
    const QString selected = selectedName();
    m_listModel->resetData(outcome.snapshots, outcome.inUse);
    const auto ready = std::ranges::count_if(outcome.snapshots,
                                             [](const auto &info) { return info.state == "ready"; });
    m_summary->setText(outcome.snapshots.empty()
                               ? QStringLiteral("No snapshot yet: New Snapshot makes golden_v1")
                               : QStringLiteral("%1 snapshot(s), %2 ready")
                                         .arg(outcome.snapshots.size())
                                         .arg(ready));
    if (const int row = m_listModel->rowOf(selected); row >= 0)
        m_list->selectRow(m_listProxy->mapFromSource(m_listModel->index(row, 0)).row());
    if (!m_columnsRestored && !m_columnsFitted && m_listModel->rowCount() > 0)
        fitListColumns();
    updateActions();
    emit listChanged();
}

void SnapshotsView::onCreateStarted()
{
    m_banner->hide();
    m_jobPanel->showStarted(QStringLiteral("Starting…"));
    m_detailTabs->setCurrentIndex(0);
}

void SnapshotsView::onCreateFinished(const SnapshotCreateOutcome &outcome)
{
    if (outcome.created) {
        m_jobPanel->showFinished(
                QStringLiteral("%1 is ready (%2, %3)")
                        .arg(QString::fromStdString(outcome.created->name),
                             jobformat::bytes(outcome.created->sizeBytes),
                             jobformat::duration(static_cast<double>(outcome.created->durationMs)
                                                 / 1000.0)),
                QStringLiteral("done"), true);
        emit snapshotCreated(QString::fromStdString(outcome.created->name));
    } else if (outcome.cancelled) {
        m_jobPanel->showFinished(QStringLiteral("Cancelled: the building database was dropped"),
                                 QStringLiteral("cancelled"), false);
    } else {
        m_jobPanel->showFinished(QStringLiteral("The snapshot job failed"),
                                 QStringLiteral("failed"), false);
        showError(outcome.unclassified.isEmpty()
                          ? QStringLiteral("The snapshot could not be created: ") + outcome.error
                          : refusalText(outcome.unclassified));
    }
    reload();
}

void SnapshotsView::onVerifyFinished(const SnapshotVerifyOutcome &outcome)
{
    if (!outcome.report) {
        m_checksModel->clear();
        m_verifySummary->setText(QStringLiteral("Verify failed: ") + outcome.error);
        showError(QStringLiteral("Verify failed: ") + outcome.error);
        return;
    }
    m_checksModel->resetData(*outcome.report);
    const int ch = m_checksView->fontMetrics().averageCharWidth();
    m_checksView->resizeColumnToContents(VerifyChecksModel::ObjectColumn);
    m_checksView->header()->resizeSection(
            VerifyChecksModel::ObjectColumn,
            std::clamp(m_checksView->header()->sectionSize(VerifyChecksModel::ObjectColumn) + 2 * ch,
                       30 * ch, 70 * ch));
    const int failed = m_checksModel->failedCount();
    const QString name = QString::fromStdString(outcome.report->name);
    m_verifySummary->setText(
            failed == 0 ? QStringLiteral("✔ %1 verified: all %2 checks passed")
                                  .arg(name)
                                  .arg(m_checksModel->rowCount())
                        : QStringLiteral("✘ %1: %2 of %3 checks FAILED")
                                  .arg(name)
                                  .arg(failed)
                                  .arg(m_checksModel->rowCount()));
    m_detailTabs->setCurrentIndex(1);
}

// --- helpers ---------------------------------------------------------------------------------

void SnapshotsView::showError(const QString &text)
{
    m_banner->setText(QStringLiteral("⚠ ") + text);
    m_banner->show();
}

void SnapshotsView::fitListColumns()
{
    // Fit once to the data, within bounds; the "in use by" column takes what is left.
    QHeaderView *header = m_list->horizontalHeader();
    const int ch = m_list->fontMetrics().averageCharWidth();
    for (int column = 0; column < SnapshotListModel::InUseColumn; ++column) {
        m_list->resizeColumnToContents(column);
        header->resizeSection(column, std::clamp(header->sectionSize(column) + 2 * ch, 8 * ch,
                                                 30 * ch));
    }
    m_columnsFitted = true;
}

} // namespace envsync::ui
