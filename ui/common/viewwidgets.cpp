#include "ui/common/viewwidgets.h"

#include <QAction>
#include <QLabel>
#include <QToolButton>
#include <QTreeView>

namespace envsync::ui::viewwidgets {

QToolButton *toolButton(QAction *action)
{
    auto *button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return button;
}

QLabel *errorBanner()
{
    auto *banner = new QLabel;
    banner->setWordWrap(true);
    banner->setTextFormat(Qt::PlainText);
    banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner->setStyleSheet(QStringLiteral(
            "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f1b0ab;"
            " border-radius: 3px; padding: 5px 8px; }"));
    banner->hide();
    return banner;
}

QTreeView *flatTree()
{
    auto *view = new QTreeView;
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    return view;
}

} // namespace envsync::ui::viewwidgets
