#include "core/copy/leaksampler.h"

#include "core/masking/copytext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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

/// The string and number leaves of a JSON document, as they appear in its text.
void jsonLeaves(const QJsonValue &node, std::vector<std::string> &out)
{
    if (node.isObject()) {
        const QJsonObject object = node.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            jsonLeaves(it.value(), out);
    } else if (node.isArray()) {
        for (const QJsonValue &item : node.toArray())
            jsonLeaves(item, out);
    } else if (node.isString()) {
        out.push_back(node.toString().toStdString());
    } else if (node.isDouble()) {
        const std::string text
                = QJsonDocument(QJsonArray{node}).toJson(QJsonDocument::Compact).toStdString();
        out.push_back(text.substr(1, text.size() - 2));
    }
}

bool isNeedle(const std::string &value)
{
    if (value.size() < 6)
        return false;
    const bool letter = std::ranges::any_of(value, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
               || static_cast<unsigned char>(c) >= 0x80;
    });
    return letter || value.size() >= 10;
}

} // namespace

std::vector<std::string> needlesOf(const std::string &value)
{
    std::vector<std::string> candidates;
    const auto first = value.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (value[first] == '{' || value[first] == '[')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(value), &error);
        if (error.error == QJsonParseError::NoError)
            jsonLeaves(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()),
                       candidates);
    }
    if (candidates.empty())
        candidates.push_back(value);
    std::vector<std::string> needles;
    for (auto &candidate : candidates) {
        if (isNeedle(candidate))
            needles.push_back(std::move(candidate));
    }
    return needles;
}

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
        SampledValue value{sampleHash(m_key, text), keyHash, {}, 0};
        for (auto &needle : needlesOf(text)) {
            value.needleHashes.push_back(sampleHash(m_key, needle));
            value.longestNeedle
                    = std::max(value.longestNeedle, static_cast<std::uint32_t>(needle.size()));
            std::fill(needle.begin(), needle.end(), '\0');
        }
        out.push_back(std::move(value));
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
