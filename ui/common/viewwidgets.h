#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

/// Small widget factories the job views share, so the Refresh and Environments tabs look like
/// the Snapshots tab (same banner colours, same flat progress lists).
namespace envsync::ui::viewwidgets {

/// A tool button showing `action` with its text beside the icon.
[[nodiscard]] QToolButton *toolButton(QAction *action);
/// A hidden, word-wrapped, selectable red banner for errors.
[[nodiscard]] QLabel *errorBanner();
/// A list-like tree: no root decoration, uniform rows, alternating colours, row selection.
[[nodiscard]] QTreeView *flatTree();

} // namespace envsync::ui::viewwidgets
