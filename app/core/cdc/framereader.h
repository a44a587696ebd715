#pragma once

#include "core/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace envsync::cdc {

/// Reads framed spool records ([u32 length][u32 CRC-32C][payload]) from a segment file that may
/// still be growing, buffering reads so a record costs no system call of its own.
class FrameReader
{
public:
    enum class Status {
        Record,  ///< an intact record; `payload` is valid until the next call
        End,     ///< no byte after this offset (yet)
        Partial, ///< the record here is cut short by the end of the file (yet)
        Corrupt, ///< the record here has an impossible length or a wrong checksum
    };
    struct Frame
    {
        Status status = Status::End;
        std::string_view payload;
        std::uint64_t offset = 0;      ///< where this record starts
        std::uint64_t declaredEnd = 0; ///< where its header says it ends; 0: length impossible
        std::string why;               ///< Corrupt: what is wrong
    };

    /// Reads `fd` (not owned) from `offset`; `path` only names the file in errors.
    FrameReader(int fd, std::string path, std::uint64_t offset = 0);

    /// The record at offset(); moves past it only when it is intact. Io error if reading fails.
    [[nodiscard]] Result<Frame> next();
    [[nodiscard]] std::uint64_t offset() const { return m_offset; }

private:
    /// Makes at least `count` bytes from m_offset available if the file has them; returns how
    /// many are buffered from m_offset.
    Result<std::size_t> fill(std::size_t count);
    /// Drops buffered bytes of an unfinished record: a recovering writer may cut them off and
    /// write others in their place, so they are read again next time.
    void forgetUnconsumed();

    int m_fd = -1;
    std::string m_path;
    std::uint64_t m_offset = 0;
    std::string m_buffer;             ///< file bytes starting at m_bufferOffset
    std::uint64_t m_bufferOffset = 0; ///< file offset of m_buffer[0]
};

} // namespace envsync::cdc
