#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace envsync::masking {

/// HMAC-SHA256 with a fixed key whose inner and outer SHA-256 states are computed once: each
/// value then costs two copies of a small struct plus the compression of the value itself.
/// Immutable after construction and safe to share between threads.
class HmacKey
{
public:
    using Digest = std::array<unsigned char, 32>;

    explicit HmacKey(std::string_view key);

    /// A key for one purpose ("email", "hash", ...): HMAC(key, domain || 0x00 || value), so
    /// equal inputs give unrelated outputs in different transforms.
    [[nodiscard]] HmacKey derive(std::string_view domain) const;

    [[nodiscard]] Digest mac(std::string_view value) const;
    /// HMAC of prefix || value without concatenating.
    [[nodiscard]] Digest mac(std::string_view prefix, std::string_view value) const;

    /// `length` pseudo-random bytes from the value (HMAC in counter mode past 32 bytes).
    void expand(std::string_view value, unsigned char *out, std::size_t length) const;

    /// Hex of HMAC(key, "envsync salt fingerprint v1"): identifies a salt without revealing it.
    [[nodiscard]] std::string fingerprint() const;

private:
    HmacKey() = default;
    static constexpr std::size_t stateSize = 128;
    alignas(16) std::array<std::byte, stateSize> m_inner{};
    alignas(16) std::array<std::byte, stateSize> m_outer{};
};

/// Lower-case hex.
[[nodiscard]] std::string toHex(const unsigned char *data, std::size_t size);
/// RFC 4648 base32 alphabet in lower case, no padding (injective: lengths never collide).
[[nodiscard]] std::string toBase32(std::string_view data);
/// SHA-256 of data as lower-case hex.
[[nodiscard]] std::string sha256Hex(std::string_view data);
/// Little-endian 64-bit number from the first 8 bytes at `at`.
[[nodiscard]] std::uint64_t readU64(const HmacKey::Digest &digest, std::size_t at = 0);

} // namespace envsync::masking
