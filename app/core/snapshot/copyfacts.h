#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace envsync::copy {
struct CopyStats;
}

namespace envsync::snapshot {

/// What the copy wrote into one golden table.
struct TableFacts
{
    std::string schema;
    std::string table;
    std::int64_t rows = 0;            ///< rows the copy wrote (and digested)
    std::string digest;               ///< copy::RowDigest::hex() of those rows
    bool binary = false;              ///< the COPY format the digest was taken in
    std::vector<std::string> columns; ///< the COPY column list, in order
};

/// Sampled source values of one masked column, as keyed hashes only (copy::sampleHash, 16 hex
/// digits): never the values.
struct MaskedSampleFacts
{
    std::string schema;
    std::string table;
    std::string column;
    std::string keyColumn;              ///< the row key paired with each value; empty: none
    std::vector<std::string> keyHashes; ///< parallel to valueHashes, or empty
    std::vector<std::string> valueHashes;
    /// Per sampled value (parallel to valueHashes) the hashes of its needles (copy::needlesOf),
    /// and the longest needle's length in bytes, for the search inside golden values.
    std::vector<std::vector<std::string>> needleHashes;
    std::int64_t longestNeedle = 0;
};

/// The facts a snapshot's copy recorded at the source's exported point, stored as JSON in
/// envsync_control (snapshots.copy_facts): what `snapshot verify` checks golden against.
struct CopyFacts
{
    static constexpr int currentFormat = 1;
    int format = currentFormat;
    std::vector<TableFacts> tables;
    std::vector<MaskedSampleFacts> masked;

    [[nodiscard]] std::string toJson() const;
    /// nullopt when the text is not facts of a format this build knows.
    [[nodiscard]] static std::optional<CopyFacts> fromJson(const std::string &json);
    [[nodiscard]] static CopyFacts fromCopy(const copy::CopyStats &stats);
};

/// 16 lower-case hex digits.
[[nodiscard]] std::string hex64(std::uint64_t value);

} // namespace envsync::snapshot
