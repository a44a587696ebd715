#pragma once

#include "core/drift/driftcheck.h"

#include <QColor>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envsync::ui {

/// Which differences the drift heatmap counts (DriftFilterProxyModel's state).
struct HeatmapFilter
{
    drift::Severity minimum = drift::Severity::Info;
    std::optional<std::string> schema;     ///< empty: every schema
    std::optional<drift::ObjectKind> kind; ///< empty: every kind

    [[nodiscard]] bool accepts(const drift::Difference &difference) const;
    [[nodiscard]] bool isEmpty() const
    {
        return minimum == drift::Severity::Info && !schema && !kind;
    }
};

/// What one heatmap cell shows: how many differences and the worst of them.
struct CellSummary
{
    int count = 0;
    std::optional<drift::Severity> worst; ///< empty when count is 0

    friend bool operator==(const CellSummary &, const CellSummary &) = default;
};

/// One row of the heatmap tree: a schema, a table-level object in it (table, view, function,
/// sequence, type…) or an object of a table (column, index, constraint, trigger, policy…).
struct HeatmapNode
{
    enum class Level { Schema, Table, Object };

    Level level = Level::Schema;
    drift::ObjectKind kind = drift::ObjectKind::Schema;
    std::string schema;
    std::string name;  ///< Difference::name for objects ("customers.email"), else the name
    std::string table; ///< the table of an Object row
    QString label;     ///< "public", "customers", "email", "row level security"
    int parent = -1;   ///< node index; -1 for schema rows
    int row = 0;       ///< row under its parent
    std::vector<int> children;
    /// Differences about this row's object itself, per region column (not its children's).
    std::vector<std::vector<const drift::Difference *>> own;

    /// "public", "public.customers", "public.customers.email".
    [[nodiscard]] QString qualifiedName() const;
};

/// The pure half of the drift heatmap (Hotspot's timelinedelegate split): a DriftReport in,
/// a schema › table › object tree with region columns out, plus the colours and texts of the
/// cells. No painting and no Qt models here, so tests check every mapping directly.
///
/// Holds the report alive: the Difference pointers it hands out stay valid with the grid.
class HeatmapGrid
{
public:
    HeatmapGrid() = default;
    /// Columns are `regions` in that order (config order; regions that could not be read get
    /// a column too, marked with their error); regions that only the report names are appended.
    [[nodiscard]] static HeatmapGrid build(std::shared_ptr<const drift::DriftReport> report,
                                           const std::vector<std::string> &regions = {});

    [[nodiscard]] const std::shared_ptr<const drift::DriftReport> &report() const
    {
        return m_report;
    }
    [[nodiscard]] const std::vector<std::string> &regions() const { return m_regions; }
    [[nodiscard]] int columnCount() const { return static_cast<int>(m_regions.size()); }
    /// Why a region could not be compared; empty when it was.
    [[nodiscard]] QString regionError(int column) const;
    [[nodiscard]] const std::vector<HeatmapNode> &nodes() const { return m_nodes; }
    [[nodiscard]] const HeatmapNode &node(int index) const
    {
        return m_nodes[static_cast<std::size_t>(index)];
    }
    [[nodiscard]] const std::vector<int> &topLevel() const { return m_topLevel; }
    /// Children of `parent` (-1: the schema rows).
    [[nodiscard]] const std::vector<int> &childrenOf(int parent) const;
    /// The node of a qualified object ("public", "public.customers", "public.customers.email")
    /// with that kind; -1 when there is none. Kind Table also finds views (same namespace).
    [[nodiscard]] int find(const QString &qualifiedName, drift::ObjectKind kind) const;
    /// Index of a region column; -1 when unknown.
    [[nodiscard]] int columnOf(const std::string &region) const;

    /// Cell → differences: the node's own and all its descendants' in that region column,
    /// in tree order, that pass the filter.
    [[nodiscard]] std::vector<const drift::Difference *>
    differencesAt(int node, int column, const HeatmapFilter &filter = {}) const;
    /// Only the node's own differences (an object row's cell before aggregation).
    [[nodiscard]] std::vector<const drift::Difference *>
    ownDifferencesAt(int node, int column, const HeatmapFilter &filter = {}) const;
    [[nodiscard]] CellSummary summaryAt(int node, int column,
                                        const HeatmapFilter &filter = {}) const;
    /// True when any difference under the node passes the filter, in any column.
    [[nodiscard]] bool hasDifferences(int node, const HeatmapFilter &filter = {}) const;

    /// Schemas and kinds that occur, sorted (the filter combos).
    [[nodiscard]] std::vector<std::string> schemas() const;
    [[nodiscard]] std::vector<drift::ObjectKind> kinds() const;

private:
    void collect(int node, int column, const HeatmapFilter &filter,
                 std::vector<const drift::Difference *> &out) const;

    std::shared_ptr<const drift::DriftReport> m_report;
    std::vector<std::string> m_regions;
    std::vector<QString> m_regionErrors;
    std::vector<HeatmapNode> m_nodes;
    std::vector<int> m_topLevel;
};

/// Colours and texts of heatmap cells; shared by the model, the delegate and the legend.
struct HeatmapMapping
{
    /// The worst severity of the differences; empty for none.
    [[nodiscard]] static std::optional<drift::Severity>
    worst(const std::vector<const drift::Difference *> &differences);
    [[nodiscard]] static CellSummary
    summarize(const std::vector<const drift::Difference *> &differences);

    /// breaking red, warning amber, info blue-grey; no drift a light neutral. Group rows
    /// (aggregate) use a lighter tint of the same hue so object rows stand out.
    [[nodiscard]] static QColor severityColor(std::optional<drift::Severity> severity,
                                              bool aggregate = false);
    /// Readable text on severityColor().
    [[nodiscard]] static QColor textColor(std::optional<drift::Severity> severity,
                                          bool aggregate = false);
    /// A region whose schema could not be read.
    [[nodiscard]] static QColor errorColor();
    /// "" for 0, "7", "999+".
    [[nodiscard]] static QString countText(int count);
    /// "breaking", "warning", "info", "none".
    [[nodiscard]] static QString severityText(std::optional<drift::Severity> severity);
    /// "missing column public.customers.birth_date (breaking) — type: date"
    [[nodiscard]] static QString describe(const drift::Difference &difference);
    /// Cell → objects whose definitions the detail pane compares: the whole table (or view)
    /// for a table row with children, else each distinct object of the cell's differences (the
    /// row's own object when the cell is empty). Only kind, schema, name and table are set.
    [[nodiscard]] static std::vector<drift::Difference>
    detailObjects(const HeatmapNode &node,
                  const std::vector<const drift::Difference *> &differences);
    /// "Reference: golden_v3", "Reference: source prod (no golden snapshot yet)".
    [[nodiscard]] static QString referenceText(const drift::DriftReport &report);
};

} // namespace envsync::ui
