#pragma once

#include "core/cdc/change.h"
#include "core/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace envsync::cdc {

// The bytes of one spool record's payload. Compact binary, little-endian where fixed-width:
//   u8 version (1) · u8 kind (0 Relation, 1 Transaction, 2 Sequences, 3 Position) · body
// Integers are LEB128 varints (signed ones zigzag-encoded); strings are a varint length and the
// raw bytes (any byte allowed: NUL, newlines, invalid UTF-8 round-trip unchanged).
//   Relation:    id · schema · table · u8 replicaIdentity · n · n × (name · typeOid ·
//                typeModifier(signed) · typeName · u8 key)
//   Transaction: xid · commitLsn · endLsn · commitTimeMicros(signed) · n · n × change
//     change:    u8 kind · relationId · u8 flags (1 old image, 2 oldIsKey, 4 cascade,
//                8 restartIdentity) · [old tuple] · new tuple · n · n × truncated relation id
//     tuple:     n · n × (u8 kind (0 Null, 1 Unchanged, 2 Text) · [text])
//   Sequences:   n · n × (schema · name · lastValue(signed))
//   Position:    position
// Decoding checks every length against what is left, so malformed input is an Error (never a
// crash or a huge allocation), and trailing bytes are an Error too.

inline constexpr std::uint8_t spoolFormatVersion = 1;

[[nodiscard]] std::string encodeSpoolEntry(const SpoolEntry &entry);
[[nodiscard]] Result<SpoolEntry> decodeSpoolEntry(std::string_view bytes);

/// CRC-32C (Castagnoli), as the spool frames records; `crc` continues an earlier value.
[[nodiscard]] std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0);

} // namespace envsync::cdc
