#include "ui/services/servicestreemodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

namespace envsync::ui {

namespace {

QColor stateColor(ServiceInfo::State state)
{
    switch (state) {
    case ServiceInfo::State::Serving:
        return QColor(0x2e, 0x7d, 0x32); // green
    case ServiceInfo::State::Recording:
        return QColor(0xc6, 0x28, 0x28); // red, like a recording light
    case ServiceInfo::State::Failed:
        return QColor(0xb7, 0x1c, 0x1c);
    case ServiceInfo::State::Starting:
    case ServiceInfo::State::Stopping:
        return QColor(0x15, 0x65, 0xc0); // blue: in flight
    case ServiceInfo::State::Stopped:
        break;
    }
    return QColor(0x61, 0x61, 0x61);
}

QString stateText(const ServiceInfo &info)
{
    QString state = serviceStateText(info.state);
    if (info.state == ServiceInfo::State::Recording)
        state += QStringLiteral(" (%1 recorded%2)")
                         .arg(info.recorded)
                         .arg(info.refused > 0 ? QStringLiteral(", %1 refused").arg(info.refused)
                                               : QString());
    if (info.state == ServiceInfo::State::Failed && !info.error.isEmpty())
        state += QStringLiteral(": ") + info.error;
    return state;
}

QStandardItem *readOnly(const QString &text = {})
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    return item;
}

QString count(std::uint64_t value)
{
    return QLocale().toString(qulonglong(value));
}

} // namespace

ServicesTreeModel::ServicesTreeModel(QObject *parent)
    : QStandardItemModel(parent)
{
    setHorizontalHeaderLabels({QStringLiteral("Service"), QStringLiteral("State"),
                               QStringLiteral("Address"), QStringLiteral("Version"),
                               QStringLiteral("Mappings"), QStringLiteral("Requests"),
                               QStringLiteral("Unmatched")});
}

QString ServicesTreeModel::noRegionLabel()
{
    return QStringLiteral("(no region)");
}

void ServicesTreeModel::setServices(const QList<ServiceInfo> &services,
                                    const QStringList &regionOrder)
{
    removeRows(0, rowCount());
    m_services = services;
    QStringList regions;
    for (const QString &region : regionOrder)
        for (const ServiceInfo &info : services)
            if (info.region == region && !regions.contains(region))
                regions << region;
    for (const ServiceInfo &info : services)
        if (!regions.contains(info.region))
            regions << info.region;
    for (const QString &region : regions) {
        QList<QStandardItem *> regionRow;
        auto *regionItem = readOnly(region.isEmpty() ? noRegionLabel() : region);
        regionItem->setData(region, RegionRole);
        QFont bold = regionItem->font();
        bold.setBold(true);
        regionItem->setFont(bold);
        regionRow << regionItem;
        for (int column = 1; column < ColumnCount; ++column)
            regionRow << readOnly();
        appendRow(regionRow);
        for (const ServiceInfo &info : services) {
            if (info.region != region)
                continue;
            QList<QStandardItem *> row;
            for (int column = 0; column < ColumnCount; ++column)
                row << readOnly();
            regionItem->appendRow(row);
            fillServiceRow(row.front(), info);
        }
        updateRegionRow(regionItem);
    }
}

void ServicesTreeModel::updateService(const ServiceInfo &info)
{
    for (ServiceInfo &known : m_services)
        if (known.name == info.name)
            known = info;
    const QModelIndex index = indexOfService(info.name);
    if (!index.isValid())
        return;
    fillServiceRow(itemFromIndex(index), info);
    updateRegionRow(itemFromIndex(index.parent()));
}

void ServicesTreeModel::fillServiceRow(QStandardItem *nameItem, const ServiceInfo &info)
{
    QStandardItem *parent = nameItem->parent();
    const int row = nameItem->row();
    const auto cell = [&](int column) {
        return parent->child(row, column);
    };
    nameItem->setText(info.name);
    nameItem->setData(info.name, ServiceRole);
    nameItem->setToolTip(info.upstream.isEmpty() ? info.mappingsDir
                                                 : QStringLiteral("upstream %1\nmappings %2")
                                                           .arg(info.upstream, info.mappingsDir));
    QStandardItem *state = cell(State);
    state->setText(stateText(info));
    state->setForeground(QBrush(stateColor(info.state)));
    state->setToolTip(info.state == ServiceInfo::State::Failed ? info.error : info.warning);
    cell(Address)->setText(info.address.isEmpty() ? info.listen : info.address);
    cell(Address)->setForeground(info.isRunning() ? QBrush() : QBrush(QColor(0x9e, 0x9e, 0x9e)));
    QString version = info.version;
    if (version.isEmpty() && !info.root.isEmpty())
        version = QStringLiteral("plain root");
    if (!info.warning.isEmpty())
        version += QStringLiteral(" ⚠");
    cell(Version)->setText(version);
    cell(Version)->setToolTip(info.warning.isEmpty() ? info.root
                                                     : info.warning + u'\n' + info.root);
    cell(Mappings)->setText(info.mappings < 0 ? QString() : count(std::uint64_t(info.mappings)));
    cell(Requests)->setText(info.state == ServiceInfo::State::Recording
                                    ? count(std::uint64_t(info.recorded + info.refused))
                                    : count(info.requests));
    cell(Unmatched)->setText(count(info.unmatched));
    cell(Unmatched)->setForeground(
            info.unmatched > 0 ? QBrush(stateColor(ServiceInfo::State::Failed)) : QBrush());
    for (int column : {Mappings, Requests, Unmatched})
        cell(column)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

void ServicesTreeModel::updateRegionRow(QStandardItem *regionItem)
{
    if (!regionItem)
        return;
    int total = 0;
    int serving = 0;
    int recording = 0;
    int failed = 0;
    std::uint64_t requests = 0;
    std::uint64_t unmatched = 0;
    for (const ServiceInfo &info : m_services) {
        if (info.region != regionItem->data(RegionRole).toString())
            continue;
        ++total;
        serving += info.state == ServiceInfo::State::Serving ? 1 : 0;
        recording += info.state == ServiceInfo::State::Recording ? 1 : 0;
        failed += info.state == ServiceInfo::State::Failed ? 1 : 0;
        requests += info.requests;
        unmatched += info.unmatched;
    }
    QStringList parts{QStringLiteral("%1 of %2 serving").arg(serving).arg(total)};
    if (recording > 0)
        parts << QStringLiteral("%1 recording").arg(recording);
    if (failed > 0)
        parts << QStringLiteral("%1 failed").arg(failed);
    const int row = regionItem->row();
    QStandardItem *state = item(row, State);
    state->setText(parts.join(QStringLiteral(", ")));
    state->setForeground(QBrush(QColor(0x61, 0x61, 0x61)));
    item(row, Requests)->setText(count(requests));
    item(row, Unmatched)->setText(count(unmatched));
    for (int column : {Requests, Unmatched})
        item(row, column)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

QModelIndex ServicesTreeModel::indexOfService(const QString &name) const
{
    for (int r = 0; r < rowCount(); ++r) {
        QStandardItem *region = item(r, 0);
        for (int c = 0; c < region->rowCount(); ++c)
            if (region->child(c, 0)->data(ServiceRole).toString() == name)
                return region->child(c, 0)->index();
    }
    return {};
}

QModelIndex ServicesTreeModel::indexOfRegion(const QString &region) const
{
    for (int r = 0; r < rowCount(); ++r)
        if (item(r, 0)->data(RegionRole).toString() == region)
            return index(r, 0);
    return {};
}

} // namespace envsync::ui
