#include "ui/dashboard/regiontreemodel.h"

#include "core/status/statusformat.h"
#include "ui/common/statusicons.h"
#include "ui/common/statuspalette.h"

#include <map>

namespace envsync::ui {

using status::EndpointRole;
using status::EndpointStatus;

RegionTreeModel::RegionTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void RegionTreeModel::resetData(const std::vector<EndpointStatus> &endpoints)
{
    beginResetModel();
    m_endpoints = endpoints;
    m_pending.assign(endpoints.size(), true);
    m_nodes.clear();
    m_topLevel.clear();
    m_nodeOfEndpoint.assign(endpoints.size(), -1);

    auto addNode = [this](QString label, int endpoint, int parent) {
        Node node;
        node.label = std::move(label);
        node.endpoint = endpoint;
        node.parent = parent;
        const int id = static_cast<int>(m_nodes.size());
        if (parent < 0) {
            node.row = static_cast<int>(m_topLevel.size());
            m_topLevel.push_back(id);
        } else {
            node.row = static_cast<int>(m_nodes[static_cast<std::size_t>(parent)].children.size());
            m_nodes[static_cast<std::size_t>(parent)].children.push_back(id);
        }
        m_nodes.push_back(std::move(node));
        if (endpoint >= 0)
            m_nodeOfEndpoint[static_cast<std::size_t>(endpoint)] = id;
        return id;
    };

    int regionsGroup = -1;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
        const EndpointStatus &endpoint = endpoints[i];
        const int endpointIndex = static_cast<int>(i);
        switch (endpoint.role) {
        case EndpointRole::Source:
            addNode(QStringLiteral("Source · ") + QString::fromStdString(endpoint.name),
                    endpointIndex, -1);
            break;
        case EndpointRole::Golden:
            addNode(QStringLiteral("Golden"), endpointIndex, -1);
            break;
        case EndpointRole::Region:
            if (regionsGroup < 0)
                regionsGroup = addNode(QStringLiteral("Regions"), -1, -1);
            addNode(QString::fromStdString(endpoint.name), endpointIndex, regionsGroup);
            break;
        }
    }
    endResetModel();
}

bool RegionTreeModel::updateEndpoint(std::size_t index, const EndpointStatus &endpoint)
{
    if (index >= m_endpoints.size())
        return false;
    m_endpoints[index] = endpoint;
    m_pending[index] = false;
    emitNodeChanged(m_nodeOfEndpoint[index]);
    return true;
}

void RegionTreeModel::markAllPending()
{
    std::fill(m_pending.begin(), m_pending.end(), true);
    for (std::size_t node = 0; node < m_nodes.size(); ++node) {
        const QModelIndex first = indexOfNode(static_cast<int>(node), 0);
        emit dataChanged(first, first.siblingAtColumn(StatusColumn));
    }
}

void RegionTreeModel::emitNodeChanged(int node)
{
    while (node >= 0) {
        const QModelIndex first = indexOfNode(node, 0);
        emit dataChanged(first, first.siblingAtColumn(StatusColumn));
        node = m_nodes[static_cast<std::size_t>(node)].parent; // groups summarise children
    }
}

QModelIndex RegionTreeModel::indexForEndpoint(std::size_t endpoint) const
{
    if (endpoint >= m_nodeOfEndpoint.size())
        return {};
    return indexOfNode(m_nodeOfEndpoint[endpoint], 0);
}

int RegionTreeModel::endpointAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return -1;
    return m_nodes[static_cast<std::size_t>(index.internalId())].endpoint;
}

QModelIndex RegionTreeModel::indexOfNode(int node, int column) const
{
    if (node < 0 || static_cast<std::size_t>(node) >= m_nodes.size())
        return {};
    return createIndex(m_nodes[static_cast<std::size_t>(node)].row, column,
                       static_cast<quintptr>(node));
}

QModelIndex RegionTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return indexOfNode(m_topLevel[static_cast<std::size_t>(row)], column);
    const Node &parentNode = m_nodes[static_cast<std::size_t>(parent.internalId())];
    return indexOfNode(parentNode.children[static_cast<std::size_t>(row)], column);
}

QModelIndex RegionTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node &node = m_nodes[static_cast<std::size_t>(child.internalId())];
    return indexOfNode(node.parent, 0);
}

int RegionTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_topLevel.size());
    if (parent.column() != 0)
        return 0;
    return static_cast<int>(m_nodes[static_cast<std::size_t>(parent.internalId())].children.size());
}

int RegionTreeModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

int RegionTreeModel::kindOf(const Node &node) const
{
    if (node.endpoint >= 0) {
        const auto i = static_cast<std::size_t>(node.endpoint);
        return static_cast<int>(StatusIcons::kindFor(m_endpoints[i], m_pending[i]));
    }
    if (node.children.empty())
        return static_cast<int>(StatusIcons::Kind::Unknown);
    auto worst = static_cast<StatusIcons::Kind>(
            kindOf(m_nodes[static_cast<std::size_t>(node.children.front())]));
    for (int child : node.children) {
        worst = StatusIcons::worse(worst, static_cast<StatusIcons::Kind>(kindOf(
                                                  m_nodes[static_cast<std::size_t>(child)])));
    }
    return static_cast<int>(worst);
}

QString RegionTreeModel::statusText(const Node &node) const
{
    if (node.endpoint < 0) {
        // "2 ok, 1 overdue" in a fixed order of concern.
        std::map<int, int> counts;
        for (int child : node.children)
            ++counts[kindOf(m_nodes[static_cast<std::size_t>(child)])];
        QStringList parts;
        for (auto kind :
             {StatusIcons::Kind::Unreachable, StatusIcons::Kind::Overdue, StatusIcons::Kind::Due,
              StatusIcons::Kind::Unknown, StatusIcons::Kind::Pending, StatusIcons::Kind::Ok,
              StatusIcons::Kind::Reachable}) {
            if (const auto it = counts.find(static_cast<int>(kind)); it != counts.end())
                parts << QStringLiteral("%1 %2").arg(it->second).arg(StatusIcons::describe(kind));
        }
        return parts.join(QStringLiteral(", "));
    }
    const auto i = static_cast<std::size_t>(node.endpoint);
    const EndpointStatus &endpoint = m_endpoints[i];
    const auto kind = StatusIcons::kindFor(endpoint, m_pending[i]);
    switch (kind) {
    case StatusIcons::Kind::Pending:
        return QStringLiteral("probing…");
    case StatusIcons::Kind::Unreachable:
        return QStringLiteral("unreachable");
    case StatusIcons::Kind::Reachable:
        return QStringLiteral("reachable");
    default:
        break;
    }
    QString text = StatusPalette::freshnessText(endpoint.freshness);
    if (endpoint.age)
        text += QStringLiteral(" · ")
                + QString::fromStdString(status::humanDuration(*endpoint.age));
    if (endpoint.age && endpoint.freshnessSource == status::FreshnessSource::Cdc)
        text += QStringLiteral(" · CDC"); // the age is the stream's lag
    return text;
}

QString RegionTreeModel::toolTip(const Node &node) const
{
    if (node.endpoint < 0)
        return node.label + QStringLiteral(": ") + statusText(node);
    const EndpointStatus &endpoint = m_endpoints[static_cast<std::size_t>(node.endpoint)];
    QString text = StatusPalette::roleText(endpoint.role) + QStringLiteral(" ")
                   + QString::fromStdString(endpoint.name) + QStringLiteral(" — ")
                   + statusText(node);
    if (!endpoint.address.empty())
        text += QStringLiteral("\n") + QString::fromStdString(endpoint.address);
    if (endpoint.sla)
        text += QStringLiteral("\nFreshness SLA ")
                + QString::fromStdString(status::humanDuration(*endpoint.sla));
    if (endpoint.error)
        text += QStringLiteral("\n") + QString::fromStdString(*endpoint.error);
    return text;
}

QVariant RegionTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node &node = m_nodes[static_cast<std::size_t>(index.internalId())];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? node.label : statusText(node);
    case Qt::DecorationRole:
        if (index.column() == NameColumn)
            return StatusIcons::icon(static_cast<StatusIcons::Kind>(kindOf(node)));
        return {};
    case Qt::ToolTipRole:
        return toolTip(node);
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn)
            return StatusIcons::colorFor(static_cast<StatusIcons::Kind>(kindOf(node))).darker(115);
        return {};
    case EndpointIndexRole:
        return node.endpoint;
    case IconKindRole:
        return kindOf(node);
    default:
        return {};
    }
}

QVariant RegionTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        if (section == NameColumn)
            return QStringLiteral("Endpoint");
        if (section == StatusColumn)
            return QStringLiteral("Status");
    }
    return QAbstractItemModel::headerData(section, orientation, role);
}

} // namespace envsync::ui
