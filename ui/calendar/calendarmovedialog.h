#pragma once

#include "core/config/config.h"
#include "core/schedule/conflicts.h"

#include <QDateTime>
#include <QDialog>
#include <QString>
#include <QTimeZone>

#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QListWidget;
class QPushButton;
QT_END_NAMESPACE

namespace envsync::ui {

/// A dragged window, as the preview shows it: the rule before and after, where the dragged
/// occurrence went, and the conflicts of the range with and without the change.
struct CalendarMove
{
    QString region;
    std::string timezone;
    QString configPath;
    config::WindowConfig before;
    config::WindowConfig after;
    QDateTime oldStartUtc;
    QDateTime newStartUtc;
    QTimeZone viewerZone;
    std::vector<schedule::Conflict> conflictsBefore;
    std::vector<schedule::Conflict> conflictsAfter;
};

/// The preview of a drag in the Calendar tab: old → new rule and the conflicts the new config
/// would have (those the move introduces first). Save accepts; the view writes the file.
class CalendarMoveDialog : public QDialog
{
    Q_OBJECT

public:
    explicit CalendarMoveDialog(const CalendarMove &move, QWidget *parent = nullptr);

    [[nodiscard]] const CalendarMove &move() const { return m_move; }
    [[nodiscard]] QLabel *ruleLabel() const { return m_rule; }
    [[nodiscard]] QListWidget *conflictList() const { return m_conflicts; }
    [[nodiscard]] QPushButton *saveButton() const { return m_save; }
    /// Conflicts after the move that were not there before.
    [[nodiscard]] int newConflictCount() const { return m_newConflicts; }

private:
    void fillConflicts();

    CalendarMove m_move;
    QLabel *m_rule = nullptr;
    QListWidget *m_conflicts = nullptr;
    QPushButton *m_save = nullptr;
    int m_newConflicts = 0;
};

} // namespace envsync::ui
