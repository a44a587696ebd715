#include "ui/drift/heatmapmapping.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace envsync::ui {

using drift::Difference;
using drift::ObjectKind;
using drift::Severity;

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

bool isRelationKind(ObjectKind kind)
{
    return kind == ObjectKind::Table || kind == ObjectKind::View
           || kind == ObjectKind::MaterializedView;
}

/// The error of a region that could not be read (empty when there is none).
QString errorFor(const drift::DriftReport &report, const std::string &region)
{
    const Error *error = report.errorOf(region);
    return error ? QString::fromStdString(error->describe()) : QString();
}

/// "customers.email" of table "customers" → "email"; the table itself → a word for the kind.
QString objectLabel(const Difference &d)
{
    if (d.name == d.table) {
        switch (d.kind) {
        case ObjectKind::Rls:
            return QStringLiteral("row level security");
        case ObjectKind::Comment:
            return QStringLiteral("table comment");
        default:
            return qs(drift::kindName(d.kind));
        }
    }
    if (d.name.size() > d.table.size() && d.name.starts_with(d.table)
        && d.name[d.table.size()] == '.')
        return qs(std::string_view(d.name).substr(d.table.size() + 1));
    return qs(d.name);
}

QColor mixWithWhite(const QColor &color, double amount)
{
    auto mix = [amount](int channel) {
        return static_cast<int>(channel + (255 - channel) * amount + 0.5);
    };
    return QColor(mix(color.red()), mix(color.green()), mix(color.blue()));
}

// Intermediate, sorted tree; flattened into HeatmapNode rows at the end of build().
using Cells = std::vector<std::vector<const Difference *>>;

struct ObjectEntry
{
    ObjectKind kind = ObjectKind::Column;
    std::string name;
    std::string table;
    QString label;
    Cells own;
};

struct RelationEntry
{
    ObjectKind kind = ObjectKind::Table;
    bool kindKnown = false; ///< false while only its children were seen
    std::string name;
    Cells own;
    std::map<std::tuple<QString, int, std::string>, ObjectEntry> children;
};

struct SchemaEntry
{
    Cells own;
    /// (name, 0) for tables and views (one namespace), (name, 1 + kind) for the rest.
    std::map<std::pair<std::string, int>, RelationEntry> relations;
};

} // namespace

bool HeatmapFilter::accepts(const Difference &difference) const
{
    return difference.severity >= minimum && (!schema || difference.schema == *schema)
           && (!kind || difference.kind == *kind);
}

QString HeatmapNode::qualifiedName() const
{
    return level == Level::Schema ? qs(name) : qs(schema) + QLatin1Char('.') + qs(name);
}

HeatmapGrid HeatmapGrid::build(std::shared_ptr<const drift::DriftReport> report,
                               const std::vector<std::string> &regions)
{
    HeatmapGrid grid;
    grid.m_report = std::move(report);
    grid.m_regions = regions;
    if (!grid.m_report)
        return grid;
    const drift::DriftReport &r = *grid.m_report;
    for (const auto &regionDrift : r.drifts) {
        if (std::ranges::find(grid.m_regions, regionDrift.region) == grid.m_regions.end())
            grid.m_regions.push_back(regionDrift.region);
    }
    const std::size_t columns = grid.m_regions.size();
    for (const auto &region : grid.m_regions) {
        const bool compared = std::ranges::any_of(
                r.drifts, [&](const drift::RegionDrift &d) { return d.region == region; });
        QString error;
        if (!compared) {
            error = errorFor(r, region);
            if (error.isEmpty())
                error = QStringLiteral("region %1 was not compared").arg(qs(region));
        }
        grid.m_regionErrors.push_back(error);
    }

    std::map<std::string, SchemaEntry> schemas;
    auto sized = [columns](Cells &cells) -> Cells & {
        if (cells.size() != columns)
            cells.resize(columns);
        return cells;
    };
    for (const auto &regionDrift : r.drifts) {
        const auto column = static_cast<std::size_t>(grid.columnOf(regionDrift.region));
        for (const Difference &d : regionDrift.differences) {
            SchemaEntry &schema = schemas[d.schema];
            if (d.kind == ObjectKind::Schema && d.table.empty()) {
                sized(schema.own)[column].push_back(&d);
            } else if (!d.table.empty()) {
                RelationEntry &relation = schema.relations[{d.table, 0}];
                relation.name = d.table;
                const QString label = objectLabel(d);
                ObjectEntry &object = relation.children[{label, static_cast<int>(d.kind), d.name}];
                object.kind = d.kind;
                object.name = d.name;
                object.table = d.table;
                object.label = label;
                sized(object.own)[column].push_back(&d);
            } else {
                const bool isRelation = isRelationKind(d.kind);
                RelationEntry &relation
                        = schema.relations[{d.name, isRelation ? 0 : 1 + static_cast<int>(d.kind)}];
                relation.name = d.name;
                if (!relation.kindKnown) {
                    relation.kind = d.kind;
                    relation.kindKnown = true;
                }
                sized(relation.own)[column].push_back(&d);
            }
        }
    }

    auto addNode = [&grid, columns](HeatmapNode node, Cells own) {
        const int id = static_cast<int>(grid.m_nodes.size());
        std::vector<int> &siblings
                = node.parent < 0 ? grid.m_topLevel
                                  : grid.m_nodes[static_cast<std::size_t>(node.parent)].children;
        node.row = static_cast<int>(siblings.size());
        siblings.push_back(id);
        own.resize(columns);
        node.own = std::move(own);
        grid.m_nodes.push_back(std::move(node));
        return id;
    };
    for (auto &[schemaName, schema] : schemas) {
        HeatmapNode schemaNode;
        schemaNode.level = HeatmapNode::Level::Schema;
        schemaNode.kind = ObjectKind::Schema;
        schemaNode.schema = schemaName;
        schemaNode.name = schemaName;
        schemaNode.label = qs(schemaName);
        const int schemaId = addNode(std::move(schemaNode), std::move(schema.own));
        for (auto &[key, relation] : schema.relations) {
            HeatmapNode relationNode;
            relationNode.level = HeatmapNode::Level::Table;
            relationNode.kind = relation.kind;
            relationNode.schema = schemaName;
            relationNode.name = relation.name;
            relationNode.label = qs(relation.name);
            relationNode.parent = schemaId;
            const int relationId = addNode(std::move(relationNode), std::move(relation.own));
            for (auto &[objectKey, object] : relation.children) {
                HeatmapNode objectNode;
                objectNode.level = HeatmapNode::Level::Object;
                objectNode.kind = object.kind;
                objectNode.schema = schemaName;
                objectNode.name = object.name;
                objectNode.table = object.table;
                objectNode.label = object.label;
                objectNode.parent = relationId;
                addNode(std::move(objectNode), std::move(object.own));
            }
        }
    }
    return grid;
}

QString HeatmapGrid::regionError(int column) const
{
    if (column < 0 || column >= static_cast<int>(m_regionErrors.size()))
        return {};
    return m_regionErrors[static_cast<std::size_t>(column)];
}

const std::vector<int> &HeatmapGrid::childrenOf(int parent) const
{
    if (parent < 0 || parent >= static_cast<int>(m_nodes.size()))
        return m_topLevel;
    return node(parent).children;
}

int HeatmapGrid::find(const QString &qualifiedName, ObjectKind kind) const
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const HeatmapNode &n = m_nodes[i];
        const bool kindMatches
                = n.kind == kind || (kind == ObjectKind::Table && isRelationKind(n.kind));
        if (kindMatches && n.qualifiedName() == qualifiedName)
            return static_cast<int>(i);
    }
    return -1;
}

int HeatmapGrid::columnOf(const std::string &region) const
{
    const auto it = std::ranges::find(m_regions, region);
    return it == m_regions.end() ? -1 : static_cast<int>(it - m_regions.begin());
}

void HeatmapGrid::collect(int index, int column, const HeatmapFilter &filter,
                          std::vector<const Difference *> &out) const
{
    const HeatmapNode &n = node(index);
    for (const Difference *d : n.own[static_cast<std::size_t>(column)]) {
        if (filter.accepts(*d))
            out.push_back(d);
    }
    for (int child : n.children)
        collect(child, column, filter, out);
}

std::vector<const Difference *> HeatmapGrid::differencesAt(int index, int column,
                                                           const HeatmapFilter &filter) const
{
    std::vector<const Difference *> out;
    if (index < 0 || index >= static_cast<int>(m_nodes.size()) || column < 0
        || column >= columnCount())
        return out;
    collect(index, column, filter, out);
    return out;
}

std::vector<const Difference *> HeatmapGrid::ownDifferencesAt(int index, int column,
                                                              const HeatmapFilter &filter) const
{
    std::vector<const Difference *> out;
    if (index < 0 || index >= static_cast<int>(m_nodes.size()) || column < 0
        || column >= columnCount())
        return out;
    for (const Difference *d : node(index).own[static_cast<std::size_t>(column)]) {
        if (filter.accepts(*d))
            out.push_back(d);
    }
    return out;
}

CellSummary HeatmapGrid::summaryAt(int index, int column, const HeatmapFilter &filter) const
{
    return HeatmapMapping::summarize(differencesAt(index, column, filter));
}

bool HeatmapGrid::hasDifferences(int index, const HeatmapFilter &filter) const
{
    if (index < 0 || index >= static_cast<int>(m_nodes.size()))
        return false;
    const HeatmapNode &n = node(index);
    for (const auto &cell : n.own) {
        if (std::ranges::any_of(cell, [&](const Difference *d) { return filter.accepts(*d); }))
            return true;
    }
    return std::ranges::any_of(n.children,
                               [&](int child) { return hasDifferences(child, filter); });
}

std::vector<std::string> HeatmapGrid::schemas() const
{
    std::set<std::string> out;
    if (m_report) {
        for (const auto &regionDrift : m_report->drifts) {
            for (const auto &d : regionDrift.differences)
                out.insert(d.schema);
        }
    }
    return {out.begin(), out.end()};
}

std::vector<ObjectKind> HeatmapGrid::kinds() const
{
    std::set<ObjectKind> present;
    if (m_report) {
        for (const auto &regionDrift : m_report->drifts) {
            for (const auto &d : regionDrift.differences)
                present.insert(d.kind);
        }
    }
    std::vector<ObjectKind> out;
    for (const ObjectKind kind : drift::allKinds()) {
        if (present.contains(kind))
            out.push_back(kind);
    }
    return out;
}

// --- HeatmapMapping ----------------------------------------------------------------------------

std::optional<Severity> HeatmapMapping::worst(const std::vector<const Difference *> &differences)
{
    std::optional<Severity> out;
    for (const Difference *d : differences) {
        if (!out || d->severity > *out)
            out = d->severity;
    }
    return out;
}

CellSummary HeatmapMapping::summarize(const std::vector<const Difference *> &differences)
{
    return {static_cast<int>(differences.size()), worst(differences)};
}

QColor HeatmapMapping::severityColor(std::optional<Severity> severity, bool aggregate)
{
    if (!severity)
        return QColor(0xf1, 0xf3, 0xf5);
    QColor color;
    switch (*severity) {
    case Severity::Breaking:
        color = QColor(0xd3, 0x2f, 0x2f);
        break;
    case Severity::Warning:
        color = QColor(0xf0, 0xa2, 0x02);
        break;
    case Severity::Info:
        color = QColor(0x78, 0x90, 0x9c);
        break;
    }
    return aggregate ? mixWithWhite(color, 0.55) : color;
}

QColor HeatmapMapping::textColor(std::optional<Severity> severity, bool aggregate)
{
    if (!severity)
        return QColor(0x9e, 0x9e, 0x9e);
    // White only on the dark red; amber, blue-grey and the group tints take dark text
    // (WCAG AA contrast for every pair, checked in tst_driftheatmap).
    if (!aggregate && *severity == Severity::Breaking)
        return QColor(0xff, 0xff, 0xff);
    return QColor(0x21, 0x21, 0x21);
}

QColor HeatmapMapping::errorColor()
{
    return QColor(0xc8, 0xc8, 0xc8);
}

QString HeatmapMapping::countText(int count)
{
    if (count <= 0)
        return {};
    if (count > 999)
        return QStringLiteral("999+");
    return QString::number(count);
}

QString HeatmapMapping::severityText(std::optional<Severity> severity)
{
    return severity ? qs(drift::severityName(*severity)) : QStringLiteral("none");
}

QString HeatmapMapping::describe(const Difference &d)
{
    QString text = QStringLiteral("%1 %2 %3 (%4)")
                           .arg(qs(drift::regionChangeName(d.change)), qs(drift::kindName(d.kind)),
                                qs(d.qualifiedName()), qs(drift::severityName(d.severity)));
    if (!d.details.empty())
        text += QStringLiteral(" — ") + qs(d.detailText());
    return text;
}

std::vector<Difference>
HeatmapMapping::detailObjects(const HeatmapNode &node,
                              const std::vector<const Difference *> &differences)
{
    auto object = [](ObjectKind kind, const std::string &schema, const std::string &name,
                     const std::string &table) {
        Difference d;
        d.kind = kind;
        d.schema = schema;
        d.name = name;
        d.table = table;
        return d;
    };
    std::vector<Difference> out;
    if (node.level == HeatmapNode::Level::Table && !node.children.empty()) {
        out.push_back(object(isRelationKind(node.kind) ? node.kind : ObjectKind::Table, node.schema,
                             node.name, {}));
        return out;
    }
    for (const Difference *d : differences) {
        const bool seen = std::ranges::any_of(out, [d](const Difference &x) {
            return x.kind == d->kind && x.schema == d->schema && x.name == d->name
                   && x.table == d->table;
        });
        if (!seen)
            out.push_back(object(d->kind, d->schema, d->name, d->table));
    }
    if (out.empty() && node.level != HeatmapNode::Level::Schema)
        out.push_back(object(node.kind, node.schema, node.name, node.table));
    return out;
}

QString HeatmapMapping::referenceText(const drift::DriftReport &report)
{
    QString text = QStringLiteral("Reference: ") + qs(report.referenceName);
    if (report.fellBackToSource)
        text += QStringLiteral(" (no golden snapshot yet)");
    return text;
}

} // namespace envsync::ui
