#pragma once

#include "core/config/config.h"
#include "core/drift/schemacatalog.h"
#include "core/error.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::masking {

/// Masks the rows of one table as they stream through COPY in text format. Immutable after
/// construction, so one instance is shared by every worker thread copying that table.
class TableMasker
{
public:
    virtual ~TableMasker() = default;
    /// Transforms one COPY text-format row in place (fields separated by '\t', NULL as \N,
    /// backslash escapes as PostgreSQL writes them; no trailing newline). Columns are in the
    /// order given to MaskPlan::forTable.
    virtual void maskRow(std::string &row) const = 0;
    /// The masked columns (for progress, logs and verify).
    [[nodiscard]] virtual std::vector<std::string> maskedColumns() const = 0;
};

/// A column nobody classified: no rule and not in `keep`.
struct UnclassifiedColumn
{
    std::string schema;
    std::string table;
    std::string column;
    std::string type;
};

/// The masking rules resolved against a source schema: which transform applies to which column,
/// including the foreign-key columns that inherit a rule from the key they reference.
class MaskPlan
{
public:
    virtual ~MaskPlan() = default;
    /// nullptr when no column of the table is masked (copy it as is, binary COPY allowed).
    /// `columns` is the COPY column list, in order.
    [[nodiscard]] virtual std::shared_ptr<const TableMasker>
    forTable(const std::string &schema, const std::string &table,
             const std::vector<std::string> &columns) const = 0;
    /// Columns with neither a rule nor a keep entry (what fail-closed refuses on).
    [[nodiscard]] virtual const std::vector<UnclassifiedColumn> &unclassified() const = 0;
    /// A stable hash of the rules and the salt's identity (never the salt), recorded with a
    /// snapshot so a later snapshot made with other rules is visibly different.
    [[nodiscard]] virtual std::string rulesHash() const = 0;
};

/// Resolves the config's masking rules against the source schema. Fails with ErrorCode::Config
/// naming the rule (file:line:column) when a rule's column does not exist or its parameters are
/// invalid, and with ErrorCode::Refused when the salt is missing. `salt` comes from
/// resolveSalt (env / keychain), never from the config.
[[nodiscard]] Result<std::unique_ptr<MaskPlan>> buildMaskPlan(const config::MaskingConfig &masking,
                                                              const drift::SchemaCatalog &source,
                                                              std::string salt);

/// Reads the salt named by the config (environment variable; the GUI supplies keychain values).
[[nodiscard]] Result<std::string> resolveSalt(const config::SaltSource &source);

} // namespace envsync::masking
