#pragma once

#include <QStyledItemDelegate>

namespace envsync::ui {

/// Paints the region cells of the drift heatmap: a rounded tile in the cell's BackgroundRole
/// colour (HeatmapMapping decides it), the count in its ForegroundRole colour, a hatch for
/// regions that could not be read and a frame for the current cell. The label columns are
/// painted as usual. Only paints: every colour and text comes from the model.
class HeatmapDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    /// Region cells start at this model column.
    explicit HeatmapDelegate(int firstRegionColumn, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_firstRegionColumn;
};

} // namespace envsync::ui
