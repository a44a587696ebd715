#include "ui/cdc/cdcview.h"

#include "ui/cdc/cdccontroller.h"
#include "ui/cdc/cdcregionmodel.h"
#include "ui/cdc/cdctrendchart.h"
#include "ui/common/viewwidgets.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <array>
#include <cmath>

namespace envsync::ui {

namespace {

constexpr double bytesPerMegabyte = 1024.0 * 1024.0;

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

QString megabytes(std::int64_t bytes)
{
    return QStringLiteral("%1 MB").arg(
            QLocale().toString(static_cast<qint64>(std::llround(bytes / bytesPerMegabyte))));
}

QString text(const std::string &value)
{
    return QString::fromStdString(value);
}

} // namespace

CdcView::CdcView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new CdcController(this))
    , m_model(new CdcRegionModel(this))
{
    m_error = viewwidgets::errorBanner();
    m_error->setObjectName(QStringLiteral("cdcError"));
    m_notice = noticeLabel();
    m_notice->setObjectName(QStringLiteral("cdcNotice"));

    m_setup = new QLabel;
    m_setup->setObjectName(QStringLiteral("cdcSetup"));
    m_setup->setWordWrap(true);
    m_setup->setTextFormat(Qt::PlainText);
    m_setup->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_setup->setAlignment(Qt::AlignCenter);
    m_setup->setMargin(24);

    m_content = new QWidget;
    auto *contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    buildHeader(m_content);

    m_table = viewwidgets::flatTree();
    m_table->setObjectName(QStringLiteral("cdcRegions"));
    m_table->setModel(m_model);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->header()->setStretchLastSection(true);
    m_table->header()->setSectionResizeMode(QHeaderView::Interactive);
    const std::array<int, CdcRegionModel::Detail> widths = {90, 150, 110, 100, 80, 90, 80};
    for (int column = 0; column < CdcRegionModel::Detail; ++column)
        m_table->setColumnWidth(column, widths[static_cast<std::size_t>(column)]);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CdcView::updateButtons);

    m_pause = new QPushButton(QStringLiteral("&Pause"));
    m_pause->setObjectName(QStringLiteral("cdcPause"));
    m_pause->setToolTip(QStringLiteral("Stop applying to the selected region (cdc pause); the "
                                       "spool keeps its changes"));
    m_resume = new QPushButton(QStringLiteral("Res&ume"));
    m_resume->setObjectName(QStringLiteral("cdcResume"));
    m_resume->setToolTip(QStringLiteral("Apply to the selected region again (cdc resume)"));
    connect(m_pause, &QPushButton::clicked, this,
            [this] { m_controller->setPaused(selectedRegion(), true); });
    connect(m_resume, &QPushButton::clicked, this,
            [this] { m_controller->setPaused(selectedRegion(), false); });
    m_polledAt = new QLabel;
    m_polledAt->setForegroundRole(QPalette::PlaceholderText);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addStretch();
    buttons->addWidget(m_polledAt);

    auto *tablePane = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addLayout(buttons);
    tableLayout->addWidget(m_table);

    // Two charts side by side rather than one with two y axes: lag (seconds) and throughput
    // (changes/s) differ by orders of magnitude, and 2 × N lines on one plot are hard to read.
    m_lagChart = new CdcTrendChart(CdcTrendChart::Metric::LagSeconds);
    m_lagChart->setObjectName(QStringLiteral("cdcLagChart"));
    m_rateChart = new CdcTrendChart(CdcTrendChart::Metric::ChangesPerSecond);
    m_rateChart->setObjectName(QStringLiteral("cdcThroughputChart"));
    auto *charts = new QSplitter(Qt::Horizontal);
    charts->addWidget(m_lagChart);
    charts->addWidget(m_rateChart);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(tablePane);
    split->addWidget(charts);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setSizes({150, 600}); // a few regions; the charts get the room
    contentLayout->addWidget(split, 1);

    m_pages = new QStackedWidget;
    m_pages->addWidget(m_setup);
    m_pages->addWidget(m_content);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_error);
    layout->addWidget(m_notice);
    layout->addWidget(m_pages, 1);

    connect(m_controller, &CdcController::polled, this, &CdcView::onPolled);
    connect(m_controller, &CdcController::pauseFinished, this, &CdcView::onPauseFinished);
    connect(m_controller, &CdcController::busyChanged, this, &CdcView::updateButtons);
    m_setup->setText(QStringLiteral("Open a configuration to see its change data capture."));
    updateButtons();
}

CdcView::~CdcView() = default;

void CdcView::buildHeader(QWidget *content)
{
    m_source = new QLabel;
    m_source->setObjectName(QStringLiteral("cdcSource"));
    m_source->setTextFormat(Qt::PlainText);
    m_wal = new QLabel;
    m_wal->setObjectName(QStringLiteral("cdcRetainedWal"));
    m_wal->setTextFormat(Qt::PlainText);
    m_walBadge = new QLabel;
    m_walBadge->setObjectName(QStringLiteral("cdcWalBadge"));
    m_walBadge->setTextFormat(Qt::PlainText);
    m_walBadge->setStyleSheet(QStringLiteral(
            "QLabel { background: #d32f2f; color: white; border-radius: 3px; padding: 1px 6px;"
            " font-weight: bold; }"));
    m_walBadge->hide();
    m_reader = new QLabel;
    m_reader->setObjectName(QStringLiteral("cdcReader"));
    m_reader->setTextFormat(Qt::PlainText);
    auto *row = new QHBoxLayout;
    row->addWidget(m_source);
    row->addSpacing(16);
    row->addWidget(m_wal);
    row->addWidget(m_walBadge);
    row->addSpacing(16);
    row->addWidget(m_reader, 1);
    static_cast<QVBoxLayout *>(content->layout())->addLayout(row);
}

void CdcView::setConfig(std::shared_ptr<const config::Config> config)
{
    m_config = config;
    m_pauseError.clear();
    m_model->setRegions({});
    m_error->hide();
    m_notice->hide();
    m_setup->setText(QStringLiteral("Reading the CDC status…"));
    m_pages->setCurrentWidget(m_setup);
    m_controller->useConfig(std::move(config));
    updateButtons();
}

QString CdcView::configArgument() const
{
    return m_config ? QDir::toNativeSeparators(text(m_config->path)) : QStringLiteral("FILE");
}

void CdcView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_controller->setPolling(true);
}

void CdcView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_controller->setPolling(false);
}

void CdcView::showNotice(const QString &notice)
{
    m_notice->setText(notice);
    m_notice->setVisible(!notice.isEmpty());
}

void CdcView::onPolled()
{
    const CdcPoll &poll = m_controller->lastPoll();
    m_polledAt->setText(QStringLiteral("Updated %1")
                                .arg(poll.at.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
    if (!poll.status) {
        m_error->setText(QStringLiteral("Could not read the CDC status: ") + poll.error);
        m_error->show();
        updateButtons();
        return;
    }
    m_error->setText(m_pauseError);
    m_error->setVisible(!m_pauseError.isEmpty());
    const cdc::CdcStatus &status = *poll.status;
    if (!status.initialised) {
        const QString first
                = m_config && !m_config->cdc.configured
                          ? QStringLiteral(
                                    "Add a cdc: section to %1 (every region streams unless it says "
                                    "cdc: false), then run ")
                                    .arg(configArgument())
                          : QStringLiteral("Run ");
        m_setup->setText(
                QStringLiteral("Change data capture is not set up for this estate.\n\n") + first
                + QStringLiteral("envsyncctl cdc init -c %1  to create the publication and "
                                 "the replication slot on the source, then create a golden "
                                 "snapshot and refresh the regions from it: they stream from the "
                                 "position that snapshot was read at.")
                          .arg(configArgument()));
        m_pages->setCurrentWidget(m_setup);
        showNotice({});
        m_model->setRegions({});
        updateButtons();
        return;
    }
    m_pages->setCurrentWidget(m_content);
    m_model->setRegions(status.regions);
    updateHeader();
    if (status.readerState == "not running") {
        showNotice(QStringLiteral("No cdc run has reported in the last 10 seconds: nothing is "
                                  "streamed. Start it with  envsyncctl cdc run -c %1  or the "
                                  "envsync-cdc systemd service (packaging/systemd).")
                           .arg(configArgument()));
    } else if (status.readerState != "streaming" && !status.readerDetail.empty()) {
        showNotice(QStringLiteral("The stream reader is %1: %2")
                           .arg(text(status.readerState), text(status.readerDetail)));
    } else if (status.regions.empty()) {
        showNotice(QStringLiteral("No region streams: every region has cdc: false."));
    } else {
        showNotice({});
    }
    m_lagChart->setHistory(m_controller->history(), poll.at);
    m_rateChart->setHistory(m_controller->history(), poll.at);
    updateButtons();
}

void CdcView::updateHeader()
{
    const cdc::CdcStatus &status = *m_controller->lastPoll().status;
    QString slot = QStringLiteral("Slot %1: ").arg(text(status.slot));
    if (!status.slotExists)
        slot += QStringLiteral("missing");
    else
        slot += status.slotActive ? QStringLiteral("exists, active")
                                  : QStringLiteral("exists, inactive");
    if (!status.confirmedLsn.empty())
        slot += QStringLiteral(" · confirmed %1").arg(text(status.confirmedLsn));
    m_source->setText(slot);
    m_wal->setText(QStringLiteral("Retained WAL %1").arg(megabytes(status.retainedWalBytes)));
    m_walBadge->setText(QStringLiteral("above cdc.max_retained_wal (%1)")
                                .arg(megabytes(status.maxRetainedWalBytes)));
    m_walBadge->setToolTip(QStringLiteral("The source keeps this WAL for the slot until the "
                                          "spool has it: start cdc run, or cdc drop the slot"));
    m_walBadge->setVisible(status.retainedTooMuch);
    QString reader = QStringLiteral("Reader %1").arg(text(status.readerState));
    if (status.readerState == "streaming")
        reader += QStringLiteral(" · %1 changes/s · durable %2")
                          .arg(QLocale().toString(status.readerChangesPerSecond, 'f', 1),
                               text(status.durableLsn));
    m_reader->setText(reader);
    m_reader->setToolTip(text(status.readerDetail));
}

void CdcView::onPauseFinished(const QString &region, bool paused, const QString &error)
{
    m_pauseError = error.isEmpty() ? QString()
                                   : QStringLiteral("Could not %1 %2: %3")
                                             .arg(paused ? QStringLiteral("pause")
                                                         : QStringLiteral("resume"),
                                                  region, error);
    m_error->setText(m_pauseError);
    m_error->setVisible(!m_pauseError.isEmpty());
}

QString CdcView::selectedRegion() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const cdc::RegionCdcStatus *region = m_model->regionAt(rows.front().row());
    return region ? text(region->region) : QString();
}

bool CdcView::selectRegion(const QString &region)
{
    const int row = m_model->rowOf(region);
    if (row < 0)
        return false;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->selectionModel()->select(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect
                                                                      | QItemSelectionModel::Rows);
    return true;
}

void CdcView::updateButtons()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const cdc::RegionCdcStatus *region
            = rows.isEmpty() ? nullptr : m_model->regionAt(rows.front().row());
    const bool idle = !m_controller->isPauseBusy();
    m_pause->setEnabled(region && idle && !region->paused);
    m_resume->setEnabled(region && idle && region->paused);
}

} // namespace envsync::ui
