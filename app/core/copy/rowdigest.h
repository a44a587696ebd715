#pragma once

#include <cstdint>
#include <string_view>

namespace envsync::copy {

/// Session settings every connection that produces COPY text for a row digest uses (the copy's
/// source readers and verify's golden reader): the text form of dates, times, intervals,
/// floats and bytea depends on them, so both sides must format alike.
inline constexpr const char *digestSessionSettings
        = "SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';"
          " SET extra_float_digits = 1; SET bytea_output = 'hex'";

/// An order-independent digest of the rows of a COPY stream as they travel: the number of rows
/// and the sum (mod 2^64) of a SipHash-2-4 of each row's bytes. Parallel ranges of one table
/// merge by adding, and the same rows give the same digest in any order (a duplicate row counts
/// twice, unlike with xor). Fed one CopyData message at a time, as PQgetCopyData returns them:
/// in text format a message is one row; in binary format the header arrives with the first row
/// and the trailer (-1) alone at the end, and neither is hashed.
class RowDigest
{
public:
    explicit RowDigest(bool binary)
        : m_binary(binary)
    {
    }

    void addMessage(std::string_view message);
    void merge(const RowDigest &other);

    [[nodiscard]] std::int64_t rows() const { return m_rows; }
    [[nodiscard]] std::uint64_t sum() const { return m_sum; }

private:
    bool m_binary;
    bool m_headerSkipped = false;
    std::int64_t m_rows = 0;
    std::uint64_t m_sum = 0;
};

/// SipHash-2-4 of data with EnvSync's fixed row-digest key. The key is not secret: the digests
/// sit in envsync_control on the golden cluster, so whoever could forge golden's rows could
/// rewrite them too; a fast PRF still keeps accidental collisions at 2^-64 per row pair.
[[nodiscard]] std::uint64_t rowHash(std::string_view data);

/// SipHash-2-4 (Aumasson & Bernstein) with a 128-bit key given as two little-endian halves.
[[nodiscard]] std::uint64_t sipHash24(std::uint64_t k0, std::uint64_t k1, std::string_view data);

} // namespace envsync::copy
