#pragma once

#include "core/cdc/cdcstatus.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace envsync::ui {

/// The regions of the CDC view: state (coloured with the console's status palette), applied
/// position, lag, throughput, conflicts (total; per table and kind in the tooltip) and detail.
class CdcRegionModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Region,
        State,
        AppliedLsn,
        LagBytes,
        LagSeconds,
        ChangesPerSecond,
        Conflicts,
        Detail,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    /// Keeps the rows (and so the selection) when the same regions come back.
    void setRegions(std::vector<cdc::RegionCdcStatus> regions);
    [[nodiscard]] const cdc::RegionCdcStatus *regionAt(int row) const;
    [[nodiscard]] int rowOf(const QString &region) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    /// streaming green, paused/refreshing/reconnecting amber, stopped-with-error red, not
    /// running/stopped grey: the palette's ok/due/overdue/unknown meanings.
    [[nodiscard]] static QColor stateColor(const std::string &state);

private:
    [[nodiscard]] QVariant display(const cdc::RegionCdcStatus &region, int column) const;
    [[nodiscard]] static QString conflictsTooltip(const cdc::RegionCdcStatus &region);

    std::vector<cdc::RegionCdcStatus> m_regions;
};

} // namespace envsync::ui
