#include "ui/common/tableprogressmodel.h"

#include "ui/common/jobformat.h"

#include <QBrush>
#include <QPalette>

#include <algorithm>

namespace envsync::ui {

TableProgressModel::TableProgressModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TableProgressModel::update(const std::vector<job::TableProgress> &tables)
{
    const bool sameTables = tables.size() == m_tables.size()
            && std::ranges::equal(tables, m_tables, {}, &job::TableProgress::table,
                                  &job::TableProgress::table);
    if (!sameTables) {
        beginResetModel();
        m_tables = tables;
        endResetModel();
        return;
    }
    m_tables = tables;
    if (!m_tables.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void TableProgressModel::clear()
{
    update({});
}

int TableProgressModel::doneCount() const
{
    return static_cast<int>(std::ranges::count_if(m_tables, &job::TableProgress::done));
}

int TableProgressModel::percent(const job::TableProgress &table)
{
    if (table.done)
        return 100;
    if (table.rowsEstimated <= 0)
        return table.started ? -1 : 0;
    return static_cast<int>(std::clamp<std::int64_t>(table.rowsDone * 100 / table.rowsEstimated,
                                                     0, 99));
}

int TableProgressModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_tables.size());
}

int TableProgressModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TableProgressModel::display(const job::TableProgress &table, int column) const
{
    switch (column) {
    case TableColumn: return QString::fromStdString(table.table);
    case ProgressColumn: {
        const int p = percent(table);
        return p < 0 ? QStringLiteral("copying") : QStringLiteral("%1 %").arg(p);
    }
    case RowsColumn:
        return table.rowsEstimated > 0 && !table.done
                ? QStringLiteral("%1 / ~%2").arg(jobformat::count(table.rowsDone),
                                                 jobformat::count(table.rowsEstimated))
                : jobformat::count(table.rowsDone);
    case BytesColumn: return jobformat::bytes(table.bytesDone);
    case RateColumn: return table.started ? jobformat::rowRate(table.rowsPerSecond) : QString();
    case EtaColumn:
        if (table.done)
            return QStringLiteral("done");
        return table.started ? jobformat::duration(table.etaSeconds) : QStringLiteral("waiting");
    case ModeColumn:
        return table.masked ? QStringLiteral("masked") : table.binary ? QStringLiteral("binary")
                                                                      : QStringLiteral("text");
    default: return {};
    }
}

QVariant TableProgressModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const job::TableProgress &table = m_tables[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return display(table, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() >= RowsColumn && index.column() <= EtaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (!table.started)
            return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case PercentRole: return percent(table);
    case DoneRole: return table.done;
    case StartedRole: return table.started;
    default: return {};
    }
}

QVariant TableProgressModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TableColumn: return QStringLiteral("Table");
    case ProgressColumn: return QStringLiteral("Progress");
    case RowsColumn: return QStringLiteral("Rows");
    case BytesColumn: return QStringLiteral("Bytes");
    case RateColumn: return QStringLiteral("Rate");
    case EtaColumn: return QStringLiteral("ETA");
    case ModeColumn: return QStringLiteral("COPY");
    default: return {};
    }
}

} // namespace envsync::ui
