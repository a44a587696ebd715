#include "spoolreader.h"

#include "spoolformat.h"
#include "spoolsegments.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace envsync::cdc {

Result<SpoolReader> SpoolReader::open(const std::string &dir, Lsn from)
{
    auto checked = checkSpoolDirectory(dir);
    if (!checked)
        return std::unexpected(checked.error());
    SpoolReader reader;
    reader.m_dir = std::move(*checked);
    reader.m_from = from;
    if (auto opened = reader.openStartSegment(); !opened)
        return std::unexpected(opened.error());
    return reader;
}

Result<bool> SpoolReader::openStartSegment()
{
    auto segments = listSegments(m_dir);
    if (!segments)
        return std::unexpected(segments.error());
    if (segments->empty())
        return false;
    // The last segment starting at or before `from` (names are sorted): earlier ones end
    // before it.
    const auto after = std::upper_bound(
            segments->begin(), segments->end(), m_from,
            [](Lsn from, const SegmentFile &segment) { return from < segment.start; });
    if (after == segments->begin())
        return fail(ErrorCode::Io,
                    "spool no longer holds " + formatLsn(m_from) + " (its oldest segment starts at "
                            + formatLsn(segments->front().start) + "): the region needs a refresh",
                    m_dir);
    const SegmentFile &start = *std::prev(after);
    if (auto opened = openSegment(start.start, start.path); !opened)
        return std::unexpected(opened.error());
    return true;
}

Result<bool> SpoolReader::openNextSegment()
{
    auto segments = listSegments(m_dir);
    if (!segments)
        return std::unexpected(segments.error());
    for (const auto &segment : *segments) {
        if (segment.start > m_segmentStart) {
            if (auto opened = openSegment(segment.start, segment.path); !opened)
                return std::unexpected(opened.error());
            return true;
        }
    }
    return false;
}

Result<void> SpoolReader::openSegment(Lsn start, const std::string &path)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid())
        return fail(ErrorCode::Io,
                    std::string("cannot open spool segment: ") + std::strerror(errno), path);
    m_fd = std::move(fd);
    m_path = path;
    m_segmentStart = start;
    m_frames = std::make_unique<FrameReader>(m_fd.get(), m_path);
    return {};
}

bool SpoolReader::wanted(const SpoolEntry &entry) const
{
    switch (entry.kind) {
    case SpoolEntry::Kind::Transaction:
        return entry.transaction.commitLsn >= m_from;
    case SpoolEntry::Kind::Position:
        return entry.position >= m_from;
    case SpoolEntry::Kind::Relation:
    case SpoolEntry::Kind::Sequences:
        return true;
    }
    return true;
}

std::string SpoolReader::where(std::uint64_t offset) const
{
    return m_path + " at offset " + std::to_string(offset);
}

Result<std::optional<SpoolEntry>> SpoolReader::next()
{
    if (!m_frames) {
        auto opened = openStartSegment();
        if (!opened)
            return std::unexpected(opened.error());
        if (!*opened)
            return std::nullopt;
    }
    // Set once a successor segment is known to exist: the current one is then complete, so
    // running out of bytes means moving on, and a cut-short record is damage.
    bool segmentComplete = false;
    for (;;) {
        auto frame = m_frames->next();
        if (!frame)
            return std::unexpected(frame.error());
        switch (frame->status) {
        case FrameReader::Status::Record: {
            auto entry = decodeSpoolEntry(frame->payload);
            if (!entry)
                return fail(ErrorCode::Io, entry.error().message, where(frame->offset));
            if (wanted(*entry))
                return std::optional<SpoolEntry>(std::move(*entry));
            continue;
        }
        case FrameReader::Status::Corrupt:
            return fail(ErrorCode::Io, "spool is damaged (" + frame->why + ')',
                        where(frame->offset));
        case FrameReader::Status::End:
        case FrameReader::Status::Partial:
            break;
        }
        if (segmentComplete) {
            if (frame->status == FrameReader::Status::Partial)
                return fail(ErrorCode::Io, "spool is damaged (record cut short)",
                            where(frame->offset));
            auto moved = openNextSegment();
            if (!moved)
                return std::unexpected(moved.error());
            segmentComplete = false;
            continue;
        }
        // The writer finishes a segment before it starts the next: if a later one exists, read
        // this one again to its real end before leaving it.
        auto segments = listSegments(m_dir);
        if (!segments)
            return std::unexpected(segments.error());
        if (segments->empty() || segments->back().start <= m_segmentStart)
            return std::nullopt;
        segmentComplete = true;
    }
}

} // namespace envsync::cdc
