#include "ui/services/journalmodel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>

namespace envsync::ui {

JournalModel::JournalModel(std::size_t limit, QObject *parent)
    : QAbstractTableModel(parent)
    , m_limit(std::max<std::size_t>(limit, 1))
{
}

void JournalModel::setEntries(const std::deque<virt::JournalEntry> &entries)
{
    beginResetModel();
    m_rows.assign(entries.rbegin(), entries.rend());
    if (m_rows.size() > m_limit)
        m_rows.resize(m_limit);
    endResetModel();
}

void JournalModel::appendNewest(const std::deque<virt::JournalEntry> &entries, qsizetype count)
{
    const std::size_t added
            = std::min({std::size_t(std::max<qsizetype>(count, 0)), entries.size(), m_limit});
    if (added == 0)
        return;
    beginInsertRows({}, 0, int(added) - 1);
    for (auto it = entries.end() - std::ptrdiff_t(added); it != entries.end(); ++it)
        m_rows.push_front(*it);
    endInsertRows();
    if (m_rows.size() > m_limit) {
        beginRemoveRows({}, int(m_limit), int(m_rows.size()) - 1);
        m_rows.resize(m_limit);
        endRemoveRows();
    }
}

const virt::JournalEntry *JournalModel::entryAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() ? &m_rows[std::size_t(row)] : nullptr;
}

int JournalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JournalModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JournalModel::data(const QModelIndex &index, int role) const
{
    const virt::JournalEntry *entry = entryAt(index.row());
    if (!entry)
        return {};
    if (role == UnmatchedRole)
        return !entry->matched;
    if (role == Qt::ForegroundRole && !entry->matched
        && (index.column() == Result || index.column() == Status))
        return QBrush(QColor(0xb7, 0x1c, 0x1c));
    if (role == Qt::TextAlignmentRole && (index.column() == Status || index.column() == Latency))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Path)
        return QString::fromUtf8(entry->request.url);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return entry->loggedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case Method:
        return QString::fromLatin1(entry->request.method);
    case Path:
        return entry->request.path;
    case Result:
        return entry->matched ? QStringLiteral("matched") : QStringLiteral("unmatched");
    case Status:
        return entry->status;
    case Latency:
        return QStringLiteral("%1 ms").arg(QLocale().toString(
                entry->latencyMicros / 1000.0, 'f', entry->latencyMicros < 10000 ? 2 : 0));
    default:
        return {};
    }
}

QVariant JournalModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return QStringLiteral("Time");
    case Method:
        return QStringLiteral("Method");
    case Path:
        return QStringLiteral("Path");
    case Result:
        return QStringLiteral("Result");
    case Status:
        return QStringLiteral("Status");
    case Latency:
        return QStringLiteral("Latency");
    default:
        return {};
    }
}

} // namespace envsync::ui
