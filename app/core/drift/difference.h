#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::drift {

/// What a difference is about; the JSON `object_kind` strings are kindName().
enum class ObjectKind {
    Schema,
    Extension,
    Table,
    Column,
    Constraint,
    Index,
    Sequence,
    View,
    MaterializedView,
    Function,
    Procedure,
    Trigger,
    Enum,
    Domain,
    Type, ///< composite type
    Collation,
    Policy,
    Rls,
    Comment,
    Privilege,
};

/// Relative to FROM → TO (migra's direction). With FROM = region and TO = reference,
/// `Added` means "the region is missing it" and `Removed` means "the region has it extra".
enum class Change { Added, Removed, Changed };

/// Ordered: a difference's severity is the maximum over its aspects.
enum class Severity { Info, Warning, Breaking };

/// When, within a reconcile script, a statement runs. Drops of dependants first, then
/// creations in dependency order, then data-dropping drops, then the rest in dependency order.
/// Types, functions and tables are created in one phase ordered by their dependencies in TO
/// (DdlStatement::order is the object's depth in TO's dependency graph), and dropped in one
/// phase ordered the other way round in FROM's graph: a domain whose CHECK calls a function
/// comes after the function, a function taking a table's row type after the table.
enum class Phase {
    DropTriggers,
    DropPolicies,
    DropViews,
    DropForeignKeys,
    DropConstraints,
    DropIndexes,
    DropReplacedFunctions,
    DropRecreatedTables,
    DetachPartitions,
    CreateSchemas,
    CreateExtensions,
    CreateCollations,
    CreateSequences,
    CreateObjects, ///< enums, domains, composite types, functions, tables (and their alters)
    AlterTables,
    AttachPartitions,
    OwnSequences,
    DropColumns,
    DropObjects, ///< tables, sequences, functions, types; late composite-type alters
    DropCollations,
    DropExtensions,
    DropSchemas,
    CreateConstraints,
    CreateIndexes,
    CreateForeignKeys,
    CreateViews,
    CreateTriggers,
    CreatePolicies,
    RowSecurity,
    Comments,
};

/// One SQL statement of a reconcile script (without the trailing ';').
struct DdlStatement
{
    Phase phase = Phase::AlterTables;
    int order = 0; ///< within a phase: dependency depth (objects, views); negative for drops
    std::string sql;
    bool unsafe = false; ///< may drop data: emitted only as a comment unless allowUnsafe
    std::string reason;  ///< why it is unsafe ("drops table public.t and its rows")
};

/// One object-level difference between two schema catalogs.
struct Difference
{
    ObjectKind kind = ObjectKind::Table;
    std::string schema;
    /// Display name inside the schema: "customers" (table), "customers.email" (column),
    /// "customers.orders_pkey" (constraint, index, trigger, policy), "f(a integer)" (function).
    std::string name;
    std::string table; ///< the table for table-scoped objects, else empty
    Change change = Change::Changed;
    Severity severity = Severity::Warning;
    /// What differs, FROM → TO: {"type: numeric(12,2) → numeric(10,2)", "default: 'US' → 'DE'"}.
    std::vector<std::string> details;
    /// Statements that turn FROM into TO for this difference (children of an added or removed
    /// table are folded into the table's statements).
    std::vector<DdlStatement> statements;

    [[nodiscard]] bool unsafe() const;
    /// details joined with "; ".
    [[nodiscard]] std::string detailText() const;
    /// The statements as SQL text, each unsafe one after a "-- unsafe: …" line.
    [[nodiscard]] std::string ddl() const;
    /// "schema.name" (just the name for schemas): what ignore globs match.
    [[nodiscard]] std::string qualifiedName() const
    {
        return kind == ObjectKind::Schema ? name : schema + '.' + name;
    }
};

[[nodiscard]] std::string_view kindName(ObjectKind kind);
[[nodiscard]] std::optional<ObjectKind> kindFromName(std::string_view name);
[[nodiscard]] std::string_view changeName(Change change);
/// The same change seen from a region compared with its reference (FROM = region):
/// Added → "missing", Removed → "extra", Changed → "changed".
[[nodiscard]] std::string_view regionChangeName(Change change);
[[nodiscard]] std::string_view severityName(Severity severity);
[[nodiscard]] const std::vector<ObjectKind> &allKinds();

} // namespace envsync::drift
