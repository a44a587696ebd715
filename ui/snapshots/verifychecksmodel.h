#pragma once

#include "core/snapshot/snapshot.h"

#include <QAbstractTableModel>

namespace envsync::ui {

/// The checks of one snapshot verify (row counts and hashes, foreign keys, masked-value leaks),
/// failures first.
class VerifyChecksModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ResultColumn, CheckColumn, ObjectColumn, DetailColumn, ColumnCount };
    enum Role { OkRole = Qt::UserRole + 1 };

    explicit VerifyChecksModel(QObject *parent = nullptr);

    void resetData(const snapshot::VerifyReport &report);
    void clear();
    [[nodiscard]] const snapshot::VerifyReport &report() const { return m_report; }
    [[nodiscard]] int failedCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    snapshot::VerifyReport m_report;
};

} // namespace envsync::ui
