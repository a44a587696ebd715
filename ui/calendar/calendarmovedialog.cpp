#include "ui/calendar/calendarmovedialog.h"

#include "ui/calendar/calendarreschedule.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace envsync::ui {

namespace {

bool sameConflict(const schedule::Conflict &a, const schedule::Conflict &b)
{
    return a.kind == b.kind && a.regions == b.regions && a.startUtc == b.startUtc
           && a.endUtc == b.endUtc;
}

QString startText(const QDateTime &utc, const QTimeZone &zone)
{
    const QDateTime local = utc.toTimeZone(zone);
    return QStringLiteral("%1 %2").arg(local.toString(QStringLiteral("ddd d MMM HH:mm")),
                                       zone.abbreviation(utc));
}

} // namespace

CalendarMoveDialog::CalendarMoveDialog(const CalendarMove &move, QWidget *parent)
    : QDialog(parent)
    , m_move(move)
{
    setObjectName(QStringLiteral("calendarMoveDialog"));
    setWindowTitle(QStringLiteral("Move the %1 window").arg(move.region));
    const QTimeZone regionZone(QByteArray::fromStdString(move.timezone));

    m_rule = new QLabel(
            QStringLiteral("<table cellspacing=4>"
                           "<tr><td>Rule now:</td><td><tt>%1</tt></td></tr>"
                           "<tr><td><b>New rule:</b></td><td><tt><b>%2</b></tt></td></tr>"
                           "</table>")
                    .arg(calendarreschedule::ruleText(move.before, move.timezone).toHtmlEscaped(),
                         calendarreschedule::ruleText(move.after, move.timezone).toHtmlEscaped()));
    m_rule->setObjectName(QStringLiteral("calendarMoveRule"));
    m_rule->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *occurrence = new QLabel(
            QStringLiteral("The dragged window: %1 → %2 (%3 → %4 your time). Every occurrence "
                           "moves the same way.")
                    .arg(startText(move.oldStartUtc, regionZone),
                         startText(move.newStartUtc, regionZone),
                         startText(move.oldStartUtc, move.viewerZone),
                         startText(move.newStartUtc, move.viewerZone)));
    occurrence->setWordWrap(true);

    m_conflicts = new QListWidget;
    m_conflicts->setObjectName(QStringLiteral("calendarMoveConflicts"));
    m_conflicts->setWordWrap(true);
    m_conflicts->setMinimumHeight(110);
    fillConflicts();

    auto *file = new QLabel(
            QStringLiteral("Save rewrites only the <tt>window:</tt> entry of %1 in %2; the rest "
                           "of the file stays as it is.")
                    .arg(move.region.toHtmlEscaped(),
                         QDir::toNativeSeparators(move.configPath).toHtmlEscaped()));
    file->setWordWrap(true);
    file->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    m_save = buttons->button(QDialogButtonBox::Save);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_rule);
    layout->addWidget(occurrence);
    layout->addWidget(new QLabel(QStringLiteral("Conflicts in the shown range after the move:")));
    layout->addWidget(m_conflicts, 1);
    layout->addWidget(file);
    layout->addWidget(buttons);
    resize(620, 380);
}

void CalendarMoveDialog::fillConflicts()
{
    for (const schedule::Conflict &conflict : m_move.conflictsAfter) {
        const bool added = std::ranges::none_of(m_move.conflictsBefore, [&](const auto &before) {
            return sameConflict(before, conflict);
        });
        m_newConflicts += added ? 1 : 0;
        auto *item = new QListWidgetItem(
                QStringLiteral("%1%2: %3")
                        .arg(added ? QStringLiteral("NEW · ") : QString(),
                             QString::fromLatin1(schedule::conflictKindName(conflict.kind)),
                             QString::fromStdString(conflict.message)));
        if (added)
            item->setForeground(QColor(0xd3, 0x2f, 0x2f));
        m_conflicts->addItem(item);
    }
    const auto resolved = std::ranges::count_if(m_move.conflictsBefore, [&](const auto &before) {
        return std::ranges::none_of(m_move.conflictsAfter,
                                    [&](const auto &after) { return sameConflict(before, after); });
    });
    if (m_move.conflictsAfter.empty())
        m_conflicts->addItem(QStringLiteral("None"));
    if (resolved > 0)
        m_conflicts->addItem(
                QStringLiteral("(%1 conflict(s) of the current rule go away)").arg(resolved));
}

} // namespace envsync::ui
