#include "ui/environments/environmentsmodel.h"

#include <QBrush>
#include <QColor>

namespace envsync::ui {

namespace {

constexpr qint64 soonSeconds = 15 * 60; ///< countdowns below this turn amber

QString localTime(const QDateTime &utc)
{
    return utc.isValid() ? utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                         : QString();
}

} // namespace

EnvironmentsModel::EnvironmentsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(QDateTime::currentDateTimeUtc())
{}

void EnvironmentsModel::resetData(const std::vector<env::EnvironmentInfo> &environments)
{
    beginResetModel();
    m_environments = environments;
    endResetModel();
}

void EnvironmentsModel::clear()
{
    resetData({});
}

void EnvironmentsModel::setNow(const QDateTime &nowUtc)
{
    m_now = nowUtc;
    if (!m_environments.empty())
        emit dataChanged(index(0, ExpiresInColumn), index(rowCount() - 1, ExpiresInColumn));
}

int EnvironmentsModel::rowOf(const QString &name) const
{
    for (std::size_t row = 0; row < m_environments.size(); ++row) {
        if (QString::fromStdString(m_environments[row].name) == name)
            return static_cast<int>(row);
    }
    return -1;
}

QString EnvironmentsModel::countdown(qint64 secondsLeft)
{
    if (secondsLeft <= 0)
        return QStringLiteral("expired");
    const qint64 days = secondsLeft / 86400;
    const qint64 hours = secondsLeft % 86400 / 3600;
    const qint64 minutes = secondsLeft % 3600 / 60;
    const qint64 seconds = secondsLeft % 60;
    if (days > 0)
        return QStringLiteral("%1 d %2 h %3 min").arg(days).arg(hours).arg(minutes);
    if (hours > 0)
        return QStringLiteral("%1 h %2 min %3 s")
                .arg(hours)
                .arg(minutes, 2, 10, QLatin1Char('0'))
                .arg(seconds, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QStringLiteral("%1 min %2 s").arg(minutes).arg(seconds, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 s").arg(seconds);
}

qint64 EnvironmentsModel::secondsLeft(const env::EnvironmentInfo &info) const
{
    return m_now.secsTo(info.expiresAt);
}

int EnvironmentsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_environments.size());
}

int EnvironmentsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EnvironmentsModel::display(const env::EnvironmentInfo &info, int column) const
{
    switch (column) {
    case NameColumn:
        return info.exists ? QString::fromStdString(info.name)
                           : QString::fromStdString(info.name) + QStringLiteral(" (database gone)");
    case ExpiresInColumn: return countdown(secondsLeft(info));
    case SnapshotColumn: return QString::fromStdString(info.snapshot);
    case OwnerColumn: return QString::fromStdString(info.owner);
    case ExpiresAtColumn: return localTime(info.expiresAt);
    case CreatedColumn: return localTime(info.createdAt);
    case CreatedByColumn: return QString::fromStdString(info.createdBy);
    case ConnectColumn: return QString::fromStdString(info.dsn);
    default: return {};
    }
}

QVariant EnvironmentsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const env::EnvironmentInfo &info = m_environments[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return display(info, index.column());
    case Qt::ToolTipRole:
        return index.column() == ConnectColumn ? QString::fromStdString(info.dsn) : QVariant();
    case Qt::ForegroundRole: {
        if (index.column() != ExpiresInColumn)
            return {};
        const qint64 left = secondsLeft(info);
        if (left <= 0)
            return QBrush(QColor(0xb0, 0x1c, 0x1c));
        return left < soonSeconds ? QBrush(QColor(0xa0, 0x60, 0x00)) : QVariant();
    }
    case Qt::TextAlignmentRole:
        if (index.column() == ExpiresInColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NameRole: return QString::fromStdString(info.name);
    case SecondsLeftRole: return secondsLeft(info);
    case ExpiredRole: return secondsLeft(info) <= 0;
    default: return {};
    }
}

QVariant EnvironmentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return QStringLiteral("Name");
    case ExpiresInColumn: return QStringLiteral("Expires in");
    case SnapshotColumn: return QStringLiteral("Snapshot");
    case OwnerColumn: return QStringLiteral("Owner");
    case ExpiresAtColumn: return QStringLiteral("Expires at");
    case CreatedColumn: return QStringLiteral("Created");
    case CreatedByColumn: return QStringLiteral("Created by");
    case ConnectColumn: return QStringLiteral("Connect with");
    default: return {};
    }
}

} // namespace envsync::ui
