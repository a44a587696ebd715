#pragma once

#include "ui/drift/driftheatmapmodel.h"

#include <QAbstractItemModel>
#include <QModelIndex>
#include <QString>

namespace envsync::uitest {

/// The row of an object ("public.customers.birth_date") in a heatmap model or proxy, searched
/// depth-first; invalid when absent.
inline QModelIndex findRow(const QAbstractItemModel *model, const QString &qualifiedName,
                           const QModelIndex &parent = {})
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        if (index.data(ui::DriftHeatmapModel::QualifiedNameRole).toString() == qualifiedName)
            return index;
        const QModelIndex below = findRow(model, qualifiedName, index);
        if (below.isValid())
            return below;
    }
    return {};
}

/// The column of a region in a heatmap model or proxy; -1 when absent.
inline int regionColumn(const QAbstractItemModel *model, const QString &region)
{
    for (int column = ui::DriftHeatmapModel::FirstRegionColumn; column < model->columnCount();
         ++column) {
        if (model->headerData(column, Qt::Horizontal, ui::DriftHeatmapModel::RegionRole).toString()
            == region)
            return column;
    }
    return -1;
}

} // namespace envsync::uitest
