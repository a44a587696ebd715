#include "core/masking/fkinheritance.h"

#include "core/config/formats.h"

#include <set>

namespace envsync::masking {

namespace {

std::string locationOf(const config::MaskRule &rule)
{
    return std::to_string(rule.location.line) + ':' + std::to_string(rule.location.column);
}

/// The columns the schema lists, and how partitions lead to their root.
class SchemaColumns
{
public:
    explicit SchemaColumns(const drift::SchemaCatalog &source)
    {
        for (const auto &table : source.tables) {
            if (table.partitionOf)
                m_partitionParent.emplace(table.name, *table.partitionOf);
            for (const auto &column : table.columns)
                m_known.insert({table.name.schema, table.name.name, column.name});
        }
    }

    [[nodiscard]] bool contains(const ColumnName &column) const { return m_known.contains(column); }

    /// A partition's column as its root's column (partitions list no columns of their own);
    /// any other column as it is.
    [[nodiscard]] ColumnName listed(const ColumnName &column) const
    {
        ColumnName name = column;
        for (int depth = 0; depth < 32 && !m_known.contains(name); ++depth) {
            const auto parent = m_partitionParent.find({name.schema, name.table});
            if (parent == m_partitionParent.end())
                return column;
            name.schema = parent->second.schema;
            name.table = parent->second.name;
        }
        return m_known.contains(name) ? name : column;
    }

private:
    std::set<ColumnName> m_known;
    std::map<drift::QualifiedName, drift::QualifiedName> m_partitionParent;
};

void applyOwnRules(const config::MaskingConfig &masking, const SchemaColumns &columns,
                   RuleResolution &resolution)
{
    for (const auto &rule : masking.rules) {
        const auto parts = config::parseQualifiedName(rule.column, 3);
        if (!parts) {
            resolution.problems.push_back(
                    {"masking rule: " + parts.error().message, locationOf(rule)});
            continue;
        }
        const ColumnName column{(*parts)[0], (*parts)[1], (*parts)[2]};
        if (!columns.contains(column)) {
            resolution.problems.push_back(
                    {"masking rule " + rule.column + ": no such column in the source",
                     locationOf(rule)});
            continue;
        }
        if (!resolution.rules.emplace(column, EffectiveRule{&rule, {}, {}}).second)
            resolution.problems.push_back(
                    {"masking rule " + rule.column + ": the column already has a rule",
                     locationOf(rule)});
    }
}

/// One pass over the foreign keys; true when a column took a rule.
bool inheritOnce(const drift::SchemaCatalog &source, const SchemaColumns &columns,
                 RuleResolution &resolution, std::set<ColumnName> &conflicting)
{
    bool changed = false;
    for (const auto &constraint : source.constraints) {
        if (constraint.type != drift::ConstraintType::ForeignKey || !constraint.referencedTable
            || constraint.columns.size() != constraint.referencedColumns.size())
            continue;
        for (std::size_t i = 0; i < constraint.columns.size(); ++i) {
            const ColumnName referenced = columns.listed({constraint.referencedTable->schema,
                                                          constraint.referencedTable->name,
                                                          constraint.referencedColumns[i]});
            const ColumnName column = columns.listed(
                    {constraint.table.schema, constraint.table.name, constraint.columns[i]});
            const auto key = resolution.rules.find(referenced);
            if (column == referenced || key == resolution.rules.end())
                continue;
            const EffectiveRule &keyRule = key->second;
            if (const auto own = resolution.rules.find(column); own != resolution.rules.end()) {
                if (!sameRule(*own->second.rule, *keyRule.rule)
                    && conflicting.insert(column).second)
                    resolution.problems.push_back(
                            {"masking rule " + column.display() + ": differs from the rule of "
                                     + referenced.display() + ", which it references (foreign key "
                                     + constraint.name + "); joins would break",
                             locationOf(own->second.inherited() ? *keyRule.rule
                                                                : *own->second.rule)});
                continue;
            }
            EffectiveRule inherited{keyRule.rule, {referenced}, {constraint.name}};
            inherited.path.insert(inherited.path.end(), keyRule.path.begin(), keyRule.path.end());
            inherited.foreignKeys.insert(inherited.foreignKeys.end(), keyRule.foreignKeys.begin(),
                                         keyRule.foreignKeys.end());
            resolution.rules.emplace(column, std::move(inherited));
            changed = true;
        }
    }
    return changed;
}

} // namespace

std::string ColumnName::display() const
{
    return config::formatQualifiedName({schema, table, column});
}

std::string EffectiveRule::inheritedFrom() const
{
    return path.empty() ? std::string() : path.back().display();
}

bool sameRule(const config::MaskRule &a, const config::MaskRule &b)
{
    return a.transform == b.transform && a.unique == b.unique && a.params == b.params;
}

RuleResolution resolveRules(const config::MaskingConfig &masking,
                            const drift::SchemaCatalog &source)
{
    const SchemaColumns columns(source);
    RuleResolution resolution;
    applyOwnRules(masking, columns, resolution);
    // Each pass reaches one more link of every chain; a cycle stops once all its columns
    // hold a rule.
    std::set<ColumnName> conflicting;
    while (inheritOnce(source, columns, resolution, conflicting)) {
    }
    return resolution;
}

} // namespace envsync::masking
