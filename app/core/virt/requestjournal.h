#pragma once

#include "core/virt/httpexchange.h"
#include "core/virt/stubengine.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <cstdint>
#include <deque>
#include <random>
#include <vector>

namespace envsync::virt {

/// One request a virtual service answered (a WireMock "serve event").
struct JournalEntry
{
    std::uint64_t sequence = 0; ///< 1, 2, … in arrival order; set by RequestJournal::record
    QString id;                 ///< UUID text; set by RequestJournal::record
    QDateTime loggedAt;         ///< UTC
    HttpRequest request;        ///< body cut to RequestJournal::maxBodyBytes
    QString clientIp;
    bool matched = false;
    QString mappingId;
    int status = 0;
    std::int64_t latencyMicros = 0;   ///< request complete → response handed to the socket
    std::vector<NearMiss> nearMisses; ///< closest first, unmatched requests only
};

/// The request journal of one virtual service: bounded (the oldest entries go first) and
/// thread-safe (every worker thread of a server records into it).
class RequestJournal
{
public:
    static constexpr qsizetype maxBodyBytes = 64 * 1024;
    /// The bodies kept together stay under this: 10,000 large requests must not hold 640 MiB.
    static constexpr qsizetype maxTotalBodyBytes = 32 * 1024 * 1024;

    explicit RequestJournal(qsizetype capacity = 10000);

    /// Stores `entry` (numbered and given an id here); drops the oldest beyond the capacity
    /// (entries, or body bytes).
    void record(JournalEntry entry);
    /// Newest first.
    [[nodiscard]] std::vector<JournalEntry> entries() const;
    /// Entries recorded after `sequence`, oldest first: a view polls with its last sequence.
    [[nodiscard]] std::vector<JournalEntry> entriesSince(std::uint64_t sequence) const;
    /// Unmatched entries, newest first.
    [[nodiscard]] std::vector<JournalEntry> unmatched() const;
    void clear();
    /// Requests recorded since the start or the last clear() (also those dropped for space).
    [[nodiscard]] std::uint64_t total() const;
    [[nodiscard]] qsizetype capacity() const { return m_capacity; }

    /// Like WireMock's GET /__admin/requests: {"requests": [...newest first], "meta": {"total"}}.
    /// `limit` < 0: every entry kept.
    [[nodiscard]] QJsonObject toJson(qsizetype limit = -1) const;
    /// A WireMock "LoggedRequest".
    [[nodiscard]] static QJsonObject
    requestJson(const HttpRequest &request, const QString &clientIp, const QDateTime &loggedAt);
    /// A WireMock "ServeEvent" (without the stub mapping body: see stubMapping.id).
    [[nodiscard]] static QJsonObject entryJson(const JournalEntry &entry);
    /// WireMock's near-miss list: {"nearMisses": [{"request", "stubMapping", "matchResult"}]}.
    [[nodiscard]] static QJsonObject nearMissesJson(const HttpRequest &request,
                                                    const QString &clientIp,
                                                    const QDateTime &loggedAt,
                                                    const std::vector<NearMiss> &nearMisses);

private:
    mutable QMutex m_mutex;
    qsizetype m_capacity;
    std::deque<JournalEntry> m_entries; ///< oldest first
    std::uint64_t m_sequence = 0;
    std::uint64_t m_total = 0;
    qsizetype m_bodyBytes = 0; ///< of the entries kept
    std::mt19937_64 m_random;  ///< request ids only (not secrets): seeded once from the system
};

} // namespace envsync::virt
