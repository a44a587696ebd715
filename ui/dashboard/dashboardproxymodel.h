#pragma once

#include <QSortFilterProxyModel>

namespace envsync::ui {

/// Sorts the dashboard by DashboardModel::SortRole (bytes, seconds, severity rather than the
/// display text) and filters by text and "problems only".
class DashboardProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit DashboardProxyModel(QObject *parent = nullptr);

    /// Case-insensitive substring over name, role, address and error.
    void setFilterText(const QString &text);
    [[nodiscard]] QString filterText() const { return m_filterText; }
    /// Only unreachable endpoints and regions that are due, overdue or of unknown freshness.
    void setProblemsOnly(bool problemsOnly);
    [[nodiscard]] bool problemsOnly() const { return m_problemsOnly; }

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filterText;
    bool m_problemsOnly = false;
};

} // namespace envsync::ui
