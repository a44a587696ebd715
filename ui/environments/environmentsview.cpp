#include "ui/environments/environmentsview.h"

#include "core/config/duration.h"
#include "core/env/environments.h"
#include "ui/environments/environmentscontroller.h"
#include "ui/environments/environmentsmodel.h"
#include "ui/common/viewwidgets.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>

namespace envsync::ui {

namespace {

constexpr int countdownMs = 1000;
const QString defaultTtl = QStringLiteral("4h");

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text);
    label->setBuddy(buddy);
    return label;
}

} // namespace

EnvironmentsView::EnvironmentsView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new EnvironmentsController(this))
    , m_model(new EnvironmentsModel(this))
    , m_countdown(new QTimer(this))
{
    createActions();
    createControls();
    m_countdown->setInterval(countdownMs);
    connect(m_countdown, &QTimer::timeout, this,
            [this] { m_model->setNow(QDateTime::currentDateTimeUtc()); });
    connect(m_controller, &EnvironmentsController::listLoaded, this,
            &EnvironmentsView::onListLoaded);
    connect(m_controller, &EnvironmentsController::changeStarted, this,
            [this](const QString &description) {
                m_banner->hide();
                m_summary->setText(description);
            });
    connect(m_controller, &EnvironmentsController::changeFinished, this,
            &EnvironmentsView::onChangeFinished);
    connect(m_controller, &EnvironmentsController::busyChanged, this,
            &EnvironmentsView::updateActions);
    updateActions();
}

EnvironmentsView::~EnvironmentsView()
{
    // Wait for the workers while the widgets their signals reach still exist.
    delete m_dropBox;
    delete m_controller;
    m_controller = nullptr;
}

void EnvironmentsView::createActions()
{
    m_createAction = new QAction(style()->standardIcon(QStyle::SP_FileDialogNewFolder),
                                 QStringLiteral("&Create"), this);
    m_createAction->setObjectName(QStringLiteral("createEnvironmentAction"));
    m_createAction->setToolTip(QStringLiteral(
            "CREATE DATABASE … TEMPLATE the snapshot on the golden cluster (seconds, whatever "
            "the size), with an owner and an expiry"));
    connect(m_createAction, &QAction::triggered, this, &EnvironmentsView::createFromForm);

    m_dropAction = new QAction(style()->standardIcon(QStyle::SP_TrashIcon),
                               QStringLiteral("&Drop…"), this);
    m_dropAction->setObjectName(QStringLiteral("dropEnvironmentAction"));
    m_dropAction->setShortcut(QKeySequence::Delete);
    m_dropAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_dropAction->setToolTip(QStringLiteral("Drop the selected environment (Del)"));
    connect(m_dropAction, &QAction::triggered, this, &EnvironmentsView::confirmDropSelected);

    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                 QStringLiteral("Reload"), this);
    m_reloadAction->setObjectName(QStringLiteral("reloadEnvironmentsAction"));
    connect(m_reloadAction, &QAction::triggered, this, &EnvironmentsView::reload);
}

QLayout *EnvironmentsView::createForm()
{
    m_nameEdit = new QLineEdit;
    m_nameEdit->setObjectName(QStringLiteral("environmentNameEdit"));
    m_nameEdit->setPlaceholderText(QStringLiteral("e.g. pr-1234"));
    m_nameEdit->setMaxLength(48);
    connect(m_nameEdit, &QLineEdit::textChanged, this, &EnvironmentsView::updateActions);
    connect(m_nameEdit, &QLineEdit::returnPressed, this, &EnvironmentsView::createFromForm);

    m_snapshotCombo = new QComboBox;
    m_snapshotCombo->setObjectName(QStringLiteral("environmentSnapshotCombo"));
    m_snapshotCombo->setMinimumContentsLength(12);
    fillSnapshots({});

    m_ttlCombo = new QComboBox;
    m_ttlCombo->setObjectName(QStringLiteral("environmentTtlCombo"));
    m_ttlCombo->setEditable(true);
    m_ttlCombo->addItems({QStringLiteral("1h"), QStringLiteral("4h"), QStringLiteral("8h"),
                          QStringLiteral("1d"), QStringLiteral("3d"), QStringLiteral("1w")});
    m_ttlCombo->setCurrentText(defaultTtl);
    m_ttlCombo->setToolTip(QStringLiteral("How long it lives: 90m, 4h, 2d, 1w …"));
    connect(m_ttlCombo, &QComboBox::currentTextChanged, this, &EnvironmentsView::updateActions);

    m_ownerEdit = new QLineEdit;
    m_ownerEdit->setObjectName(QStringLiteral("environmentOwnerEdit"));
    m_ownerEdit->setPlaceholderText(QStringLiteral("you"));

    auto *form = new QHBoxLayout;
    form->addWidget(buddyLabel(QStringLiteral("&Name:"), m_nameEdit));
    form->addWidget(m_nameEdit, 2);
    form->addWidget(buddyLabel(QStringLiteral("&From:"), m_snapshotCombo));
    form->addWidget(m_snapshotCombo, 1);
    form->addWidget(buddyLabel(QStringLiteral("&TTL:"), m_ttlCombo));
    form->addWidget(m_ttlCombo);
    form->addWidget(buddyLabel(QStringLiteral("O&wner:"), m_ownerEdit));
    form->addWidget(m_ownerEdit, 1);
    form->addWidget(viewwidgets::toolButton(m_createAction));
    form->addSpacing(12);
    form->addWidget(viewwidgets::toolButton(m_dropAction));
    form->addWidget(viewwidgets::toolButton(m_reloadAction));
    return form;
}

void EnvironmentsView::createControls()
{
    m_formHint = new QLabel;
    m_formHint->setObjectName(QStringLiteral("environmentFormHint"));
    m_formHint->setForegroundRole(QPalette::PlaceholderText);
    m_formHint->setTextFormat(Qt::PlainText);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("environmentSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    auto *hints = new QHBoxLayout;
    hints->addWidget(m_formHint, 1);
    hints->addWidget(m_summary);

    m_banner = viewwidgets::errorBanner();
    m_banner->setObjectName(QStringLiteral("environmentErrorBanner"));

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("environmentTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->addAction(m_dropAction);
    const int ch = fontMetrics().averageCharWidth();
    const int widths[] = {14, 19, 12, 12, 18, 18, 12};
    for (int column = 0; column < EnvironmentsModel::ConnectColumn; ++column)
        m_table->horizontalHeader()->resizeSection(column, widths[column] * ch);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EnvironmentsView::updateActions);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(createForm());
    layout->addLayout(hints);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
}

// --- commands --------------------------------------------------------------------------------

void EnvironmentsView::setConfig(std::shared_ptr<const config::Config> config)
{
    delete m_dropBox;
    m_controller->setConfig(std::move(config));
    m_model->clear();
    m_banner->hide();
    if (!m_controller->isChanging()) // a running create or drop still reports here
        m_summary->clear();
    fillSnapshots({});
    m_loadPending = m_controller->config() != nullptr;
    if (m_loadPending && isVisible())
        reload();
    updateActions();
}

void EnvironmentsView::reload()
{
    m_loadPending = false;
    if (m_controller->reload())
        m_summary->setText(QStringLiteral("Reading the environments…"));
}

void EnvironmentsView::createFromForm()
{
    if (!m_createAction->isEnabled())
        return;
    const auto ttl = config::parseDuration(m_ttlCombo->currentText().trimmed().toStdString());
    env::CreateOptions options;
    options.name = m_nameEdit->text().trimmed().toStdString();
    options.snapshot = m_snapshotCombo->currentData().toString().toStdString();
    options.ttl = std::chrono::duration_cast<std::chrono::seconds>(*ttl);
    options.owner = m_ownerEdit->text().trimmed().toStdString();
    m_selectAfterLoad = qs(options.name);
    m_controller->create(options);
}

void EnvironmentsView::confirmDropSelected()
{
    const QString name = selectedName();
    if (name.isEmpty() || !m_dropAction->isEnabled())
        return;
    delete m_dropBox;
    m_dropBox = new QMessageBox(QMessageBox::Question, QStringLiteral("Drop Environment"),
                                QStringLiteral("Drop the environment %1?").arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    m_dropBox->setInformativeText(
            QStringLiteral("Its database and everything a squad wrote into it are gone."));
    m_dropBox->setDefaultButton(QMessageBox::Cancel);
    m_dropBox->button(QMessageBox::Yes)->setText(QStringLiteral("&Drop"));
    m_dropBox->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dropBox, &QMessageBox::accepted, this, [this, name] { m_controller->drop(name); });
    m_dropBox->open();
}

QMessageBox *EnvironmentsView::dropConfirmation() const
{
    return m_dropBox;
}

QByteArray EnvironmentsView::columnState() const
{
    return m_table->horizontalHeader()->saveState();
}

void EnvironmentsView::restoreColumnState(const QByteArray &state)
{
    if (!state.isEmpty() && m_table->horizontalHeader()->restoreState(state))
        m_columnsRestored = true;
}

void EnvironmentsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->setNow(QDateTime::currentDateTimeUtc());
    m_countdown->start(); // only while someone looks
    if (m_loadPending)
        reload();
}

void EnvironmentsView::hideEvent(QHideEvent *event)
{
    m_countdown->stop();
    QWidget::hideEvent(event);
}

// --- controller signals ----------------------------------------------------------------------

/// Why the form cannot create yet (empty when it can); shown under the form.
QString EnvironmentsView::formProblem() const
{
    const std::string name = m_nameEdit->text().trimmed().toStdString();
    if (name.empty())
        return QStringLiteral("Name the environment, pick a snapshot and a TTL, then Create.");
    if (auto valid = env::validateName(name); !valid)
        return qs(valid.error().message);
    const auto ttl = config::parseDuration(m_ttlCombo->currentText().trimmed().toStdString());
    if (!ttl)
        return QStringLiteral("TTL: ") + qs(ttl.error());
    if (ttl->count() <= 0)
        return QStringLiteral("TTL: must be positive");
    if (m_model->rowOf(qs(name)) >= 0)
        return QStringLiteral("%1 exists already").arg(qs(name));
    return {};
}

void EnvironmentsView::updateActions()
{
    const bool hasConfig = m_controller->config() != nullptr;
    const bool changing = m_controller->isChanging();
    const QString problem = formProblem();
    m_formHint->setText(hasConfig ? problem : QString());
    m_createAction->setEnabled(hasConfig && !changing && problem.isEmpty());
    m_dropAction->setEnabled(hasConfig && !changing && !selectedName().isEmpty());
    m_reloadAction->setEnabled(hasConfig);
}

void EnvironmentsView::onListLoaded(const EnvironmentListOutcome &outcome)
{
    if (!outcome.error.isEmpty()) {
        showError(QStringLiteral("The environments could not be read: ") + outcome.error);
        m_summary->clear();
        emit listChanged();
        return;
    }
    const QString selected = m_selectAfterLoad.isEmpty() ? selectedName() : m_selectAfterLoad;
    m_selectAfterLoad.clear();
    m_model->setNow(QDateTime::currentDateTimeUtc());
    m_model->resetData(outcome.environments);
    fillSnapshots(outcome.readySnapshots);
    m_summary->setText(outcome.environments.empty()
                               ? QStringLiteral("No environment yet")
                               : QStringLiteral("%1 environment(s)").arg(outcome.environments.size()));
    if (const int row = m_model->rowOf(selected); row >= 0)
        m_table->selectRow(row);
    if (!m_columnsRestored && !m_columnsFitted && m_model->rowCount() > 0)
        fitColumns();
    updateActions();
    emit listChanged();
}

void EnvironmentsView::onChangeFinished(const EnvironmentChangeOutcome &outcome)
{
    if (!outcome.error.isEmpty()) {
        m_selectAfterLoad.clear();
        showError((outcome.created ? QStringLiteral("%1 could not be created: ")
                                   : QStringLiteral("%1 could not be dropped: "))
                          .arg(outcome.name)
                  + outcome.error);
    } else if (outcome.created) {
        m_nameEdit->clear();
    }
    if (outcome.error.isEmpty())
        emit environmentChanged(outcome.name);
    reload();
}

void EnvironmentsView::reloadWhenShown()
{
    if (!m_controller->config())
        return;
    if (isVisible())
        reload();
    else
        m_loadPending = true;
}

// --- helpers ---------------------------------------------------------------------------------

void EnvironmentsView::fillSnapshots(const QStringList &ready)
{
    const QString chosen = m_snapshotCombo->currentData().toString();
    const QSignalBlocker blocker(m_snapshotCombo);
    m_snapshotCombo->clear();
    m_snapshotCombo->addItem(QStringLiteral("newest ready"), QString());
    for (auto it = ready.crbegin(); it != ready.crend(); ++it)
        m_snapshotCombo->addItem(*it, *it);
    m_snapshotCombo->setCurrentIndex(std::max(m_snapshotCombo->findData(chosen), 0));
}

void EnvironmentsView::showError(const QString &text)
{
    m_banner->setText(QStringLiteral("⚠ ") + text);
    m_banner->show();
}

void EnvironmentsView::fitColumns()
{
    // Once, to the first data; the connection string takes what is left.
    QHeaderView *header = m_table->horizontalHeader();
    const int ch = m_table->fontMetrics().averageCharWidth();
    for (int column = 0; column < EnvironmentsModel::ConnectColumn; ++column) {
        const int before = header->sectionSize(column);
        m_table->resizeColumnToContents(column);
        header->resizeSection(column,
                              std::clamp(header->sectionSize(column) + 2 * ch, before, 40 * ch));
    }
    m_columnsFitted = true;
}

QString EnvironmentsView::selectedName() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(EnvironmentsModel::NameRole).toString();
}

} // namespace envsync::ui
