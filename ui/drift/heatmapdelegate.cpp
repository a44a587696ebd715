#include "ui/drift/heatmapdelegate.h"

#include "ui/drift/driftheatmapmodel.h"

#include <QPainter>
#include <QPainterPath>

namespace envsync::ui {

namespace {

constexpr int tileMargin = 2;
constexpr qreal tileRadius = 3.0;

} // namespace

HeatmapDelegate::HeatmapDelegate(int firstRegionColumn, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_firstRegionColumn(firstRegionColumn)
{
}

void HeatmapDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    if (index.column() < m_firstRegionColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->fillRect(option.rect, option.palette.base());

    const QRectF tile
            = QRectF(option.rect)
                      .adjusted(tileMargin, tileMargin / 2.0, -tileMargin, -tileMargin / 2.0);
    QPainterPath path;
    path.addRoundedRect(tile, tileRadius, tileRadius);
    const QColor background = index.data(Qt::BackgroundRole).value<QColor>();
    painter->fillPath(path, background.isValid() ? background : option.palette.base().color());
    if (!index.data(DriftHeatmapModel::RegionErrorRole).toString().isEmpty())
        painter->fillPath(path, QBrush(background.darker(125), Qt::BDiagPattern));

    const bool current = option.state & QStyle::State_HasFocus;
    const bool selected = option.state & QStyle::State_Selected;
    if (current || selected) {
        QPen pen(option.palette.highlight().color(), current ? 2.5 : 1.5);
        painter->setPen(pen);
        painter->drawPath(path);
    }

    const QString text = index.data(Qt::DisplayRole).toString();
    if (!text.isEmpty()) {
        QFont font = option.font;
        font.setBold(!index.data(DriftHeatmapModel::AggregateRole).toBool());
        painter->setFont(font);
        painter->setPen(index.data(Qt::ForegroundRole).value<QColor>());
        painter->drawText(tile, Qt::AlignCenter, text);
    }
    painter->restore();
}

QSize HeatmapDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.column() < m_firstRegionColumn)
        return QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics metrics(option.font);
    return {metrics.horizontalAdvance(QStringLiteral("0000")) + 4 * tileMargin + 16,
            metrics.height() + 10};
}

} // namespace envsync::ui
