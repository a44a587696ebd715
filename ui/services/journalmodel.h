#pragma once

#include "core/virt/requestjournal.h"

#include <QAbstractTableModel>

#include <deque>
#include <vector>

namespace envsync::ui {

/// The request journal of one service, newest first: time, method, path, matched or not,
/// status, latency. Appending keeps the rows already shown (and their selection) in place
/// below the new ones; at most `limit` rows.
class JournalModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Method, Path, Result, Status, Latency, ColumnCount };
    /// On every column: true for a request no mapping matched.
    static constexpr int UnmatchedRole = Qt::UserRole + 1;

    explicit JournalModel(std::size_t limit, QObject *parent = nullptr);

    /// Replaces the rows (oldest first in `entries`).
    void setEntries(const std::deque<virt::JournalEntry> &entries);
    /// Adds the last `count` of `entries` (oldest first) on top.
    void appendNewest(const std::deque<virt::JournalEntry> &entries, qsizetype count);
    [[nodiscard]] const virt::JournalEntry *entryAt(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

private:
    std::size_t m_limit;
    std::deque<virt::JournalEntry> m_rows; ///< newest first
};

} // namespace envsync::ui
