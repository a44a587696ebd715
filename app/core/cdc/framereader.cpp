#include "framereader.h"

#include "spoolformat.h"
#include "spoolsegments.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace envsync::cdc {

namespace {

constexpr std::size_t readChunk = 1u << 20;

std::uint32_t littleEndian32(std::string_view bytes)
{
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | static_cast<std::uint8_t>(bytes[std::size_t(i)]);
    return value;
}

} // namespace

FrameReader::FrameReader(int fd, std::string path, std::uint64_t offset)
    : m_fd(fd)
    , m_path(std::move(path))
    , m_offset(offset)
    , m_bufferOffset(offset)
{
}

Result<std::size_t> FrameReader::fill(std::size_t count)
{
    // Drop what was consumed, so the buffer holds about one chunk plus one record.
    const auto consumed = static_cast<std::size_t>(m_offset - m_bufferOffset);
    if (consumed >= readChunk || consumed == m_buffer.size()) {
        m_buffer.erase(0, consumed);
        m_bufferOffset = m_offset;
    }
    const std::size_t start = static_cast<std::size_t>(m_offset - m_bufferOffset);
    while (m_buffer.size() - start < count) {
        const std::size_t have = m_buffer.size();
        const std::size_t want = std::max(count - (have - start), readChunk);
        m_buffer.resize(have + want);
        const ssize_t got = ::pread(m_fd, m_buffer.data() + have, want,
                                    static_cast<off_t>(m_bufferOffset + have));
        if (got < 0) {
            m_buffer.resize(have);
            if (errno == EINTR)
                continue;
            return fail(ErrorCode::Io, std::string("cannot read spool: ") + std::strerror(errno),
                        m_path);
        }
        m_buffer.resize(have + static_cast<std::size_t>(got));
        if (got == 0)
            break;
    }
    return m_buffer.size() - start;
}

void FrameReader::forgetUnconsumed()
{
    m_buffer.resize(static_cast<std::size_t>(m_offset - m_bufferOffset));
}

Result<FrameReader::Frame> FrameReader::next()
{
    Frame frame;
    frame.offset = m_offset;
    auto have = fill(frameHeaderBytes);
    if (!have)
        return std::unexpected(have.error());
    if (*have == 0) {
        frame.status = Status::End;
        return frame;
    }
    if (*have < frameHeaderBytes) {
        frame.status = Status::Partial;
        frame.declaredEnd = m_offset + frameHeaderBytes;
        forgetUnconsumed();
        return frame;
    }
    const auto at = static_cast<std::size_t>(m_offset - m_bufferOffset);
    const std::string_view header(m_buffer.data() + at, frameHeaderBytes);
    const std::uint32_t length = littleEndian32(header);
    const std::uint32_t checksum = littleEndian32(header.substr(4));
    // Every payload holds at least a version and a kind byte; zeros here are a torn tail.
    if (length < 2 || length > maxRecordBytes) {
        frame.status = Status::Corrupt;
        frame.why = "impossible record length " + std::to_string(length);
        return frame;
    }
    frame.declaredEnd = m_offset + frameHeaderBytes + length;
    have = fill(frameHeaderBytes + length);
    if (!have)
        return std::unexpected(have.error());
    if (*have < frameHeaderBytes + length) {
        frame.status = Status::Partial;
        forgetUnconsumed();
        return frame;
    }
    const auto payloadAt = static_cast<std::size_t>(m_offset - m_bufferOffset) + frameHeaderBytes;
    const std::string_view payload(m_buffer.data() + payloadAt, length);
    if (crc32c(payload) != checksum) {
        frame.status = Status::Corrupt;
        frame.why = "checksum mismatch";
        return frame;
    }
    frame.status = Status::Record;
    frame.payload = payload;
    m_offset += frameHeaderBytes + length;
    return frame;
}

} // namespace envsync::cdc
