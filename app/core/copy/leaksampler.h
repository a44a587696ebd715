#pragma once

#include "core/masking/hmackey.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::copy {

/// A sampled source value of a masked column, kept only as keyed hashes (HMAC with a key derived
/// from the masking salt, first 64 bits): the value and, when the table has a single-column
/// primary key that is not masked, that row's key. A plain value is never stored.
struct SampledValue
{
    std::uint64_t valueHash = 0;
    std::optional<std::uint64_t> keyHash;
    /// The value's needles (needlesOf), hashed: what must not appear inside a golden value.
    std::vector<std::uint64_t> needleHashes;
    std::uint32_t longestNeedle = 0; ///< bytes of the longest needle
};

/// A uniform sample (reservoir) of up to `capacity` source rows of one masked table, taken from
/// the COPY text rows before they are masked; per masked column the non-NULL values' hashes.
/// One per work item (not thread-safe); items of a table are merged with mergeSamples.
class LeakSampler
{
public:
    /// `maskedColumns` and `keyColumn` are positions in the COPY column list.
    LeakSampler(const masking::HmacKey &key, std::vector<std::size_t> maskedColumns,
                std::optional<std::size_t> keyColumn, std::size_t capacity, std::uint64_t seed);

    /// One COPY text-format row (no trailing newline), before masking.
    void offer(std::string_view row);

    /// Per masked column (in the constructor's order), the sampled rows' hashes.
    [[nodiscard]] std::vector<std::vector<SampledValue>> take() const;

private:
    [[nodiscard]] std::vector<std::optional<SampledValue>> hashRow(std::string_view row) const;

    const masking::HmacKey &m_key;
    std::vector<std::size_t> m_masked;
    std::optional<std::size_t> m_keyColumn;
    std::size_t m_capacity;
    std::mt19937_64 m_random;
    std::uint64_t m_seen = 0;
    std::vector<std::vector<std::optional<SampledValue>>> m_slots;
};

/// Appends `more` to `into` column by column and keeps at most `capacity` per column (a
/// uniform choice when there are more).
void mergeSamples(std::vector<std::vector<SampledValue>> &into,
                  std::vector<std::vector<SampledValue>> more, std::size_t capacity);

/// What of a source value must not appear *inside* a golden value (a JSON document, a longer
/// text): the value itself, or the string and number leaves of a JSON document; only those
/// long enough not to occur by chance (six bytes with a letter, or ten digits).
[[nodiscard]] std::vector<std::string> needlesOf(const std::string &value);

/// The keyed hash a sample keeps of one value (its text form as COPY and libpq give it).
[[nodiscard]] std::uint64_t sampleHash(const masking::HmacKey &key, std::string_view value);

} // namespace envsync::copy
