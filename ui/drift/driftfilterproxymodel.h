#pragma once

#include "ui/drift/heatmapmapping.h"

#include <QSortFilterProxyModel>

namespace envsync::ui {

class DriftHeatmapModel;

/// Filters the drift heatmap by minimum severity, schema and object kind. Rows without a
/// matching difference in any region disappear (with their empty groups), and the cells that
/// remain count only matching differences: "breaking only" leaves breaking cells, and a table
/// row no longer sums its children's warnings. Source must be a DriftHeatmapModel.
class DriftFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit DriftFilterProxyModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *sourceModel) override;
    [[nodiscard]] DriftHeatmapModel *heatmapModel() const { return m_model; }

    void setFilter(const HeatmapFilter &filter);
    [[nodiscard]] const HeatmapFilter &filter() const { return m_filter; }
    void setMinimumSeverity(drift::Severity minimum);
    /// Empty: every schema.
    void setSchema(const QString &schema);
    void setKind(std::optional<drift::ObjectKind> kind);

    /// The differences of a proxy cell that pass the filter (empty for the label columns).
    [[nodiscard]] std::vector<const drift::Difference *>
    differencesAt(const QModelIndex &index) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    /// Counts and colours of rows that stay visible change too: tell the views.
    void refreshCells();

    DriftHeatmapModel *m_model = nullptr;
    HeatmapFilter m_filter;
};

} // namespace envsync::ui
