#pragma once

#include "core/cdc/change.h"
#include "core/cdc/conflictpolicy.h"
#include "core/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace envsync::cdc {

// The SQL a region applier runs for one streamed row change. Identifiers are quoted
// (db/sqlquote.h); values are bound text parameters of unknown type, so the server reads them
// with the column's input function, exactly as COPY would.

/// One parameterised statement. Its text depends only on `shape` (kind, relation, which
/// columns carry values), so an applier prepares it once per shape and binds `params`.
struct ApplyStatement
{
    std::string shape;
    std::string sql;
    /// In $n order; nullptr binds NULL. They point into the tuples the statement was built
    /// from, which must outlive it.
    std::vector<const std::string *> params;
};

/// INSERT of a new row image. Its one result row says whether it inserted (`t`); no row or `f`
/// means it met an existing key: DO UPDATE overwrote it (SourceWins) or DO NOTHING kept it.
/// A relation without key columns (REPLICA IDENTITY FULL) inserts plainly.
[[nodiscard]] Result<ApplyStatement> insertStatement(const Relation &relation, const Tuple &row,
                                                     ConflictPolicy policy);

/// UPDATE of the columns the new image carries (Unchanged TOASTed values are left as they are),
/// found by the old key (or the new image's key when the key did not change), or — REPLICA
/// IDENTITY FULL — by every old value with IS NOT DISTINCT FROM, one row by ctid.
[[nodiscard]] Result<ApplyStatement> updateStatement(const Relation &relation,
                                                     const RowChange &change);

/// An update that re-creates a missing row (conflicts: source_wins): the UPDATE in a CTE, then
/// an INSERT of the complete new image only when it found no row — one statement, so it can be
/// pipelined. A result row means the update missed (a conflict). `columnTypes` are the region's
/// format_type() of each column (the INSERT … SELECT casts its values with them).
[[nodiscard]] Result<ApplyStatement>
updateOrInsertStatement(const Relation &relation, const RowChange &change,
                        const std::vector<std::string> &columnTypes);

/// An update whose key did not change (no old image) of a complete new image, under
/// conflicts: source_wins: INSERT … ON CONFLICT (key) DO UPDATE, the same statement as
/// insertStatement's. It does what updateOrInsertStatement does for such a change at about two
/// thirds of the server's work (no CTE). Its result row is `t` when the row was missing (a
/// conflict). Internal error for a change it does not fit (old image, keyless table, TOAST
/// placeholders).
[[nodiscard]] Result<ApplyStatement> upsertStatement(const Relation &relation,
                                                     const RowChange &change);

/// DELETE found like an update's row.
[[nodiscard]] Result<ApplyStatement> deleteStatement(const Relation &relation,
                                                     const RowChange &change);

/// TRUNCATE of the tables, never CASCADE: pgoutput lists every table the source truncated, and
/// cascading in a region could reach a preserved table.
[[nodiscard]] std::string truncateSql(const std::vector<const Relation *> &relations,
                                      bool restartIdentity);

/// True when no value of the image is an Unchanged TOAST placeholder (it can be inserted).
[[nodiscard]] bool isComplete(const Tuple &row);

// Set-based apply: consecutive changes of one relation with the same SetShape are applied by
// ONE statement whose values are bound as text arrays (one per column), cast to the region's
// column types. A set never holds the same key twice (setKey), so no change in it needs to see
// another's effect.

/// What a set statement does per row, as the per-row statement for such a change would.
enum class SetKind : std::uint8_t {
    Insert, ///< insertStatement's INSERT … ON CONFLICT (key)
    Upsert, ///< upsertStatement's (source_wins, update of a whole row by its unchanged key)
    Update, ///< updateStatement's by the unchanged key (skip, stop, or TOAST placeholders)
    Delete, ///< deleteStatement's by the old key
};

struct SetShape
{
    SetKind kind = SetKind::Insert;
    std::string sent; ///< 'v'/'u' per column: which values the set binds (Insert/Upsert/Update)

    bool operator==(const SetShape &) const = default;
};

/// The shape a change can be applied in a set with; nullopt for a change only the per-row
/// statements apply (REPLICA IDENTITY FULL or keyless tables, key changes, truncates, a key
/// value that is an Unchanged placeholder, a malformed image).
[[nodiscard]] std::optional<SetShape> setShape(const Relation &relation, const RowChange &change,
                                               ConflictPolicy policy);

/// The key values of a change setShape accepted, as one unambiguous string (equal strings:
/// equal keys, as pgoutput prints a stored value the same way each time).
[[nodiscard]] std::string setKey(const Relation &relation, const RowChange &change);

/// One statement for `changes` (all of `shape`, distinct setKeys). `baseTypes` are the region's
/// format_type(type, -1) per column: values are cast to the type without its modifier, and the
/// assignment to the column applies the modifier as it does to a bound value. The statement
/// owns its values (`arrays`; `statement.params` point into its elements, which a move of the
/// vector keeps where they are). Its result tells how many
/// rows it met (see SetKind): affected rows for Update/Delete, `t` rows for Insert/Upsert.
struct SetStatement
{
    ApplyStatement statement;
    std::vector<std::string> arrays;
};
[[nodiscard]] Result<SetStatement> setStatement(const Relation &relation, const SetShape &shape,
                                                const std::vector<const RowChange *> &changes,
                                                const std::vector<std::string> &baseTypes,
                                                ConflictPolicy policy);

/// A text[] literal of the values ({"a",NULL,"b\"c"}): NULL unquoted, everything else quoted.
[[nodiscard]] std::string textArrayLiteral(const std::vector<const TupleValue *> &values);

} // namespace envsync::cdc
