#include "spoolsegments.h"

#include "framereader.h"
#include "spoolformat.h"
#include "uniquefd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

namespace envsync::cdc {

namespace {

constexpr std::string_view segmentSuffix = ".seg";
constexpr std::string_view unfinishedSuffix = ".seg.tmp";
constexpr std::size_t hexDigits = 16;

std::optional<Lsn> parseHexStart(std::string_view name, std::string_view suffix)
{
    if (name.size() != hexDigits + suffix.size() || !name.ends_with(suffix))
        return std::nullopt;
    for (std::size_t i = 0; i < hexDigits; ++i) {
        const char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
            return std::nullopt;
    }
    Lsn start = 0;
    std::from_chars(name.data(), name.data() + hexDigits, start, 16);
    return start;
}

std::string errnoText()
{
    return std::strerror(errno);
}

/// True when every byte of `path` from `offset` on is zero (a crash after the file grew but
/// before its data reached the disk).
bool zerosFrom(int fd, std::uint64_t offset)
{
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got == 0;
        if (std::any_of(buffer, buffer + got, [](char c) { return c != 0; }))
            return false;
        offset += static_cast<std::uint64_t>(got);
    }
}

} // namespace

std::string segmentFileName(Lsn start)
{
    char name[32];
    std::snprintf(name, sizeof name, "%016llX.seg", static_cast<unsigned long long>(start));
    return name;
}

std::optional<Lsn> parseSegmentFileName(std::string_view name)
{
    return parseHexStart(name, segmentSuffix);
}

bool isUnfinishedSegmentName(std::string_view name)
{
    return parseHexStart(name, unfinishedSuffix).has_value();
}

std::string spoolDirectoryPath(std::string dir)
{
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

Result<std::string> checkSpoolDirectory(const std::string &given)
{
    const std::string dir = spoolDirectoryPath(given);
    struct stat info
    {
    };
    if (::lstat(dir.c_str(), &info) != 0)
        return fail(ErrorCode::Io, "spool directory: " + errnoText(), dir);
    if (S_ISLNK(info.st_mode))
        return fail(ErrorCode::Refused, "spool directory is a symbolic link; give the real path",
                    dir);
    if (!S_ISDIR(info.st_mode))
        return fail(ErrorCode::Refused, "spool path is not a directory", dir);
    if (info.st_uid != ::geteuid())
        return fail(ErrorCode::Refused, "spool directory belongs to another user", dir);
    return dir;
}

Result<std::vector<SegmentFile>> listSegments(const std::string &dir)
{
    std::unique_ptr<DIR, int (*)(DIR *)> handle(::opendir(dir.c_str()), ::closedir);
    if (!handle)
        return fail(ErrorCode::Io, "cannot list spool directory: " + errnoText(), dir);
    std::vector<SegmentFile> segments;
    errno = 0;
    while (const dirent *entry = ::readdir(handle.get())) {
        const auto start = parseSegmentFileName(entry->d_name);
        if (!start)
            continue;
        SegmentFile segment{*start, dir + '/' + entry->d_name, 0};
        struct stat info
        {
        };
        // A segment pruned between readdir and lstat is simply gone; anything that is not a
        // regular file is not ours and not listed.
        if (::lstat(segment.path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
            continue;
        segment.bytes = static_cast<std::uint64_t>(info.st_size);
        segments.push_back(std::move(segment));
    }
    std::sort(segments.begin(), segments.end(),
              [](const SegmentFile &a, const SegmentFile &b) { return a.start < b.start; });
    return segments;
}

std::string frameRecord(std::string_view payload)
{
    const auto length = static_cast<std::uint32_t>(payload.size());
    const std::uint32_t checksum = crc32c(payload);
    std::string frame;
    frame.reserve(frameHeaderBytes + payload.size());
    for (const std::uint32_t word : {length, checksum})
        for (int i = 0; i < 4; ++i)
            frame.push_back(static_cast<char>((word >> (8 * i)) & 0xff));
    frame.append(payload);
    return frame;
}

Result<SegmentScan> scanSegment(const std::string &path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid())
        return fail(ErrorCode::Io, "cannot open spool segment: " + errnoText(), path);
    struct stat info
    {
    };
    if (::fstat(fd.get(), &info) != 0)
        return fail(ErrorCode::Io, "cannot stat spool segment: " + errnoText(), path);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    SegmentScan scan;
    FrameReader reader(fd.get(), path);
    for (;;) {
        auto frame = reader.next();
        if (!frame)
            return std::unexpected(frame.error());
        switch (frame->status) {
        case FrameReader::Status::Record: {
            auto entry = decodeSpoolEntry(frame->payload);
            if (!entry)
                return fail(ErrorCode::Io, entry.error().message,
                            path + " at offset " + std::to_string(frame->offset));
            scan.maxEndLsn = std::max(scan.maxEndLsn, entry->endLsn());
            if (entry->kind == SpoolEntry::Kind::Relation)
                scan.relationFrames[entry->relation.id] = frameRecord(frame->payload);
            scan.validBytes = reader.offset();
            break;
        }
        case FrameReader::Status::End:
            return scan;
        case FrameReader::Status::Partial:
            scan.tornTail = true;
            return scan;
        case FrameReader::Status::Corrupt:
            // A damaged record is a torn write only when it is the file's last (by a plausible
            // length) or only zeros follow; anything else would throw away durable records.
            if ((frame->declaredEnd != 0 && frame->declaredEnd >= size)
                || zerosFrom(fd.get(), frame->offset)) {
                scan.tornTail = true;
                return scan;
            }
            return fail(ErrorCode::Io, "spool segment is damaged (" + frame->why + ')',
                        path + " at offset " + std::to_string(frame->offset));
        }
    }
}

} // namespace envsync::cdc
