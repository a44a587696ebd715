#pragma once

#include "core/drift/difference.h"
#include "core/drift/schemacatalog.h"

#include <string>

namespace envsync::drift {

/// The SQL definition of the object a difference is about, as it exists in `snapshot`: the
/// CREATE TABLE (with its constraints, indexes, triggers and policies) for a table, the column
/// line for a column, pg_get_indexdef() for an index, pg_get_functiondef() for a function, the
/// COMMENT ON statement for a comment, and so on. Empty when the object is absent from the
/// snapshot (a region missing it, or the reference for an extra object).
///
/// For a function whose signature changed the difference names the reference's overload; on
/// the other side every overload of the same name is shown so the old signature is visible.
/// Pure: reads only the catalog (the drift view's side-by-side pane).
[[nodiscard]] std::string definitionOf(const SchemaCatalog &snapshot, const Difference &difference);

} // namespace envsync::drift
