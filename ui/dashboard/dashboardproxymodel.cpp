#include "ui/dashboard/dashboardproxymodel.h"

#include "core/status/endpointstatus.h"
#include "ui/dashboard/dashboardmodel.h"

namespace envsync::ui {

DashboardProxyModel::DashboardProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DashboardModel::SortRole);
    setDynamicSortFilter(true);
}

void DashboardProxyModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    invalidateRowsFilter();
}

void DashboardProxyModel::setProblemsOnly(bool problemsOnly)
{
    if (problemsOnly == m_problemsOnly)
        return;
    m_problemsOnly = problemsOnly;
    invalidateRowsFilter();
}

bool DashboardProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(DashboardModel::SortRole);
    const QVariant r = right.data(DashboardModel::SortRole);
    const QPartialOrdering order = QVariant::compare(l, r);
    if (order == QPartialOrdering::Less)
        return true;
    if (order == QPartialOrdering::Greater)
        return false;
    // Stable: ties keep config order (source, golden, regions…).
    return left.row() < right.row();
}

bool DashboardProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (m_problemsOnly) {
        const QModelIndex index = model->index(sourceRow, 0, sourceParent);
        const bool pending = index.data(DashboardModel::PendingRole).toBool();
        const bool reachable = index.data(DashboardModel::ReachableRole).toBool();
        const auto role = static_cast<status::EndpointRole>(
                index.data(DashboardModel::EndpointRoleRole).toInt());
        const auto freshness
                = static_cast<status::Freshness>(index.data(DashboardModel::FreshnessRole).toInt());
        const bool problem = !pending
                             && (!reachable
                                 || (role == status::EndpointRole::Region
                                     && freshness != status::Freshness::Ok));
        if (!problem)
            return false;
    }
    if (m_filterText.isEmpty())
        return true;
    for (int column : {DashboardModel::NameColumn, DashboardModel::RoleColumn,
                       DashboardModel::AddressColumn, DashboardModel::ErrorColumn}) {
        const QString text = model->index(sourceRow, column, sourceParent).data().toString();
        if (text.contains(m_filterText, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace envsync::ui
