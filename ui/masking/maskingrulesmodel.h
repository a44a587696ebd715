#pragma once

#include "core/masking/maskpreview.h"

#include <QAbstractTableModel>

#include <memory>

namespace envsync::ui {

/// Every column of the source with its detected class, the transform the rules give it (own,
/// inherited through a foreign key, keep, or UNCLASSIFIED in red) and masked sample outputs.
/// Holds no source value: the preview carries masked outputs only.
class MaskingRulesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        ColumnColumn,
        TypeColumn,
        DetectedColumn,
        TransformColumn,
        PreviewColumn,
        ColumnCount
    };
    enum Role {
        QualifiedNameRole = Qt::UserRole + 1, ///< "schema.table.column"
        KindRole,                             ///< masking::CoverageKind as int
        ClassifiedRole,                       ///< bool
    };

    explicit MaskingRulesModel(QObject *parent = nullptr);

    void resetData(std::shared_ptr<const masking::MaskPreview> preview);
    void clear();
    [[nodiscard]] const std::shared_ptr<const masking::MaskPreview> &preview() const
    {
        return m_preview;
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// "email", "hash ← public.customers.id", "keep", "UNCLASSIFIED".
    [[nodiscard]] static QString transformText(const masking::ColumnCoverage &column);
    /// The masked outputs joined ("a@x.test · b@y.test"), or the note when there are none.
    [[nodiscard]] static QString previewText(const masking::ColumnPreview &column);

private:
    [[nodiscard]] QVariant display(const masking::ColumnPreview &column, int index) const;
    [[nodiscard]] QVariant toolTip(const masking::ColumnPreview &column, int index) const;
    [[nodiscard]] QVariant foreground(const masking::ColumnPreview &column, int index) const;

    std::shared_ptr<const masking::MaskPreview> m_preview;
};

} // namespace envsync::ui
