#pragma once

#include "core/drift/difference.h"
#include "core/drift/ignorerules.h"
#include "core/drift/schemacatalog.h"

#include <string>
#include <vector>

namespace envsync::drift {

/// Object-level differences FROM → TO, each with its severity (see severity.h) and the DDL
/// that turns FROM into TO for it. For drift, FROM is the region and TO the reference.
/// Children (columns, constraints, indexes, triggers, policies, comments, owned sequences) of
/// an added or removed table are folded into the table's difference; so are the children of
/// an added or removed view, function or type. Sorted by schema, name, kind. Pure: no I/O.
[[nodiscard]] std::vector<Difference> diff(const SchemaCatalog &from, const SchemaCatalog &to,
                                           const IgnoreRules &ignore = {});

/// True when every value of type `narrow` fits into type `wide` unchanged (both as printed by
/// format_type): integer → bigint, numeric(10,2) → numeric(12,2), varchar(10) → text, …
/// Equal types hold each other. Unknown combinations are false.
[[nodiscard]] bool typeHoldsAll(const std::string &wide, const std::string &narrow);

} // namespace envsync::drift
