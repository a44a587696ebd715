#pragma once

#include "ui/services/serviceinfo.h"

#include <QList>
#include <QStandardItemModel>
#include <QString>
#include <QStringList>

namespace envsync::ui {

/// Regions and their services for the Services view: a region row (its services serving /
/// recording / failed at a glance) with one child row per service — state, address, golden
/// version served, mappings, requests and unmatched requests. Services without a region sit
/// under "(no region)". Rows stay put when a state changes, so the selection does too.
class ServicesTreeModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Column { Name, State, Address, Version, Mappings, Requests, Unmatched, ColumnCount };
    /// On column 0: the service's name (service rows) or the region's (region rows).
    static constexpr int ServiceRole = Qt::UserRole + 1;
    static constexpr int RegionRole = Qt::UserRole + 2;

    explicit ServicesTreeModel(QObject *parent = nullptr);

    /// Rebuilds the tree; `regionOrder` lists the config's regions first, in config order.
    void setServices(const QList<ServiceInfo> &services, const QStringList &regionOrder);
    /// Updates the row of `info.name` in place.
    void updateService(const ServiceInfo &info);

    [[nodiscard]] QModelIndex indexOfService(const QString &name) const;
    [[nodiscard]] QModelIndex indexOfRegion(const QString &region) const;
    /// The label of the region row of services without a region.
    [[nodiscard]] static QString noRegionLabel();

private:
    void fillServiceRow(QStandardItem *nameItem, const ServiceInfo &info);
    void updateRegionRow(QStandardItem *regionItem);

    QList<ServiceInfo> m_services;
};

} // namespace envsync::ui
