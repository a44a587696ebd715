#include "ui/common/jobprogresspanel.h"

#include "ui/common/jobformat.h"
#include "ui/common/progressbardelegate.h"
#include "ui/common/tableprogressmodel.h"
#include "ui/common/viewwidgets.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace envsync::ui {

JobProgressPanel::JobProgressPanel(QAction *cancelAction, const QString &namePrefix,
                                   QWidget *parent)
    : QWidget(parent)
    , m_tableModel(new TableProgressModel(this))
{
    m_stepLabel = new QLabel;
    m_stepLabel->setObjectName(namePrefix + QStringLiteral("StepLabel"));
    m_stepLabel->setTextFormat(Qt::PlainText);
    QFont bold = m_stepLabel->font();
    bold.setBold(true);
    m_stepLabel->setFont(bold);

    m_overall = new QProgressBar;
    m_overall->setObjectName(namePrefix + QStringLiteral("OverallProgress"));
    m_cancelButton = viewwidgets::toolButton(cancelAction);

    m_statsLabel = new QLabel;
    m_statsLabel->setObjectName(namePrefix + QStringLiteral("StatsLabel"));
    m_statsLabel->setTextFormat(Qt::PlainText);

    m_tablesView = viewwidgets::flatTree();
    m_tablesView->setObjectName(namePrefix + QStringLiteral("TableProgress"));
    m_tablesView->setModel(m_tableModel);
    m_tablesView->setItemDelegateForColumn(
            TableProgressModel::ProgressColumn,
            new ProgressBarDelegate(TableProgressModel::PercentRole, m_tablesView));
    m_tablesView->header()->setStretchLastSection(false);
    m_tablesView->header()->setSectionResizeMode(TableProgressModel::TableColumn,
                                                 QHeaderView::Stretch);
    const int ch = fontMetrics().averageCharWidth();
    const int widths[] = {0, 24, 18, 11, 18, 11, 9};
    for (int column = TableProgressModel::ProgressColumn; column < TableProgressModel::ColumnCount;
         ++column)
        m_tablesView->header()->resizeSection(column, widths[column] * ch);

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_overall, 1);
    progressRow->addWidget(m_cancelButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 6, 4, 4);
    layout->addWidget(m_stepLabel);
    layout->addLayout(progressRow);
    layout->addWidget(m_statsLabel);
    layout->addWidget(m_tablesView, 1);
    setCancellable(false);
    showIdle({});
}

void JobProgressPanel::resetFigures()
{
    m_tableModel->clear();
    m_overall->setRange(0, 100);
    m_overall->setValue(0);
    m_overall->setFormat(QStringLiteral("%p %"));
    m_statsLabel->clear();
}

void JobProgressPanel::showIdle(const QString &text)
{
    resetFigures();
    m_statsNote.clear();
    m_overall->hide();
    m_statsLabel->hide();
    m_stepLabel->setText(text);
}

void JobProgressPanel::showStarted(const QString &text, bool indeterminate)
{
    resetFigures();
    if (indeterminate)
        m_overall->setRange(0, 0);
    m_overall->show();
    m_statsLabel->show();
    m_statsLabel->setText(m_statsNote);
    m_stepLabel->setText(text);
}

void JobProgressPanel::setStep(const QString &text)
{
    m_stepLabel->setText(text);
}

void JobProgressPanel::setCopyShare(int percent, const QString &phasePrefix)
{
    m_copyShare = std::clamp(percent, 0, 100);
    m_phasePrefix = phasePrefix;
}

void JobProgressPanel::setStatsNote(const QString &note)
{
    m_statsNote = note;
}

void JobProgressPanel::showProgress(const job::Progress &progress)
{
    m_overall->setValue(jobformat::overallPercent(progress) * m_copyShare / 100);
    m_overall->setFormat(QStringLiteral("%p % · ") + m_phasePrefix
                         + jobformat::phaseLabel(progress.phase));
    QString stats = jobformat::progressSummary(progress);
    if (!m_statsNote.isEmpty())
        stats += QStringLiteral(" · ") + m_statsNote;
    m_statsLabel->setText(stats);
    if (!progress.tables.empty())
        m_tableModel->update(progress.tables);
}

void JobProgressPanel::advanceTo(int percent)
{
    m_overall->setValue(std::max(m_overall->value(), percent));
}

void JobProgressPanel::showFinished(const QString &text, const QString &barText, bool complete)
{
    m_overall->setRange(0, 100);
    if (complete)
        m_overall->setValue(100);
    m_overall->setFormat(complete ? QStringLiteral("%p % · ") + barText : barText);
    m_overall->show();
    m_stepLabel->setText(text);
    m_statsNote.clear();
}

void JobProgressPanel::setCancellable(bool cancellable)
{
    m_cancelButton->setVisible(cancellable);
}

} // namespace envsync::ui
