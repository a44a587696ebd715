#include "ui/snapshots/verifychecksmodel.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace envsync::ui {

VerifyChecksModel::VerifyChecksModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void VerifyChecksModel::resetData(const snapshot::VerifyReport &report)
{
    beginResetModel();
    m_report = report;
    // A failure must not hide among dozens of passed checks.
    std::ranges::stable_sort(m_report.checks, {},
                             [](const snapshot::VerifyCheck &check) { return check.ok; });
    endResetModel();
}

void VerifyChecksModel::clear()
{
    resetData({});
}

int VerifyChecksModel::failedCount() const
{
    return static_cast<int>(std::ranges::count_if(
            m_report.checks, [](const snapshot::VerifyCheck &check) { return !check.ok; }));
}

int VerifyChecksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_report.checks.size());
}

int VerifyChecksModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VerifyChecksModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const snapshot::VerifyCheck &check = m_report.checks[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ResultColumn: return check.ok ? QStringLiteral("ok") : QStringLiteral("FAILED");
        case CheckColumn: return QString::fromStdString(check.check);
        case ObjectColumn: return QString::fromStdString(check.object);
        case DetailColumn: return QString::fromStdString(check.detail);
        default: return {};
        }
    case Qt::ForegroundRole:
        if (index.column() == ResultColumn)
            return QBrush(check.ok ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb3, 0x1d, 0x1d));
        return {};
    case OkRole: return check.ok;
    default: return {};
    }
}

QVariant VerifyChecksModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ResultColumn: return QStringLiteral("Result");
    case CheckColumn: return QStringLiteral("Check");
    case ObjectColumn: return QStringLiteral("Object");
    case DetailColumn: return QStringLiteral("Detail");
    default: return {};
    }
}

} // namespace envsync::ui
