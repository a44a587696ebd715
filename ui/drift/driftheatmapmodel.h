#pragma once

#include "ui/drift/heatmapmapping.h"

#include <QAbstractItemModel>

#include <memory>
#include <string>
#include <vector>

namespace envsync::ui {

/// The drift heatmap as a tree: schema › table-level object › table object rows, an Object and
/// a Kind column, then one column per region. Region cells carry the count and worst severity
/// of the differences under the row (HeatmapGrid does the arithmetic; HeatmapDelegate paints).
/// Fed with resetData() when a drift check finishes; never touches a database.
class DriftHeatmapModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { ObjectColumn, KindColumn, FirstRegionColumn };

    enum Role {
        SeverityRole = Qt::UserRole, ///< int: worst drift::Severity of the cell; -1 for none
        CountRole,                   ///< int: differences in the cell (descendants included)
        OwnCountRole,                ///< int: differences on the row's own object only
        AggregateRole,               ///< bool: a group row (its cells sum its children)
        LevelRole,                   ///< int: HeatmapNode::Level
        ObjectKindRole,              ///< int: drift::ObjectKind of the row
        QualifiedNameRole,           ///< QString: "public.customers.email"
        RegionRole,                  ///< QString: the region of a region column
        RegionErrorRole,             ///< QString: why the region could not be read; else empty
        NodeRole,                    ///< int: index into grid().nodes()
    };
    Q_ENUM(Role)

    explicit DriftHeatmapModel(QObject *parent = nullptr);

    /// A finished check: columns are `regions` (config order), rows what drifted.
    void resetData(std::shared_ptr<const drift::DriftReport> report,
                   const std::vector<std::string> &regions);
    /// Nothing checked (a new config, a failed check).
    void clear();

    [[nodiscard]] const HeatmapGrid &grid() const { return m_grid; }
    [[nodiscard]] const std::shared_ptr<const drift::DriftReport> &report() const
    {
        return m_grid.report();
    }
    /// -1 for invalid indexes.
    [[nodiscard]] int nodeAt(const QModelIndex &index) const;
    /// -1 for the Object and Kind columns.
    [[nodiscard]] static int regionColumn(int modelColumn)
    {
        return modelColumn - FirstRegionColumn;
    }
    /// The row of a grid node (column 0).
    [[nodiscard]] QModelIndex indexOfNode(int node, int column = ObjectColumn) const;

    /// data() of a region cell for a filter: the proxy asks with its own, data() with none.
    [[nodiscard]] QVariant cellData(const QModelIndex &index, int role,
                                    const HeatmapFilter &filter) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    HeatmapGrid m_grid;
};

} // namespace envsync::ui
