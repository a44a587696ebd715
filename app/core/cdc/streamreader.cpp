#include "core/cdc/streamreader.h"

#include "core/cdc/pgoutputdecoder.h"
#include "core/cdc/replicationconnection.h"
#include "core/cdc/spool.h"
#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/db/sqlquote.h"
#include "core/drift/catalogreader.h"
#include "core/refresh/faultpoint.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <optional>
#include <thread>
#include <variant>

namespace envsync::cdc {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char *heartbeatPrefix = "envsync.heartbeat";

/// The reader's working set for one run: connections, masker, spool and the transaction being
/// received.
class ReaderSession
{
public:
    ReaderSession(const config::Config &config, const StreamReaderOptions &options, RunState &state)
        : m_config(config)
        , m_options(options)
        , m_state(state)
        , m_masker(config.masking)
    {
    }

    Result<void> run();
    [[nodiscard]] bool reachedStreaming() const { return m_reachedStreaming; }

private:
    Result<void> open();
    Result<void> readSchema();
    Result<void> onRelation(Relation relation);
    Result<void> onChange(RowChange change);
    Result<void> onCommit(Lsn commitLsn, Lsn endLsn, std::int64_t commitMicros);
    Result<void> onMessage(const StreamMessage &message);
    Result<void> flushIfDue(bool force);
    Result<void> appendSequences();
    Result<void> heartbeatIfDue();
    void publish(const std::string &stateName, const std::string &detail = {});

    const config::Config &m_config;
    const StreamReaderOptions &m_options;
    RunState &m_state;
    ChangeMasker m_masker;
    std::optional<SpoolWriter> m_spool;
    std::optional<ReplicationConnection> m_replication;
    db::ConnectionPtr m_sql;                       ///< catalog reads, sequence values, heartbeats
    std::map<std::uint32_t, Relation> m_relations; ///< as received (unmasked shapes only)

    std::optional<SourceTransaction> m_transaction;
    Lsn m_serverLsn = 0;
    Lsn m_durable = 0;
    std::int64_t m_pendingTransactions = 0;
    bool m_pending = false;
    Clock::time_point m_lastFlush = Clock::now();
    Clock::time_point m_lastHeartbeat = Clock::now();
    Clock::time_point m_lastStatus = Clock::now();
    bool m_reachedStreaming = false;
};

Result<void> ReaderSession::open()
{
    auto sql = db::connect(m_config.source.dsn,
                           db::configuredConnectOptions(m_config, "envsync cdc reader"), "source");
    if (!sql)
        return std::unexpected(sql.error());
    m_sql = std::move(*sql);
    auto confirmed = db::guarded("source", "read slot " + m_options.slot, [&] {
        pqxx::read_transaction tx(*m_sql);
        const auto row = tx.exec_params("SELECT confirmed_flush_lsn::text FROM"
                                        " pg_replication_slots WHERE slot_name = $1",
                                        m_options.slot);
        return row.empty() || row[0][0].is_null() ? std::string() : row[0][0].as<std::string>();
    });
    if (!confirmed)
        return std::unexpected(confirmed.error());
    if (confirmed->empty())
        return fail(ErrorCode::Refused,
                    "replication slot " + m_options.slot
                            + " does not exist (was CDC dropped? run cdc init, then refresh the "
                              "regions)",
                    "source");
    auto slotLsn = parseLsn(*confirmed);
    if (!slotLsn)
        return std::unexpected(slotLsn.error());
    // A new spool starts where the slot stands, so an applier further behind is told it needs
    // a refresh instead of missing what was never spooled.
    SpoolWriter::Options spoolOptions;
    spoolOptions.startLsn = *slotLsn;
    auto spool = SpoolWriter::open(m_options.spoolDir, spoolOptions);
    if (!spool)
        return std::unexpected(spool.error());
    m_spool.emplace(std::move(*spool));
    m_durable = m_spool->durableEnd();
    if (m_durable < *slotLsn)
        return fail(ErrorCode::Refused,
                    "the spool in " + m_options.spoolDir + " ends at " + formatLsn(m_durable)
                            + " but the slot was confirmed up to " + *confirmed
                            + ": changes in between are lost (was the spool replaced?); drop and "
                              "init CDC again, then refresh the regions",
                    "cdc");
    if (auto schema = readSchema(); !schema)
        return schema;
    auto replication = ReplicationConnection::open(
            m_config.source.dsn, db::configuredConnectOptions(m_config, "envsync cdc reader"),
            "source");
    if (!replication)
        return std::unexpected(replication.error());
    m_replication.emplace(std::move(*replication));
    if (auto started
        = m_replication->startStreaming(m_options.slot, m_durable, m_options.publication, true);
        !started)
        return started;
    m_state.updateReader([&](ReaderFigures &figures) { figures.durableLsn = m_durable; });
    return {};
}

Result<void> ReaderSession::readSchema()
{
    drift::CatalogOptions options;
    options.who = "source";
    options.includeSchemas = m_options.schemas;
    auto catalog = drift::readCatalog(*m_sql, options);
    if (!catalog)
        return std::unexpected(catalog.error());
    if (auto rebuilt = m_masker.rebuild(*catalog); !rebuilt)
        return rebuilt;
    for (auto &[id, relation] : m_relations) {
        if (auto added = m_masker.addRelation(relation); !added)
            return added;
    }
    return {};
}

Result<void> ReaderSession::onRelation(Relation relation)
{
    if (!m_masker.knows(relation)) {
        // A new table or column: the plan is rebuilt from the source's current schema, and a
        // column nobody classified stops the stream here, before any of its rows is written.
        if (auto schema = readSchema(); !schema)
            return schema;
    }
    if (auto added = m_masker.addRelation(relation); !added)
        return added;
    m_relations[relation.id] = relation;
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Relation;
    entry.relation = std::move(relation);
    m_pending = true;
    m_spool->append(entry);
    return {};
}

Result<void> ReaderSession::onChange(RowChange change)
{
    if (!m_transaction)
        return fail(ErrorCode::Internal, "a change arrived outside a transaction", "source");
    if (auto masked = m_masker.mask(change); !masked)
        return masked;
    m_transaction->changes.push_back(std::move(change));
    return {};
}

Result<void> ReaderSession::onCommit(Lsn commitLsn, Lsn endLsn, std::int64_t commitMicros)
{
    if (!m_transaction)
        return fail(ErrorCode::Internal, "a commit arrived outside a transaction", "source");
    m_transaction->commitLsn = commitLsn;
    m_transaction->endLsn = endLsn;
    m_transaction->commitTimeMicros = commitMicros;
    const std::int64_t changes = static_cast<std::int64_t>(m_transaction->changes.size());
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Transaction;
    entry.transaction = std::move(*m_transaction);
    m_transaction.reset();
    if (entry.transaction.endLsn <= m_durable && m_durable != 0)
        return {}; // already in the spool (the server resent from an older position)
    m_spool->append(entry);
    refresh::faultPoint("cdc.reader.appended");
    m_pending = true;
    ++m_pendingTransactions;
    m_state.updateReader([&](ReaderFigures &figures) {
        figures.changes += changes;
        ++figures.transactions;
    });
    return {};
}

Result<void> ReaderSession::appendSequences()
{
    auto values = db::guarded("source", "read sequence values", [&] {
        pqxx::read_transaction tx(*m_sql);
        return tx.exec_params("SELECT schemaname::text, sequencename::text, last_value"
                              " FROM pg_sequences WHERE schemaname = ANY($1::text[])"
                              " AND last_value IS NOT NULL",
                              db::textArray(m_options.schemas));
    });
    if (!values)
        return std::unexpected(values.error());
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Sequences;
    for (const auto &row : *values)
        entry.sequences.push_back(
                {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>()});
    if (entry.sequences.empty())
        return {};
    m_spool->append(entry);
    return {};
}

Result<void> ReaderSession::flushIfDue(bool force)
{
    if (!m_pending)
        return {};
    if (!force && Clock::now() - m_lastFlush < m_options.flushInterval)
        return {};
    if (m_pendingTransactions > 0) {
        if (auto sequences = appendSequences(); !sequences)
            return sequences;
    }
    refresh::faultPoint("cdc.reader.before-flush");
    auto durable = m_spool->flush();
    if (!durable)
        return std::unexpected(durable.error());
    refresh::faultPoint("cdc.reader.flushed");
    m_durable = *durable;
    m_pending = false;
    m_pendingTransactions = 0;
    m_lastFlush = Clock::now();
    // Confirm only what the spool holds durably: the source may then recycle that WAL.
    if (auto sent = m_replication->sendStatus(m_durable, m_durable, m_durable, false); !sent)
        return sent;
    m_lastStatus = Clock::now();
    m_state.updateReader([&](ReaderFigures &figures) { figures.durableLsn = m_durable; });
    m_state.notifySpoolGrew();
    return {};
}

Result<void> ReaderSession::heartbeatIfDue()
{
    if (Clock::now() - m_lastHeartbeat < m_config.cdc.heartbeat)
        return {};
    m_lastHeartbeat = Clock::now();
    return db::guarded("source", "heartbeat", [&] {
        pqxx::nontransaction tx(*m_sql);
        tx.exec_params("SELECT pg_logical_emit_message(false, $1, '')", heartbeatPrefix);
    });
}

Result<void> ReaderSession::onMessage(const StreamMessage &message)
{
    if (message.kind == StreamMessage::Kind::Keepalive) {
        m_serverLsn = std::max(m_serverLsn, message.walEnd);
        // Between transactions everything the server sent before this keepalive is spooled:
        // the spool may say it stands at walEnd (an idle publication must not pin WAL).
        if (!m_transaction && message.walEnd > m_durable) {
            SpoolEntry position;
            position.kind = SpoolEntry::Kind::Position;
            position.position = message.walEnd;
            m_spool->append(position);
            m_pending = true;
        }
        if (message.replyRequested) {
            if (auto flushed = flushIfDue(true); !flushed)
                return flushed;
            return m_replication->sendStatus(m_durable, m_durable, m_durable, false);
        }
        return {};
    }
    m_serverLsn = std::max(m_serverLsn, message.walEnd);
    auto decoded = decodePgOutput(message.payload);
    if (!decoded)
        return std::unexpected(withContext(decoded.error(), "source"));
    return std::visit(
            [&](auto &&item) -> Result<void> {
                using T = std::decay_t<decltype(item)>;
                if constexpr (std::is_same_v<T, pgoutput::Begin>) {
                    m_transaction.emplace();
                    m_transaction->xid = item.xid;
                    m_transaction->commitLsn = item.finalLsn;
                    m_transaction->commitTimeMicros = item.commitTimeMicros;
                    return {};
                } else if constexpr (std::is_same_v<T, pgoutput::Commit>) {
                    return onCommit(item.commitLsn, item.endLsn, item.commitTimeMicros);
                } else if constexpr (std::is_same_v<T, Relation>) {
                    return onRelation(item);
                } else if constexpr (std::is_same_v<T, pgoutput::Insert>) {
                    RowChange change;
                    change.kind = ChangeKind::Insert;
                    change.relationId = item.relationId;
                    change.newTuple = item.newTuple;
                    return onChange(std::move(change));
                } else if constexpr (std::is_same_v<T, pgoutput::Update>) {
                    RowChange change;
                    change.kind = ChangeKind::Update;
                    change.relationId = item.relationId;
                    change.oldTuple = item.oldTuple;
                    change.oldIsKey = item.oldIsKey;
                    change.newTuple = item.newTuple;
                    return onChange(std::move(change));
                } else if constexpr (std::is_same_v<T, pgoutput::Delete>) {
                    RowChange change;
                    change.kind = ChangeKind::Delete;
                    change.relationId = item.relationId;
                    change.oldTuple = item.oldTuple;
                    change.oldIsKey = item.oldIsKey;
                    return onChange(std::move(change));
                } else if constexpr (std::is_same_v<T, pgoutput::Truncate>) {
                    RowChange change;
                    change.kind = ChangeKind::Truncate;
                    change.truncated = item.relationIds;
                    change.relationId = item.relationIds.empty() ? 0 : item.relationIds.front();
                    change.truncateCascade = item.cascade;
                    change.truncateRestartIdentity = item.restartIdentity;
                    return onChange(std::move(change));
                } else if constexpr (std::is_same_v<T, pgoutput::Message>) {
                    if (item.transactional || m_transaction)
                        return {};
                    SpoolEntry position;
                    position.kind = SpoolEntry::Kind::Position;
                    position.position = item.lsn;
                    m_pending = true;
                    m_spool->append(position);
                    return {};
                } else {
                    return {}; // Origin, Type: nothing to carry
                }
            },
            *decoded);
}

void ReaderSession::publish(const std::string &stateName, const std::string &detail)
{
    m_state.updateReader([&](ReaderFigures &figures) {
        figures.state = stateName;
        figures.detail = detail;
        figures.serverLsn = std::max(figures.serverLsn, m_serverLsn);
    });
}

Result<void> ReaderSession::run()
{
    if (auto opened = open(); !opened)
        return opened;
    m_reachedStreaming = true;
    publish("streaming");
    while (true) {
        const bool stopping = job::cancelled(m_options.stop);
        if (stopping && !m_transaction)
            break;
        auto message = m_replication->read(std::chrono::milliseconds(20));
        if (!message)
            return std::unexpected(message.error());
        if (*message) {
            if (auto handled = onMessage(**message); !handled)
                return handled;
        }
        if (!m_transaction) {
            if (auto flushed = flushIfDue(false); !flushed)
                return flushed;
        }
        if (auto beat = heartbeatIfDue(); !beat)
            return beat;
        if (Clock::now() - m_lastStatus > std::chrono::seconds(5)) {
            // Tell the server we are alive even when nothing was flushed.
            if (auto sent = m_replication->sendStatus(m_durable, m_durable, m_durable, false);
                !sent)
                return sent;
            m_lastStatus = Clock::now();
        }
        publish("streaming");
    }
    if (auto flushed = flushIfDue(true); !flushed)
        return flushed;
    publish("stopped");
    return {};
}

} // namespace

StreamReader::StreamReader(const config::Config &config, StreamReaderOptions options,
                           RunState &state)
    : m_config(config)
    , m_options(std::move(options))
    , m_state(state)
{
}

Result<void> StreamReader::run()
{
    // A source restart or a network cut ends the session; the next one resumes from the
    // spool's durable end. Anything else (a column without a rule, a spool that cannot be
    // written) stops the reader for good.
    std::chrono::milliseconds backoff{500};
    int failuresBeforeStreaming = 0;
    while (true) {
        ReaderSession session(m_config, m_options, m_state);
        auto result = session.run();
        if (result)
            return result;
        const Error &error = result.error();
        if (session.reachedStreaming()) {
            failuresBeforeStreaming = 0;
            backoff = std::chrono::milliseconds(500);
        }
        const bool transient
                = error.code == ErrorCode::Unreachable
                  || (error.code == ErrorCode::Database && ++failuresBeforeStreaming <= 5);
        if (!transient || job::cancelled(m_options.stop)) {
            m_state.updateReader([&](ReaderFigures &figures) {
                figures.state = job::cancelled(m_options.stop) ? "stopped" : "error";
                figures.detail = error.describe();
            });
            return job::cancelled(m_options.stop) && transient ? Result<void>{} : result;
        }
        m_state.updateReader([&](ReaderFigures &figures) {
            figures.state = "reconnecting";
            figures.detail = error.describe();
        });
        const auto until = std::chrono::steady_clock::now() + backoff;
        while (!job::cancelled(m_options.stop) && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(10));
    }
}

Result<Lsn> StreamReader::emitHeartbeat(const config::Config &config)
{
    auto sql = db::connect(config.source.dsn,
                           db::configuredConnectOptions(config, "envsync cdc reader"), "source");
    if (!sql)
        return std::unexpected(sql.error());
    auto text = db::guarded("source", "heartbeat", [&] {
        pqxx::nontransaction tx(**sql);
        return tx
                .exec_params1("SELECT pg_logical_emit_message(false, $1, '')::text",
                              heartbeatPrefix)[0]
                .as<std::string>();
    });
    if (!text)
        return std::unexpected(text.error());
    return parseLsn(*text);
}

} // namespace envsync::cdc
