#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QAction;
class QIcon;
class QString;
class QWidget;
class QLabel;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

/// Small widget factories the job views share, so the Refresh and Environments tabs look like
/// the Snapshots tab (same banner colours, same flat progress lists).
namespace envsync::ui::viewwidgets {

/// Marks an action that destroys or replaces data (Refresh Region…, Roll Back, Drop, Prune):
/// a red "destructive" icon, property `destructive` = true (tool buttons made by toolButton()
/// draw its text red), and a status tip prefix. Harmless reloads never use this look.
void markDestructive(QAction *action);
/// The red icon of destructive actions (also for confirmation dialogs).
[[nodiscard]] QIcon destructiveIcon();
/// Shows `message` red next to an invalid field (`label` is the field's message label) and
/// gives the field a red frame; an empty message clears both.
void showFieldError(QWidget *field, QLabel *label, const QString &message);
/// A tool button showing `action` with its text beside the icon.
[[nodiscard]] QToolButton *toolButton(QAction *action);
/// A hidden, word-wrapped, selectable red banner for errors.
[[nodiscard]] QLabel *errorBanner();
/// A list-like tree: no root decoration, uniform rows, alternating colours, row selection.
[[nodiscard]] QTreeView *flatTree();

} // namespace envsync::ui::viewwidgets
