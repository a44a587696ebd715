// The low-level SHA256_* API is deprecated in OpenSSL 3 but is the only one whose context can be
// copied as a plain struct, which is what makes per-value HMAC cheap (no EVP allocations).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "hmackey.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

namespace envsync::masking {

namespace {

static_assert(sizeof(SHA256_CTX) <= 128, "SHA256_CTX no longer fits HmacKey's state storage");

SHA256_CTX load(const std::array<std::byte, 128> &state)
{
    SHA256_CTX ctx;
    std::memcpy(&ctx, state.data(), sizeof ctx);
    return ctx;
}

void store(std::array<std::byte, 128> &state, const SHA256_CTX &ctx)
{
    std::memcpy(state.data(), &ctx, sizeof ctx);
}

} // namespace

HmacKey::HmacKey(std::string_view key)
{
    unsigned char block[SHA256_CBLOCK] = {};
    if (key.size() > SHA256_CBLOCK) {
        SHA256(reinterpret_cast<const unsigned char *>(key.data()), key.size(), block);
    } else {
        std::memcpy(block, key.data(), key.size());
    }
    unsigned char pad[SHA256_CBLOCK];
    SHA256_CTX ctx;
    for (std::size_t i = 0; i < SHA256_CBLOCK; ++i)
        pad[i] = block[i] ^ 0x36;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, pad, sizeof pad);
    store(m_inner, ctx);
    for (std::size_t i = 0; i < SHA256_CBLOCK; ++i)
        pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, pad, sizeof pad);
    store(m_outer, ctx);
}

HmacKey HmacKey::derive(std::string_view domain) const
{
    HmacKey key;
    key.m_outer = m_outer;
    SHA256_CTX inner = load(m_inner);
    SHA256_Update(&inner, domain.data(), domain.size());
    const unsigned char zero = 0;
    SHA256_Update(&inner, &zero, 1);
    store(key.m_inner, inner);
    return key;
}

HmacKey::Digest HmacKey::mac(std::string_view value) const
{
    return mac({}, value);
}

HmacKey::Digest HmacKey::mac(std::string_view prefix, std::string_view value) const
{
    Digest inner;
    SHA256_CTX ctx = load(m_inner);
    if (!prefix.empty())
        SHA256_Update(&ctx, prefix.data(), prefix.size());
    SHA256_Update(&ctx, value.data(), value.size());
    SHA256_Final(inner.data(), &ctx);
    ctx = load(m_outer);
    SHA256_Update(&ctx, inner.data(), inner.size());
    Digest out;
    SHA256_Final(out.data(), &ctx);
    return out;
}

void HmacKey::expand(std::string_view value, unsigned char *out, std::size_t length) const
{
    Digest first = mac(value);
    std::size_t n = std::min(length, first.size());
    std::memcpy(out, first.data(), n);
    for (unsigned counter = 1; n < length; ++counter) {
        const char prefix[2] = {'\x01', static_cast<char>(counter & 0xff)};
        const Digest next = mac(std::string_view(prefix, 2),
                                std::string_view(reinterpret_cast<const char *>(first.data()),
                                                 first.size()));
        const std::size_t take = std::min(length - n, next.size());
        std::memcpy(out + n, next.data(), take);
        n += take;
    }
}

std::string HmacKey::fingerprint() const
{
    const Digest d = mac("envsync salt fingerprint v1");
    return toHex(d.data(), d.size());
}

std::string toHex(const unsigned char *data, std::size_t size)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0xf];
    }
    return out;
}

std::string toBase32(std::string_view data)
{
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out;
    out.reserve((data.size() * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : data) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            out += alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out += alphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::string sha256Hex(std::string_view data)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(data.data()), data.size(), digest);
    return toHex(digest, sizeof digest);
}

std::uint64_t readU64(const HmacKey::Digest &digest, std::size_t at)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i)
        v |= static_cast<std::uint64_t>(digest[(at + i) % digest.size()]) << (8 * i);
    return v;
}

} // namespace envsync::masking
