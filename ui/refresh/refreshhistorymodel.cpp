#include "ui/refresh/refreshhistorymodel.h"

#include "ui/common/jobformat.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace envsync::ui {

namespace {

QString localTime(const QDateTime &utc)
{
    return utc.isValid() ? utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                         : QString();
}

QColor resultColor(const std::string &result)
{
    if (result == "success")
        return QColor(0x1e, 0x7b, 0x34);
    if (result == "failed")
        return QColor(0xb0, 0x1c, 0x1c);
    if (result == "running")
        return QColor(0x1c, 0x5f, 0xb0);
    return QColor(0x80, 0x60, 0x10); // cancelled, rolled_back: nothing broke, but look
}

/// refresh_log.detail for people: the JSON EnvSync writes ("method", "unavailable_ms",
/// "forced_outside_window", "error") as one line; other text as it is.
QString detailText(const std::string &detail)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(detail));
    if (!document.isObject())
        return QString::fromStdString(detail);
    const QJsonObject object = document.object();
    QStringList parts;
    if (object.contains(u"method"))
        parts << object.value(u"method").toString();
    if (object.contains(u"unavailable_ms"))
        parts << QStringLiteral("unavailable %1")
                         .arg(jobformat::duration(object.value(u"unavailable_ms").toDouble() / 1000.0));
    if (object.value(u"forced_outside_window").toBool())
        parts << QStringLiteral("forced outside the window");
    if (object.contains(u"error"))
        parts << object.value(u"error").toString();
    return parts.isEmpty() ? QString::fromStdString(detail) : parts.join(QStringLiteral(" · "));
}

} // namespace

RefreshHistoryModel::RefreshHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RefreshHistoryModel::resetData(const std::vector<db::RefreshRecord> &history)
{
    beginResetModel();
    m_history = history;
    endResetModel();
}

void RefreshHistoryModel::clear()
{
    resetData({});
}

int RefreshHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_history.size());
}

int RefreshHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RefreshHistoryModel::display(const db::RefreshRecord &record, int column)
{
    switch (column) {
    case StartedColumn: return localTime(record.startedAt);
    case ResultColumn: return QString::fromStdString(record.result);
    case SnapshotColumn: return QString::fromStdString(record.snapshot);
    case DurationColumn:
        return record.finishedAt.isValid()
                ? jobformat::duration(
                          static_cast<double>(record.startedAt.msecsTo(record.finishedAt)) / 1000.0)
                : QString();
    case RowsColumn: return record.rows > 0 ? jobformat::count(record.rows) : QString();
    case SourceAsOfColumn: return localTime(record.sourceAsOf);
    case ActorColumn: return QString::fromStdString(record.actor);
    case DetailColumn: return detailText(record.detail);
    default: return {};
    }
}

QVariant RefreshHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const db::RefreshRecord &record = m_history[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return display(record, index.column());
    case Qt::ToolTipRole:
        return index.column() == DetailColumn ? QString::fromStdString(record.detail) : QVariant();
    case Qt::ForegroundRole:
        return index.column() == ResultColumn ? QBrush(resultColor(record.result)) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn || index.column() == RowsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ResultRole: return QString::fromStdString(record.result);
    case SnapshotRole: return QString::fromStdString(record.snapshot);
    default: return {};
    }
}

QVariant RefreshHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartedColumn: return QStringLiteral("Started");
    case ResultColumn: return QStringLiteral("Result");
    case SnapshotColumn: return QStringLiteral("Snapshot");
    case DurationColumn: return QStringLiteral("Duration");
    case RowsColumn: return QStringLiteral("Rows");
    case SourceAsOfColumn: return QStringLiteral("Data as of");
    case ActorColumn: return QStringLiteral("Who");
    case DetailColumn: return QStringLiteral("Detail");
    default: return {};
    }
}

} // namespace envsync::ui
