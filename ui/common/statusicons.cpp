#include "ui/common/statusicons.h"

#include "ui/common/statuspalette.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>

namespace envsync::ui {

using status::EndpointRole;
using status::Freshness;

StatusIcons::Kind StatusIcons::kindFor(const status::EndpointStatus &endpoint, bool pending)
{
    if (pending)
        return Kind::Pending;
    if (!endpoint.reachable)
        return Kind::Unreachable;
    if (endpoint.role != EndpointRole::Region)
        return Kind::Reachable;
    switch (endpoint.freshness) {
    case Freshness::Ok:
        return Kind::Ok;
    case Freshness::Due:
        return Kind::Due;
    case Freshness::Overdue:
        return Kind::Overdue;
    case Freshness::Unknown:
        break;
    }
    return Kind::Unknown;
}

int StatusIcons::severity(Kind kind)
{
    switch (kind) {
    case Kind::Ok:
    case Kind::Reachable:
        return 0;
    case Kind::Pending:
        return 1;
    case Kind::Unknown:
        return 2;
    case Kind::Due:
        return 3;
    case Kind::Overdue:
        return 4;
    case Kind::Unreachable:
        return 5;
    }
    return 0;
}

StatusIcons::Kind StatusIcons::worse(Kind a, Kind b)
{
    return severity(b) > severity(a) ? b : a;
}

QColor StatusIcons::colorFor(Kind kind)
{
    switch (kind) {
    case Kind::Pending:
        return StatusPalette::pendingColor();
    case Kind::Unreachable:
        return StatusPalette::unreachableColor();
    case Kind::Reachable:
        return StatusPalette::reachableColor();
    case Kind::Ok:
        return StatusPalette::freshnessColor(Freshness::Ok);
    case Kind::Due:
        return StatusPalette::freshnessColor(Freshness::Due);
    case Kind::Overdue:
        return StatusPalette::freshnessColor(Freshness::Overdue);
    case Kind::Unknown:
        break;
    }
    return StatusPalette::freshnessColor(Freshness::Unknown);
}

QString StatusIcons::describe(Kind kind)
{
    switch (kind) {
    case Kind::Pending:
        return QStringLiteral("probing");
    case Kind::Unreachable:
        return QStringLiteral("unreachable");
    case Kind::Reachable:
        return QStringLiteral("reachable");
    case Kind::Ok:
        return QStringLiteral("ok");
    case Kind::Due:
        return QStringLiteral("due");
    case Kind::Overdue:
        return QStringLiteral("overdue");
    case Kind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QIcon StatusIcons::icon(Kind kind)
{
    static QHash<int, QIcon> cache;
    const int key = static_cast<int>(kind);
    auto it = cache.find(key);
    if (it == cache.end()) {
        QIcon icon;
        for (int size : {16, 24, 32})
            icon.addPixmap(pixmap(kind, size, 1.0));
        icon.addPixmap(pixmap(kind, 16, 2.0));
        it = cache.insert(key, icon);
    }
    return *it;
}

QPixmap StatusIcons::pixmap(Kind kind, int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);

    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    // Work in a 16×16 box whatever the size.
    painter.scale(size / 16.0, size / 16.0);
    const QColor color = colorFor(kind);
    const QRectF disc(1.5, 1.5, 13.0, 13.0);
    QPen glyphPen(Qt::white, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);

    switch (kind) {
    case Kind::Pending: {
        painter.setPen(QPen(color, 1.6));
        painter.setBrush(Qt::white);
        painter.drawEllipse(disc);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        for (double x : {5.0, 8.0, 11.0})
            painter.drawEllipse(QPointF(x, 8.0), 1.1, 1.1);
        break;
    }
    case Kind::Unreachable: {
        painter.setPen(QPen(color, 1.6));
        painter.setBrush(Qt::white);
        painter.drawEllipse(disc);
        painter.setPen(QPen(color, 1.8, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5));
        painter.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5));
        break;
    }
    case Kind::Reachable:
    case Kind::Ok: {
        painter.setPen(QPen(color.darker(130), 0.8));
        painter.setBrush(color);
        painter.drawEllipse(disc);
        painter.setPen(glyphPen);
        QPainterPath tick;
        tick.moveTo(4.8, 8.3);
        tick.lineTo(7.0, 10.5);
        tick.lineTo(11.3, 5.8);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(tick);
        break;
    }
    case Kind::Due: {
        painter.setPen(QPen(color.darker(130), 0.8));
        painter.setBrush(color);
        painter.drawEllipse(disc);
        painter.setPen(glyphPen);
        painter.drawLine(QPointF(8.0, 8.0), QPointF(8.0, 4.6));
        painter.drawLine(QPointF(8.0, 8.0), QPointF(10.8, 9.6));
        break;
    }
    case Kind::Overdue: {
        painter.setPen(QPen(color.darker(130), 0.8));
        painter.setBrush(color);
        painter.drawEllipse(disc);
        painter.setPen(glyphPen);
        painter.drawLine(QPointF(8.0, 4.4), QPointF(8.0, 8.8));
        painter.drawPoint(QPointF(8.0, 11.4));
        break;
    }
    case Kind::Unknown: {
        painter.setPen(QPen(color.darker(130), 0.8));
        painter.setBrush(color);
        painter.drawEllipse(disc);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(10);
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(disc, Qt::AlignCenter, QStringLiteral("?"));
        break;
    }
    }
    return pixmap;
}

} // namespace envsync::ui
