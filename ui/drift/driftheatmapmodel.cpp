#include "ui/drift/driftheatmapmodel.h"

#include <QFont>

namespace envsync::ui {

using drift::Difference;

namespace {

constexpr std::size_t maxToolTipLines = 12;

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace

DriftHeatmapModel::DriftHeatmapModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void DriftHeatmapModel::resetData(std::shared_ptr<const drift::DriftReport> report,
                                  const std::vector<std::string> &regions)
{
    beginResetModel();
    m_grid = HeatmapGrid::build(std::move(report), regions);
    endResetModel();
}

void DriftHeatmapModel::clear()
{
    beginResetModel();
    m_grid = HeatmapGrid();
    endResetModel();
}

int DriftHeatmapModel::nodeAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return -1;
    return static_cast<int>(index.internalId());
}

QModelIndex DriftHeatmapModel::indexOfNode(int node, int column) const
{
    if (node < 0 || node >= static_cast<int>(m_grid.nodes().size()) || column < 0
        || column >= columnCount())
        return {};
    return createIndex(m_grid.node(node).row, column, static_cast<quintptr>(node));
}

QModelIndex DriftHeatmapModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const std::vector<int> &siblings = m_grid.childrenOf(nodeAt(parent));
    return indexOfNode(siblings[static_cast<std::size_t>(row)], column);
}

QModelIndex DriftHeatmapModel::parent(const QModelIndex &child) const
{
    const int node = nodeAt(child);
    if (node < 0)
        return {};
    return indexOfNode(m_grid.node(node).parent, ObjectColumn);
}

int DriftHeatmapModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_grid.topLevel().size());
    if (parent.column() != ObjectColumn)
        return 0;
    return static_cast<int>(m_grid.node(nodeAt(parent)).children.size());
}

int DriftHeatmapModel::columnCount(const QModelIndex &parent) const
{
    Q_UNUSED(parent)
    return FirstRegionColumn + m_grid.columnCount();
}

QVariant DriftHeatmapModel::cellData(const QModelIndex &index, int role,
                                     const HeatmapFilter &filter) const
{
    const int node = nodeAt(index);
    const int column = regionColumn(index.column());
    if (node < 0 || column < 0 || column >= m_grid.columnCount())
        return {};
    const HeatmapNode &n = m_grid.node(node);
    const bool aggregate = !n.children.empty();
    const QString error = m_grid.regionError(column);
    switch (role) {
    case Qt::DisplayRole:
        return HeatmapMapping::countText(m_grid.summaryAt(node, column, filter).count);
    case Qt::BackgroundRole:
        if (!error.isEmpty())
            return HeatmapMapping::errorColor();
        return HeatmapMapping::severityColor(m_grid.summaryAt(node, column, filter).worst,
                                             aggregate);
    case Qt::ForegroundRole:
        return HeatmapMapping::textColor(m_grid.summaryAt(node, column, filter).worst, aggregate);
    case Qt::TextAlignmentRole:
        return static_cast<int>(Qt::AlignCenter);
    case Qt::ToolTipRole: {
        const QString where = qs(m_grid.regions()[static_cast<std::size_t>(column)])
                              + QStringLiteral(" · ") + n.qualifiedName();
        if (!error.isEmpty())
            return QString(where + QStringLiteral("\nnot compared: ") + error);
        const auto differences = m_grid.differencesAt(node, column, filter);
        if (differences.empty())
            return QString(where + QStringLiteral("\nno drift"));
        QStringList lines;
        lines << where
                         + QStringLiteral(": %1 difference(s), worst %2")
                                   .arg(differences.size())
                                   .arg(HeatmapMapping::severityText(
                                           HeatmapMapping::worst(differences)));
        for (std::size_t i = 0; i < differences.size() && i < maxToolTipLines; ++i)
            lines << QStringLiteral("• ") + HeatmapMapping::describe(*differences[i]);
        if (differences.size() > maxToolTipLines)
            lines << QStringLiteral("… and %1 more").arg(differences.size() - maxToolTipLines);
        return lines.join(QLatin1Char('\n'));
    }
    case SeverityRole: {
        const auto worst = m_grid.summaryAt(node, column, filter).worst;
        return worst ? static_cast<int>(*worst) : -1;
    }
    case CountRole:
        return m_grid.summaryAt(node, column, filter).count;
    case OwnCountRole:
        return static_cast<int>(m_grid.ownDifferencesAt(node, column, filter).size());
    case AggregateRole:
        return aggregate;
    case RegionRole:
        return qs(m_grid.regions()[static_cast<std::size_t>(column)]);
    case RegionErrorRole:
        return error;
    default:
        return {};
    }
}

QVariant DriftHeatmapModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int node = nodeAt(index);
    const HeatmapNode &n = m_grid.node(node);
    switch (role) {
    case LevelRole:
        return static_cast<int>(n.level);
    case ObjectKindRole:
        return static_cast<int>(n.kind);
    case QualifiedNameRole:
        return n.qualifiedName();
    case NodeRole:
        return node;
    default:
        break;
    }
    if (index.column() >= FirstRegionColumn)
        return cellData(index, role, {});
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == ObjectColumn ? n.label : qs(drift::kindName(n.kind));
    case Qt::ToolTipRole:
        return QString(qs(drift::kindName(n.kind)) + QLatin1Char(' ') + n.qualifiedName());
    case Qt::FontRole:
        if (index.column() == ObjectColumn && n.level != HeatmapNode::Level::Object) {
            QFont font;
            font.setBold(n.level == HeatmapNode::Level::Schema);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == KindColumn)
            return QColor(0x75, 0x75, 0x75);
        return {};
    default:
        return {};
    }
}

QVariant DriftHeatmapModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractItemModel::headerData(section, orientation, role);
    const int column = regionColumn(section);
    switch (role) {
    case Qt::DisplayRole:
        if (section == ObjectColumn)
            return QStringLiteral("Object");
        if (section == KindColumn)
            return QStringLiteral("Kind");
        return QString(qs(m_grid.regions()[static_cast<std::size_t>(column)])
                       + (m_grid.regionError(column).isEmpty() ? QString() : QStringLiteral(" ⚠")));
    case Qt::ToolTipRole:
        if (column >= 0) {
            const QString error = m_grid.regionError(column);
            return error.isEmpty()
                           ? QStringLiteral("Region %1")
                                     .arg(qs(m_grid.regions()[static_cast<std::size_t>(column)]))
                           : error;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column >= 0)
            return static_cast<int>(Qt::AlignCenter);
        return {};
    case RegionRole:
        if (column >= 0)
            return qs(m_grid.regions()[static_cast<std::size_t>(column)]);
        return {};
    default:
        return QAbstractItemModel::headerData(section, orientation, role);
    }
}

} // namespace envsync::ui
