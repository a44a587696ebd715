#pragma once

#include "core/cdc/change.h"
#include "core/cdc/lsn.h"
#include "core/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace envsync::cdc {

// The messages of PostgreSQL's pgoutput plugin, protocol version 1 (PostgreSQL 15 docs,
// "Logical Replication Message Formats"), as the stream reader sees them. Times are Unix epoch
// microseconds (UTC); the wire counts from 2000-01-01.
namespace pgoutput {

struct Begin
{
    Lsn finalLsn = 0; ///< LSN of the transaction's commit record
    std::int64_t commitTimeMicros = 0;
    std::uint32_t xid = 0;

    bool operator==(const Begin &) const = default;
};

struct Commit
{
    std::uint8_t flags = 0; ///< unused by the server so far
    Lsn commitLsn = 0;
    Lsn endLsn = 0; ///< end of the commit record
    std::int64_t commitTimeMicros = 0;

    bool operator==(const Commit &) const = default;
};

/// The transaction was replayed from another node (replication origin); precedes its changes.
struct Origin
{
    Lsn commitLsn = 0; ///< commit LSN on the origin server
    std::string name;

    bool operator==(const Origin &) const = default;
};

/// A non-built-in column type; the wire names its schema and name.
struct Type
{
    std::uint32_t typeOid = 0;
    std::string schema;
    std::string name;

    bool operator==(const Type &) const = default;
};

struct Insert
{
    std::uint32_t relationId = 0;
    Tuple newTuple;

    bool operator==(const Insert &) const = default;
};

struct Update
{
    std::uint32_t relationId = 0;
    /// 'K' (only the old key's columns are meaningful) or 'O' (the full old row, REPLICA
    /// IDENTITY FULL); absent when the key did not change.
    std::optional<Tuple> oldTuple;
    bool oldIsKey = true;
    Tuple newTuple;

    bool operator==(const Update &) const = default;
};

struct Delete
{
    std::uint32_t relationId = 0;
    Tuple oldTuple;
    bool oldIsKey = true; ///< 'K' key columns only; false: 'O' the full old row

    bool operator==(const Delete &) const = default;
};

struct Truncate
{
    std::vector<std::uint32_t> relationIds;
    bool cascade = false;
    bool restartIdentity = false;

    bool operator==(const Truncate &) const = default;
};

/// pg_logical_emit_message (sent only with the `messages` option): EnvSync's heartbeats.
struct Message
{
    Lsn lsn = 0;
    bool transactional = false;
    std::string prefix;
    std::string content; ///< bytes, may hold NULs

    bool operator==(const Message &) const = default;
};

} // namespace pgoutput

using DecodedMessage
        = std::variant<pgoutput::Begin, pgoutput::Commit, pgoutput::Origin, cdc::Relation,
                       pgoutput::Type, pgoutput::Insert, pgoutput::Update, pgoutput::Delete,
                       pgoutput::Truncate, pgoutput::Message>;

/// Decodes one pgoutput message (the payload of one XLogData). A Relation's columns carry no
/// typeName (the wire has only OIDs); under REPLICA IDENTITY FULL the server flags every
/// column as key. Malformed, truncated or over-long input, a binary column
/// value ('b': EnvSync never asks for binary) or an unknown message kind is an Error
/// (ErrorCode::Database, naming the message kind and byte offset, never the bytes themselves:
/// they may be row values); every read is bounds-checked.
[[nodiscard]] Result<DecodedMessage> decodePgOutput(std::string_view bytes);

/// Microseconds since PostgreSQL's epoch (2000-01-01 UTC) as Unix epoch microseconds; nullopt
/// when the result does not fit.
[[nodiscard]] std::optional<std::int64_t> pgEpochToUnixMicros(std::int64_t pgMicros);

} // namespace envsync::cdc
