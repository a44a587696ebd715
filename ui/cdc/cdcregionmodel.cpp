#include "ui/cdc/cdcregionmodel.h"

#include "ui/cdc/cdchistory.h"
#include "ui/common/statuspalette.h"

#include <QLocale>

#include <numeric>

namespace envsync::ui {

namespace {

std::int64_t conflictTotal(const cdc::RegionCdcStatus &region)
{
    return std::accumulate(region.conflicts.begin(), region.conflicts.end(), std::int64_t{0},
                           [](std::int64_t sum, const auto &entry) { return sum + entry.second; });
}

QString seconds(double value)
{
    return QLocale().toString(value, 'f', value < 10 ? 1 : 0) + QStringLiteral(" s");
}

} // namespace

QColor CdcRegionModel::stateColor(const std::string &state)
{
    using status::Freshness;
    if (state == "streaming")
        return StatusPalette::freshnessColor(Freshness::Ok);
    if (state == "paused" || state == "refreshing" || state == "reconnecting"
        || state == "needs-refresh")
        return StatusPalette::freshnessColor(Freshness::Due);
    if (state == "stopped-with-error" || state == "error")
        return StatusPalette::freshnessColor(Freshness::Overdue);
    return StatusPalette::freshnessColor(Freshness::Unknown);
}

void CdcRegionModel::setRegions(std::vector<cdc::RegionCdcStatus> regions)
{
    const bool sameRows
            = regions.size() == m_regions.size()
              && std::equal(regions.begin(), regions.end(), m_regions.begin(),
                            [](const auto &a, const auto &b) { return a.region == b.region; });
    if (!sameRows) {
        beginResetModel();
        m_regions = std::move(regions);
        endResetModel();
        return;
    }
    m_regions = std::move(regions);
    if (!m_regions.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const cdc::RegionCdcStatus *CdcRegionModel::regionAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return &m_regions[static_cast<std::size_t>(row)];
}

int CdcRegionModel::rowOf(const QString &region) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (QString::fromStdString(m_regions[static_cast<std::size_t>(row)].region) == region)
            return row;
    }
    return -1;
}

int CdcRegionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_regions.size());
}

int CdcRegionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CdcRegionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Region:
        return QStringLiteral("Region");
    case State:
        return QStringLiteral("State");
    case AppliedLsn:
        return QStringLiteral("Applied LSN");
    case LagBytes:
        return QStringLiteral("Lag (bytes)");
    case LagSeconds:
        return QStringLiteral("Lag (s)");
    case ChangesPerSecond:
        return QStringLiteral("Changes/s");
    case Conflicts:
        return QStringLiteral("Conflicts");
    case Detail:
        return QStringLiteral("Detail");
    default:
        return {};
    }
}

QVariant CdcRegionModel::display(const cdc::RegionCdcStatus &region, int column) const
{
    const QLocale locale;
    switch (column) {
    case Region:
        return QString::fromStdString(region.region);
    case State:
        return QString::fromStdString(region.state);
    case AppliedLsn:
        return region.appliedLsn.empty() ? QStringLiteral("—")
                                         : QString::fromStdString(region.appliedLsn);
    case LagBytes:
        return region.lagBytes < 0 ? QStringLiteral("—") : locale.toString(region.lagBytes);
    case LagSeconds:
        // A stopped region's last published lag says nothing about its data now.
        return region.lagSeconds < 0 || !CdcHistory::charted(region) ? QStringLiteral("—")
                                                                     : seconds(region.lagSeconds);
    case ChangesPerSecond:
        return locale.toString(region.changesPerSecond, 'f', 1);
    case Conflicts:
        return locale.toString(conflictTotal(region));
    case Detail:
        return QString::fromStdString(region.detail);
    default:
        return {};
    }
}

QString CdcRegionModel::conflictsTooltip(const cdc::RegionCdcStatus &region)
{
    if (region.conflicts.empty())
        return QStringLiteral("No conflicts with the region's own rows");
    QStringList lines;
    for (const auto &[tableKind, count] : region.conflicts)
        lines << QStringLiteral("%1: %2").arg(QString::fromStdString(tableKind),
                                              QLocale().toString(count));
    return lines.join(u'\n');
}

QVariant CdcRegionModel::data(const QModelIndex &index, int role) const
{
    const cdc::RegionCdcStatus *region = regionAt(index.row());
    if (!region || !index.isValid())
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(*region, column);
    case Qt::ForegroundRole:
        if (column == State)
            return stateColor(region->state);
        return {};
    case Qt::DecorationRole:
        if (column == State)
            return stateColor(region->state);
        return {};
    case Qt::ToolTipRole:
        if (column == Conflicts)
            return conflictsTooltip(*region);
        if (column == Detail && !region->detail.empty())
            return QString::fromStdString(region->detail);
        if (column == State && region->updatedAt.isValid())
            return QStringLiteral("cdc run last reported %1 UTC")
                    .arg(region->updatedAt.toUTC().toString(QStringLiteral("HH:mm:ss")));
        return {};
    case Qt::TextAlignmentRole:
        if (column == LagBytes || column == LagSeconds || column == ChangesPerSecond
            || column == Conflicts)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

} // namespace envsync::ui
