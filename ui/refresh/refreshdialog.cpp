#include "ui/refresh/refreshdialog.h"

#include "ui/common/jobformat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace envsync::ui {

namespace {

/// Stands for "the newest ready snapshot" in the picker (an empty RefreshOptions::snapshot).
const QString newestLabel = QStringLiteral("newest ready snapshot");

QString html(const std::string &text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString row(const QString &label, const QString &value)
{
    return QStringLiteral("<tr><td style='padding-right:14px'><b>%1</b></td><td>%2</td></tr>")
            .arg(label, value);
}

QString listOrDash(const std::vector<std::string> &items)
{
    if (items.empty())
        return QStringLiteral("—");
    QStringList escaped;
    for (const auto &item : items)
        escaped << html(item);
    return escaped.join(QStringLiteral("<br>"));
}

QString planHtml(const refresh::RefreshPlan &plan)
{
    const QString asOf = plan.snapshotAsOf.isValid()
            ? plan.snapshotAsOf.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
            : QStringLiteral("unknown");
    const QString expected = plan.expectedSeconds >= 0
            ? QStringLiteral("~%1 (mean of recent refreshes)")
                      .arg(jobformat::duration(plan.expectedSeconds))
            : QStringLiteral("unknown (no refresh history yet)");
    const QString sessions = plan.sessions.empty()
            ? QStringLiteral("none")
            : QStringLiteral("%1 will be terminated at the swap:<br>%2")
                      .arg(plan.sessions.size())
                      .arg(listOrDash(plan.sessions));
    QString text = QStringLiteral("<table>");
    text += row(QStringLiteral("Database"), html(plan.database));
    text += row(QStringLiteral("Snapshot"),
                QStringLiteral("%1 · data as of %2 · %3")
                        .arg(html(plan.snapshot), asOf, jobformat::bytes(plan.snapshotBytes)));
    text += row(QStringLiteral("Method"), html(plan.method));
    text += row(QStringLiteral("Expected"), expected);
    text += row(QStringLiteral("Window"), html(plan.window));
    text += row(QStringLiteral("Sessions"), sessions);
    text += row(QStringLiteral("Preserved"), listOrDash(plan.preserved));
    const QString previous = html(plan.database + "__envsync_prev");
    text += row(QStringLiteral("Previous"),
                plan.hasPrevious
                        ? QStringLiteral("%1 will be replaced by the current database").arg(previous)
                        : QStringLiteral("the current database will be kept as %1").arg(previous));
    return text + QStringLiteral("</table>");
}

QString warningStyle()
{
    return QStringLiteral("QGroupBox { background: #fff6e0; border: 1px solid #e8c36a;"
                          " border-radius: 3px; margin-top: 1.4em; padding: 6px; }"
                          " QGroupBox::title { subcontrol-origin: margin; left: 6px; }");
}

} // namespace

RefreshDialog::RefreshDialog(RefreshController *controller, const QString &region,
                             QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_region(region)
{
    setObjectName(QStringLiteral("refreshDialog"));
    setWindowTitle(QStringLiteral("Refresh Region %1").arg(region));
    createControls();
    connect(m_controller, &RefreshController::planReady, this, &RefreshDialog::onPlanReady);
    requestPlan({});
}

void RefreshDialog::createControls()
{
    auto *intro = new QLabel(QStringLiteral(
            "Builds a shadow database from the golden snapshot, then swaps it in atomically. "
            "Readers never see a half-refreshed database; the current one is kept for "
            "Rollback."));
    intro->setWordWrap(true);

    m_snapshotCombo = new QComboBox;
    m_snapshotCombo->setObjectName(QStringLiteral("refreshSnapshotCombo"));
    m_snapshotCombo->setMinimumContentsLength(24);
    m_snapshotCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connect(m_snapshotCombo, &QComboBox::activated, this, [this] {
        requestPlan(m_snapshotCombo->currentData().toString());
    });
    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("&Snapshot:"), m_snapshotCombo);

    auto *planBox = new QGroupBox(QStringLiteral("Plan (dry run)"));
    m_planLabel = new QLabel;
    m_planLabel->setObjectName(QStringLiteral("refreshPlanLabel"));
    m_planLabel->setTextFormat(Qt::RichText);
    m_planLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Unwrapped: the table's own size is what the layout reserves, so no row is clipped.
    m_planLabel->setWordWrap(false);
    m_planLabel->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_statusLabel = new QLabel;
    m_statusLabel->setObjectName(QStringLiteral("refreshPlanStatus"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *planLayout = new QVBoxLayout(planBox);
    planLayout->addWidget(m_statusLabel);
    planLayout->addWidget(m_planLabel, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_refreshButton = m_buttons->addButton(QStringLiteral("&Refresh"), QDialogButtonBox::AcceptRole);
    m_refreshButton->setObjectName(QStringLiteral("refreshOkButton"));
    m_refreshButton->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // The confirmations sit beside the plan, so the dialog stays short enough for a laptop
    // screen even when both the guard and the window ask.
    auto *confirmations = new QVBoxLayout;
    confirmations->addWidget(createGuardBox());
    confirmations->addWidget(createWindowBox());
    confirmations->addStretch(1);
    auto *middle = new QHBoxLayout;
    middle->addWidget(planBox, 3);
    middle->addLayout(confirmations, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addLayout(middle, 1);
    layout->addWidget(m_buttons);
    resize(fontMetrics().averageCharWidth() * 140, sizeHint().height());
    updateButton();
}

QGroupBox *RefreshDialog::createGuardBox()
{
    m_guardBox = new QGroupBox(QStringLiteral("Confirm the target"));
    m_guardBox->setObjectName(QStringLiteral("refreshGuardBox"));
    m_guardBox->setStyleSheet(warningStyle());
    m_guardLabel = new QLabel;
    m_guardLabel->setWordWrap(true);
    m_guardLabel->setTextFormat(Qt::PlainText);
    m_confirmEdit = new QLineEdit;
    m_confirmEdit->setObjectName(QStringLiteral("refreshConfirmEdit"));
    m_confirmEdit->setPlaceholderText(QStringLiteral("type %1 to confirm").arg(m_region));
    connect(m_confirmEdit, &QLineEdit::textChanged, this, &RefreshDialog::updateButton);
    // Its own override: typing the name says "this is the region's database", not "this
    // cluster is not production".
    m_sourceUnreachableCheck = new QCheckBox(
            QStringLiteral("The source is &unreachable: refresh anyway, this is not production"));
    m_sourceUnreachableCheck->setObjectName(QStringLiteral("refreshSourceUnreachableCheck"));
    connect(m_sourceUnreachableCheck, &QCheckBox::toggled, this, &RefreshDialog::updateButton);
    auto *layout = new QVBoxLayout(m_guardBox);
    layout->addWidget(m_guardLabel);
    layout->addWidget(m_sourceUnreachableCheck);
    layout->addWidget(m_confirmEdit);
    m_guardBox->hide();
    return m_guardBox;
}

QGroupBox *RefreshDialog::createWindowBox()
{
    m_windowBox = new QGroupBox(QStringLiteral("Outside the refresh window"));
    m_windowBox->setObjectName(QStringLiteral("refreshWindowBox"));
    m_windowBox->setStyleSheet(warningStyle());
    m_windowLabel = new QLabel;
    m_windowLabel->setWordWrap(true);
    m_windowLabel->setTextFormat(Qt::PlainText);
    m_forceCheck = new QCheckBox(QStringLiteral("Refresh &outside the window"));
    m_forceCheck->setObjectName(QStringLiteral("refreshForceCheck"));
    m_reasonEdit = new QLineEdit;
    m_reasonEdit->setObjectName(QStringLiteral("refreshReasonEdit"));
    m_reasonEdit->setPlaceholderText(QStringLiteral("Why (written to the audit log)"));
    m_reasonEdit->setEnabled(false);
    connect(m_forceCheck, &QCheckBox::toggled, m_reasonEdit, &QWidget::setEnabled);
    connect(m_forceCheck, &QCheckBox::toggled, this, &RefreshDialog::updateButton);
    connect(m_reasonEdit, &QLineEdit::textChanged, this, &RefreshDialog::updateButton);
    auto *layout = new QVBoxLayout(m_windowBox);
    layout->addWidget(m_windowLabel);
    layout->addWidget(m_forceCheck);
    layout->addWidget(m_reasonEdit);
    m_windowBox->hide();
    return m_windowBox;
}

RefreshRequest RefreshDialog::request() const
{
    RefreshRequest request;
    request.region = m_region;
    // The snapshot the plan showed, so what runs is what was reviewed even if a newer one
    // became ready meanwhile.
    request.snapshot = m_plan ? QString::fromStdString(m_plan->snapshot)
                              : m_snapshotCombo->currentData().toString();
    request.typedName = m_needsTypedName ? m_confirmEdit->text() : QString();
    request.sourceUnreachableOk
            = m_needsSourceUnreachableOk && m_sourceUnreachableCheck->isChecked();
    // From the plan, not the box's visibility: the dialog is hidden by the time it is asked.
    request.forceOutsideWindow = m_forceCheck->isChecked() && m_plan && !m_plan->insideWindow;
    request.reason = request.forceOutsideWindow ? m_reasonEdit->text().trimmed() : QString();
    return request;
}

void RefreshDialog::requestPlan(const QString &snapshot)
{
    RefreshRequest request;
    request.region = m_region;
    request.snapshot = snapshot;
    m_planning = m_controller->plan(request);
    m_plan.reset();
    m_statusLabel->setText(m_planning ? QStringLiteral("Computing the plan…")
                                      : QStringLiteral("No configuration is open."));
    m_planLabel->clear();
    updateButton();
}

void RefreshDialog::onPlanReady(const RefreshPlanOutcome &outcome)
{
    if (outcome.request.region != m_region)
        return;
    m_planning = false;
    m_needsTypedName = outcome.needsTypedName;
    m_confirmName = outcome.confirmName;
    m_confirmEdit->setPlaceholderText(QStringLiteral("type %1 to confirm").arg(m_confirmName));
    fillSnapshots(outcome.readySnapshots,
                  outcome.plan ? outcome.plan->snapshot : outcome.request.snapshot.toStdString());
    m_needsSourceUnreachableOk = outcome.needsSourceUnreachableOk;
    m_guardBox->setVisible(m_needsTypedName || m_needsSourceUnreachableOk);
    m_confirmEdit->setVisible(m_needsTypedName);
    m_sourceUnreachableCheck->setVisible(m_needsSourceUnreachableOk);
    QStringList asks;
    if (m_needsSourceUnreachableOk)
        asks << QStringLiteral("%1.\nThe production guard asks you to confirm that anyway.")
                        .arg(outcome.sourceUnreachableReason);
    if (m_needsTypedName)
        asks << QStringLiteral("%1.\nThe production guard asks you to type the region's name, "
                               "%2, to confirm this really is its test database.")
                        .arg(outcome.guardReason, m_confirmName);
    m_guardLabel->setText(asks.join(QStringLiteral("\n\n")));
    if (outcome.plan) {
        m_plan = outcome.plan;
        showPlan(*m_plan);
    } else {
        m_plan.reset();
        m_planLabel->clear();
        m_planLabel->setMinimumSize(0, 0);
        m_windowBox->hide();
        m_statusLabel->setText(QStringLiteral("⚠ No refresh is possible: ") + outcome.error);
    }
    updateButton();
    growToFit();
    emit planShown();
}

void RefreshDialog::fillSnapshots(const QStringList &ready, const std::string &chosen)
{
    const QSignalBlocker blocker(m_snapshotCombo);
    m_snapshotCombo->clear();
    // Newest first: the default choice sits on top.
    for (auto it = ready.crbegin(); it != ready.crend(); ++it)
        m_snapshotCombo->addItem(*it, *it);
    if (ready.isEmpty())
        m_snapshotCombo->addItem(newestLabel, QString());
    const int index = m_snapshotCombo->findData(QString::fromStdString(chosen));
    m_snapshotCombo->setCurrentIndex(std::max(index, 0));
}

void RefreshDialog::showPlan(const refresh::RefreshPlan &plan)
{
    m_statusLabel->setText(
            QStringLiteral("Refreshing %1 from %2 will do this:")
                    .arg(m_region, QString::fromStdString(plan.snapshot)));
    m_planLabel->setText(planHtml(plan));
    // Reserve the whole table: the window's minimum size follows, so no row is clipped.
    m_planLabel->setMinimumSize(m_planLabel->sizeHint());
    m_windowBox->setVisible(!plan.insideWindow);
    m_windowLabel->setText(QStringLiteral("The region's window is %1. Refreshing now disturbs "
                                          "the squads who rely on it; it is audited.")
                                   .arg(QString::fromStdString(plan.window)));
}

void RefreshDialog::growToFit()
{
    // The warning boxes and the plan appear after the first layout; wrapped labels need
    // height-for-width, which a top-level's minimum size does not follow by itself.
    layout()->activate();
    const int needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : sizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

void RefreshDialog::updateButton()
{
    const bool typed = !m_needsTypedName || m_confirmEdit->text() == m_confirmName;
    const bool sourceOk = !m_needsSourceUnreachableOk || m_sourceUnreachableCheck->isChecked();
    const bool windowOk = !m_plan || m_plan->insideWindow
            || (m_forceCheck->isChecked() && !m_reasonEdit->text().trimmed().isEmpty());
    m_refreshButton->setEnabled(!m_planning && m_plan && typed && sourceOk && windowOk);
}

} // namespace envsync::ui
