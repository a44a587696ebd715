#include "ui/services/servicesview.h"

#include "ui/common/viewwidgets.h"
#include "ui/services/journalmodel.h"
#include "ui/services/mappingdialog.h"
#include "ui/services/recorddialog.h"
#include "ui/services/servicescontroller.h"
#include "ui/services/servicestreemodel.h"

#include <QColor>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <array>

namespace envsync::ui {

namespace {

QLabel *noticeLabel()
{
    auto *label = new QLabel;
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral(
            "QLabel { background: #fff4e0; color: #6b4a00; border: 1px solid #f0cf8c;"
            " border-radius: 3px; padding: 5px 8px; }"));
    label->hide();
    return label;
}

QLabel *placeholderLabel()
{
    auto *label = new QLabel;
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(16);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QString text(const std::string &value)
{
    return QString::fromStdString(value);
}

} // namespace

ServicesView::ServicesView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new ServicesController(this))
    , m_model(new ServicesTreeModel(this))
    , m_journalModel(new JournalModel(ServicesController::journalLimit, this))
{
    m_error = viewwidgets::errorBanner();
    m_error->setObjectName(QStringLiteral("servicesError"));
    m_notice = noticeLabel();
    m_notice->setObjectName(QStringLiteral("servicesNotice"));

    m_empty = placeholderLabel();
    m_empty->setObjectName(QStringLiteral("servicesEmpty"));
    m_empty->setMargin(24);
    m_empty->setForegroundRole(QPalette::WindowText);

    m_start = new QPushButton(QStringLiteral("&Start"));
    m_start->setObjectName(QStringLiteral("servicesStart"));
    m_stop = new QPushButton(QStringLiteral("S&top"));
    m_stop->setObjectName(QStringLiteral("servicesStop"));
    m_record = new QPushButton(QStringLiteral("&Record…"));
    m_record->setObjectName(QStringLiteral("servicesRecord"));
    m_record->setToolTip(QStringLiteral("Record the selected service: a proxy on its listen "
                                        "address to its upstream, writing masked mappings"));
    connect(m_start, &QPushButton::clicked, this, &ServicesView::startSelected);
    connect(m_stop, &QPushButton::clicked, this, &ServicesView::stopSelected);
    connect(m_record, &QPushButton::clicked, this, &ServicesView::recordSelected);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addSpacing(12);
    buttons->addWidget(m_record);
    buttons->addStretch();

    m_tree = new QTreeView;
    m_tree->setObjectName(QStringLiteral("servicesTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->header()->setStretchLastSection(false);
    const std::array<int, ServicesTreeModel::ColumnCount> widths = {170, 300, 150, 110, 80, 80, 80};
    for (int column = 0; column < ServicesTreeModel::ColumnCount; ++column)
        m_tree->setColumnWidth(column, widths[std::size_t(column)]);
    m_tree->header()->setSectionResizeMode(ServicesTreeModel::State, QHeaderView::Stretch);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ServicesView::onSelectionChanged);

    auto *servicesPane = new QWidget;
    auto *servicesLayout = new QVBoxLayout(servicesPane);
    servicesLayout->setContentsMargins(0, 0, 0, 0);
    servicesLayout->addLayout(buttons);
    servicesLayout->addWidget(m_tree);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("servicesDetailTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(buildJournalPane(), QStringLiteral("Request journal"));
    m_recorded = new QTreeWidget;
    m_recorded->setObjectName(QStringLiteral("servicesRecorded"));
    m_recorded->setRootIsDecorated(false);
    m_recorded->setUniformRowHeights(true);
    m_recorded->setAlternatingRowColors(true);
    m_recorded->setHeaderLabels({QStringLiteral("Method"), QStringLiteral("Path"),
                                 QStringLiteral("Status"), QStringLiteral("Written")});
    m_recorded->setColumnWidth(0, 70);
    m_recorded->setColumnWidth(1, 260);
    m_recorded->setColumnWidth(2, 60);
    m_tabs->addTab(m_recorded, QStringLiteral("Recorded exchanges"));

    auto *details = new QSplitter(Qt::Horizontal);
    details->addWidget(m_tabs);
    details->addWidget(buildNearMissPane());
    details->setStretchFactor(0, 1);
    details->setStretchFactor(1, 1);
    details->setSizes({520, 480}); // the differences are long lines

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(servicesPane);
    split->addWidget(details);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({200, 300}); // a few regions' services; the journal gets the rest

    m_pages = new QStackedWidget;
    m_pages->addWidget(m_empty);
    m_pages->addWidget(split);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_error);
    layout->addWidget(m_notice);
    layout->addWidget(m_pages, 1);

    connect(m_controller, &ServicesController::servicesReset, this, &ServicesView::onServicesReset);
    connect(m_controller, &ServicesController::serviceChanged, this,
            &ServicesView::onServiceChanged);
    connect(m_controller, &ServicesController::journalAppended, this,
            &ServicesView::onJournalAppended);
    connect(m_controller, &ServicesController::exchangeRecorded, this,
            &ServicesView::onExchangeRecorded);
    connect(m_controller, &ServicesController::recordingFinished, this,
            &ServicesView::onRecordingFinished);
    connect(m_controller, &ServicesController::mappingOpened, this, &ServicesView::onMappingOpened);
    m_empty->setText(QStringLiteral("Open a configuration to see its virtual services."));
    updateJournalPlaceholder();
    updateButtons();
}

ServicesView::~ServicesView() = default;

MappingDialog *ServicesView::mappingDialog() const
{
    return m_mappingDialog;
}

QWidget *ServicesView::buildJournalPane()
{
    m_journal = viewwidgets::flatTree();
    m_journal->setObjectName(QStringLiteral("servicesJournal"));
    m_journal->setModel(m_journalModel);
    m_journal->setSelectionMode(QAbstractItemView::SingleSelection);
    m_journal->setTextElideMode(Qt::ElideMiddle);
    const std::array<int, JournalModel::ColumnCount> widths = {100, 70, 260, 90, 60, 80};
    for (int column = 0; column < JournalModel::ColumnCount; ++column)
        m_journal->setColumnWidth(column, widths[std::size_t(column)]);
    m_journal->header()->setSectionResizeMode(JournalModel::Path, QHeaderView::Stretch);
    m_journal->header()->setStretchLastSection(false);
    connect(m_journal->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ServicesView::onJournalRowChanged);
    connect(m_journal, &QTreeView::doubleClicked, this, &ServicesView::openSelectedMapping);

    m_journalPlaceholder = placeholderLabel();
    m_journalPlaceholder->setObjectName(QStringLiteral("servicesJournalPlaceholder"));
    m_journalPages = new QStackedWidget;
    m_journalPages->addWidget(m_journalPlaceholder);
    m_journalPages->addWidget(m_journal);
    return m_journalPages;
}

QWidget *ServicesView::buildNearMissPane()
{
    auto *title = new QLabel(QStringLiteral("<b>Near misses</b>"));
    m_nearMissLabel = new QLabel;
    m_nearMissLabel->setObjectName(QStringLiteral("servicesNearMissLabel"));
    m_nearMissLabel->setWordWrap(true);
    m_nearMissLabel->setTextFormat(Qt::PlainText);
    m_nearMissLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_nearMisses = new QTreeWidget;
    m_nearMisses->setObjectName(QStringLiteral("servicesNearMisses"));
    m_nearMisses->setHeaderLabels(
            {QStringLiteral("Mapping / why it differs"), QStringLiteral("Distance")});
    m_nearMisses->setWordWrap(true);
    m_nearMisses->header()->setStretchLastSection(false);
    m_nearMisses->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_nearMisses->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(m_nearMisses, &QTreeWidget::currentItemChanged, this, &ServicesView::updateButtons);
    m_openMapping = new QPushButton(QStringLiteral("&Open mapping"));
    m_openMapping->setObjectName(QStringLiteral("servicesOpenMapping"));
    m_openMapping->setToolTip(QStringLiteral("The JSON of the mapping that matched the selected "
                                             "request (or of the selected near miss)"));
    connect(m_openMapping, &QPushButton::clicked, this, &ServicesView::openSelectedMapping);
    auto *row = new QHBoxLayout;
    row->addWidget(title);
    row->addStretch();
    row->addWidget(m_openMapping);

    auto *pane = new QWidget;
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_nearMissLabel);
    layout->addWidget(m_nearMisses, 1);
    return pane;
}

void ServicesView::setConfig(std::shared_ptr<const config::Config> config)
{
    m_config = config;
    m_lastMessage.clear();
    m_empty->setText(config ? QStringLiteral("Reading the services…")
                            : QStringLiteral("Open a configuration to see its virtual services."));
    m_pages->setCurrentWidget(m_empty);
    m_controller->useConfig(std::move(config));
}

QString ServicesView::configArgument() const
{
    return m_config ? QDir::toNativeSeparators(text(m_config->path)) : QStringLiteral("FILE");
}

void ServicesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_controller->setPolling(true);
}

void ServicesView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_controller->setPolling(false);
}

void ServicesView::onServicesReset()
{
    QStringList regions;
    if (m_config)
        for (const config::RegionConfig &region : m_config->regions)
            regions << text(region.name);
    m_shownService.clear();
    m_journalModel->setEntries({});
    m_recorded->clear();
    m_nearMisses->clear();
    m_model->setServices(m_controller->services(), regions);
    m_tree->expandAll();
    if (m_controller->services().isEmpty()) {
        m_empty->setText(
                m_config ? QStringLiteral(
                                   "%1 lists no virtual services.\n\nAdd a services: section "
                                   "(name, region, listen, upstream, mappings: a folder next to "
                                   "the config), record one with Record… here or with  "
                                   "envsyncctl virt record -c %1 --service NAME, then serve it "
                                   "here or with  envsyncctl virt serve -c %1.")
                                   .arg(configArgument())
                         : QStringLiteral("Open a configuration to see its virtual services."));
        m_pages->setCurrentWidget(m_empty);
    } else {
        m_pages->setCurrentIndex(1);
        const QModelIndex first = m_model->index(0, 0);
        if (first.isValid() && m_model->rowCount(first) > 0)
            selectService(
                    m_model->index(0, 0, first).data(ServicesTreeModel::ServiceRole).toString());
    }
    onSelectionChanged();
}

void ServicesView::onServiceChanged(const QString &name)
{
    const ServiceInfo *info = m_controller->service(name);
    if (info)
        m_model->updateService(*info);
    if (info && name == m_shownService && info->state != m_shownState) {
        // On a change of state only: the user's choice of tab stands while it serves.
        m_shownState = info->state;
        if (info->state == ServiceInfo::State::Starting)
            m_journalModel->setEntries({}); // a new run, a new journal
        else if (info->state == ServiceInfo::State::Recording)
            m_tabs->setCurrentWidget(m_recorded);
        else if (info->state == ServiceInfo::State::Serving)
            m_tabs->setCurrentWidget(m_journalPages);
    }
    updateBanners();
    updateJournalPlaceholder();
    updateButtons();
}

QString ServicesView::selectedService() const
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString()
                          : rows.front().data(ServicesTreeModel::ServiceRole).toString();
}

bool ServicesView::selectService(const QString &name)
{
    const QModelIndex index = m_model->indexOfService(name);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    m_tree->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect
                                                    | QItemSelectionModel::Rows);
    return true;
}

bool ServicesView::selectRegion(const QString &region)
{
    const QModelIndex index = m_model->indexOfRegion(region);
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    m_tree->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect
                                                    | QItemSelectionModel::Rows);
    return true;
}

QStringList ServicesView::targetServices() const
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const QModelIndex row = rows.front();
    const QString service = row.data(ServicesTreeModel::ServiceRole).toString();
    if (!service.isEmpty())
        return {service};
    QStringList names;
    for (int child = 0; child < m_model->rowCount(row); ++child)
        names << m_model->index(child, 0, row).data(ServicesTreeModel::ServiceRole).toString();
    return names;
}

void ServicesView::onSelectionChanged()
{
    const QString service = selectedService();
    if (service != m_shownService) {
        m_shownService = service;
        m_lastMessage.clear();
        m_journalModel->setEntries(m_controller->journal(service));
        m_recorded->clear();
        for (const virt::RecordingEvent &event : m_controller->recorded(service))
            addRecordedRow(event);
        const ServiceInfo *info = m_controller->service(service);
        m_shownState = info ? info->state : ServiceInfo::State::Stopped;
        m_tabs->setCurrentWidget(info && info->state == ServiceInfo::State::Recording
                                         ? static_cast<QWidget *>(m_recorded)
                                         : m_journalPages);
    }
    onJournalRowChanged();
    updateBanners();
    updateJournalPlaceholder();
    updateButtons();
}

void ServicesView::onJournalAppended(const QString &name, qsizetype count)
{
    if (name != m_shownService)
        return;
    m_journalModel->appendNewest(m_controller->journal(name), count);
    updateJournalPlaceholder();
}

void ServicesView::onJournalRowChanged()
{
    m_nearMisses->clear();
    const virt::JournalEntry *entry = m_journalModel->entryAt(m_journal->currentIndex().row());
    if (!entry) {
        m_nearMissLabel->setText(m_shownService.isEmpty()
                                         ? QStringLiteral("Select a service.")
                                         : QStringLiteral("Select an unmatched request to see "
                                                          "the closest mappings and why they "
                                                          "differ."));
    } else if (entry->matched) {
        m_nearMissLabel->setText(QStringLiteral("%1 %2 matched mapping %3: Open mapping shows it.")
                                         .arg(QString::fromLatin1(entry->request.method),
                                              entry->request.path, entry->mappingId));
    } else if (entry->nearMisses.empty()) {
        m_nearMissLabel->setText(
                QStringLiteral("%1 %2 matched nothing, and the service has no "
                               "mapping close to it: record the request or add "
                               "a mapping for it.")
                        .arg(QString::fromLatin1(entry->request.method), entry->request.path));
    } else {
        m_nearMissLabel->setText(
                QStringLiteral("%1 %2 matched nothing (404). The closest "
                               "mappings, closest first:")
                        .arg(QString::fromLatin1(entry->request.method), entry->request.path));
        for (const virt::NearMiss &miss : entry->nearMisses) {
            auto *item = new QTreeWidgetItem(m_nearMisses);
            item->setText(0, miss.mappingName.isEmpty() ? miss.mappingId : miss.mappingName);
            item->setToolTip(0, QStringLiteral("mapping %1").arg(miss.mappingId));
            item->setData(0, Qt::UserRole, miss.mappingId);
            item->setText(1, QLocale().toString(miss.distance, 'f', 2));
            item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            for (const QString &difference : miss.differences) {
                auto *child = new QTreeWidgetItem(item);
                child->setText(0, difference);
                child->setToolTip(0, difference);
                child->setData(0, Qt::UserRole, miss.mappingId);
            }
        }
        m_nearMisses->expandAll();
    }
    updateButtons();
}

QString ServicesView::selectedMappingId() const
{
    if (const QTreeWidgetItem *miss = m_nearMisses->currentItem())
        return miss->data(0, Qt::UserRole).toString();
    const virt::JournalEntry *entry = m_journalModel->entryAt(m_journal->currentIndex().row());
    return entry && entry->matched ? entry->mappingId : QString();
}

void ServicesView::openSelectedMapping()
{
    const QString id = selectedMappingId();
    if (!m_shownService.isEmpty() && !id.isEmpty())
        m_controller->openMapping(m_shownService, id);
}

void ServicesView::onMappingOpened(const MappingDocument &mapping)
{
    if (mapping.json.isEmpty()) {
        m_lastMessage = mapping.error;
        updateBanners();
        return;
    }
    if (m_mappingDialog)
        m_mappingDialog->close();
    m_mappingDialog = new MappingDialog(mapping, this);
    m_mappingDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_mappingDialog->show();
}

void ServicesView::startSelected()
{
    QStringList names;
    for (const QString &name : targetServices())
        if (const ServiceInfo *info = m_controller->service(name);
            info && !info->isRunning() && !info->isBusy())
            names << name;
    m_lastMessage.clear();
    m_controller->start(names);
}

void ServicesView::stopSelected()
{
    QStringList names;
    for (const QString &name : targetServices())
        if (const ServiceInfo *info = m_controller->service(name); info && info->isRunning())
            names << name;
    m_controller->stop(names);
}

void ServicesView::recordSelected()
{
    const ServiceInfo *info = m_controller->service(selectedService());
    if (!info || info->isRunning() || info->isBusy())
        return;
    RecordDialog dialog(info->name, info->listen, info->upstream, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_lastMessage.clear();
    m_controller->record(info->name, dialog.golden(), dialog.learnPasses());
}

void ServicesView::addRecordedRow(const virt::RecordingEvent &event)
{
    auto *item = new QTreeWidgetItem(m_recorded);
    item->setText(0, QString::fromLatin1(event.method));
    item->setText(1, event.path);
    item->setText(2, event.status == 0 ? QStringLiteral("—") : QString::number(event.status));
    if (event.error) {
        item->setText(3, QStringLiteral("not recorded: ") + text(event.error->describe()));
        item->setForeground(3, QColor(0xb7, 0x1c, 0x1c));
    } else if (event.held) {
        item->setText(3, QStringLiteral("held for learning"));
    } else {
        item->setText(3, event.files.join(QStringLiteral(", ")));
    }
    item->setToolTip(3, item->text(3));
    m_recorded->scrollToItem(item);
}

void ServicesView::onExchangeRecorded(const QString &name, const virt::RecordingEvent &event)
{
    if (name == m_shownService)
        addRecordedRow(event);
}

void ServicesView::onRecordingFinished(const QString &name, const QStringList &learned,
                                       const QString &error)
{
    if (name != m_shownService)
        return;
    const ServiceInfo *info = m_controller->service(name);
    m_lastMessage = !error.isEmpty()
                            ? QString()
                            : QStringLiteral("Recording of %1 stopped%2. Start it to serve what it "
                                             "recorded (%3).")
                                      .arg(name,
                                           learned.isEmpty()
                                                   ? QString()
                                                   : QStringLiteral("; %1 learned mapping file(s) "
                                                                    "written")
                                                             .arg(learned.size()),
                                           info ? QDir::toNativeSeparators(info->root) : QString());
    updateBanners();
}

void ServicesView::updateBanners()
{
    const ServiceInfo *info = m_controller->service(m_shownService);
    QString error;
    if (info && info->state == ServiceInfo::State::Failed)
        error = QStringLiteral("%1 failed: %2").arg(info->name, info->error);
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    QStringList notices;
    if (info && !info->warning.isEmpty() && info->isRunning())
        notices << info->name + QStringLiteral(": ") + info->warning;
    if (!m_lastMessage.isEmpty())
        notices << m_lastMessage;
    m_notice->setText(notices.join(u'\n'));
    m_notice->setVisible(!notices.isEmpty());
}

void ServicesView::updateJournalPlaceholder()
{
    const ServiceInfo *info = m_controller->service(m_shownService);
    QString placeholder;
    if (!info) {
        placeholder = QStringLiteral("Select a service to see its requests; select a region "
                                     "to start or stop all of its services.");
    } else if (m_journalModel->rowCount() > 0) {
        placeholder.clear();
    } else if (info->state == ServiceInfo::State::Serving) {
        placeholder = QStringLiteral("No requests yet. Point the client at http://%1/ — a "
                                     "request no mapping matches gets a 404 with the closest "
                                     "mappings; it never reaches the real upstream.")
                              .arg(info->address);
    } else if (info->state == ServiceInfo::State::Recording) {
        placeholder = QStringLiteral("Recording through http://%1/ to %2: the exchanges show "
                                     "under Recorded exchanges.")
                              .arg(info->address, info->upstream);
    } else if (info->state == ServiceInfo::State::Failed) {
        placeholder = QStringLiteral("%1 is not serving. Fix what the red banner says (record "
                                     "it first if nothing is recorded), then Start again.")
                              .arg(info->name);
    } else if (info->isBusy()) {
        placeholder = QStringLiteral("%1 %2…").arg(serviceStateText(info->state), info->name);
    } else {
        placeholder = QStringLiteral("%1 is stopped. Start serves its recorded mappings (%2) on "
                                     "%3; its requests show here.")
                              .arg(info->name, QDir::toNativeSeparators(info->mappingsDir),
                                   info->listen);
    }
    m_journalPlaceholder->setText(placeholder);
    m_journalPages->setCurrentWidget(placeholder.isEmpty() ? static_cast<QWidget *>(m_journal)
                                                           : m_journalPlaceholder);
}

void ServicesView::updateButtons()
{
    const QStringList targets = targetServices();
    const bool region = !targets.isEmpty() && selectedService().isEmpty();
    bool canStart = false;
    bool canStop = false;
    for (const QString &name : targets) {
        const ServiceInfo *info = m_controller->service(name);
        if (!info)
            continue;
        canStart = canStart || (!info->isRunning() && !info->isBusy());
        canStop = canStop || info->isRunning();
    }
    m_start->setEnabled(canStart);
    m_stop->setEnabled(canStop);
    m_start->setText(region ? QStringLiteral("&Start region") : QStringLiteral("&Start"));
    m_stop->setText(region ? QStringLiteral("S&top region") : QStringLiteral("S&top"));
    const ServiceInfo *info = m_controller->service(selectedService());
    m_record->setEnabled(info && !info->isRunning() && !info->isBusy()
                         && !info->upstream.isEmpty());
    m_record->setToolTip(info && info->upstream.isEmpty()
                                 ? QStringLiteral("The service has no upstream to record")
                                 : QStringLiteral("Record the selected service: a proxy on its "
                                                  "listen address to its upstream, writing "
                                                  "masked mappings"));
    const ServiceInfo *shown = m_controller->service(m_shownService);
    m_openMapping->setEnabled(shown && shown->state == ServiceInfo::State::Serving
                              && !selectedMappingId().isEmpty());
}

} // namespace envsync::ui
