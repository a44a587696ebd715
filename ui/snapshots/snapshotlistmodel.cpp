#include "ui/snapshots/snapshotlistmodel.h"

#include "ui/common/jobformat.h"

#include <QBrush>
#include <QFont>
#include <QPalette>

#include <algorithm>
#include <numeric>

namespace envsync::ui {

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

std::int64_t totalRows(const snapshot::SnapshotInfo &info)
{
    return std::accumulate(info.rowCounts.begin(), info.rowCounts.end(), std::int64_t{0},
                           [](std::int64_t sum, const auto &entry) { return sum + entry.second; });
}

QString localTime(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : QStringLiteral("—");
}

} // namespace

SnapshotListModel::SnapshotListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SnapshotListModel::resetData(std::vector<snapshot::SnapshotInfo> snapshots,
                                  std::map<std::string, std::vector<std::string>> inUse)
{
    beginResetModel();
    m_snapshots = std::move(snapshots);
    std::ranges::sort(m_snapshots, std::greater{}, &snapshot::SnapshotInfo::version);
    m_inUse = std::move(inUse);
    endResetModel();
}

void SnapshotListModel::clear()
{
    resetData({}, {});
}

int SnapshotListModel::rowOf(const QString &name) const
{
    const auto it = std::ranges::find(m_snapshots, name.toStdString(),
                                      &snapshot::SnapshotInfo::name);
    return it == m_snapshots.end() ? -1 : static_cast<int>(it - m_snapshots.begin());
}

int SnapshotListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_snapshots.size());
}

int SnapshotListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SnapshotListModel::inUseText(const snapshot::SnapshotInfo &info) const
{
    const auto it = m_inUse.find(info.name);
    if (it == m_inUse.end())
        return {};
    QStringList regions;
    for (const auto &region : it->second)
        regions << qs(region);
    return regions.join(QStringLiteral(", "));
}

QVariant SnapshotListModel::display(const snapshot::SnapshotInfo &info, int column) const
{
    switch (column) {
    case NameColumn: return qs(info.name);
    case StateColumn: return qs(info.state);
    case SourceAsOfColumn: return localTime(info.sourceAsOf);
    case SizeColumn: return info.sizeBytes > 0 ? jobformat::bytes(info.sizeBytes) : QString();
    case RowsColumn:
        return info.rowCounts.empty() ? QString() : jobformat::count(totalRows(info));
    case RulesHashColumn: return qs(info.rulesHash.substr(0, 12));
    case DurationColumn:
        return info.durationMs > 0
                ? jobformat::duration(static_cast<double>(info.durationMs) / 1000.0)
                : QString();
    case CreatedByColumn: return qs(info.createdBy);
    case InUseColumn: return inUseText(info);
    default: return {};
    }
}

QVariant SnapshotListModel::sortValue(const snapshot::SnapshotInfo &info, int column) const
{
    switch (column) {
    case NameColumn: return info.version;
    case SourceAsOfColumn: return info.sourceAsOf;
    case SizeColumn: return static_cast<qlonglong>(info.sizeBytes);
    case RowsColumn: return static_cast<qlonglong>(totalRows(info));
    case DurationColumn: return static_cast<qlonglong>(info.durationMs);
    default: return display(info, column);
    }
}

QVariant SnapshotListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const snapshot::SnapshotInfo &info = m_snapshots[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return display(info, column);
    case Qt::ToolTipRole:
        if (column == RulesHashColumn)
            return qs(info.rulesHash);
        if (column == SourceAsOfColumn)
            return QStringLiteral("Read from the source at %1 (LSN %2)")
                    .arg(localTime(info.sourceAsOf), qs(info.sourceLsn));
        if (column == InUseColumn && !inUseText(info).isEmpty())
            return QStringLiteral("The last refresh of these regions used %1: prune keeps it")
                    .arg(qs(info.name));
        return {};
    case Qt::TextAlignmentRole:
        if (column == SizeColumn || column == RowsColumn || column == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (column == RulesHashColumn) {
            QFont mono(QStringLiteral("monospace"));
            mono.setStyleHint(QFont::Monospace);
            return mono;
        }
        return {};
    case Qt::ForegroundRole:
        if (info.state != "ready")
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case NameRole: return qs(info.name);
    case StateRole: return qs(info.state);
    case SortRole: return sortValue(info, column);
    default: return {};
    }
}

QVariant SnapshotListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return QStringLiteral("Snapshot");
    case StateColumn: return QStringLiteral("State");
    case SourceAsOfColumn: return QStringLiteral("Source as of");
    case SizeColumn: return QStringLiteral("Size");
    case RowsColumn: return QStringLiteral("Rows");
    case RulesHashColumn: return QStringLiteral("Rules hash");
    case DurationColumn: return QStringLiteral("Duration");
    case CreatedByColumn: return QStringLiteral("Created by");
    case InUseColumn: return QStringLiteral("In use by");
    default: return {};
    }
}

} // namespace envsync::ui
