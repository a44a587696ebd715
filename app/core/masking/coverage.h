#pragma once

#include "core/config/config.h"
#include "core/config/formats.h"
#include "core/drift/schemacatalog.h"

#include <map>
#include <string>
#include <vector>

namespace envsync::masking {

/// How a source column is treated by the masking rules.
enum class CoverageKind {
    Rule,        ///< its own rule in masking.rules
    Inherited,   ///< a foreign key column: the rule of the key it references
    Keep,        ///< listed in masking.keep: copied as is, deliberately
    Unclassified ///< neither: what fail-closed refuses on
};

/// One column of the source with the rule that applies to it.
struct ColumnCoverage
{
    std::string schema;
    std::string table;
    std::string column;
    std::string type;
    bool generated = false; ///< a STORED generated column (recomputed, never copied)
    CoverageKind kind = CoverageKind::Unclassified;
    /// Rule and Inherited: the rule's transform and parameters (of the referenced key's rule
    /// for Inherited).
    std::string transform;
    std::map<std::string, std::string> params;
    bool unique = false;
    std::string inheritedFrom; ///< Inherited: "schema.table.column" of the referenced key

    /// The column as a masking reference (quoted where needed, like quote_ident).
    [[nodiscard]] std::string display() const
    {
        return config::formatQualifiedName({schema, table, column});
    }
    [[nodiscard]] bool classified() const { return kind != CoverageKind::Unclassified; }
};

struct CoverageReport
{
    std::vector<ColumnCoverage> columns; ///< every column of the source, in schema order
    /// Rules the source does not match ("masking rule a.b.c: no such column in the source
    /// (12:7)"); buildMaskPlan refuses such a config.
    std::vector<std::string> problems;

    [[nodiscard]] int total() const { return static_cast<int>(columns.size()); }
    [[nodiscard]] int classified() const;
};

/// Resolves the masking rules against a source schema without the salt, with resolveRules
/// (fkinheritance.h) as buildMaskPlan does (own rules, foreign keys inheriting the rule of the
/// key they reference, keep entries), so a console can show coverage while no salt is at hand.
/// Pure.
[[nodiscard]] CoverageReport resolveCoverage(const config::MaskingConfig &masking,
                                             const drift::SchemaCatalog &source);

/// "rule", "inherited", "keep", "unclassified".
[[nodiscard]] std::string coverageKindName(CoverageKind kind);

} // namespace envsync::masking
