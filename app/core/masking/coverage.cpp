#include "core/masking/coverage.h"

#include "core/config/formats.h"
#include "core/masking/fkinheritance.h"

#include <algorithm>
#include <set>

namespace envsync::masking {

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
                               const drift::SchemaCatalog &source)
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
    const RuleResolution resolution = resolveRules(masking, source);
    for (const auto &problem : resolution.problems)
        report.problems.push_back(problem.message + " (" + problem.location + ')');
    std::set<ColumnName> keep;
    for (const auto &entry : masking.keep) {
        if (const auto parts = config::parseQualifiedName(entry, 3))
            keep.insert({(*parts)[0], (*parts)[1], (*parts)[2]});
    }
    for (auto &column : report.columns) {
        const ColumnName name{column.schema, column.table, column.column};
        const auto rule = resolution.rules.find(name);
        if (rule == resolution.rules.end()) {
            if (keep.contains(name)) // a keep entry never overrides a rule, as in the plan
                column.kind = CoverageKind::Keep;
            continue;
        }
        const EffectiveRule &effective = rule->second;
        column.kind = effective.inherited() ? CoverageKind::Inherited : CoverageKind::Rule;
        column.transform = effective.rule->transform;
        column.params = effective.rule->params;
        column.unique = effective.rule->unique;
        column.inheritedFrom = effective.inheritedFrom();
    }
    return report;
}

} // namespace envsync::masking
