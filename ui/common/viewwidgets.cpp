#include "ui/common/viewwidgets.h"

#include <QAction>
#include <QIcon>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QLabel>
#include <QToolButton>
#include <QTreeView>

namespace envsync::ui::viewwidgets {

namespace {

const QColor destructiveRed(0xb7, 0x1c, 0x1c);

QPixmap destructivePixmap(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    // A red octagon-like disc with a white bar: "this removes something".
    painter.setBrush(destructiveRed);
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    painter.setBrush(Qt::white);
    const qreal bar = size * 0.16;
    painter.drawRoundedRect(QRectF(size * 0.22, (size - bar) / 2.0, size * 0.56, bar), bar / 3,
                            bar / 3);
    return pixmap;
}

} // namespace

QIcon destructiveIcon()
{
    QIcon icon;
    for (const int size : {16, 22, 32, 48})
        icon.addPixmap(destructivePixmap(size));
    return icon;
}

void markDestructive(QAction *action)
{
    action->setIcon(destructiveIcon());
    action->setProperty("destructive", true);
    if (!action->statusTip().startsWith(QStringLiteral("Destructive: ")))
        action->setStatusTip(QStringLiteral("Destructive: ") + action->statusTip());
}

void showFieldError(QWidget *field, QLabel *label, const QString &message)
{
    field->setStyleSheet(message.isEmpty() ? QString()
                                           : QStringLiteral("border: 1px solid #b71c1c;"));
    label->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

QToolButton *toolButton(QAction *action)
{
    auto *button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    if (action->property("destructive").toBool())
        button->setStyleSheet(QStringLiteral("QToolButton:enabled { color: #b71c1c; }"));
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
