#include "core/virt/requestjournal.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QUuid>

#include <algorithm>
#include <array>

namespace envsync::virt {

namespace {

QString randomUuid(std::mt19937_64 &random)
{
    std::array<quint8, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        const std::uint64_t value = random();
        for (std::size_t b = 0; b < 8; ++b)
            bytes[i + b] = quint8(value >> (8 * b));
    }
    bytes[6] = quint8((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = quint8((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(QByteArrayView(bytes.data(), qsizetype(bytes.size())))
            .toString(QUuid::WithoutBraces);
}

/// {"Name": "value"} or {"Name": ["v1", "v2"]} for repeated headers, as WireMock writes them.
QJsonObject headersJson(const QList<HttpHeader> &headers)
{
    QJsonObject object;
    for (const HttpHeader &header : headers) {
        const QString name = QString::fromLatin1(header.name);
        const QString value = QString::fromUtf8(header.value);
        const auto existing = object.find(name);
        if (existing == object.end()) {
            object.insert(name, value);
        } else if (existing->isArray()) {
            QJsonArray values = existing->toArray();
            values.append(value);
            *existing = values;
        } else {
            *existing = QJsonArray{existing->toString(), value};
        }
    }
    return object;
}

QJsonObject queryJson(const QList<QPair<QString, QString>> &query)
{
    QJsonObject object;
    for (const auto &[key, value] : query) {
        QJsonObject parameter = object.value(key).toObject();
        QJsonArray values = parameter.value(QStringLiteral("values")).toArray();
        values.append(value);
        parameter.insert(QStringLiteral("key"), key);
        parameter.insert(QStringLiteral("values"), values);
        object.insert(key, parameter);
    }
    return object;
}

QJsonObject nearMissJson(const QJsonObject &request, const NearMiss &miss)
{
    QJsonObject stub{{QStringLiteral("id"), miss.mappingId}};
    if (!miss.mappingName.isEmpty())
        stub.insert(QStringLiteral("name"), miss.mappingName);
    return {{QStringLiteral("request"), request},
            {QStringLiteral("stubMapping"), stub},
            {QStringLiteral("matchResult"),
             QJsonObject{{QStringLiteral("distance"), miss.distance},
                         {QStringLiteral("differences"),
                          QJsonArray::fromStringList(miss.differences)}}}};
}

} // namespace

RequestJournal::RequestJournal(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(capacity, 1))
    , m_random(QRandomGenerator::system()->generate64())
{
}

void RequestJournal::record(JournalEntry entry)
{
    if (entry.request.body.size() > maxBodyBytes)
        entry.request.body.truncate(maxBodyBytes);
    QMutexLocker lock(&m_mutex);
    entry.sequence = ++m_sequence;
    entry.id = randomUuid(m_random);
    ++m_total;
    m_bodyBytes += entry.request.body.size();
    m_entries.push_back(std::move(entry));
    while (qsizetype(m_entries.size()) > m_capacity
           || (m_bodyBytes > maxTotalBodyBytes && m_entries.size() > 1)) {
        m_bodyBytes -= m_entries.front().request.body.size();
        m_entries.pop_front();
    }
}

std::vector<JournalEntry> RequestJournal::entries() const
{
    QMutexLocker lock(&m_mutex);
    return {m_entries.rbegin(), m_entries.rend()};
}

std::vector<JournalEntry> RequestJournal::entriesSince(std::uint64_t sequence) const
{
    QMutexLocker lock(&m_mutex);
    const auto first = std::ranges::upper_bound(m_entries, sequence, {}, &JournalEntry::sequence);
    return {first, m_entries.end()};
}

std::vector<JournalEntry> RequestJournal::unmatched() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<JournalEntry> result;
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
        if (!it->matched)
            result.push_back(*it);
    }
    return result;
}

void RequestJournal::clear()
{
    QMutexLocker lock(&m_mutex);
    m_entries.clear();
    m_total = 0;
    m_bodyBytes = 0;
}

std::uint64_t RequestJournal::total() const
{
    QMutexLocker lock(&m_mutex);
    return m_total;
}

QJsonObject RequestJournal::toJson(qsizetype limit) const
{
    const std::vector<JournalEntry> newestFirst = entries();
    QJsonArray requests;
    for (const JournalEntry &entry : newestFirst) {
        if (limit >= 0 && requests.size() >= limit)
            break;
        requests.append(entryJson(entry));
    }
    return {{QStringLiteral("requests"), requests},
            {QStringLiteral("meta"), QJsonObject{{QStringLiteral("total"), qint64(total())}}},
            {QStringLiteral("requestJournalDisabled"), false}};
}

QJsonObject RequestJournal::requestJson(const HttpRequest &request, const QString &clientIp,
                                        const QDateTime &loggedAt)
{
    const bool text = !QString::fromUtf8(request.body).contains(QChar::ReplacementCharacter);
    return {{QStringLiteral("url"), QString::fromUtf8(request.url)},
            {QStringLiteral("method"), QString::fromLatin1(request.method)},
            {QStringLiteral("clientIp"), clientIp},
            {QStringLiteral("headers"), headersJson(request.headers)},
            {QStringLiteral("queryParams"), queryJson(request.query)},
            {QStringLiteral("browserProxyRequest"), false},
            {QStringLiteral("loggedDate"), loggedAt.toMSecsSinceEpoch()},
            {QStringLiteral("loggedDateString"), loggedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("body"), text ? QString::fromUtf8(request.body) : QString()},
            {QStringLiteral("bodyAsBase64"), QString::fromLatin1(request.body.toBase64())}};
}

QJsonObject RequestJournal::entryJson(const JournalEntry &entry)
{
    const QJsonObject request = requestJson(entry.request, entry.clientIp, entry.loggedAt);
    QJsonObject event{
            {QStringLiteral("id"), entry.id},
            {QStringLiteral("request"), request},
            {QStringLiteral("wasMatched"), entry.matched},
            {QStringLiteral("response"), QJsonObject{{QStringLiteral("status"), entry.status}}},
            {QStringLiteral("timing"),
             QJsonObject{{QStringLiteral("totalTime"), qint64(entry.latencyMicros / 1000)},
                         {QStringLiteral("totalTimeMicros"), qint64(entry.latencyMicros)}}}};
    if (entry.matched) {
        event.insert(QStringLiteral("stubMapping"),
                     QJsonObject{{QStringLiteral("id"), entry.mappingId}});
    } else {
        QJsonArray misses;
        for (const NearMiss &miss : entry.nearMisses)
            misses.append(nearMissJson(request, miss));
        event.insert(QStringLiteral("nearMisses"), misses);
    }
    return event;
}

QJsonObject RequestJournal::nearMissesJson(const HttpRequest &request, const QString &clientIp,
                                           const QDateTime &loggedAt,
                                           const std::vector<NearMiss> &nearMisses)
{
    const QJsonObject requestObject = requestJson(request, clientIp, loggedAt);
    QJsonArray misses;
    for (const NearMiss &miss : nearMisses)
        misses.append(nearMissJson(requestObject, miss));
    return {{QStringLiteral("nearMisses"), misses}};
}

} // namespace envsync::virt
