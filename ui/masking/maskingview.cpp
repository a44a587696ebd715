#include "ui/masking/maskingview.h"

#include "ui/masking/maskingcontroller.h"
#include "ui/masking/maskingrulesmodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace envsync::ui {

namespace {

QString badgeStyle(const QString &background)
{
    return QStringLiteral("QLabel { background: %1; color: white; border-radius: 9px;"
                          " padding: 3px 10px; }")
            .arg(background);
}

} // namespace

MaskingView::MaskingView(QWidget *parent)
    : QWidget(parent)
    , m_controller(new MaskingController(this))
    , m_model(new MaskingRulesModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    createControls();
    connect(m_controller, &MaskingController::loadFinished, this, &MaskingView::onLoadFinished);
    connect(m_controller, &MaskingController::loadStarted, this, [this] {
        m_saltLabel->setText(QStringLiteral("Reading the source schema and sampling values…"));
    });
    connect(m_controller, &MaskingController::loadingChanged, this,
            [this](bool loading) { m_reloadAction->setEnabled(!loading && m_controller->config()); });
    setBadge(0, -1);
}

MaskingView::~MaskingView()
{
    delete m_controller; // waits for the worker while the widgets still exist
    m_controller = nullptr;
}

void MaskingView::createControls()
{
    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload),
                                 QStringLiteral("Reload"), this);
    m_reloadAction->setObjectName(QStringLiteral("reloadMaskingAction"));
    m_reloadAction->setToolTip(QStringLiteral("Read the source schema and sample values again"));
    m_reloadAction->setEnabled(false);
    connect(m_reloadAction, &QAction::triggered, this, &MaskingView::reload);
    auto *reloadButton = new QToolButton;
    reloadButton->setDefaultAction(m_reloadAction);
    reloadButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_badge = new QLabel;
    m_badge->setObjectName(QStringLiteral("maskingCoverageBadge"));
    // Bold through the font, not the style sheet, so the size hint counts it (no cut text).
    QFont bold = m_badge->font();
    bold.setBold(true);
    m_badge->setFont(bold);
    m_badge->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_saltLabel = new QLabel;
    m_saltLabel->setObjectName(QStringLiteral("maskingSaltLabel"));
    m_saltLabel->setTextFormat(Qt::PlainText);
    m_saltLabel->setForegroundRole(QPalette::PlaceholderText);

    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("maskingFilter"));
    m_filter->setPlaceholderText(QStringLiteral("Filter columns (try UNCLASSIFIED)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(m_filter->fontMetrics().horizontalAdvance(
                                      m_filter->placeholderText())
                              + 40);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    auto *bar = new QHBoxLayout;
    bar->addWidget(reloadButton);
    bar->addWidget(m_badge);
    bar->addSpacing(8);
    bar->addWidget(m_saltLabel, 1);
    bar->addWidget(m_filter);

    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("maskingErrorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral(
            "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f1b0ab;"
            " border-radius: 3px; padding: 5px 8px; }"));
    m_banner->hide();

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("maskingRulesTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the schema's own order until asked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_table, 1);
}

void MaskingView::setConfig(std::shared_ptr<const config::Config> config)
{
    m_controller->setConfig(std::move(config));
    m_model->clear();
    m_banner->hide();
    m_saltLabel->clear();
    setBadge(0, -1);
    m_loadPending = m_controller->config() != nullptr;
    m_reloadAction->setEnabled(m_loadPending);
    if (m_loadPending && isVisible())
        reload();
}

void MaskingView::reload()
{
    m_loadPending = false;
    m_controller->load();
}

QByteArray MaskingView::columnState() const
{
    return m_table->horizontalHeader()->saveState();
}

void MaskingView::restoreColumnState(const QByteArray &state)
{
    if (!state.isEmpty() && m_table->horizontalHeader()->restoreState(state))
        m_columnsRestored = true;
}

void MaskingView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loadPending)
        reload();
}

void MaskingView::onLoadFinished(const MaskingOutcome &outcome)
{
    if (!outcome.preview) {
        m_model->clear();
        setBadge(0, -1);
        m_saltLabel->clear();
        m_banner->setText(QStringLiteral("⚠ The masking rules could not be read: ")
                          + outcome.error);
        m_banner->show();
        emit resultsChanged();
        return;
    }
    const masking::MaskPreview &preview = *outcome.preview;
    m_model->resetData(outcome.preview);
    setBadge(preview.classified, preview.total);
    m_saltLabel->setText(preview.saltAvailable
                                 ? QStringLiteral("Previews are masked with the configured salt; "
                                                  "source values are never shown.")
                                 : QStringLiteral("No masked preview: ")
                                           + QString::fromStdString(preview.saltProblem));
    QStringList problems;
    for (const auto &problem : preview.problems)
        problems << QString::fromStdString(problem);
    m_banner->setText(QStringLiteral("⚠ ") + problems.join(QStringLiteral("\n⚠ ")));
    m_banner->setVisible(!problems.isEmpty());
    if (!m_columnsRestored && !m_columnsFitted)
        fitColumns();
    emit resultsChanged();
}

void MaskingView::setBadge(int classified, int total)
{
    if (total < 0) {
        m_badge->setText(QStringLiteral("— columns classified"));
        m_badge->setStyleSheet(badgeStyle(QStringLiteral("#8a8f98")));
        m_badge->setToolTip({});
        return;
    }
    m_badge->setText(QStringLiteral("%1/%2 columns classified").arg(classified).arg(total));
    const bool complete = classified == total;
    m_badge->setStyleSheet(badgeStyle(complete ? QStringLiteral("#1b7f3b")
                                               : QStringLiteral("#c62828")));
    m_badge->setToolTip(complete ? QStringLiteral("Every column has a rule or a keep entry")
                                 : QStringLiteral("%1 column(s) unclassified: snapshots are "
                                                  "refused while masking.unclassified is fail")
                                           .arg(total - classified));
}

void MaskingView::fitColumns()
{
    // Fit once to the data, within bounds; the preview takes the rest.
    QHeaderView *header = m_table->horizontalHeader();
    const int ch = m_table->fontMetrics().averageCharWidth();
    const int widest[] = {46, 30, 26, 44};
    for (int column = 0; column < MaskingRulesModel::PreviewColumn; ++column) {
        m_table->resizeColumnToContents(column);
        header->resizeSection(column, std::clamp(header->sectionSize(column) + 2 * ch, 10 * ch,
                                                 widest[column] * ch));
    }
    m_columnsFitted = true;
}

} // namespace envsync::ui
