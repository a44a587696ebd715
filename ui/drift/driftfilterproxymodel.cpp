#include "ui/drift/driftfilterproxymodel.h"

#include "ui/drift/driftheatmapmodel.h"

namespace envsync::ui {

namespace {

/// Roles whose value depends on which differences are counted.
bool isCellRole(int role)
{
    switch (role) {
    case Qt::DisplayRole:
    case Qt::BackgroundRole:
    case Qt::ForegroundRole:
    case Qt::ToolTipRole:
    case DriftHeatmapModel::SeverityRole:
    case DriftHeatmapModel::CountRole:
    case DriftHeatmapModel::OwnCountRole:
        return true;
    default:
        return false;
    }
}

} // namespace

DriftFilterProxyModel::DriftFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // The heatmap keeps the tree order (schema, then name); no sorting.
    setDynamicSortFilter(true);
}

void DriftFilterProxyModel::setSourceModel(QAbstractItemModel *sourceModel)
{
    m_model = qobject_cast<DriftHeatmapModel *>(sourceModel);
    Q_ASSERT_X(!sourceModel || m_model, "DriftFilterProxyModel", "needs a DriftHeatmapModel");
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void DriftFilterProxyModel::setFilter(const HeatmapFilter &filter)
{
    if (filter.minimum == m_filter.minimum && filter.schema == m_filter.schema
        && filter.kind == m_filter.kind)
        return;
    m_filter = filter;
    invalidateRowsFilter();
    refreshCells();
}

void DriftFilterProxyModel::setMinimumSeverity(drift::Severity minimum)
{
    HeatmapFilter filter = m_filter;
    filter.minimum = minimum;
    setFilter(filter);
}

void DriftFilterProxyModel::setSchema(const QString &schema)
{
    HeatmapFilter filter = m_filter;
    filter.schema = schema.isEmpty() ? std::nullopt : std::optional(schema.toStdString());
    setFilter(filter);
}

void DriftFilterProxyModel::setKind(std::optional<drift::ObjectKind> kind)
{
    HeatmapFilter filter = m_filter;
    filter.kind = kind;
    setFilter(filter);
}

void DriftFilterProxyModel::refreshCells()
{
    const int columns = columnCount();
    if (columns <= DriftHeatmapModel::FirstRegionColumn)
        return;
    std::vector<QModelIndex> parents{QModelIndex()};
    while (!parents.empty()) {
        const QModelIndex parent = parents.back();
        parents.pop_back();
        const int rows = rowCount(parent);
        if (rows == 0)
            continue;
        emit dataChanged(index(0, DriftHeatmapModel::FirstRegionColumn, parent),
                         index(rows - 1, columns - 1, parent));
        for (int row = 0; row < rows; ++row)
            parents.push_back(index(row, 0, parent));
    }
}

std::vector<const drift::Difference *>
DriftFilterProxyModel::differencesAt(const QModelIndex &index) const
{
    if (!m_model || !index.isValid() || index.model() != this)
        return {};
    const QModelIndex source = mapToSource(index);
    return m_model->grid().differencesAt(
            m_model->nodeAt(source), DriftHeatmapModel::regionColumn(source.column()), m_filter);
}

QVariant DriftFilterProxyModel::data(const QModelIndex &index, int role) const
{
    if (m_model && index.isValid() && index.column() >= DriftHeatmapModel::FirstRegionColumn
        && isCellRole(role))
        return m_model->cellData(mapToSource(index), role, m_filter);
    return QSortFilterProxyModel::data(index, role);
}

bool DriftFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_model)
        return true;
    const int node = m_model->nodeAt(m_model->index(sourceRow, 0, sourceParent));
    return m_model->grid().hasDifferences(node, m_filter);
}

} // namespace envsync::ui
