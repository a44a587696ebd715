#include "ui/drift/driftview.h"

#include "ui/drift/driftcontroller.h"
#include "ui/drift/driftdetailpane.h"
#include "ui/drift/driftfilterproxymodel.h"
#include "ui/drift/driftheatmapmodel.h"
#include "ui/drift/heatmapdelegate.h"
#include "ui/drift/heatmapmapping.h"
#include "ui/common/jobformat.h"

#include "core/util/savefile.h"

#include <QAction>
#include <QBuffer>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace envsync::ui {

using drift::Severity;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QString legendHtml()
{
    auto swatch = [](const QColor &color, const QString &label) {
        return QStringLiteral("<span style='color:%1; font-size:large'>■</span>&nbsp;%2")
                .arg(color.name(), label);
    };
    return QStringList{
            swatch(HeatmapMapping::severityColor(Severity::Breaking), QStringLiteral("breaking")),
            swatch(HeatmapMapping::severityColor(Severity::Warning), QStringLiteral("warning")),
            swatch(HeatmapMapping::severityColor(Severity::Info), QStringLiteral("info")),
            swatch(HeatmapMapping::severityColor(std::nullopt).darker(108),
                   QStringLiteral("no drift"))}
            .join(QStringLiteral("&nbsp;&nbsp;&nbsp;"));
}

QToolButton *toolButton(QAction *action)
{
    auto *button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(false);
    return button;
}

} // namespace

DriftView::DriftView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new DriftController(this))
    , m_model(new DriftHeatmapModel(this))
    , m_proxy(new DriftFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    createControls();

    connect(m_controller, &DriftController::checkStarted, this, &DriftView::onCheckStarted);
    connect(m_controller, &DriftController::regionChecked, this, &DriftView::onRegionChecked);
    connect(m_controller, &DriftController::checkFinished, this, &DriftView::onCheckFinished);
    connect(m_controller, &DriftController::checkFailed, this, &DriftView::onCheckFailed);
    connect(m_controller, &DriftController::runningChanged, this, &DriftView::onRunningChanged);
    connect(m_controller, &DriftController::checkCancelled, this, [this] {
        if (m_model->rowCount() == 0)
            showPlaceholder(QStringLiteral("Drift check cancelled. Re-check (F6) to run it."));
        // Stale results stay stale: say so, but no longer that a check is running.
        if (!m_staleBecause.isEmpty())
            showStale(QStringLiteral("Re-check (F6)"));
    });
    showPlaceholder(QStringLiteral("No configuration open."));
}

DriftView::~DriftView()
{
    // Wait for the workers first, while the widgets their signals reach still exist.
    delete m_controller;
    m_controller = nullptr;
}

void DriftView::createControls()
{
    m_recheckAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                  QStringLiteral("Re-&check Drift"), this);
    m_recheckAction->setObjectName(QStringLiteral("recheckDriftAction"));
    m_recheckAction->setShortcut(QKeySequence(Qt::Key_F6));
    m_recheckAction->setToolTip(QStringLiteral("Compare every region's schema with the "
                                               "reference again (F6)"));
    m_recheckAction->setEnabled(false);
    connect(m_recheckAction, &QAction::triggered, this, &DriftView::recheck);
    addAction(m_recheckAction);

    m_cancelAction = new QAction(style()->standardIcon(QStyle::SP_BrowserStop),
                                 QStringLiteral("Cancel"), this);
    m_cancelAction->setToolTip(QStringLiteral("Stop this drift check: its queries are cancelled "
                                              "on the servers and its results discarded"));
    connect(m_cancelAction, &QAction::triggered, this, &DriftView::cancelCheck);

    m_exportAction = new QAction(QStringLiteral("Export &PNG…"), this);
    m_exportAction->setToolTip(QStringLiteral("Save the heatmap as a PNG image"));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &DriftView::chooseExportFile);

    m_referenceCombo = new QComboBox;
    m_referenceCombo->setObjectName(QStringLiteral("driftReferenceCombo"));
    m_referenceCombo->addItem(QStringLiteral("Golden snapshot"),
                              static_cast<int>(drift::Reference::Golden));
    m_referenceCombo->addItem(QStringLiteral("Source"), static_cast<int>(drift::Reference::Source));
    m_referenceCombo->setToolTip(QStringLiteral(
            "Compare with the newest golden snapshot (the source when there is none yet) or "
            "with the production source itself"));
    connect(m_referenceCombo, &QComboBox::activated, this, [this] {
        if (m_controller->config())
            recheck();
    });

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("driftProgress"));
    m_progress->setMaximumWidth(200);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancelButton = toolButton(m_cancelAction);
    m_cancelButton->hide();

    m_severityCombo = new QComboBox;
    m_severityCombo->setObjectName(QStringLiteral("driftSeverityFilter"));
    m_severityCombo->addItem(QStringLiteral("All severities"), static_cast<int>(Severity::Info));
    m_severityCombo->addItem(QStringLiteral("Warning and breaking"),
                             static_cast<int>(Severity::Warning));
    m_severityCombo->addItem(QStringLiteral("Breaking only"), static_cast<int>(Severity::Breaking));
    m_schemaCombo = new QComboBox;
    m_schemaCombo->setObjectName(QStringLiteral("driftSchemaFilter"));
    m_schemaCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_kindCombo = new QComboBox;
    m_kindCombo->setObjectName(QStringLiteral("driftKindFilter"));
    m_kindCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    rebuildFilterCombos();
    for (QComboBox *combo : {m_severityCombo, m_schemaCombo, m_kindCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, &DriftView::applyFilters);

    auto *checkBar = new QHBoxLayout;
    checkBar->addWidget(new QLabel(QStringLiteral("Compare with:")));
    checkBar->addWidget(m_referenceCombo);
    checkBar->addWidget(toolButton(m_recheckAction));
    checkBar->addWidget(m_progress);
    checkBar->addWidget(m_cancelButton);
    checkBar->addStretch(1);
    checkBar->addWidget(new QLabel(QStringLiteral("Show:")));
    checkBar->addWidget(m_severityCombo);
    checkBar->addWidget(m_schemaCombo);
    checkBar->addWidget(m_kindCombo);
    checkBar->addSpacing(12);
    checkBar->addWidget(toolButton(m_exportAction));

    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("driftErrorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral(
            "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f1b0ab;"
            " border-radius: 3px; padding: 5px 8px; }"));
    m_banner->hide();

    // The heatmap panel: what Export PNG saves (reference line, legend and the heatmap).
    m_referenceLabel = new QLabel(QStringLiteral("Reference: —"));
    m_referenceLabel->setObjectName(QStringLiteral("driftReferenceLabel"));
    m_referenceLabel->setTextFormat(Qt::PlainText);
    QFont bold = m_referenceLabel->font();
    bold.setBold(true);
    m_referenceLabel->setFont(bold);
    m_referenceLabel->setWordWrap(true);
    m_legend = new QLabel(legendHtml());
    m_legend->setObjectName(QStringLiteral("driftLegend"));
    m_legend->setTextFormat(Qt::RichText);

    m_heatmap = new QTreeView;
    m_heatmap->setObjectName(QStringLiteral("driftHeatmap"));
    m_heatmap->setModel(m_proxy);
    m_heatmap->setItemDelegate(
            new HeatmapDelegate(DriftHeatmapModel::FirstRegionColumn, m_heatmap));
    m_heatmap->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_heatmap->setSelectionMode(QAbstractItemView::SingleSelection);
    m_heatmap->setUniformRowHeights(true);
    m_heatmap->setAllColumnsShowFocus(false);
    m_heatmap->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_heatmap->setTextElideMode(Qt::ElideMiddle);
    m_heatmap->setIndentation(16);
    m_heatmap->header()->setStretchLastSection(false);
    m_heatmap->header()->setHighlightSections(false);
    m_heatmap->header()->setDefaultAlignment(Qt::AlignCenter);
    m_heatmap->header()->setMinimumSectionSize(40);
    connect(m_model, &QAbstractItemModel::modelReset, m_heatmap, &QTreeView::expandAll);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, m_heatmap, &QTreeView::expandAll);
    connect(m_heatmap->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { showCell(current); });

    m_placeholder = new QLabel;
    m_placeholder->setObjectName(QStringLiteral("driftPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_heatmap);

    m_heatmapPanel = new QWidget;
    m_heatmapPanel->setObjectName(QStringLiteral("driftHeatmapPanel"));
    m_heatmapPanel->setAutoFillBackground(true);
    auto *panelLayout = new QVBoxLayout(m_heatmapPanel);
    panelLayout->setContentsMargins(0, 4, 0, 0);
    m_referenceLabel->setContentsMargins(2, 0, 2, 0);
    m_legend->setContentsMargins(2, 0, 2, 2);
    panelLayout->addWidget(m_referenceLabel);
    panelLayout->addWidget(m_stack, 1);
    m_checkedLabel = new QLabel;
    m_checkedLabel->setObjectName(QStringLiteral("driftCheckedLabel"));
    m_checkedLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *legendRow = new QHBoxLayout;
    legendRow->addWidget(m_legend);
    legendRow->addStretch(1);
    legendRow->addWidget(m_checkedLabel);
    panelLayout->addLayout(legendRow);

    m_detail = new DriftDetailPane;
    m_detail->setObjectName(QStringLiteral("driftDetailPane"));

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(QStringLiteral("driftSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_heatmapPanel);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 5);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(checkBar);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);
}

// --- commands --------------------------------------------------------------------------------

void DriftView::setConfig(std::shared_ptr<const config::Config> config)
{
    m_controller->setConfig(std::move(config));
    m_model->clear();
    rebuildFilterCombos();
    m_banner->hide();
    m_referenceLabel->setText(QStringLiteral("Reference: —"));
    m_checkedLabel->clear();
    m_staleBecause.clear();
    m_checkedAt = {};
    m_probedReachable.clear();
    m_detail->clear(QStringLiteral("Click a cell to compare its definitions"));
    m_checkPending = m_controller->config() != nullptr;
    m_recheckAction->setEnabled(m_checkPending);
    m_exportAction->setEnabled(false);
    showPlaceholder(m_checkPending ? QStringLiteral("Schema drift is checked once the status "
                                                    "probe has answered…")
                                   : QStringLiteral("No configuration open."));
    emit resultsChanged();
}

void DriftView::startPendingCheck()
{
    if (m_checkPending)
        recheck();
}

void DriftView::recheck()
{
    m_checkPending = false;
    m_controller->check(reference());
}

void DriftView::cancelCheck()
{
    m_controller->cancel();
}

void DriftView::estateChanged(EstateChange what, const QString &name)
{
    if (!m_controller->config() || m_checkPending)
        return; // nothing shown yet, or the first check is still to come
    switch (what) {
    case EstateChange::Environment:
        return;
    case EstateChange::Snapshot:
        if (reference() == drift::Reference::Golden)
            recheckBecause(QStringLiteral("%1 was made").arg(name));
        return;
    case EstateChange::Region:
        recheckBecause(QStringLiteral("%1 changed").arg(name));
        return;
    }
}

void DriftView::regionProbed(const QString &region, bool reachable)
{
    const auto known = m_probedReachable.find(region);
    const bool changed = known == m_probedReachable.end() || known->second != reachable;
    m_probedReachable[region] = reachable;
    const auto &report = m_controller->report();
    if (!changed || !report || m_checkPending)
        return;
    const bool compared = std::ranges::any_of(report->drifts, [&](const drift::RegionDrift &d) {
        return QString::fromStdString(d.region) == region;
    });
    if (compared == reachable)
        return; // the heatmap already agrees with the probe
    recheckBecause(reachable ? QStringLiteral("%1 is reachable again").arg(region)
                             : QStringLiteral("%1 became unreachable").arg(region));
}

void DriftView::showStale(const QString &next)
{
    m_checkedLabel->setText(QStringLiteral("Stale: checked %1 ago, before %2 · %3")
                                    .arg(jobformat::duration(static_cast<double>(
                                                 m_checkedAt.secsTo(QDateTime::currentDateTime()))),
                                         m_staleBecause, next));
}

void DriftView::recheckBecause(const QString &why)
{
    if (m_checkedAt.isValid()) {
        m_staleBecause = why;
        showStale(QStringLiteral("re-checking…"));
    }
    spdlog::info("drift: re-checking because {}", why.toStdString());
    if (m_recheckQueued)
        return;
    m_recheckQueued = true;
    QMetaObject::invokeMethod(
            this,
            [this] {
                m_recheckQueued = false;
                if (m_controller->config())
                    recheck();
            },
            Qt::QueuedConnection);
}

drift::Reference DriftView::reference() const
{
    return static_cast<drift::Reference>(m_referenceCombo->currentData().toInt());
}

void DriftView::setReference(drift::Reference reference)
{
    m_referenceCombo->setCurrentIndex(m_referenceCombo->findData(static_cast<int>(reference)));
}

bool DriftView::exportPng(const QString &path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        spdlog::error("cannot create {}", info.absolutePath().toStdString());
        return false;
    }
    const QPixmap image = m_heatmapPanel->grab();
    QByteArray png;
    QBuffer buffer(&png);
    if (image.isNull() || !buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG")) {
        spdlog::error("cannot render the heatmap for {}", path.toStdString());
        return false;
    }
    // saveFile: atomic over a regular file, never a rename over a device or pipe.
    if (auto saved = util::saveFile(path.toStdString(),
                                    std::string_view(png.constData(), std::size_t(png.size())));
        !saved) {
        spdlog::error("{}", saved.error().describe());
        return false;
    }
    spdlog::info("drift heatmap saved to {}", path.toStdString());
    return true;
}

void DriftView::chooseExportFile()
{
    QString directory = m_lastExportDir.isEmpty() ? QDir::homePath() : m_lastExportDir;
    const QString suggested
            = QStringLiteral("drift-heatmap-%1.png")
                      .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export Drift Heatmap"),
                                                      QDir(directory).filePath(suggested),
                                                      QStringLiteral("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    m_lastExportDir = QFileInfo(path).absolutePath();
    exportPng(path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive)
                      ? path
                      : path + QStringLiteral(".png"));
}

// --- controller signals ----------------------------------------------------------------------

void DriftView::onCheckStarted(int regionCount)
{
    m_progress->setRange(0, std::max(regionCount, 1));
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("Reading schemas… 0/%1").arg(regionCount));
    if (m_model->rowCount() == 0)
        showPlaceholder(QStringLiteral("Checking the schemas of %1 region(s)…").arg(regionCount));
}

void DriftView::onRegionChecked(const QString &region, int done, int total)
{
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(done);
    m_progress->setFormat(QStringLiteral("%1/%2 regions · %3").arg(done).arg(total).arg(region));
}

void DriftView::onRunningChanged(bool running)
{
    m_progress->setVisible(running);
    m_cancelButton->setVisible(running);
}

void DriftView::onCheckFinished(const std::shared_ptr<const drift::DriftReport> &report)
{
    m_model->resetData(report, m_controller->regionNames());
    rebuildFilterCombos();
    applyFilters();
    m_referenceLabel->setText(HeatmapMapping::referenceText(*report));
    m_checkedAt = QDateTime::currentDateTime();
    m_staleBecause.clear();
    m_checkedLabel->setText(QStringLiteral("Checked ")
                            + m_checkedAt.toString(QStringLiteral("HH:mm:ss")));

    QStringList problems;
    for (const Error &error : report->errors)
        problems << qs(error.describe());
    if (problems.isEmpty()) {
        m_banner->hide();
    } else {
        m_banner->setText(QStringLiteral("⚠ %1 region(s) could not be read; their columns are "
                                         "hatched.\n")
                                  .arg(problems.size())
                          + problems.join(QLatin1Char('\n')));
        m_banner->show();
    }
    if (m_model->rowCount() == 0) {
        showPlaceholder(report->drifts.empty()
                                ? QStringLiteral("No region could be compared.")
                                : QStringLiteral("No drift: every region compared matches %1.")
                                          .arg(qs(report->referenceName)));
    } else {
        m_stack->setCurrentWidget(m_heatmap);
        fitColumns();
    }
    m_exportAction->setEnabled(true);
    m_detail->clear(QStringLiteral("Click a cell to compare its definitions"));
    emit resultsChanged();
}

void DriftView::onCheckFailed(const QString &message)
{
    m_model->clear();
    rebuildFilterCombos();
    m_referenceLabel->setText(QStringLiteral("Reference: —"));
    m_checkedLabel->clear();
    m_staleBecause.clear();
    m_checkedAt = {};
    m_banner->setText(QStringLiteral("⚠ The drift check failed: ") + message);
    m_banner->show();
    m_exportAction->setEnabled(false);
    m_detail->clear(QStringLiteral("Click a cell to compare its definitions"));
    showPlaceholder(QStringLiteral("The drift check failed. Re-check (F6) to try again."));
    emit resultsChanged();
}

// --- view helpers ----------------------------------------------------------------------------

void DriftView::rebuildFilterCombos()
{
    const QSignalBlocker blockSchema(m_schemaCombo);
    const QSignalBlocker blockKind(m_kindCombo);
    const QString schema = m_schemaCombo->currentData().toString();
    const int kind = m_kindCombo->count() ? m_kindCombo->currentData().toInt() : -1;

    m_schemaCombo->clear();
    m_schemaCombo->addItem(QStringLiteral("All schemas"), QString());
    for (const std::string &name : m_model->grid().schemas())
        m_schemaCombo->addItem(qs(name), qs(name));
    m_schemaCombo->setCurrentIndex(std::max(0, m_schemaCombo->findData(schema)));

    m_kindCombo->clear();
    m_kindCombo->addItem(QStringLiteral("All kinds"), -1);
    for (const drift::ObjectKind k : m_model->grid().kinds())
        m_kindCombo->addItem(QString::fromLatin1(drift::kindName(k)), static_cast<int>(k));
    m_kindCombo->setCurrentIndex(std::max(0, m_kindCombo->findData(kind)));
}

void DriftView::applyFilters()
{
    HeatmapFilter filter;
    filter.minimum = static_cast<Severity>(m_severityCombo->currentData().toInt());
    const QString schema = m_schemaCombo->currentData().toString();
    if (!schema.isEmpty())
        filter.schema = schema.toStdString();
    const int kind = m_kindCombo->currentData().toInt();
    if (kind >= 0)
        filter.kind = static_cast<drift::ObjectKind>(kind);
    m_proxy->setFilter(filter);
    m_heatmap->expandAll();
    showCell(m_heatmap->currentIndex());
}

void DriftView::showCell(const QModelIndex &proxyIndex)
{
    const std::shared_ptr<const drift::DriftReport> &report = m_model->report();
    if (!report || !proxyIndex.isValid()
        || proxyIndex.column() < DriftHeatmapModel::FirstRegionColumn) {
        m_detail->clear(QStringLiteral("Click a cell to compare its definitions"));
        return;
    }
    const int node = proxyIndex.data(DriftHeatmapModel::NodeRole).toInt();
    const QString region = proxyIndex.data(DriftHeatmapModel::RegionRole).toString();
    const QString error = proxyIndex.data(DriftHeatmapModel::RegionErrorRole).toString();
    if (!error.isEmpty()) {
        // Nothing is known about a region that could not be read: never "no drift".
        m_detail->showUnreadable(*report, region, m_model->grid().node(node), error);
        return;
    }
    m_detail->showCell(*report, region, m_model->grid().node(node),
                       m_proxy->differencesAt(proxyIndex));
}

void DriftView::showPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
}

void DriftView::fitColumns()
{
    QHeaderView *header = m_heatmap->header();
    const int ch = m_heatmap->fontMetrics().averageCharWidth();
    m_heatmap->resizeColumnToContents(DriftHeatmapModel::ObjectColumn);
    header->resizeSection(DriftHeatmapModel::ObjectColumn,
                          std::clamp(header->sectionSize(DriftHeatmapModel::ObjectColumn) + 2 * ch,
                                     22 * ch, 44 * ch));
    header->resizeSection(DriftHeatmapModel::KindColumn, 13 * ch);
    for (int column = DriftHeatmapModel::FirstRegionColumn; column < m_proxy->columnCount();
         ++column) {
        const int title = header->fontMetrics().horizontalAdvance(
                m_proxy->headerData(column, Qt::Horizontal).toString());
        header->resizeSection(column, std::max(9 * ch, title + 3 * ch));
    }
    if (m_splitterFitted)
        return; // the user's split wins after the first fit
    // The heatmap gets what its columns need; the definitions get the rest.
    const int wanted = header->length() + 2 * m_heatmap->frameWidth()
                       + m_heatmap->verticalScrollBar()->sizeHint().width() + 12;
    const int total = m_splitter->width() - m_splitter->handleWidth();
    if (total > 0 && m_splitter->isVisible()) {
        const int heatmap = std::clamp(wanted, total / 4, total * 3 / 5);
        m_splitter->setSizes({heatmap, total - heatmap});
        m_splitterFitted = true;
    }
}

void DriftView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_splitterFitted && m_model->rowCount() > 0)
        fitColumns();
}

} // namespace envsync::ui
