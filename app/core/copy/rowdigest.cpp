#include "core/copy/rowdigest.h"

#include <algorithm>

namespace envsync::copy {

namespace {

constexpr std::uint64_t key0 = 0x456e7653796e6352; // "EnvSyncR"
constexpr std::uint64_t key1 = 0x6f77446967657374; // "owDigest"

constexpr std::uint64_t rotl(std::uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

struct SipState
{
    SipState(std::uint64_t k0, std::uint64_t k1)
        : v0(k0 ^ 0x736f6d6570736575ULL)
        , v1(k1 ^ 0x646f72616e646f6dULL)
        , v2(k0 ^ 0x6c7967656e657261ULL)
        , v3(k1 ^ 0x7465646279746573ULL)
    {
    }
    std::uint64_t v0;
    std::uint64_t v1;
    std::uint64_t v2;
    std::uint64_t v3;

    void round()
    {
        v0 += v1;
        v1 = rotl(v1, 13);
        v1 ^= v0;
        v0 = rotl(v0, 32);
        v2 += v3;
        v3 = rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = rotl(v1, 17);
        v1 ^= v2;
        v2 = rotl(v2, 32);
    }
    void compress(std::uint64_t m)
    {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
};

std::uint64_t readLittleEndian(const unsigned char *p, std::size_t n)
{
    std::uint64_t out = 0;
    for (std::size_t i = 0; i < n; ++i)
        out |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return out;
}

/// PGCOPY\n\377\r\n\0, flags (4 bytes), header extension length (4 bytes), extension.
std::size_t binaryHeaderSize(std::string_view message)
{
    constexpr std::size_t fixed = 11 + 4 + 4;
    if (message.size() < fixed)
        return message.size();
    const auto *p = reinterpret_cast<const unsigned char *>(message.data()) + 15;
    const std::size_t extension = (std::size_t(p[0]) << 24) | (std::size_t(p[1]) << 16)
                                  | (std::size_t(p[2]) << 8) | std::size_t(p[3]);
    return std::min(message.size(), fixed + extension);
}

} // namespace

std::uint64_t sipHash24(std::uint64_t k0, std::uint64_t k1, std::string_view data)
{
    SipState s(k0, k1);
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    const std::size_t whole = data.size() / 8 * 8;
    for (std::size_t i = 0; i < whole; i += 8)
        s.compress(readLittleEndian(p + i, 8));
    const std::uint64_t last = (static_cast<std::uint64_t>(data.size()) << 56)
                               | readLittleEndian(p + whole, data.size() - whole);
    s.compress(last);
    s.v2 ^= 0xff;
    for (int i = 0; i < 4; ++i)
        s.round();
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

std::uint64_t rowHash(std::string_view data)
{
    return sipHash24(key0, key1, data);
}

void RowDigest::addMessage(std::string_view message)
{
    if (m_binary) {
        if (!m_headerSkipped) {
            message.remove_prefix(binaryHeaderSize(message));
            m_headerSkipped = true;
        }
        // the trailer: a field count of -1 (a row always has a count >= 0)
        if (message.empty() || message == std::string_view("\xff\xff", 2))
            return;
    }
    m_sum += rowHash(message);
    ++m_rows;
}

void RowDigest::merge(const RowDigest &other)
{
    m_sum += other.m_sum;
    m_rows += other.m_rows;
}

} // namespace envsync::copy
