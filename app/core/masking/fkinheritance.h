#pragma once

#include "core/config/config.h"
#include "core/drift/schemacatalog.h"

#include <compare>
#include <map>
#include <string>
#include <vector>

namespace envsync::masking {

/// A column by its raw (unquoted) catalog names.
struct ColumnName
{
    std::string schema;
    std::string table;
    std::string column;

    auto operator<=>(const ColumnName &) const = default;
    /// The column as a masking reference, quoted where needed (like quote_ident).
    [[nodiscard]] std::string display() const;
};

/// The rule that applies to one column: its own, or the one of the key it references.
struct EffectiveRule
{
    const config::MaskRule *rule = nullptr; ///< points into the MaskingConfig resolved
    /// Inherited: the referenced keys walked, the nearest first; the last one has `rule` as its
    /// own rule. Empty for a column's own rule.
    std::vector<ColumnName> path;
    /// Inherited: the foreign keys walked, pairwise with `path`.
    std::vector<std::string> foreignKeys;

    [[nodiscard]] bool inherited() const { return !path.empty(); }
    /// Inherited: "schema.table.column" of the column whose own rule this is; else empty.
    [[nodiscard]] std::string inheritedFrom() const;
};

/// A rule the source schema does not fit, as buildMaskPlan refuses it and coverage lists it.
struct RuleProblem
{
    std::string message;  ///< "masking rule public.a.b: no such column in the source"
    std::string location; ///< "line:column" of the rule in the config file
};

struct RuleResolution
{
    /// Every column a rule reaches. Foreign-key ends on partitions are read as the partition
    /// root's columns (the mask plan masks partitions with their root's rules); an end the
    /// schema lists no column for (an inherited column of an INHERITS child) stays as named.
    std::map<ColumnName, EffectiveRule> rules;
    std::vector<RuleProblem> problems; ///< in the order of the rules, conflicts after
};

/// Two rules mask alike: same transform, parameters and uniqueness.
[[nodiscard]] bool sameRule(const config::MaskRule &a, const config::MaskRule &b);

/// Resolves masking.rules against a source schema: each rule's own column (references read as
/// PostgreSQL reads identifiers; unknown columns and second rules for a column are problems),
/// then foreign keys, to a fixed point: a foreign-key column takes the rule of the column it
/// references (also through chains, composite keys pairwise, cycles and keys referencing
/// another schema), unless it has a rule of its own; an own or inherited rule that differs from
/// the referenced key's is a problem (joins would break). The one implementation behind
/// buildMaskPlan and resolveCoverage, so `mask --check`, the console and a snapshot agree.
/// Pure; the rules in the result point into `masking`.
[[nodiscard]] RuleResolution resolveRules(const config::MaskingConfig &masking,
                                          const drift::SchemaCatalog &source);

} // namespace envsync::masking
