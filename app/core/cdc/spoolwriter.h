#pragma once

#include "core/cdc/change.h"
#include "core/cdc/lsn.h"
#include "core/cdc/uniquefd.h"
#include "core/error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envsync::cdc {

/// Appends masked changes to the spool directory (layout: spoolsegments.h) and makes them
/// durable. One writer per directory: open() takes an exclusive lock on it, so a second
/// `cdc run` is refused instead of interleaving records. Not thread-safe; readers in other
/// threads or processes may read the directory at any time.
class SpoolWriter
{
public:
    struct Options
    {
        /// A segment is closed and a new one started once it holds this many bytes (at the next
        /// record after the spool's durable end moved past the segment's start).
        std::uint64_t segmentBytes = 64u << 20;
        /// Where a NEW spool begins (the slot's confirmed position when the spool is created):
        /// its first segment is named so, and a reader from before it is told the region needs
        /// a refresh instead of silently missing what was never spooled. Ignored when the
        /// directory already holds segments.
        Lsn startLsn = 0;
    };

    /// Opens `dir`, creating it (mode 0700) when missing. Recovers after a crash: a torn or
    /// damaged tail of the last segment is cut off, an unfinished new segment removed, and
    /// durableEnd() found again. Refused when `dir` is a symlink, not a directory, owned by
    /// another user or locked by another writer.
    [[nodiscard]] static Result<SpoolWriter> open(const std::string &dir, Options options);
    [[nodiscard]] static Result<SpoolWriter> open(const std::string &dir)
    {
        return open(dir, Options{});
    }

    /// Buffers one entry; nothing is written before flush().
    void append(const SpoolEntry &entry);

    /// Writes what append() buffered and waits until it is on disk (fdatasync; the directory
    /// is synced too when a segment was created). Returns durableEnd(). After a failed flush
    /// the writer refuses further work: reopen it to recover.
    [[nodiscard]] Result<Lsn> flush();

    /// The largest endLsn() of the entries on disk: the slot may be confirmed up to here.
    [[nodiscard]] Lsn durableEnd() const { return m_durableEnd; }
    [[nodiscard]] const std::string &directory() const { return m_dir; }
    /// Entries appended and not yet flushed.
    [[nodiscard]] std::size_t pending() const { return m_pending.size(); }

private:
    struct Pending
    {
        std::string frame;
        Lsn endLsn = 0;
        std::uint32_t relationId = 0;
        bool relation = false;
    };

    SpoolWriter() = default;
    Result<void> recover();
    Result<void> startSegment(Lsn start);
    Result<void> writeOut(std::string &chunk);
    Result<void> syncSegment();
    Result<void> syncDirectory();

    std::string m_dir;
    Options m_options;
    UniqueFd m_dirFd; ///< holds the writer's lock
    UniqueFd m_segmentFd;
    std::string m_segmentPath;
    Lsn m_segmentStart = 0;
    std::uint64_t m_segmentSize = 0;
    Lsn m_durableEnd = 0;
    Lsn m_writtenEnd = 0;
    bool m_failed = false;
    std::vector<Pending> m_pending;
    /// The latest Relation written per id, framed: every new segment starts with all of them.
    std::map<std::uint32_t, std::string> m_relationFrames;
};

} // namespace envsync::cdc
