#pragma once

// The durable spool between the stream reader and the region appliers: SpoolWriter appends,
// SpoolReader reads from a region's position, pruneSpool and spoolUsage manage the directory.
// On-disk layout: spoolsegments.h; record encoding: spoolformat.h.

#include "core/cdc/lsn.h"
#include "core/cdc/spoolreader.h"
#include "core/cdc/spoolwriter.h"
#include "core/error.h"

#include <cstdint>
#include <string>

namespace envsync::cdc {

struct PruneResult
{
    std::size_t segmentsRemoved = 0;
    std::uint64_t bytesFreed = 0;
};

/// Deletes whole segments that hold nothing a reader from `keepFrom` needs: those whose
/// successor starts at or below `keepFrom`. Never the last segment, never a file that is not a
/// segment (name pattern, regular file). Safe while a writer and readers run (a reader still
/// reading a removed segment keeps its open file).
[[nodiscard]] Result<PruneResult> pruneSpool(const std::string &dir, Lsn keepFrom);

struct SpoolUsage
{
    std::size_t segments = 0;
    std::uint64_t bytes = 0;
    Lsn firstLsn = 0; ///< the oldest position a reader can start from
    Lsn lastLsn = 0;  ///< the durable end found on disk (what a writer would recover); 0 when
                      ///< not asked for (findEnd false)
};

/// How much the spool holds. With `findEnd` it reads the last segment (up to a segment's size)
/// to find the durable end; without, lastLsn stays 0 and only the directory is listed.
[[nodiscard]] Result<SpoolUsage> spoolUsage(const std::string &dir, bool findEnd = true);

} // namespace envsync::cdc
