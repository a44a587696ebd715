#include "ui/dashboard/dashboardmodel.h"

#include "core/status/statusformat.h"
#include "ui/common/statusicons.h"
#include "ui/common/statuspalette.h"

#include <QFont>
#include <QLocale>

#include <algorithm>

namespace envsync::ui {

using status::EndpointRole;
using status::EndpointStatus;
using status::Freshness;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// "15.18 (Debian 15.18-0+deb12u1)" → "15.18"; the full string goes into the tooltip.
QString shortVersion(const std::string &version)
{
    const QString full = qs(version);
    const qsizetype space = full.indexOf(QLatin1Char(' '));
    return space < 0 ? full : full.left(space);
}

QString firstLine(const std::string &text)
{
    const QString full = qs(text).trimmed();
    const qsizetype newline = full.indexOf(QLatin1Char('\n'));
    if (newline < 0)
        return full;
    return full.left(newline) + QStringLiteral(" …");
}

QString localTime(const QDateTime &utc)
{
    return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

/// Rich text so long libpq messages wrap inside the tooltip instead of running off-screen.
QString wrappedToolTip(const QString &text)
{
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.toHtmlEscaped()
           + QStringLiteral("</p>");
}

} // namespace

DashboardModel::DashboardModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DashboardModel::resetData(const std::vector<EndpointStatus> &endpoints)
{
    beginResetModel();
    m_endpoints = endpoints;
    m_pending.assign(endpoints.size(), true);
    m_probed.assign(endpoints.size(), false);
    endResetModel();
}

bool DashboardModel::updateEndpoint(std::size_t index, const EndpointStatus &endpoint)
{
    if (index >= m_endpoints.size())
        return false;
    m_endpoints[index] = endpoint;
    m_pending[index] = false;
    m_probed[index] = true;
    const int row = static_cast<int>(index);
    emit dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
    return true;
}

void DashboardModel::markAllPending()
{
    if (m_endpoints.empty())
        return;
    std::fill(m_pending.begin(), m_pending.end(), true);
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

bool DashboardModel::isPending(std::size_t index) const
{
    return index < m_pending.size() && m_pending[index];
}

bool DashboardModel::wasProbed(std::size_t index) const
{
    return index < m_probed.size() && m_probed[index];
}

int DashboardModel::pendingCount() const
{
    return static_cast<int>(std::ranges::count(m_pending, true));
}

int DashboardModel::reachableCount() const
{
    int count = 0;
    for (std::size_t i = 0; i < m_endpoints.size(); ++i) {
        if (m_probed[i] && m_endpoints[i].reachable)
            ++count;
    }
    return count;
}

int DashboardModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_endpoints.size());
}

int DashboardModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DashboardModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    const EndpointStatus &endpoint = m_endpoints[static_cast<std::size_t>(row)];
    const bool pending = m_pending[static_cast<std::size_t>(row)];
    const bool probed = m_probed[static_cast<std::size_t>(row)];

    switch (role) {
    case Qt::DisplayRole:
        return displayData(endpoint, row, column);
    case Qt::ToolTipRole:
        return toolTipData(endpoint, row, column);
    case Qt::DecorationRole:
        if (column == NameColumn)
            return StatusIcons::icon(StatusIcons::kindFor(endpoint, pending));
        if (column == FreshnessColumn && endpoint.role == EndpointRole::Region && probed) {
            StatusIcons::Kind kind = StatusIcons::Kind::Unknown;
            if (endpoint.freshness == Freshness::Ok)
                kind = StatusIcons::Kind::Ok;
            else if (endpoint.freshness == Freshness::Due)
                kind = StatusIcons::Kind::Due;
            else if (endpoint.freshness == Freshness::Overdue)
                kind = StatusIcons::Kind::Overdue;
            return StatusIcons::icon(kind);
        }
        return {};
    case Qt::ForegroundRole:
        if (column == ReachableColumn && pending)
            return StatusPalette::pendingColor();
        if (column == ReachableColumn && probed && !endpoint.reachable)
            return StatusPalette::unreachableColor();
        if (column == ErrorColumn)
            return StatusPalette::unreachableColor();
        return {};
    case Qt::FontRole:
        if (column == ReachableColumn && pending) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        if (column == ReachableColumn && probed && !endpoint.reachable) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == SizeColumn || column == AgeColumn || column == SlaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case SortRole:
        return sortData(endpoint, row, column);
    case EndpointIndexRole:
        return row;
    case EndpointRoleRole:
        return static_cast<int>(endpoint.role);
    case FreshnessRole:
        return static_cast<int>(endpoint.freshness);
    case ReachableRole:
        return endpoint.reachable;
    case PendingRole:
        return pending;
    case IconKindRole:
        return static_cast<int>(StatusIcons::kindFor(endpoint, pending));
    default:
        return {};
    }
}

QVariant DashboardModel::displayData(const EndpointStatus &endpoint, int row, int column) const
{
    const bool pending = m_pending[static_cast<std::size_t>(row)];
    const bool probed = m_probed[static_cast<std::size_t>(row)];
    const bool region = endpoint.role == EndpointRole::Region;
    switch (column) {
    case NameColumn:
        return qs(endpoint.name);
    case RoleColumn:
        return StatusPalette::roleText(endpoint.role);
    case AddressColumn:
        return qs(endpoint.address);
    case ReachableColumn:
        if (pending)
            return QStringLiteral("probing…");
        return endpoint.reachable ? QStringLiteral("yes") : QStringLiteral("no");
    case VersionColumn:
        return probed && endpoint.reachable ? shortVersion(endpoint.serverVersion) : QString();
    case SizeColumn:
        return probed && endpoint.reachable ? qs(status::humanBytes(endpoint.sizeBytes))
                                            : QString();
    case LastRefreshColumn:
        if (endpoint.lastRefresh) {
            QString text = localTime(endpoint.lastRefresh->finishedAt);
            if (!endpoint.lastRefresh->snapshot.empty())
                text += QStringLiteral(" · ") + qs(endpoint.lastRefresh->snapshot);
            return text;
        }
        return region && probed ? QStringLiteral("—") : QString();
    case AgeColumn:
        if (!endpoint.age)
            return QString();
        // A streamed region is as fresh as its lag: say so where the number is.
        return endpoint.freshnessSource == status::FreshnessSource::Cdc
                       ? qs(status::humanDuration(*endpoint.age)) + QStringLiteral(" · CDC")
                       : qs(status::humanDuration(*endpoint.age));
    case SlaColumn:
        return endpoint.sla ? qs(status::humanDuration(*endpoint.sla)) : QString();
    case FreshnessColumn:
        return region && probed ? StatusPalette::freshnessText(endpoint.freshness) : QString();
    case ErrorColumn:
        // The row already names the endpoint: the probe's line without it (the tooltip and
        // Copy keep the whole message).
        if (endpoint.errorInRow)
            return firstLine(*endpoint.errorInRow);
        return endpoint.error ? firstLine(*endpoint.error) : QString();
    default:
        return {};
    }
}

QVariant DashboardModel::sortData(const EndpointStatus &endpoint, int row, int column) const
{
    const bool pending = m_pending[static_cast<std::size_t>(row)];
    switch (column) {
    case NameColumn:
        return qs(endpoint.name).toLower();
    case RoleColumn:
        return static_cast<int>(endpoint.role);
    case AddressColumn:
        return qs(endpoint.address);
    case ReachableColumn:
        return pending ? 1 : (endpoint.reachable ? 2 : 0);
    case VersionColumn:
        return qs(endpoint.serverVersion);
    case SizeColumn:
        return endpoint.reachable ? static_cast<qlonglong>(endpoint.sizeBytes) : qlonglong(-1);
    case LastRefreshColumn:
        return endpoint.lastRefresh ? endpoint.lastRefresh->finishedAt.toMSecsSinceEpoch()
                                    : qint64(-1);
    case AgeColumn:
        return endpoint.age ? static_cast<qlonglong>(endpoint.age->count()) : qlonglong(-1);
    case SlaColumn:
        return endpoint.sla ? static_cast<qlonglong>(endpoint.sla->count()) : qlonglong(-1);
    case FreshnessColumn:
        return endpoint.role == EndpointRole::Region
                       ? StatusPalette::freshnessSeverity(endpoint.freshness)
                       : -1;
    case ErrorColumn:
        return endpoint.error ? qs(*endpoint.error) : QString();
    default:
        return {};
    }
}

QVariant DashboardModel::toolTipData(const EndpointStatus &endpoint, int row, int column) const
{
    const bool pending = m_pending[static_cast<std::size_t>(row)];
    switch (column) {
    case AgeColumn:
        if (!endpoint.age)
            return {};
        if (endpoint.freshnessSource == status::FreshnessSource::Cdc)
            return QStringLiteral("From CDC: cdc run streams into %1; its data is as old as the "
                                  "stream's lag")
                    .arg(qs(endpoint.name));
        return QStringLiteral("From the last refresh: now − when its snapshot read production");
    case ErrorColumn:
        return endpoint.error ? wrappedToolTip(qs(*endpoint.error)) : QVariant();
    case VersionColumn:
        return endpoint.serverVersion.empty() ? QVariant() : QVariant(qs(endpoint.serverVersion));
    case LastRefreshColumn:
        if (endpoint.lastRefresh) {
            const status::LastRefresh &last = *endpoint.lastRefresh;
            QString text = QStringLiteral("Finished %1 (%2 UTC)")
                                   .arg(localTime(last.finishedAt),
                                        last.finishedAt.toUTC().toString(
                                                QStringLiteral("yyyy-MM-dd HH:mm")));
            if (!last.snapshot.empty())
                text += QStringLiteral("\nSnapshot %1").arg(qs(last.snapshot));
            if (last.sourceAsOf.isValid())
                text += QStringLiteral("\nProduction data as of %1")
                                .arg(localTime(last.sourceAsOf));
            return text;
        }
        return {};
    default: {
        QString text = QStringLiteral("%1 %2 — %3")
                               .arg(StatusPalette::roleText(endpoint.role), qs(endpoint.name),
                                    StatusIcons::describe(StatusIcons::kindFor(endpoint, pending)));
        if (!endpoint.address.empty())
            text += QStringLiteral("\n") + qs(endpoint.address);
        if (m_probed[static_cast<std::size_t>(row)])
            text += QStringLiteral("\nProbe took %1 ms")
                            .arg(QLocale().toString(
                                    static_cast<qlonglong>(endpoint.probeTime.count())));
        if (endpoint.error)
            text += QStringLiteral("\n") + qs(*endpoint.error);
        return text;
    }
    }
}

QVariant DashboardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return QStringLiteral("Name");
        case RoleColumn:
            return QStringLiteral("Role");
        case AddressColumn:
            return QStringLiteral("Address");
        case ReachableColumn:
            return QStringLiteral("Reachable");
        case VersionColumn:
            return QStringLiteral("Server version");
        case SizeColumn:
            return QStringLiteral("Size");
        case LastRefreshColumn:
            return QStringLiteral("Last refresh");
        case AgeColumn:
            return QStringLiteral("Data age");
        case SlaColumn:
            return QStringLiteral("SLA");
        case FreshnessColumn:
            return QStringLiteral("Freshness");
        case ErrorColumn:
            return QStringLiteral("Error");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case SizeColumn:
            return QStringLiteral("pg_database_size of the database (decimal units)");
        case LastRefreshColumn:
            return QStringLiteral("Newest successful refresh (local time) and its snapshot");
        case AgeColumn:
            return QStringLiteral("Age of the region's data: now − when the snapshot read "
                                  "production, or its lag while CDC streams into it (· CDC)");
        case SlaColumn:
            return QStringLiteral("freshness_sla from the config");
        case FreshnessColumn:
            return QStringLiteral("ok: under 80 % of the SLA · due: last 20 % · overdue: past "
                                  "the SLA · unknown: no refresh history");
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole
        && (section == SizeColumn || section == AgeColumn || section == SlaColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace envsync::ui
