#pragma once

#include "core/env/environments.h"

#include <QAbstractTableModel>
#include <QDateTime>

#include <vector>

namespace envsync::ui {

/// The ephemeral environments with a live TTL countdown: the view moves the model's clock
/// (setNow) once a second and only the countdown column changes.
class EnvironmentsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ExpiresInColumn,
        SnapshotColumn,
        OwnerColumn,
        ExpiresAtColumn,
        CreatedColumn,
        CreatedByColumn,
        ConnectColumn,
        ColumnCount
    };
    enum Role {
        NameRole = Qt::UserRole + 1,
        SecondsLeftRole, ///< qint64; <= 0 once expired
        ExpiredRole,
    };

    explicit EnvironmentsModel(QObject *parent = nullptr);

    void resetData(const std::vector<env::EnvironmentInfo> &environments);
    void clear();
    /// The countdown's clock (UTC); emits dataChanged for the countdown column.
    void setNow(const QDateTime &nowUtc);
    [[nodiscard]] const std::vector<env::EnvironmentInfo> &environments() const
    {
        return m_environments;
    }
    /// The row of an environment; -1 when absent.
    [[nodiscard]] int rowOf(const QString &name) const;

    /// "3 h 59 min 58 s", "42 s", "expired".
    [[nodiscard]] static QString countdown(qint64 secondsLeft);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] qint64 secondsLeft(const env::EnvironmentInfo &info) const;
    [[nodiscard]] QVariant display(const env::EnvironmentInfo &info, int column) const;

    std::vector<env::EnvironmentInfo> m_environments;
    QDateTime m_now;
};

} // namespace envsync::ui
