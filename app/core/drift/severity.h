#pragma once

#include "core/drift/difference.h"

#include <span>
#include <string_view>

namespace envsync::drift {

/// Which property of an object differs. Added/removed objects use `Presence`; constraints use
/// `Key` (PK, unique, FK, exclusion) or `Check` for both presence and definition changes.
enum class Aspect {
    Presence,
    Key,
    Check,
    TypeCompatible,   ///< FROM's type accepts every value of TO's (numeric(12,2) vs (10,2))
    TypeIncompatible, ///< TO's values may not fit into FROM's type
    NotNullAdded,     ///< TO has NOT NULL, FROM has not
    NotNullDropped,
    Default,
    Identity,
    Generated,
    Collation,
    Signature,         ///< function identity arguments or result type
    EnumValuesMissing, ///< TO has labels FROM lacks
    EnumValuesOther,   ///< FROM has extra labels, or the order differs
    Definition,        ///< any other part of the definition (body, options, partitioning…)
    Comment,
    Privileges,
};

/// One row of the severity table: first match wins; nullopt fields match anything.
struct SeverityRule
{
    std::optional<ObjectKind> kind;
    std::optional<Change> change;
    std::optional<Aspect> aspect;
    Severity severity;
    std::string_view why;
};

/// The severity rules. Drift is reported for a region against a reference: FROM = region,
/// TO = reference (golden or source), so `Added` = missing in the region, `Removed` = extra in
/// the region. Read top-down, first match wins:
///
/// | kind                                  | change  | aspect             | severity |
/// |---------------------------------------|---------|--------------------|----------|
/// | comment                               | any     | any                | info     |
/// | any                                   | any     | Comment/Privileges | info     |
/// | table, column, schema, extension,     | added   | Presence           | breaking |
/// |   view, materialized view, function,  |         |                    |          |
/// |   procedure, enum, domain, type,      |         |                    |          |
/// |   collation                           |         |                    |          |
/// | constraint                            | added   | Key (PK/UQ/FK/EXCL)| breaking |
/// | constraint                            | changed | Key                | breaking |
/// | column, domain, type                  | changed | TypeIncompatible   | breaking |
/// | column                                | changed | NotNullAdded       | breaking |
/// | function, procedure                   | changed | Signature          | breaking |
/// | enum                                  | changed | EnumValuesMissing  | breaking |
/// | anything else (extra objects, indexes, defaults, triggers, checks, compatible type
/// |   changes such as numeric widening, view/function bodies, policies, RLS…) | warning |
///
/// A type change is *compatible* when FROM's (the region's) type holds every value of TO's,
/// e.g. region numeric(12,2) vs reference numeric(10,2): golden data still loads. The reconcile
/// DDL for it narrows the column and is marked unsafe all the same.
[[nodiscard]] std::span<const SeverityRule> severityRules();

/// Looks the rule up in severityRules().
[[nodiscard]] Severity severityFor(ObjectKind kind, Change change, Aspect aspect);

[[nodiscard]] std::string_view aspectName(Aspect aspect);

} // namespace envsync::drift
