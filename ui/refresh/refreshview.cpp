#include "ui/refresh/refreshview.h"

#include "ui/common/jobformat.h"
#include "ui/common/jobprogresspanel.h"
#include "ui/common/tableprogressmodel.h"
#include "ui/common/viewwidgets.h"
#include "ui/refresh/refreshcontroller.h"
#include "ui/refresh/refreshdialog.h"
#include "ui/refresh/refreshhistorymodel.h"

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace envsync::ui {

namespace {

/// The copy is most of a refresh; hooks, preserved tables and the swap share the rest.
constexpr int copyShare = 95;
constexpr int swapPercent = 98;

const QString idleText = QStringLiteral("No refresh has run in this session.");
const QString rollbackToolTip = QStringLiteral(
        "Swap the region back to the database it had before the last refresh (Ctrl+Shift+R)");

/// Why a refresh did not run, with how to override it in this window's terms (core names no
/// flags; the command line words its own advice).
QString refusalText(const RefreshJobOutcome &outcome)
{
    switch (outcome.refusal) {
    case Refusal::OutsideWindow:
        return QStringLiteral("Refused for %1: %2. To refresh anyway, open Refresh Region…, tick "
                              "'Refresh outside the window' and give a reason (it is audited).")
                .arg(outcome.region, outcome.reason);
    case Refusal::OverrideWithoutReason:
        return QStringLiteral("Refused: refreshing %1 outside its window needs a reason; give "
                              "one under 'Refresh outside the window' (it is audited).")
                .arg(outcome.region);
    case Refusal::SourceUnreachable:
        return QStringLiteral("Refused for %1: %2. To refresh anyway, open Refresh Region… and "
                              "tick 'The source is unreachable' if you are sure it is not.")
                .arg(outcome.region, outcome.reason);
    case Refusal::UnmarkedTarget: // asked for the typed name instead
    case Refusal::UnclassifiedColumns:
    case Refusal::None:
        break;
    }
    return (outcome.refused ? QStringLiteral("Refused: ") : QStringLiteral("The refresh failed: "))
           + outcome.error;
}

} // namespace

RefreshView::RefreshView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new RefreshController(this))
    , m_historyModel(new RefreshHistoryModel(this))
{
    createActions();
    createControls();
    connect(m_controller, &RefreshController::refreshStarted, this,
            &RefreshView::onRefreshStarted);
    connect(m_controller, &RefreshController::refreshProgress, m_jobPanel,
            &JobProgressPanel::showProgress);
    connect(m_controller, &RefreshController::refreshStep, m_jobPanel, &JobProgressPanel::setStep);
    connect(m_controller, &RefreshController::refreshSwapping, this,
            [this] { m_jobPanel->advanceTo(swapPercent); });
    connect(m_controller, &RefreshController::refreshFinished, this,
            &RefreshView::onRefreshFinished);
    connect(m_controller, &RefreshController::rollbackStarted, this, [this](const QString &region) {
        m_banner->hide();
        // a rename: nothing to count
        m_jobPanel->showStarted(QStringLiteral("Rolling %1 back…").arg(region), true);
    });
    connect(m_controller, &RefreshController::rollbackFinished, this,
            &RefreshView::onRollbackFinished);
    connect(m_controller, &RefreshController::historyLoaded, this, &RefreshView::onHistoryLoaded);
    connect(m_controller, &RefreshController::rollbackStateLoaded, this,
            &RefreshView::onRollbackStateLoaded);
    connect(m_controller, &RefreshController::busyChanged, this, &RefreshView::updateActions);
    updateActions();
}

RefreshView::~RefreshView()
{
    // Cancel and wait for the workers while the widgets their signals reach still exist.
    delete m_dialog;
    delete m_controller;
    m_controller = nullptr;
}

void RefreshView::createActions()
{
    m_refreshAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                  QStringLiteral("&Refresh Region…"), this);
    m_refreshAction->setObjectName(QStringLiteral("refreshRegionAction"));
    m_refreshAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_refreshAction->setToolTip(QStringLiteral(
            "Refresh the region from a golden snapshot: shows the plan first (Ctrl+R)"));
    connect(m_refreshAction, &QAction::triggered, this, &RefreshView::openRefreshDialog);

    m_rollbackAction = new QAction(style()->standardIcon(QStyle::SP_ArrowBack),
                                   QStringLiteral("Roll &Back Region…"), this);
    m_rollbackAction->setObjectName(QStringLiteral("rollbackRegionAction"));
    m_rollbackAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_rollbackAction->setToolTip(rollbackToolTip);
    connect(m_rollbackAction, &QAction::triggered, this, &RefreshView::confirmRollback);

    m_cancelAction = new QAction(style()->standardIcon(QStyle::SP_BrowserStop),
                                 QStringLiteral("Cancel"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelRefreshAction"));
    m_cancelAction->setToolTip(
            QStringLiteral("Stop the refresh; the shadow database is dropped, the region untouched"));
    connect(m_cancelAction, &QAction::triggered, this, &RefreshView::cancelRefresh);

    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_FileDialogDetailedView),
                                 QStringLiteral("Reload History"), this);
    m_reloadAction->setObjectName(QStringLiteral("reloadHistoryAction"));
    connect(m_reloadAction, &QAction::triggered, this, [this] {
        reloadHistory();
        reloadRollbackState(true);
    });
}

void RefreshView::createControls()
{
    m_regionCombo = new QComboBox;
    m_regionCombo->setObjectName(QStringLiteral("refreshRegionCombo"));
    m_regionCombo->setMinimumContentsLength(10);
    connect(m_regionCombo, &QComboBox::currentIndexChanged, this, &RefreshView::onRegionChanged);
    auto *regionLabel = new QLabel(QStringLiteral("Re&gion:"));
    regionLabel->setBuddy(m_regionCombo);

    auto *bar = new QHBoxLayout;
    bar->addWidget(regionLabel);
    bar->addWidget(m_regionCombo);
    bar->addSpacing(8);
    bar->addWidget(viewwidgets::toolButton(m_refreshAction));
    bar->addWidget(viewwidgets::toolButton(m_rollbackAction));
    bar->addWidget(viewwidgets::toolButton(m_reloadAction));
    bar->addStretch(1);

    m_banner = viewwidgets::errorBanner();
    m_banner->setObjectName(QStringLiteral("refreshErrorBanner"));

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("refreshSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createJobPanel());
    splitter->addWidget(createHistoryPanel());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
}

QWidget *RefreshView::createJobPanel()
{
    auto *box = new QGroupBox(QStringLiteral("Refresh job"));
    m_jobPanel = new JobProgressPanel(m_cancelAction, QStringLiteral("refresh"));
    m_jobPanel->setCopyShare(copyShare, QStringLiteral("copy "));
    m_jobPanel->showIdle(idleText);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_jobPanel);
    return box;
}

TableProgressModel *RefreshView::tableProgressModel() const
{
    return m_jobPanel->tableModel();
}

QProgressBar *RefreshView::overallProgress() const
{
    return m_jobPanel->overallProgress();
}

QLabel *RefreshView::stepLabel() const
{
    return m_jobPanel->stepLabel();
}

QLabel *RefreshView::statsLabel() const
{
    return m_jobPanel->statsLabel();
}

QWidget *RefreshView::createHistoryPanel()
{
    auto *panel = new QWidget;
    m_historyTitle = new QLabel(QStringLiteral("History"));
    QFont bold = m_historyTitle->font();
    bold.setBold(true);
    m_historyTitle->setFont(bold);
    m_historyView = new QTableView;
    m_historyView->setObjectName(QStringLiteral("refreshHistory"));
    m_historyView->setModel(m_historyModel);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->setAlternatingRowColors(true);
    m_historyView->setWordWrap(false);
    m_historyView->verticalHeader()->hide();
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->horizontalHeader()->setHighlightSections(false);
    const int ch = fontMetrics().averageCharWidth();
    const int widths[] = {19, 11, 12, 10, 9, 19, 10};
    for (int column = 0; column < RefreshHistoryModel::DetailColumn; ++column)
        m_historyView->horizontalHeader()->resizeSection(column, widths[column] * ch);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_historyTitle);
    layout->addWidget(m_historyView, 1);
    return panel;
}

// --- commands --------------------------------------------------------------------------------

void RefreshView::setConfig(std::shared_ptr<const config::Config> config)
{
    delete m_dialog;
    delete m_rollbackBox;
    m_controller->setConfig(config);
    // A running refresh or rollback keeps its config and its job panel: it still reports.
    const bool busy = m_controller->isBusy();
    if (!busy) {
        m_banner->hide();
        m_jobPanel->showIdle(idleText);
    }
    {
        const QSignalBlocker blocker(m_regionCombo);
        m_regionCombo->clear();
        if (config) {
            for (const auto &region : config->regions)
                m_regionCombo->addItem(QString::fromStdString(region.name));
        }
        if (busy) // the job panel belongs to the busy region
            m_regionCombo->setCurrentText(m_controller->busyRegion());
    }
    m_historyModel->clear();
    m_historyTitle->setText(QStringLiteral("History of %1").arg(region()));
    m_historyPending = config != nullptr;
    if (m_historyPending && isVisible())
        reloadHistory();
    reloadRollbackState();
}

void RefreshView::onRegionChanged()
{
    if (!m_controller->isBusy()) {
        m_banner->hide();
        m_jobPanel->showIdle(
                QStringLiteral("No refresh or rollback of %1 is running.").arg(region()));
    }
    m_historyModel->clear();
    m_historyTitle->setText(QStringLiteral("History of %1").arg(region()));
    if (isVisible())
        reloadHistory();
    else
        m_historyPending = true;
    // Not only when visible: the region tree's menu offers Roll Back from any tab.
    reloadRollbackState();
}

void RefreshView::reloadRollbackState(bool sameRegion)
{
    // Asking again about the same region keeps the last answer until the new one arrives, so
    // Roll Back does not flicker after every job.
    if (!sameRegion || m_rollbackState == RollbackState::Unknown) {
        m_rollbackState = RollbackState::Checking;
        m_rollbackNote
                = QStringLiteral("Checking whether %1 has a previous database…").arg(region());
    }
    if (!m_controller->loadRollbackState(region()))
        m_rollbackNote.clear();
    updateActions();
}

void RefreshView::onRollbackStateLoaded(const RollbackStateOutcome &outcome)
{
    if (outcome.region != region())
        return;
    if (!outcome.error.isEmpty()) {
        m_rollbackState = RollbackState::Unknown;
        m_rollbackNote = QStringLiteral("Cannot tell whether %1 has a previous database to roll "
                                        "back to: %2")
                                 .arg(outcome.region, outcome.error);
    } else if (outcome.hasPrevious) {
        m_rollbackState = RollbackState::Available;
        m_rollbackNote.clear();
    } else {
        m_rollbackState = RollbackState::NoPrevious;
        m_rollbackNote = QStringLiteral("Nothing to roll back to: %1 does not exist (a refresh "
                                        "keeps the database it replaces there)")
                                 .arg(outcome.previousName);
    }
    updateActions();
}

void RefreshView::setRegion(const QString &name)
{
    if (m_controller->isBusy())
        return; // the job panel and the actions belong to the running job's region
    const int index = m_regionCombo->findText(name);
    if (index >= 0)
        m_regionCombo->setCurrentIndex(index);
}

QString RefreshView::region() const
{
    return m_regionCombo->currentText();
}

void RefreshView::openRefreshDialog()
{
    if (!m_refreshAction->isEnabled())
        return;
    delete m_dialog;
    m_dialog = new RefreshDialog(m_controller, region(), this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this, dialog = m_dialog] {
        if (!dialog)
            return;
        m_expectedSeconds = dialog->plan() ? dialog->plan()->expectedSeconds : -1;
        if (!m_controller->startRefresh(dialog->request()))
            showError(QStringLiteral("A refresh or rollback is already running."));
    });
    m_dialog->open();
}

void RefreshView::confirmRollback()
{
    if (!m_rollbackAction->isEnabled())
        return;
    delete m_rollbackBox;
    const QString name = region();
    m_rollbackBox = new QMessageBox(
            QMessageBox::Question, QStringLiteral("Roll Back Region"),
            QStringLiteral("Swap %1 back to the database it had before its last refresh?").arg(name),
            QMessageBox::Yes | QMessageBox::Cancel, this);
    m_rollbackBox->setInformativeText(QStringLiteral(
            "The current database is kept as the previous one, so rolling back again swaps "
            "forward. Sessions in the region's database are terminated."));
    m_rollbackBox->setDefaultButton(QMessageBox::Cancel);
    m_rollbackBox->button(QMessageBox::Yes)->setText(QStringLiteral("Roll &Back"));
    m_rollbackBox->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_rollbackBox, &QMessageBox::accepted, this, [this, name] {
        if (!m_controller->rollback(name))
            showError(QStringLiteral("A refresh or rollback is already running."));
    });
    m_rollbackBox->open();
}

void RefreshView::cancelRefresh()
{
    if (!m_controller->isRefreshing())
        return;
    m_controller->cancelRefresh();
    m_jobPanel->setStep(QStringLiteral("Cancelling… the shadow database is being dropped"));
}

void RefreshView::reloadHistory()
{
    m_historyPending = false;
    m_controller->loadHistory(region());
}

RefreshDialog *RefreshView::refreshDialog() const
{
    return m_dialog;
}

QInputDialog *RefreshView::typedNameConfirmation() const
{
    return m_typedNameBox;
}

void RefreshView::askForTypedName(const TypedNameRequest &ask)
{
    delete m_typedNameBox;
    m_typedNameBox = new QInputDialog(this);
    m_typedNameBox->setWindowTitle(QStringLiteral("Confirm %1").arg(ask.action));
    m_typedNameBox->setLabelText(QStringLiteral("%1.\n\nType the region's name (%2) to %3 anyway.")
                                         .arg(ask.guardReason, ask.confirmName, ask.doing));
    m_typedNameBox->setOkButtonText(ask.okText);
    m_typedNameBox->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_typedNameBox, &QInputDialog::textValueSelected, this,
            [this, ask](const QString &typed) {
                if (typed != ask.confirmName)
                    showError(QStringLiteral("\"%1\" is not \"%2\": nothing was %3.")
                                      .arg(typed, ask.confirmName, ask.done));
                else if (!ask.proceed(typed))
                    showError(QStringLiteral("A refresh or rollback is already running."));
            });
    m_typedNameBox->open();
}

QMessageBox *RefreshView::rollbackConfirmation() const
{
    return m_rollbackBox;
}

QByteArray RefreshView::columnState() const
{
    return m_historyView->horizontalHeader()->saveState();
}

void RefreshView::restoreColumnState(const QByteArray &state)
{
    if (!state.isEmpty() && m_historyView->horizontalHeader()->restoreState(state))
        m_columnsRestored = true;
}

void RefreshView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_historyPending)
        reloadHistory();
}

// --- controller signals ----------------------------------------------------------------------

void RefreshView::updateActions()
{
    const bool ready = m_controller->config() != nullptr && !region().isEmpty();
    const bool busy = m_controller->isBusy();
    m_refreshAction->setEnabled(ready && !busy);
    const bool canRollBack = m_rollbackState == RollbackState::Available;
    m_rollbackAction->setEnabled(ready && !busy && canRollBack);
    m_rollbackAction->setToolTip(canRollBack || m_rollbackNote.isEmpty() ? rollbackToolTip
                                                                         : m_rollbackNote);
    m_reloadAction->setEnabled(ready);
    m_cancelAction->setEnabled(m_controller->isRefreshing());
    m_jobPanel->setCancellable(m_controller->isRefreshing());
    m_regionCombo->setEnabled(!busy); // the job panel belongs to the busy region
}

void RefreshView::onRefreshStarted(const QString &region)
{
    m_banner->hide();
    m_jobPanel->setStatsNote(m_expectedSeconds >= 0
                                     ? QStringLiteral("refresh expected ~%1")
                                               .arg(jobformat::duration(m_expectedSeconds))
                                     : QString());
    m_jobPanel->showStarted(QStringLiteral("Refreshing %1…").arg(region));
}

void RefreshView::onRefreshFinished(const RefreshJobOutcome &outcome)
{
    if (outcome.result) {
        const auto &result = *outcome.result;
        m_jobPanel->showFinished(
                QStringLiteral("%1 refreshed from %2: %3 rows in %4 (%5); unavailable %6")
                        .arg(outcome.region, QString::fromStdString(result.plan.snapshot),
                             jobformat::count(result.rows), jobformat::duration(result.seconds),
                             QString::fromStdString(result.plan.method),
                             jobformat::duration(result.unavailableMs / 1000.0)),
                QStringLiteral("swapped in"), true);
        emit regionDataChanged(outcome.region);
    } else if (outcome.cancelled) {
        m_jobPanel->showFinished(QStringLiteral("Cancelled: the shadow database was dropped; %1 "
                                                "is untouched")
                                         .arg(outcome.region),
                                 QStringLiteral("cancelled"), false);
    } else if (outcome.refusal == Refusal::UnmarkedTarget) {
        // The guard's verdict names what to type: ask for it here, as the dialog does, and
        // run the same request again with it (never the command line's flag).
        m_jobPanel->showFinished(
                QStringLiteral("The refresh of %1 needs its name typed").arg(outcome.region),
                QStringLiteral("waiting for confirmation"), false);
        const RefreshRequest request = outcome.request;
        askForTypedName({QStringLiteral("Refresh"), QStringLiteral("refresh it"),
                         QStringLiteral("refreshed"), QStringLiteral("&Refresh"), outcome.reason,
                         outcome.confirmName, [this, request](const QString &typed) {
                             RefreshRequest confirmed = request;
                             confirmed.typedName = typed;
                             return m_controller->startRefresh(confirmed);
                         }});
    } else {
        m_jobPanel->showFinished(
                QStringLiteral("The refresh of %1 did not run to the end; the "
                               "region is untouched")
                        .arg(outcome.region),
                outcome.refused ? QStringLiteral("refused") : QStringLiteral("failed"), false);
        showError(refusalText(outcome));
    }
    m_expectedSeconds = -1;
    reloadHistory();
    reloadRollbackState(true);
}

void RefreshView::onRollbackFinished(const RollbackOutcome &outcome)
{
    if (outcome.result) {
        const auto &result = *outcome.result;
        m_jobPanel->showFinished(
                QStringLiteral("%1 rolled back to %2; unavailable %3")
                        .arg(outcome.region,
                             result.restoredSnapshot.empty()
                                     ? QStringLiteral("the previous database")
                                     : QString::fromStdString(result.restoredSnapshot),
                             jobformat::duration(result.unavailableMs / 1000.0)),
                QStringLiteral("rolled back"), true);
        emit regionDataChanged(outcome.region);
    } else if (outcome.needsTypedName) {
        m_jobPanel->showFinished(
                QStringLiteral("The rollback of %1 needs its name typed").arg(outcome.region),
                QStringLiteral("waiting for confirmation"), false);
        const QString region = outcome.region;
        askForTypedName({QStringLiteral("Roll Back"), QStringLiteral("roll it back"),
                         QStringLiteral("rolled back"), QStringLiteral("Roll &Back"), outcome.error,
                         outcome.confirmName, [this, region](const QString &typed) {
                             return m_controller->rollback(region, typed);
                         }});
    } else {
        m_jobPanel->showFinished(QStringLiteral("The rollback of %1 failed").arg(outcome.region),
                                 QStringLiteral("failed"), false);
        showError(QStringLiteral("The rollback failed: ") + outcome.error);
    }
    reloadHistory();
    reloadRollbackState(true);
}

void RefreshView::onHistoryLoaded(const RefreshHistoryOutcome &outcome)
{
    if (outcome.region != region())
        return;
    if (!outcome.error.isEmpty())
        showError(QStringLiteral("The refresh history could not be read: ") + outcome.error);
    m_historyModel->resetData(outcome.history);
    if (!m_columnsRestored && !m_columnsFitted && m_historyModel->rowCount() > 0)
        fitHistoryColumns();
    m_historyTitle->setText(QStringLiteral("History of %1 · %2 refresh(es)")
                                    .arg(outcome.region)
                                    .arg(outcome.history.size()));
    emit historyChanged();
}

void RefreshView::fitHistoryColumns()
{
    // Once, to the first data; the detail takes what is left.
    QHeaderView *header = m_historyView->horizontalHeader();
    const int ch = m_historyView->fontMetrics().averageCharWidth();
    for (int column = 0; column < RefreshHistoryModel::DetailColumn; ++column) {
        const int before = header->sectionSize(column);
        m_historyView->resizeColumnToContents(column);
        header->resizeSection(column,
                              std::clamp(header->sectionSize(column) + 2 * ch, before / 2, 36 * ch));
    }
    m_columnsFitted = true;
}

void RefreshView::showError(const QString &text)
{
    m_banner->setText(QStringLiteral("⚠ ") + text);
    m_banner->show();
}

} // namespace envsync::ui
