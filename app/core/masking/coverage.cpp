#include "core/masking/coverage.h"

#include "core/config/formats.h"

#include <algorithm>
#include <set>

namespace envsync::masking {

namespace {

std::string locationOf(const config::MaskRule &rule)
{
    return std::to_string(rule.location.line) + ':' + std::to_string(rule.location.column);
}

/// Rule identity for the foreign-key consistency check (same fields buildMaskPlan compares).
bool sameRule(const ColumnCoverage &a, const ColumnCoverage &b)
{
    return a.transform == b.transform && a.unique == b.unique && a.params == b.params;
}

void applyOwnRules(const config::MaskingConfig &masking,
                   std::map<std::string, ColumnCoverage *> &byName, CoverageReport &report)
{
    for (const auto &rule : masking.rules) {
        const auto parts = config::parseQualifiedName(rule.column, 3);
        if (!parts) {
            report.problems.push_back("masking rule: " + parts.error().message + " ("
                                      + locationOf(rule) + ')');
            continue;
        }
        const auto it = byName.find(config::formatQualifiedName(*parts));
        if (it == byName.end()) {
            report.problems.push_back("masking rule " + rule.column
                                      + ": no such column in the source (" + locationOf(rule)
                                      + ')');
            continue;
        }
        ColumnCoverage &column = *it->second;
        if (column.kind == CoverageKind::Rule) {
            report.problems.push_back("masking rule " + rule.column
                                      + ": the column already has a rule (" + locationOf(rule)
                                      + ')');
            continue;
        }
        column.kind = CoverageKind::Rule;
        column.transform = rule.transform;
        column.params = rule.params;
        column.unique = rule.unique;
    }
}

/// Foreign keys take the rule of the key they reference, repeated for chains of keys.
void inheritThroughForeignKeys(const drift::SchemaSnapshot &source,
                               std::map<std::string, ColumnCoverage *> &byName,
                               CoverageReport &report)
{
    std::set<std::string> reported;
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto &constraint : source.constraints) {
            if (constraint.type != drift::ConstraintType::ForeignKey
                || !constraint.referencedTable
                || constraint.columns.size() != constraint.referencedColumns.size())
                continue;
            for (std::size_t i = 0; i < constraint.columns.size(); ++i) {
                const auto from = byName.find(config::formatQualifiedName(
                        {constraint.referencedTable->schema, constraint.referencedTable->name,
                         constraint.referencedColumns[i]}));
                const auto to = byName.find(config::formatQualifiedName(
                        {constraint.table.schema, constraint.table.name, constraint.columns[i]}));
                if (from == byName.end() || to == byName.end())
                    continue;
                const ColumnCoverage &key = *from->second;
                ColumnCoverage &fk = *to->second;
                if (key.kind != CoverageKind::Rule && key.kind != CoverageKind::Inherited)
                    continue;
                if (fk.kind == CoverageKind::Rule || fk.kind == CoverageKind::Inherited) {
                    if (!sameRule(fk, key) && reported.insert(fk.display()).second)
                        report.problems.push_back("masking rule " + fk.display()
                                                  + ": differs from the rule of " + key.display()
                                                  + ", which it references (foreign key "
                                                  + constraint.name + "); joins would break");
                    continue;
                }
                fk.kind = CoverageKind::Inherited;
                fk.transform = key.transform;
                fk.params = key.params;
                fk.unique = key.unique;
                fk.inheritedFrom = key.inheritedFrom.empty() ? key.display() : key.inheritedFrom;
                changed = true;
            }
        }
    }
}

} // namespace

int CoverageReport::classified() const
{
    return static_cast<int>(std::ranges::count_if(
            columns, [](const ColumnCoverage &column) { return column.classified(); }));
}

std::string coverageKindName(CoverageKind kind)
{
    switch (kind) {
    case CoverageKind::Rule: return "rule";
    case CoverageKind::Inherited: return "inherited";
    case CoverageKind::Keep: return "keep";
    case CoverageKind::Unclassified: return "unclassified";
    }
    return "unclassified";
}

CoverageReport resolveCoverage(const config::MaskingConfig &masking,
                               const drift::SchemaSnapshot &source)
{
    CoverageReport report;
    for (const auto &table : source.tables) {
        for (const auto &column : table.columns) {
            ColumnCoverage entry;
            entry.schema = table.name.schema;
            entry.table = table.name.name;
            entry.column = column.name;
            entry.type = column.type;
            entry.generated = !column.generatedExpr.empty();
            report.columns.push_back(std::move(entry));
        }
    }
    // Pointers into report.columns: it is not resized from here on.
    std::map<std::string, ColumnCoverage *> byName;
    for (auto &column : report.columns)
        byName.emplace(column.display(), &column);

    applyOwnRules(masking, byName, report);
    inheritThroughForeignKeys(source, byName, report);
    // A keep entry never overrides a rule: buildMaskPlan masks such a column.
    for (const auto &entry : masking.keep) {
        const auto parts = config::parseQualifiedName(entry, 3);
        if (!parts)
            continue;
        if (const auto it = byName.find(config::formatQualifiedName(*parts));
            it != byName.end() && it->second->kind == CoverageKind::Unclassified)
            it->second->kind = CoverageKind::Keep;
    }
    return report;
}

} // namespace envsync::masking
