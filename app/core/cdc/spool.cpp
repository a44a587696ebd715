#include "spool.h"

#include "spoolsegments.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace envsync::cdc {

Result<PruneResult> pruneSpool(const std::string &given, Lsn keepFrom)
{
    const auto checked = checkSpoolDirectory(given);
    if (!checked)
        return std::unexpected(checked.error());
    const std::string &dir = *checked;
    auto segments = listSegments(dir);
    if (!segments)
        return std::unexpected(segments.error());
    PruneResult result;
    for (std::size_t i = 0; i + 1 < segments->size(); ++i) {
        if ((*segments)[i + 1].start > keepFrom)
            break;
        const SegmentFile &segment = (*segments)[i];
        if (::unlink(segment.path.c_str()) != 0 && errno != ENOENT)
            return fail(ErrorCode::Io,
                        std::string("cannot remove spool segment: ") + std::strerror(errno),
                        segment.path);
        ++result.segmentsRemoved;
        result.bytesFreed += segment.bytes;
    }
    if (result.segmentsRemoved > 0) {
        const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dirFd >= 0) {
            ::fsync(dirFd);
            ::close(dirFd);
        }
    }
    return result;
}

Result<SpoolUsage> spoolUsage(const std::string &given, bool findEnd)
{
    const auto checked = checkSpoolDirectory(given);
    if (!checked)
        return std::unexpected(checked.error());
    const std::string &dir = *checked;
    auto segments = listSegments(dir);
    if (!segments)
        return std::unexpected(segments.error());
    SpoolUsage usage;
    usage.segments = segments->size();
    for (const auto &segment : *segments)
        usage.bytes += segment.bytes;
    if (segments->empty())
        return usage;
    usage.firstLsn = segments->front().start;
    if (!findEnd)
        return usage;
    auto scan = scanSegment(segments->back().path);
    if (!scan)
        return std::unexpected(scan.error());
    usage.lastLsn = std::max(segments->back().start, scan->maxEndLsn);
    return usage;
}

} // namespace envsync::cdc
