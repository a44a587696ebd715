#pragma once

#include "core/db/sqlquote.h"
#include "core/drift/difference.h"
#include "core/drift/ignorerules.h"
#include "core/drift/schemacatalog.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::drift {

// Quoting is db::quoteIdentifier / db::quoteLiteral (core/db/sqlquote.h): the reconcile DDL is
// text the user runs, so its values are literals.

/// `"schema"."name"` (db::qualifiedName of a drift name)
[[nodiscard]] std::string quoteQualified(const QualifiedName &name);

/// "GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME … START WITH …)" for an identity column (without
/// the parenthesis when its sequence is unknown); empty for other columns.
[[nodiscard]] std::string identityClause(const ColumnDef &column);

/// CREATE COLLATION for a collation of a snapshot.
[[nodiscard]] std::string createCollationSql(const CollationDef &collation);

// ---- Builders shared by the differ (diff_*.cpp) and definitionOf (definition.cpp) -----------
// Each piece of DDL is spelled here once. Statements come without their ';'.

/// `items` joined by `separator`.
[[nodiscard]] std::string joinList(const std::vector<std::string> &items,
                                   std::string_view separator);

/// A column as CREATE TABLE and ADD COLUMN spell it: `"name" type COLLATE … GENERATED ALWAYS AS
/// (…) STORED | identity DEFAULT … NOT NULL`.
[[nodiscard]] std::string columnDefinition(const ColumnDef &column);

/// COMMENT ON target IS '…' (IS NULL for an empty comment, which removes it).
[[nodiscard]] std::string commentSql(const std::string &target, const std::string &comment);

[[nodiscard]] std::string createSchemaSql(const std::string &schema);
[[nodiscard]] std::string createExtensionSql(const ExtensionDef &extension);

/// "AS bigint INCREMENT BY … NO CYCLE": what CREATE and ALTER SEQUENCE take.
[[nodiscard]] std::string sequenceParameters(const SequenceDef &sequence);
[[nodiscard]] std::string createSequenceSql(const SequenceDef &sequence);
/// ALTER SEQUENCE … OWNED BY table.column, or OWNED BY NONE without an owner.
[[nodiscard]] std::string sequenceOwnedBySql(const QualifiedName &sequence,
                                             const std::optional<ColumnRef> &owner);

/// ALTER TABLE … ADD CONSTRAINT "name" definition
[[nodiscard]] std::string addConstraintSql(const ConstraintDef &constraint);
[[nodiscard]] std::string createPolicySql(const PolicyDef &policy);
/// ALTER TABLE … ENABLE | DISABLE ROW LEVEL SECURITY
[[nodiscard]] std::string rowSecuritySql(const QualifiedName &table, bool enable);
/// ALTER TABLE … FORCE | NO FORCE ROW LEVEL SECURITY
[[nodiscard]] std::string forceRowSecuritySql(const QualifiedName &table, bool force);

/// 'a', 'b', 'c'
[[nodiscard]] std::string enumLabels(const std::vector<std::string> &labels);
[[nodiscard]] std::string createEnumSql(const QualifiedName &name,
                                        const std::vector<std::string> &labels);

/// How a multi-part statement is laid out: on one line (the reconcile script) or with its parts
/// indented on lines of their own (the definition pane).
enum class Layout { OneLine, Indented };
[[nodiscard]] std::string createDomainSql(const DomainDef &domain, Layout layout);
[[nodiscard]] std::string createCompositeTypeSql(const CompositeTypeDef &type, Layout layout);

/// CREATE [UNLOGGED] TABLE "schema"."name"
[[nodiscard]] std::string createTableHead(const TableDef &table);
/// A table's elements (column definitions, …) in parentheses, one a line; " ()" for none.
[[nodiscard]] std::string tableElements(const std::vector<std::string> &items);
/// " INHERITS (…)", empty without parents.
[[nodiscard]] std::string inheritsClause(const std::vector<QualifiedName> &parents);

/// FUNCTION or PROCEDURE
[[nodiscard]] std::string functionKeyword(const FunctionDef &function);
/// "schema"."name"(identity arguments)
[[nodiscard]] std::string functionSignature(const FunctionDef &function);

/// Deparsed expressions are not a fixed point of parse and deparse: `status IN ('a', 'b')` on
/// a varchar column prints as `(ARRAY['a'::character varying, …])::text[]`, and that text,
/// run again, prints as `ARRAY[('a'::character varying)::text, …]`. This rewrites the first
/// spelling into the second so two definitions of the same expression compare equal. For
/// comparisons only: the DDL keeps the server's text.
[[nodiscard]] std::string normalizeExpression(std::string_view sql);
/// a == b, or equal once normalised.
[[nodiscard]] bool sameExpression(const std::string &a, const std::string &b);

struct DdlOptions
{
    /// Emit statements that may drop data (DROP TABLE, DROP COLUMN, narrowing type changes,
    /// enum recreation) as SQL; otherwise they appear only as comments.
    bool allowUnsafe = false;
    /// Differences these rules match are left out of the script.
    IgnoreRules ignore;
};

/// The SQL script that turns FROM's schema into TO's (migra's direction): every difference's
/// statements, deduplicated and ordered by Phase (drops of dependants first, creations in
/// dependency order, drops of data last), each unsafe statement after a "-- unsafe: …" line.
/// Run it in one transaction. Empty when the schemas match.
[[nodiscard]] std::string reconcileSql(const SchemaCatalog &from, const SchemaCatalog &to,
                                       const DdlOptions &options = {});

/// Same for an already computed (perhaps filtered) list of differences.
[[nodiscard]] std::string renderScript(const std::vector<Difference> &differences,
                                       bool allowUnsafe);

/// One statement with its ';' (and its "-- unsafe" line; commented out unless allowUnsafe).
[[nodiscard]] std::string renderStatement(const DdlStatement &statement, bool allowUnsafe);

} // namespace envsync::drift
