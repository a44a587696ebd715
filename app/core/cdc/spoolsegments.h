#pragma once

#include "core/cdc/change.h"
#include "core/cdc/lsn.h"
#include "core/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::cdc {

// The spool's on-disk layout, shared by its writer, reader, pruning and usage:
// a directory of segment files "<16 hex digits>.seg". A segment's name is the spool's durable
// end when it was started, so every transaction in it commits at or after its name and every
// transaction in earlier segments ends at or before it; names strictly increase. Each record is
// framed [u32 payload length][u32 CRC-32C of the payload][payload] (little endian); the payload
// is spoolformat's encoding of one SpoolEntry. A new segment is written as "<name>.seg.tmp",
// starts with every relation known so far, and is renamed into place only once that prelude is
// durable.

inline constexpr std::size_t frameHeaderBytes = 8;
/// The largest record (one whole source transaction): the writer refuses larger ones, the
/// reader takes a larger length for corruption.
inline constexpr std::uint32_t maxRecordBytes = 1u << 30;

struct SegmentFile
{
    Lsn start = 0;
    std::string path;
    std::uint64_t bytes = 0;
};

/// "000000010000A2F0.seg"
[[nodiscard]] std::string segmentFileName(Lsn start);
/// The start of a segment file's name, or nullopt for any other name (never ours to touch).
[[nodiscard]] std::optional<Lsn> parseSegmentFileName(std::string_view name);
/// True for "<16 hex digits>.seg.tmp": a segment whose prelude was not finished.
[[nodiscard]] bool isUnfinishedSegmentName(std::string_view name);

/// `dir` without trailing slashes ("spool/" would make lstat follow a symlink "spool").
[[nodiscard]] std::string spoolDirectoryPath(std::string dir);

/// The spool directory must be a real directory (not a symlink) owned by the current user:
/// Refused otherwise, Io when it is missing. Returns the path to use (spoolDirectoryPath).
[[nodiscard]] Result<std::string> checkSpoolDirectory(const std::string &dir);

/// The segment files of `dir`, by start. Other files are ignored.
[[nodiscard]] Result<std::vector<SegmentFile>> listSegments(const std::string &dir);

/// `payload` framed as one record.
[[nodiscard]] std::string frameRecord(std::string_view payload);

/// What one pass over a segment found.
struct SegmentScan
{
    std::uint64_t validBytes = 0; ///< complete, intact records up to here
    bool tornTail = false;        ///< bytes after validBytes are an unfinished last record
    Lsn maxEndLsn = 0;            ///< largest SpoolEntry::endLsn() seen
    std::map<std::uint32_t, std::string> relationFrames; ///< latest framed Relation per id
};

/// Reads a whole segment. A torn tail (a record cut short, or zeros, at the end of the file) is
/// reported, not an error; a damaged record with intact records after it is an Io error naming
/// the file and the offset.
[[nodiscard]] Result<SegmentScan> scanSegment(const std::string &path);

} // namespace envsync::cdc
