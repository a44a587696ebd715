#include "core/copy/leaksampler.h"

#include "core/masking/copytext.h"

#include <algorithm>

namespace envsync::copy {

namespace {

/// The fields of a COPY text row (tabs inside values are escaped, so a raw split is exact).
std::vector<std::string_view> splitFields(std::string_view row)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t tab = row.find('\t', start);
        fields.push_back(row.substr(start, tab == std::string_view::npos ? tab : tab - start));
        if (tab == std::string_view::npos)
            return fields;
        start = tab + 1;
    }
}

} // namespace

std::uint64_t sampleHash(const masking::HmacKey &key, std::string_view value)
{
    return masking::readU64(key.mac(value));
}

LeakSampler::LeakSampler(const masking::HmacKey &key, std::vector<std::size_t> maskedColumns,
                         std::optional<std::size_t> keyColumn, std::size_t capacity,
                         std::uint64_t seed)
    : m_key(key)
    , m_masked(std::move(maskedColumns))
    , m_keyColumn(keyColumn)
    , m_capacity(capacity)
    , m_random(seed)
{
}

void LeakSampler::offer(std::string_view row)
{
    if (m_capacity == 0)
        return;
    const std::uint64_t seen = m_seen++;
    if (m_slots.size() < m_capacity) {
        m_slots.push_back(hashRow(row));
        return;
    }
    // reservoir sampling: row n replaces a random slot with probability capacity / (n + 1)
    const std::uint64_t slot = std::uniform_int_distribution<std::uint64_t>(0, seen)(m_random);
    if (slot < m_capacity)
        m_slots[slot] = hashRow(row);
}

std::vector<std::optional<SampledValue>> LeakSampler::hashRow(std::string_view row) const
{
    const std::vector<std::string_view> fields = splitFields(row);
    std::string text;
    std::optional<std::uint64_t> keyHash;
    if (m_keyColumn && *m_keyColumn < fields.size()
        && !masking::copytext::isNull(fields[*m_keyColumn])) {
        masking::copytext::unescape(fields[*m_keyColumn], text);
        keyHash = sampleHash(m_key, text);
    }
    std::vector<std::optional<SampledValue>> out;
    out.reserve(m_masked.size());
    for (const std::size_t column : m_masked) {
        if (column >= fields.size() || masking::copytext::isNull(fields[column])) {
            out.emplace_back();
            continue;
        }
        masking::copytext::unescape(fields[column], text);
        out.push_back(SampledValue{sampleHash(m_key, text), keyHash});
    }
    std::fill(text.begin(), text.end(), '\0'); // no plain value lingers in the buffer
    return out;
}

std::vector<std::vector<SampledValue>> LeakSampler::take() const
{
    std::vector<std::vector<SampledValue>> out(m_masked.size());
    for (const auto &slot : m_slots) {
        for (std::size_t c = 0; c < slot.size(); ++c) {
            if (slot[c])
                out[c].push_back(*slot[c]);
        }
    }
    return out;
}

void mergeSamples(std::vector<std::vector<SampledValue>> &into,
                  std::vector<std::vector<SampledValue>> more, std::size_t capacity)
{
    if (into.size() < more.size())
        into.resize(more.size());
    std::mt19937_64 random(into.size() * 7919 + capacity);
    for (std::size_t c = 0; c < more.size(); ++c) {
        auto &column = into[c];
        column.insert(column.end(), more[c].begin(), more[c].end());
        if (column.size() > capacity) {
            std::shuffle(column.begin(), column.end(), random);
            column.resize(capacity);
        }
    }
}

} // namespace envsync::copy
