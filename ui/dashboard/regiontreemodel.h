#pragma once

#include "core/status/endpointstatus.h"

#include <QAbstractItemModel>

#include <cstddef>
#include <vector>

namespace envsync::ui {

/// The navigation tree: Source, Golden and Regions › eu / us / apac, each with a status icon
/// (probing, unreachable, or the region's freshness colour) and a short status text.
class RegionTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, StatusColumn, ColumnCount };
    enum Role {
        EndpointIndexRole = Qt::UserRole, ///< int: index into the endpoints; -1 for groups
        IconKindRole,                     ///< int: StatusIcons::Kind (groups: the worst child)
    };
    Q_ENUM(Role)

    explicit RegionTreeModel(QObject *parent = nullptr);

    /// A new config: every endpoint pending.
    void resetData(const std::vector<status::EndpointStatus> &endpoints);
    bool updateEndpoint(std::size_t index, const status::EndpointStatus &endpoint);
    void markAllPending();

    /// The tree row of an endpoint (column 0); invalid when out of range.
    [[nodiscard]] QModelIndex indexForEndpoint(std::size_t endpoint) const;
    /// -1 for group rows and invalid indexes.
    [[nodiscard]] int endpointAt(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString label;
        int endpoint = -1; ///< -1: group
        int parent = -1;   ///< node index; -1: top level
        int row = 0;       ///< row under its parent
        std::vector<int> children;
    };

    [[nodiscard]] int kindOf(const Node &node) const;
    [[nodiscard]] QString statusText(const Node &node) const;
    [[nodiscard]] QString toolTip(const Node &node) const;
    [[nodiscard]] QModelIndex indexOfNode(int node, int column) const;
    void emitNodeChanged(int node);

    std::vector<status::EndpointStatus> m_endpoints;
    std::vector<bool> m_pending;
    std::vector<Node> m_nodes;
    std::vector<int> m_topLevel; ///< node indexes in display order
    std::vector<int> m_nodeOfEndpoint;
};

} // namespace envsync::ui
