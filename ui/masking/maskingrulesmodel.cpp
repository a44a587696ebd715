#include "ui/masking/maskingrulesmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPalette>

namespace envsync::ui {

namespace {

using masking::CoverageKind;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

const QColor unclassifiedBackground(0xfd, 0xde, 0xdc);
const QColor unclassifiedText(0x9b, 0x1c, 0x1c);

} // namespace

MaskingRulesModel::MaskingRulesModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void MaskingRulesModel::resetData(std::shared_ptr<const masking::MaskPreview> preview)
{
    beginResetModel();
    m_preview = std::move(preview);
    endResetModel();
}

void MaskingRulesModel::clear()
{
    resetData(nullptr);
}

int MaskingRulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_preview ? 0 : static_cast<int>(m_preview->columns.size());
}

int MaskingRulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MaskingRulesModel::transformText(const masking::ColumnCoverage &column)
{
    switch (column.kind) {
    case CoverageKind::Rule:
        return qs(column.transform) + (column.unique ? QStringLiteral(" (unique)") : QString());
    case CoverageKind::Inherited:
        return qs(column.transform) + QStringLiteral(" ← ") + qs(column.inheritedFrom);
    case CoverageKind::Keep: return QStringLiteral("keep");
    case CoverageKind::Unclassified: return QStringLiteral("UNCLASSIFIED");
    }
    return {};
}

QString MaskingRulesModel::previewText(const masking::ColumnPreview &column)
{
    if (column.masked.empty())
        return qs(column.note);
    QStringList values;
    for (const auto &value : column.masked)
        values << (value ? qs(*value) : QStringLiteral("NULL"));
    return values.join(QStringLiteral("  ·  "));
}

QVariant MaskingRulesModel::display(const masking::ColumnPreview &column, int index) const
{
    switch (index) {
    case ColumnColumn: return qs(column.coverage.display());
    case TypeColumn: return qs(column.coverage.type);
    case DetectedColumn:
        return column.detected.empty()
                ? QString()
                : QStringLiteral("%1 (%2 %)")
                          .arg(qs(column.detected))
                          .arg(qRound(column.confidence * 100));
    case TransformColumn: return transformText(column.coverage);
    case PreviewColumn: return previewText(column);
    default: return {};
    }
}

QVariant MaskingRulesModel::toolTip(const masking::ColumnPreview &column, int index) const
{
    switch (index) {
    case DetectedColumn:
        return column.reason.empty() ? QVariant() : QVariant(qs(column.reason));
    case TransformColumn:
        switch (column.coverage.kind) {
        case CoverageKind::Inherited:
            return QStringLiteral("A foreign key: it takes the rule of %1 so joins still join")
                    .arg(qs(column.coverage.inheritedFrom));
        case CoverageKind::Keep:
            return QStringLiteral("Listed in masking.keep: copied as is");
        case CoverageKind::Unclassified:
            return QStringLiteral("No masking rule and not in masking.keep: snapshots fail "
                                  "closed until it has one");
        case CoverageKind::Rule: return {};
        }
        return {};
    case PreviewColumn:
        return QStringLiteral("Masked outputs of sampled values (source values are never shown)");
    default: return {};
    }
}

QVariant MaskingRulesModel::foreground(const masking::ColumnPreview &column, int index) const
{
    if (column.coverage.kind == CoverageKind::Unclassified)
        return QBrush(unclassifiedText);
    const bool muted = (index == PreviewColumn && column.masked.empty())
            || (index == TransformColumn && column.coverage.kind == CoverageKind::Keep);
    if (muted)
        return QBrush(QPalette().color(QPalette::PlaceholderText));
    return {};
}

QVariant MaskingRulesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const masking::ColumnPreview &column = m_preview->columns[static_cast<std::size_t>(index.row())];
    const bool unclassified = column.coverage.kind == CoverageKind::Unclassified;
    switch (role) {
    case Qt::DisplayRole: return display(column, index.column());
    case Qt::ToolTipRole: return toolTip(column, index.column());
    case Qt::ForegroundRole: return foreground(column, index.column());
    case Qt::BackgroundRole:
        return unclassified ? QVariant(QBrush(unclassifiedBackground)) : QVariant();
    case Qt::FontRole: {
        QFont font;
        if (unclassified && index.column() == TransformColumn)
            font.setBold(true);
        else if (index.column() == PreviewColumn && column.masked.empty())
            font.setItalic(true);
        else if (column.coverage.kind == CoverageKind::Inherited
                 && index.column() == TransformColumn)
            font.setItalic(true);
        else
            return {};
        return font;
    }
    case QualifiedNameRole: return qs(column.coverage.display());
    case KindRole: return static_cast<int>(column.coverage.kind);
    case ClassifiedRole: return column.coverage.classified();
    default: return {};
    }
}

QVariant MaskingRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColumnColumn: return QStringLiteral("Column");
    case TypeColumn: return QStringLiteral("Type");
    case DetectedColumn: return QStringLiteral("Detected");
    case TransformColumn: return QStringLiteral("Transform");
    case PreviewColumn: return QStringLiteral("Masked preview");
    default: return {};
    }
}

} // namespace envsync::ui
