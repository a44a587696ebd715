#pragma once

#include "core/status/endpointstatus.h"

#include <QAbstractTableModel>

#include <cstddef>
#include <vector>

namespace envsync::ui {

/// One row per endpoint (source, golden, regions…) in config order; fed by StatusController.
/// Rows keep their last values while a re-probe is in flight so the table never blanks out.
class DashboardModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        RoleColumn,
        AddressColumn,
        ReachableColumn,
        VersionColumn,
        SizeColumn,
        LastRefreshColumn,
        AgeColumn,
        SlaColumn,
        FreshnessColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole, ///< numbers for numeric columns (bytes, seconds, severity)
        EndpointIndexRole,       ///< int: index into endpoints()
        EndpointRoleRole,        ///< int: status::EndpointRole
        FreshnessRole,           ///< int: status::Freshness
        ReachableRole,           ///< bool
        PendingRole,             ///< bool: this round's probe has not answered yet
        IconKindRole,            ///< int: StatusIcons::Kind
    };
    Q_ENUM(Role)

    explicit DashboardModel(QObject *parent = nullptr);

    /// A new set of endpoints (a new config): every row pending until its probe answers.
    void resetData(const std::vector<status::EndpointStatus> &endpoints);
    /// One probe answered. Ignored (with false) when index is out of range.
    bool updateEndpoint(std::size_t index, const status::EndpointStatus &endpoint);
    /// A re-probe started: mark every row pending, keep its values.
    void markAllPending();

    [[nodiscard]] const std::vector<status::EndpointStatus> &endpoints() const
    {
        return m_endpoints;
    }
    [[nodiscard]] bool isPending(std::size_t index) const;
    /// True once a probe of any round answered for that row.
    [[nodiscard]] bool wasProbed(std::size_t index) const;
    [[nodiscard]] std::vector<bool> probedFlags() const { return m_probed; }
    [[nodiscard]] int pendingCount() const;
    [[nodiscard]] int reachableCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    [[nodiscard]] QVariant displayData(const status::EndpointStatus &endpoint, int row,
                                       int column) const;
    [[nodiscard]] QVariant sortData(const status::EndpointStatus &endpoint, int row,
                                    int column) const;
    [[nodiscard]] QVariant toolTipData(const status::EndpointStatus &endpoint, int row,
                                       int column) const;

    std::vector<status::EndpointStatus> m_endpoints;
    std::vector<bool> m_pending;
    std::vector<bool> m_probed;
};

} // namespace envsync::ui
