#pragma once

#include "core/cdc/change.h"
#include "core/cdc/framereader.h"
#include "core/cdc/lsn.h"
#include "core/cdc/uniquefd.h"
#include "core/error.h"

#include <memory>
#include <optional>
#include <string>

namespace envsync::cdc {

/// Reads the spool from a region's position, following the writer as it appends and rotates.
/// Delivers, in spool order: every Relation entry it passes (also those before `from`: a
/// region needs the shape of every table), every Sequences entry, Transactions with
/// commitLsn >= from and Positions >= from. One reader per region; not thread-safe itself, but
/// safe against a writer in another thread or process.
class SpoolReader
{
public:
    /// Io error when `from` lies before the oldest segment still in the spool (pruned: that
    /// region needs a refresh); Refused for a directory that is a symlink or not the user's.
    [[nodiscard]] static Result<SpoolReader> open(const std::string &dir, Lsn from);

    /// The next entry, or nullopt at the current end (call again later: a record the writer is
    /// still writing is "not yet there"). A damaged record, or a record cut short in a segment
    /// the writer has already left, is an Io error naming the file and the offset.
    [[nodiscard]] Result<std::optional<SpoolEntry>> next();

    [[nodiscard]] Lsn from() const { return m_from; }

private:
    SpoolReader() = default;
    /// Opens the segment to start from, once the writer made one.
    Result<bool> openStartSegment();
    /// Moves to the segment after the current one if the writer started it.
    Result<bool> openNextSegment();
    Result<void> openSegment(Lsn start, const std::string &path);
    [[nodiscard]] bool wanted(const SpoolEntry &entry) const;
    [[nodiscard]] std::string where(std::uint64_t offset) const;

    std::string m_dir;
    Lsn m_from = 0;
    UniqueFd m_fd;
    std::string m_path;
    Lsn m_segmentStart = 0;
    std::unique_ptr<FrameReader> m_frames; ///< reads m_fd; null before the first segment
};

} // namespace envsync::cdc
