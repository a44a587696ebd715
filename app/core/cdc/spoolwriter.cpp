#include "spoolwriter.h"

#include "spoolformat.h"
#include "spoolsegments.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace envsync::cdc {

namespace {

std::string errnoText()
{
    return std::strerror(errno);
}

/// Removes "<hex>.seg.tmp" files: segments whose prelude a crash interrupted (only ever
/// written by this writer, never read).
Result<void> removeUnfinishedSegments(const std::string &dir, int dirFd)
{
    std::unique_ptr<DIR, int (*)(DIR *)> handle(::opendir(dir.c_str()), ::closedir);
    if (!handle)
        return fail(ErrorCode::Io, "cannot list spool directory: " + errnoText(), dir);
    std::vector<std::string> unfinished;
    while (const dirent *entry = ::readdir(handle.get()))
        if (isUnfinishedSegmentName(entry->d_name))
            unfinished.emplace_back(entry->d_name);
    for (const auto &name : unfinished) {
        struct stat info
        {
        };
        if (::fstatat(dirFd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(info.st_mode)
            && ::unlinkat(dirFd, name.c_str(), 0) != 0)
            return fail(ErrorCode::Io, "cannot remove unfinished segment: " + errnoText(),
                        dir + '/' + name);
    }
    return {};
}

/// A new directory's own entry is durable only once its parent is synced.
Result<void> syncParentDirectory(const std::string &dir)
{
    const auto slash = dir.find_last_of('/');
    const std::string parent = slash == std::string::npos ? "."
                               : slash == 0               ? "/"
                                                          : dir.substr(0, slash);
    const UniqueFd fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid() || ::fsync(fd.get()) != 0)
        return fail(ErrorCode::Io, "cannot sync the spool's parent directory: " + errnoText(),
                    parent);
    return {};
}

} // namespace

Result<SpoolWriter> SpoolWriter::open(const std::string &given, Options options)
{
    if (given.empty())
        return fail(ErrorCode::Config, "no spool directory given");
    const std::string dir = spoolDirectoryPath(given);
    if (::mkdir(dir.c_str(), 0700) == 0) {
        if (auto synced = syncParentDirectory(dir); !synced)
            return std::unexpected(synced.error());
    } else if (errno != EEXIST) {
        return fail(ErrorCode::Io, "cannot create spool directory: " + errnoText(), dir);
    }
    if (auto checked = checkSpoolDirectory(dir); !checked)
        return std::unexpected(checked.error());
    SpoolWriter writer;
    writer.m_dir = dir;
    writer.m_options = options;
    writer.m_dirFd.reset(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!writer.m_dirFd.valid())
        return fail(ErrorCode::Io, "cannot open spool directory: " + errnoText(), dir);
    if (::flock(writer.m_dirFd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            return fail(ErrorCode::Refused, "spool directory is in use by another cdc run", dir);
        return fail(ErrorCode::Io, "cannot lock spool directory: " + errnoText(), dir);
    }
    if (auto recovered = writer.recover(); !recovered)
        return std::unexpected(recovered.error());
    return writer;
}

Result<void> SpoolWriter::recover()
{
    if (auto removed = removeUnfinishedSegments(m_dir, m_dirFd.get()); !removed)
        return removed;
    auto segments = listSegments(m_dir);
    if (!segments)
        return std::unexpected(segments.error());
    if (segments->empty()) {
        m_durableEnd = m_writtenEnd = m_options.startLsn;
        return startSegment(m_options.startLsn);
    }
    const SegmentFile &last = segments->back();
    auto scan = scanSegment(last.path);
    if (!scan)
        return std::unexpected(scan.error());
    m_segmentFd.reset(::open(last.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW));
    if (!m_segmentFd.valid())
        return fail(ErrorCode::Io, "cannot open spool segment: " + errnoText(), last.path);
    m_segmentPath = last.path;
    if (scan->tornTail) {
        // What a crash left half-written was never reported durable: cut it off.
        if (::ftruncate(m_segmentFd.get(), static_cast<off_t>(scan->validBytes)) != 0)
            return fail(ErrorCode::Io, "cannot cut torn spool tail: " + errnoText(), last.path);
        if (auto synced = syncSegment(); !synced)
            return synced;
    }
    m_segmentStart = last.start;
    m_segmentSize = scan->validBytes;
    m_relationFrames = std::move(scan->relationFrames);
    m_durableEnd = std::max(last.start, scan->maxEndLsn);
    m_writtenEnd = m_durableEnd;
    return {};
}

Result<void> SpoolWriter::startSegment(Lsn start)
{
    // The prelude (every relation known) goes into a temporary file that is renamed into place
    // once durable, so a reader never meets a segment that lacks a relation it needs.
    const std::string name = segmentFileName(start);
    const std::string temporary = name + ".tmp";
    UniqueFd fd(::openat(m_dirFd.get(), temporary.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid())
        return fail(ErrorCode::Io, "cannot create spool segment: " + errnoText(),
                    m_dir + '/' + temporary);
    m_segmentFd = std::move(fd);
    m_segmentPath = m_dir + '/' + temporary;
    std::string prelude;
    for (const auto &[id, frame] : m_relationFrames)
        prelude += frame;
    const std::uint64_t preludeBytes = prelude.size();
    if (auto written = writeOut(prelude); !written)
        return written;
    if (auto synced = syncSegment(); !synced)
        return synced;
    if (::renameat(m_dirFd.get(), temporary.c_str(), m_dirFd.get(), name.c_str()) != 0)
        return fail(ErrorCode::Io, "cannot rename spool segment: " + errnoText(), m_segmentPath);
    m_segmentPath = m_dir + '/' + name;
    m_segmentStart = start;
    m_segmentSize = preludeBytes;
    return syncDirectory();
}

Result<void> SpoolWriter::writeOut(std::string &chunk)
{
    std::string_view left = chunk;
    while (!left.empty()) {
        const ssize_t wrote = ::write(m_segmentFd.get(), left.data(), left.size());
        if (wrote < 0) {
            if (errno == EINTR)
                continue;
            return fail(ErrorCode::Io, "cannot write spool: " + errnoText(), m_segmentPath);
        }
        left.remove_prefix(static_cast<std::size_t>(wrote));
    }
    chunk.clear();
    return {};
}

Result<void> SpoolWriter::syncSegment()
{
    if (::fdatasync(m_segmentFd.get()) != 0)
        return fail(ErrorCode::Io, "cannot sync spool: " + errnoText(), m_segmentPath);
    return {};
}

Result<void> SpoolWriter::syncDirectory()
{
    if (::fsync(m_dirFd.get()) != 0)
        return fail(ErrorCode::Io, "cannot sync spool directory: " + errnoText(), m_dir);
    return {};
}

void SpoolWriter::append(const SpoolEntry &entry)
{
    Pending pending;
    pending.frame = frameRecord(encodeSpoolEntry(entry));
    pending.endLsn = entry.endLsn();
    pending.relation = entry.kind == SpoolEntry::Kind::Relation;
    pending.relationId = entry.relation.id;
    m_pending.push_back(std::move(pending));
}

Result<Lsn> SpoolWriter::flush()
{
    if (m_failed)
        return fail(ErrorCode::Io, "spool writer stopped after an earlier failure", m_dir);
    // Any failure below leaves the file in an unknown state: only a reopen (recovery) may go on.
    m_failed = true;
    for (const auto &pending : m_pending)
        if (pending.frame.size() - frameHeaderBytes > maxRecordBytes)
            return fail(ErrorCode::Io,
                        "an entry up to " + formatLsn(pending.endLsn) + " needs "
                                + std::to_string(pending.frame.size() - frameHeaderBytes)
                                + " bytes, more than a spool record may hold ("
                                + std::to_string(maxRecordBytes) + ')',
                        m_dir);
    std::string chunk;
    for (auto &pending : m_pending) {
        // Rotate only once the spool's end moved past this segment's start, so names (= the
        // durable end when a segment starts) strictly increase.
        if (m_segmentSize >= m_options.segmentBytes && m_writtenEnd > m_segmentStart) {
            if (auto written = writeOut(chunk); !written)
                return std::unexpected(written.error());
            if (auto synced = syncSegment(); !synced)
                return std::unexpected(synced.error());
            if (auto started = startSegment(m_writtenEnd); !started)
                return std::unexpected(started.error());
        }
        if (pending.relation)
            m_relationFrames[pending.relationId] = pending.frame;
        m_segmentSize += pending.frame.size();
        m_writtenEnd = std::max(m_writtenEnd, pending.endLsn);
        chunk += pending.frame;
    }
    if (!chunk.empty()) {
        if (auto written = writeOut(chunk); !written)
            return std::unexpected(written.error());
        if (auto synced = syncSegment(); !synced)
            return std::unexpected(synced.error());
    }
    m_pending.clear();
    m_durableEnd = m_writtenEnd;
    m_failed = false;
    return m_durableEnd;
}

} // namespace envsync::cdc
