#pragma once

#include "core/snapshot/snapshot.h"

#include <QAbstractTableModel>

#include <map>
#include <string>
#include <vector>

namespace envsync::ui {

/// The snapshot catalogue, newest first: one row per envsync.snapshots row (pruned ones too,
/// greyed), with the regions whose last refresh used it.
class SnapshotListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        StateColumn,
        SourceAsOfColumn,
        SizeColumn,
        RowsColumn,
        RulesHashColumn,
        DurationColumn,
        CreatedByColumn,
        InUseColumn,
        ColumnCount
    };
    enum Role {
        NameRole = Qt::UserRole + 1, ///< "golden_v3"
        StateRole,                   ///< "ready"
        SortRole,                    ///< a value that sorts naturally (numbers, times)
    };

    explicit SnapshotListModel(QObject *parent = nullptr);

    void resetData(std::vector<snapshot::SnapshotInfo> snapshots,
                   std::map<std::string, std::vector<std::string>> inUse);
    void clear();

    [[nodiscard]] const std::vector<snapshot::SnapshotInfo> &snapshots() const
    {
        return m_snapshots;
    }
    /// Row of `name`, -1 when absent.
    [[nodiscard]] int rowOf(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant display(const snapshot::SnapshotInfo &info, int column) const;
    [[nodiscard]] QVariant sortValue(const snapshot::SnapshotInfo &info, int column) const;
    [[nodiscard]] QString inUseText(const snapshot::SnapshotInfo &info) const;

    std::vector<snapshot::SnapshotInfo> m_snapshots; ///< newest first
    std::map<std::string, std::vector<std::string>> m_inUse;
};

} // namespace envsync::ui
