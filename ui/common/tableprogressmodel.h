#pragma once

#include "core/job/progress.h"

#include <QAbstractTableModel>

#include <vector>

namespace envsync::ui {

/// The per-table rows of a running copy: progress, rows, bytes, rate, ETA. Updated in place
/// (dataChanged) while the table list stays the same, so selection and scrolling survive the
/// several updates a second.
class TableProgressModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TableColumn,
        ProgressColumn,
        RowsColumn,
        BytesColumn,
        RateColumn,
        EtaColumn,
        ModeColumn,
        ColumnCount
    };
    enum Role {
        PercentRole = Qt::UserRole + 1, ///< 0..100, -1 when unknown (no estimate yet)
        DoneRole,
        StartedRole,
    };

    explicit TableProgressModel(QObject *parent = nullptr);

    void update(const std::vector<job::TableProgress> &tables);
    void clear();
    [[nodiscard]] const std::vector<job::TableProgress> &tables() const { return m_tables; }
    [[nodiscard]] int doneCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// 0..100 of one table (-1: unknown); done tables are 100.
    [[nodiscard]] static int percent(const job::TableProgress &table);

private:
    [[nodiscard]] QVariant display(const job::TableProgress &table, int column) const;

    std::vector<job::TableProgress> m_tables;
};

} // namespace envsync::ui
