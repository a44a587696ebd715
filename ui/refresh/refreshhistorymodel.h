#pragma once

#include "core/db/controldb.h"

#include <QAbstractTableModel>

#include <vector>

namespace envsync::ui {

/// One region's refresh history (envsync.refresh_log), newest first: when, which snapshot,
/// how long, how many rows, who, and how it ended.
class RefreshHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        StartedColumn,
        ResultColumn,
        SnapshotColumn,
        DurationColumn,
        RowsColumn,
        SourceAsOfColumn,
        ActorColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role {
        ResultRole = Qt::UserRole + 1, ///< QString: running | success | failed | cancelled | rolled_back
        SnapshotRole,
    };

    explicit RefreshHistoryModel(QObject *parent = nullptr);

    void resetData(const std::vector<db::RefreshRecord> &history);
    void clear();
    [[nodiscard]] const std::vector<db::RefreshRecord> &history() const { return m_history; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] static QVariant display(const db::RefreshRecord &record, int column);

    std::vector<db::RefreshRecord> m_history;
};

} // namespace envsync::ui
