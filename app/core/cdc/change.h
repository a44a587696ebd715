#pragma once

#include "lsn.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace envsync::cdc {

// The shapes a source change takes between the stream reader, the spool and the appliers.
// Everything here past the masker holds masked values only.

/// One column of a published relation, as pgoutput's Relation message describes it, plus the
/// type's name (format_type) so an applier can add the column without asking the source.
struct RelationColumn
{
    std::string name;
    std::uint32_t typeOid = 0;
    std::int32_t typeModifier = -1;
    std::string typeName; ///< format_type(typeOid, typeModifier); may be empty off the wire
    bool key = false;     ///< part of the replica identity
};

/// A published table. `id` is the source's pg_class OID: stable across ALTER TABLE.
struct Relation
{
    std::uint32_t id = 0;
    std::string schema;
    std::string table;
    char replicaIdentity = 'd'; ///< d default (primary key), n nothing, f full, i index
    std::vector<RelationColumn> columns;

    [[nodiscard]] std::string display() const { return schema + '.' + table; }
};

/// One column value of a row image in text form (the type's output function, as COPY writes).
struct TupleValue
{
    enum class Kind : std::uint8_t {
        Null,
        Unchanged, ///< an unchanged TOASTed value pgoutput did not send: keep the target's
        Text,
    };
    Kind kind = Kind::Null;
    std::string text;

    bool operator==(const TupleValue &) const = default;
};

using Tuple = std::vector<TupleValue>; ///< in the relation's column order

enum class ChangeKind : std::uint8_t { Insert, Update, Delete, Truncate };

struct RowChange
{
    ChangeKind kind = ChangeKind::Insert;
    std::uint32_t relationId = 0;
    /// Update/Delete: the old row image. `oldIsKey`: only the replica-identity columns are
    /// meaningful ('K'); otherwise the full old row ('O', REPLICA IDENTITY FULL). An Update
    /// without an old image did not change its key: the key is read from `newTuple`.
    std::optional<Tuple> oldTuple;
    bool oldIsKey = true;
    /// Insert/Update: the new row image.
    Tuple newTuple;
    /// Truncate: every relation truncated together (relationId is the first of them).
    std::vector<std::uint32_t> truncated;
    bool truncateCascade = false;
    bool truncateRestartIdentity = false;
};

/// One committed source transaction, in commit order.
struct SourceTransaction
{
    std::uint32_t xid = 0;
    Lsn commitLsn = 0;                 ///< LSN of the commit record (pgoutput Begin's final_lsn)
    Lsn endLsn = 0;                    ///< end of the commit record: where the next one may start
    std::int64_t commitTimeMicros = 0; ///< Unix epoch, microseconds (UTC)
    std::vector<RowChange> changes;
};

/// A source sequence's last_value, read after the transactions before it in the spool were
/// committed: an applier sets the region's sequence to at least this, so a squad's own inserts
/// never take a key the stream will bring.
struct SequenceValue
{
    std::string schema;
    std::string name;
    std::int64_t lastValue = 0;

    bool operator==(const SequenceValue &) const = default;
};

/// One record of the spool, in the order the stream reader wrote them.
struct SpoolEntry
{
    enum class Kind : std::uint8_t {
        Relation,    ///< a relation's (new) shape; precedes the transactions that use it
        Transaction, ///< a committed transaction's masked changes
        Sequences,   ///< source sequence values after the preceding transactions
        Position,    ///< nothing to apply up to `position` (heartbeat or keepalive)
    };
    Kind kind = Kind::Position;
    cdc::Relation relation;
    SourceTransaction transaction;
    std::vector<SequenceValue> sequences;
    Lsn position = 0;

    /// The LSN this entry brings the spool to: a transaction's endLsn, a position's position;
    /// 0 for relations and sequences (they carry no WAL position of their own).
    [[nodiscard]] Lsn endLsn() const
    {
        switch (kind) {
        case Kind::Transaction:
            return transaction.endLsn;
        case Kind::Position:
            return position;
        default:
            return 0;
        }
    }
};

} // namespace envsync::cdc
