#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::drift {

/// A schema-qualified object name, raw (unquoted) as stored in the catalogs.
struct QualifiedName
{
    std::string schema;
    std::string name;

    auto operator<=>(const QualifiedName &) const = default;
    /// "schema.name" for humans and ignore globs (not quoted; never feed it to the server).
    [[nodiscard]] std::string display() const { return schema + '.' + name; }
};

/// One column of one table.
struct ColumnRef
{
    QualifiedName table;
    std::string column;

    auto operator<=>(const ColumnRef &) const = default;
};

enum class Identity { None, Always, ByDefault };

/// The sequence behind an identity column: other objects may name it (nextval('…')), so a
/// re-created identity keeps its name and parameters. Its data type follows the column's.
struct IdentitySequenceDef
{
    QualifiedName name;
    std::int64_t start = 1;
    std::int64_t increment = 1;
    std::int64_t minValue = 1;
    std::int64_t maxValue = 0;
    std::int64_t cache = 1;
    bool cycle = false;

    auto operator<=>(const IdentitySequenceDef &) const = default;
};

struct ColumnDef
{
    std::string name;
    int position = 0;      ///< attnum; kept for display, never diffed (ALTER cannot reorder)
    std::string type;      ///< format_type(): "numeric(10,2)", "public.order_status"
    QualifiedName typeRef; ///< the type (the element type for arrays), for type recreation
    bool isArray = false;
    bool notNull = false;
    std::string defaultExpr; ///< pg_get_expr(); empty when none (and for generated columns)
    Identity identity = Identity::None;
    std::optional<IdentitySequenceDef> identitySequence; ///< set for identity columns
    std::string generatedExpr;  ///< STORED generation expression; empty when not generated
    std::string collation;      ///< quoted, qualified; empty when it is the type's default
    QualifiedName collationRef; ///< the same collation unquoted (empty when `collation` is)
    std::string comment;
};

enum class TableKind { Ordinary, Partitioned };

struct TableDef
{
    QualifiedName name;
    TableKind kind = TableKind::Ordinary;
    bool unlogged = false;
    std::string partitionKey;                 ///< pg_get_partkeydef(): "RANGE (ordered_at)"
    std::optional<QualifiedName> partitionOf; ///< parent when this table is a partition
    std::string partitionBound;               ///< "FOR VALUES FROM (...) TO (...)", "DEFAULT"
    std::vector<QualifiedName> inherits;      ///< INHERITS parents (not the partition parent)
    bool rowSecurity = false;
    bool forceRowSecurity = false;
    std::vector<std::string> options; ///< reloptions, "fillfactor=70"
    std::vector<ColumnDef> columns;   ///< local (not inherited) columns in attnum order
    std::string comment;
};

enum class ConstraintType { PrimaryKey, Unique, ForeignKey, Check, Exclusion };

struct ConstraintDef
{
    QualifiedName table;
    std::string name;
    ConstraintType type = ConstraintType::Check;
    std::string definition; ///< pg_get_constraintdef(): "FOREIGN KEY (a) REFERENCES ..."
    std::optional<QualifiedName> referencedTable; ///< foreign keys
    std::optional<QualifiedName> referencedIndex; ///< foreign keys: the unique index they use
    std::string comment;
    /// Key columns in key order (conkey): PK/unique/FK columns; empty for checks.
    std::vector<std::string> columns;
    /// Foreign keys: the referenced columns (confkey), pairwise with `columns`.
    std::vector<std::string> referencedColumns;
};

/// An index that does not back a PK/unique/exclusion constraint.
struct IndexDef
{
    QualifiedName table;    ///< table or materialized view
    std::string name;       ///< lives in table.schema
    std::string definition; ///< pg_get_indexdef() (without ONLY for partitioned indexes)
    std::string comment;
    bool valid = true; ///< false after a failed CREATE INDEX CONCURRENTLY, or an ONLY index
};

/// Definition only, never the current value.
struct SequenceDef
{
    QualifiedName name;
    std::string dataType;
    std::int64_t start = 1;
    std::int64_t increment = 1;
    std::int64_t minValue = 1;
    std::int64_t maxValue = 0;
    std::int64_t cache = 1;
    bool cycle = false;
    std::optional<ColumnRef> ownedBy; ///< serial-style ownership (identity sequences are skipped)
    std::string comment;
};

enum class ViewKind { View, Materialized };

struct ViewDef
{
    QualifiedName name;
    ViewKind kind = ViewKind::View;
    std::string definition; ///< pg_get_viewdef() without the trailing ';'
    std::vector<std::string>
            options; ///< reloptions ("security_barrier=true", "check_option=local")
    std::vector<QualifiedName> dependsOnRelations; ///< tables and views it reads
    std::vector<ColumnRef> dependsOnColumns;
    std::vector<std::string> dependsOnFunctions; ///< FunctionDef::key()
    std::string comment;
};

enum class FunctionKind { Function, Procedure };

struct FunctionDef
{
    QualifiedName name;
    FunctionKind kind = FunctionKind::Function;
    std::string identityArguments; ///< pg_get_function_identity_arguments()
    std::string result;            ///< pg_get_function_result(); empty for procedures
    std::string definition;        ///< pg_get_functiondef() ("CREATE OR REPLACE ..."), no ';'
    std::string comment;

    /// Unique within a database: schema, name and identity arguments.
    [[nodiscard]] std::string key() const { return makeKey(name, identityArguments); }
    [[nodiscard]] static std::string makeKey(const QualifiedName &name, const std::string &args)
    {
        return name.schema + '\x1f' + name.name + '\x1f' + args;
    }
};

struct TriggerDef
{
    QualifiedName table;
    std::string name;
    std::string definition;  ///< pg_get_triggerdef()
    std::string functionKey; ///< FunctionDef::key() of the trigger function
    std::string comment;
};

struct EnumDef
{
    QualifiedName name;
    std::vector<std::string> labels; ///< in sort order
    std::string comment;
};

struct DomainConstraintDef
{
    std::string name;
    std::string definition; ///< "CHECK (VALUE > 0)"

    auto operator<=>(const DomainConstraintDef &) const = default;
};

struct DomainDef
{
    QualifiedName name;
    std::string baseType; ///< format_type()
    bool notNull = false;
    std::string defaultExpr;
    std::string collation;                        ///< empty when the base type's default
    std::vector<DomainConstraintDef> constraints; ///< sorted by name
    std::string comment;
};

struct CompositeAttributeDef
{
    std::string name;
    std::string type;

    auto operator<=>(const CompositeAttributeDef &) const = default;
};

struct CompositeTypeDef
{
    QualifiedName name;
    std::vector<CompositeAttributeDef> attributes; ///< in attnum order
    std::string comment;
};

struct ExtensionDef
{
    std::string name;
    std::string version;
    std::string schema;
    std::string comment;
};

struct PolicyDef
{
    QualifiedName table;
    std::string name;
    std::string command = "ALL"; ///< ALL, SELECT, INSERT, UPDATE, DELETE
    bool permissive = true;
    std::vector<std::string> roles; ///< quoted role names or PUBLIC, sorted
    std::string usingExpr;
    std::string withCheckExpr;
    std::string comment;
};

/// A collation created with CREATE COLLATION (not the built-in or imported ones in pg_catalog).
struct CollationDef
{
    QualifiedName name;
    std::string provider; ///< "icu" or "libc"
    std::string locale;   ///< ICU locale; for libc empty (see lcCollate, lcCtype)
    std::string lcCollate;
    std::string lcCtype;
    bool deterministic = true;
    std::string comment;
};

/// "dependent needs referenced": one pg_depend fact between two objects the snapshot holds,
/// as objectKey()s. Columns, constraints, defaults and rules stand for their table, view or
/// domain; a row type for its table; an array type for its element type. The reconcile script
/// orders creations and drops by these facts.
struct DependencyDef
{
    std::string dependent;
    std::string referenced;

    auto operator<=>(const DependencyDef &) const = default;
};

/// The key of an object in DependencyDef. `kind` is "table" (tables and partitioned tables),
/// "view" (views, materialized views), "sequence", "type" (enum, domain, composite),
/// "function" (functions, procedures; `arguments` are the identity arguments) or "collation".
[[nodiscard]] inline std::string objectKey(std::string_view kind, const QualifiedName &name,
                                           std::string_view arguments = {})
{
    std::string key(kind);
    key += '\x1f';
    key += name.schema;
    key += '\x1f';
    key += name.name;
    key += '\x1f';
    key += arguments;
    return key;
}

struct SchemaDef
{
    std::string name;
    std::string comment;
};

/// A database's schema as plain values: what the drift engine compares. Every vector is sorted
/// by its key so two snapshots of equal schemas compare equal element by element.
struct SchemaCatalog
{
    std::string database;
    std::string serverVersion;
    std::vector<SchemaDef> schemas;
    std::vector<ExtensionDef> extensions;
    std::vector<TableDef> tables;
    std::vector<ConstraintDef> constraints;
    std::vector<IndexDef> indexes;
    std::vector<SequenceDef> sequences;
    std::vector<ViewDef> views;
    std::vector<FunctionDef> functions;
    std::vector<TriggerDef> triggers;
    std::vector<EnumDef> enums;
    std::vector<DomainDef> domains;
    std::vector<CompositeTypeDef> compositeTypes;
    std::vector<PolicyDef> policies;
    std::vector<CollationDef> collations;
    std::vector<DependencyDef> dependencies; ///< sorted, unique

    [[nodiscard]] const TableDef *findTable(const QualifiedName &name) const;
    [[nodiscard]] const ViewDef *findView(const QualifiedName &name) const;
};

} // namespace envsync::drift
