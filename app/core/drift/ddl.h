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
