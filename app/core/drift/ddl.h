#pragma once

#include "core/drift/difference.h"
#include "core/drift/ignorerules.h"
#include "core/drift/schemasnapshot.h"

#include <string>
#include <string_view>
#include <vector>

namespace envsync::drift {

/// Always quotes, doubling embedded '"': `Cust "VIP"` → `"Cust ""VIP"""`.
[[nodiscard]] std::string quoteIdent(std::string_view identifier);
/// A standard-conforming string literal: `it's` → `'it''s'`.
[[nodiscard]] std::string quoteLiteral(std::string_view text);
/// `"schema"."name"`
[[nodiscard]] std::string quoteQualified(const QualifiedName &name);

/// "GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME … START WITH …)" for an identity column (without
/// the parenthesis when its sequence is unknown); empty for other columns.
[[nodiscard]] std::string identityClause(const ColumnDef &column);

/// CREATE COLLATION for a collation of a snapshot.
[[nodiscard]] std::string createCollationSql(const CollationDef &collation);

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
[[nodiscard]] std::string reconcileSql(const SchemaSnapshot &from, const SchemaSnapshot &to,
                                       const DdlOptions &options = {});

/// Same for an already computed (perhaps filtered) list of differences.
[[nodiscard]] std::string renderScript(const std::vector<Difference> &differences,
                                       bool allowUnsafe);

/// One statement with its ';' (and its "-- unsafe" line; commented out unless allowUnsafe).
[[nodiscard]] std::string renderStatement(const DdlStatement &statement, bool allowUnsafe);

} // namespace envsync::drift
