#include "core/cdc/replicationconnection.h"

#include "core/cdc/pgoutputdecoder.h"
#include "core/db/cancelguard.h"
#include "core/db/dsn.h"
#include "core/db/servererror.h"
#include "core/db/threadguard.h"

#include <libpq-fe.h>

#include <poll.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <utility>

namespace envsync::cdc {

namespace {

using namespace std::chrono_literals;

struct PgResultDeleter
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

/// Only the primary message, SQLSTATE and object of a server error (db/servererror.h).
std::string resultError(PGconn *conn, const PGresult *result)
{
    const db::ServerErrorFacts facts = db::factsFromResult(result);
    return facts.primary.empty() ? db::safeLibpqMessage(PQerrorMessage(conn))
                                 : db::describeServerError(facts);
}

std::uint64_t readBE(std::string_view bytes, std::size_t at, std::size_t width)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

void appendBE(std::string &out, std::uint64_t value)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((value >> shift) & 0xff));
}

std::int64_t nowUnixMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
}

/// The replication grammar's string literal: quotes doubled, backslashes plain (no E'' form).
std::string replicationLiteral(std::string_view text)
{
    std::string out = "'";
    for (const char c : text) {
        out.push_back(c);
        if (c == '\'')
            out.push_back('\'');
    }
    return out + "'";
}

/// A double-quoted identifier (the replication grammar and pgoutput's publication_names list
/// both read "" as one quote).
std::string quotedName(std::string_view name)
{
    std::string out = "\"";
    for (const char c : name) {
        out.push_back(c);
        if (c == '"')
            out.push_back('"');
    }
    return out + "\"";
}

bool validSlotName(const std::string &name)
{
    return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

Result<std::int64_t> serverTime(std::string_view bytes, std::size_t at)
{
    const auto unix = pgEpochToUnixMicros(static_cast<std::int64_t>(readBE(bytes, at, 8)));
    if (!unix)
        return fail(ErrorCode::Database, "streaming message: server time out of range",
                    "replication");
    return *unix;
}

} // namespace

Result<StreamMessage> parseStreamMessage(std::string_view bytes)
{
    constexpr std::size_t xlogHeader = 1 + 8 + 8 + 8;
    constexpr std::size_t keepaliveSize = 1 + 8 + 8 + 1;
    if (bytes.empty())
        return fail(ErrorCode::Database, "empty streaming message", "replication");
    if (bytes.front() == 'w') {
        if (bytes.size() < xlogHeader)
            return fail(ErrorCode::Database, "truncated XLogData message", "replication");
        auto time = serverTime(bytes, 17);
        if (!time)
            return std::unexpected(time.error());
        StreamMessage message;
        message.kind = StreamMessage::Kind::XLogData;
        message.walStart = readBE(bytes, 1, 8);
        message.walEnd = readBE(bytes, 9, 8);
        message.serverTimeMicros = *time;
        message.payload = std::string(bytes.substr(xlogHeader));
        return message;
    }
    if (bytes.front() == 'k') {
        if (bytes.size() != keepaliveSize)
            return fail(ErrorCode::Database,
                        "keepalive message of " + std::to_string(bytes.size())
                                + " bytes (expected 18)",
                        "replication");
        auto time = serverTime(bytes, 9);
        if (!time)
            return std::unexpected(time.error());
        StreamMessage message;
        message.kind = StreamMessage::Kind::Keepalive;
        message.walEnd = readBE(bytes, 1, 8);
        message.serverTimeMicros = *time;
        message.replyRequested = bytes[17] != 0;
        return message;
    }
    return fail(ErrorCode::Database,
                "unknown streaming message kind (byte "
                        + std::to_string(static_cast<unsigned char>(bytes.front())) + ")",
                "replication");
}

std::string standbyStatusUpdate(Lsn written, Lsn flushed, Lsn applied,
                                std::int64_t clientTimeUnixMicros, bool replyRequested)
{
    std::string out = "r";
    appendBE(out, written);
    appendBE(out, flushed);
    appendBE(out, applied);
    appendBE(out, static_cast<std::uint64_t>(clientTimeUnixMicros - 946'684'800LL * 1'000'000));
    out.push_back(replyRequested ? 1 : 0);
    return out;
}

Result<ReplicationConnection> ReplicationConnection::open(const std::string &dsn,
                                                          const db::ConnectOptions &options,
                                                          const std::string &who,
                                                          std::shared_ptr<job::CancelToken> cancel)
{
    if (auto refused = db::refuseOnGuiThread("replication connect"))
        return std::unexpected(withContext(*refused, who));
    db::ConnectOptions effective = options;
    effective.applicationName = "envsync cdc";
    effective.statementTimeout = 0s; // a stream runs for days
    auto text = db::effectiveConnectionString(dsn, effective);
    if (!text)
        return std::unexpected(withContext(text.error(), who));
    auto parsed = db::Dsn::parse(*text);
    if (!parsed)
        return std::unexpected(withContext(parsed.error(), who));
    // Masking and the spool read text as UTF-8 whatever the source database's encoding.
    const std::string connection = parsed->with("replication", "database")
                                           .with("client_encoding", "UTF8")
                                           .toConnectionString();
    PGconn *conn = PQconnectdb(connection.c_str());
    if (!conn)
        return fail(ErrorCode::Unreachable, "out of memory", who + ": connect");
    ReplicationConnection result(conn, who, std::move(cancel));
    if (PQstatus(conn) != CONNECTION_OK) {
        Error error = result.failure("connect");
        error.code
                = job::cancelled(result.m_cancel) ? ErrorCode::Cancelled : ErrorCode::Unreachable;
        return std::unexpected(error);
    }
    if (job::cancelled(result.m_cancel))
        return fail(ErrorCode::Cancelled, "cancelled", who);
    return result;
}

ReplicationConnection::ReplicationConnection(pg_conn *conn, std::string who,
                                             std::shared_ptr<job::CancelToken> cancel)
    : m_conn(conn)
    , m_who(std::move(who))
    , m_cancel(std::move(cancel))
{
}

ReplicationConnection::ReplicationConnection(ReplicationConnection &&other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr))
    , m_who(std::move(other.m_who))
    , m_cancel(std::move(other.m_cancel))
    , m_streaming(other.m_streaming)
{
}

ReplicationConnection &ReplicationConnection::operator=(ReplicationConnection &&other) noexcept
{
    if (this != &other) {
        if (m_conn)
            PQfinish(m_conn);
        m_conn = std::exchange(other.m_conn, nullptr);
        m_who = std::move(other.m_who);
        m_cancel = std::move(other.m_cancel);
        m_streaming = other.m_streaming;
    }
    return *this;
}

ReplicationConnection::~ReplicationConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

int ReplicationConnection::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

Error ReplicationConnection::failure(const std::string &operation) const
{
    const bool lost = !m_conn || PQstatus(m_conn) != CONNECTION_OK;
    Error error{lost ? ErrorCode::Unreachable : ErrorCode::Database,
                m_conn ? db::safeLibpqMessage(PQerrorMessage(m_conn)) : "not connected",
                m_who + ": " + operation};
    return db::cancelledOr(error, m_cancel);
}

namespace {

/// One replication command, cancellable (PQcancel through the token) while it waits, e.g. for
/// CREATE_REPLICATION_SLOT's consistent point behind long transactions.
Result<PgResult> runCommand(PGconn *conn, const std::string &command, const std::string &who,
                            const std::string &operation,
                            const std::shared_ptr<job::CancelToken> &cancel,
                            ExecStatusType expected)
{
    if (!conn)
        return fail(ErrorCode::Internal, "not connected", who + ": " + operation);
    PgResult result;
    {
        db::CancelGuard guard(conn, cancel);
        result.reset(PQexec(conn, command.c_str()));
    }
    if (!result || PQresultStatus(result.get()) != expected) {
        const bool lost = PQstatus(conn) != CONNECTION_OK;
        return std::unexpected(
                db::cancelledOr(Error{lost ? ErrorCode::Unreachable : ErrorCode::Database,
                                      resultError(conn, result.get()), who + ": " + operation},
                                cancel));
    }
    return result;
}

std::string text(const PgResult &result, int column)
{
    return PQntuples(result.get()) > 0 && PQnfields(result.get()) > column
                           && !PQgetisnull(result.get(), 0, column)
                   ? std::string(PQgetvalue(result.get(), 0, column))
                   : std::string();
}

} // namespace

Result<SystemIdentity> ReplicationConnection::identifySystem()
{
    if (m_streaming)
        return fail(ErrorCode::Internal, "IDENTIFY_SYSTEM while streaming", m_who);
    auto result = runCommand(m_conn, "IDENTIFY_SYSTEM", m_who, "identify system", m_cancel,
                             PGRES_TUPLES_OK);
    if (!result)
        return std::unexpected(result.error());
    SystemIdentity identity;
    identity.systemId = text(*result, 0);
    const std::string timeline = text(*result, 1);
    auto position = parseLsn(text(*result, 2));
    const char *end = timeline.data() + timeline.size();
    const auto parsed = std::from_chars(timeline.data(), end, identity.timeline);
    if (!position || timeline.empty() || parsed.ec != std::errc() || parsed.ptr != end)
        return fail(ErrorCode::Database, "unexpected IDENTIFY_SYSTEM answer", m_who);
    identity.xlogPos = *position;
    identity.dbname = text(*result, 3);
    return identity;
}

Result<CreatedSlot> ReplicationConnection::createLogicalSlot(const std::string &name,
                                                             bool temporary, SlotSnapshot snapshot)
{
    if (!validSlotName(name))
        return fail(ErrorCode::Usage,
                    "invalid replication slot name (lower-case letters, digits and _, at most "
                    "63): \""
                            + name + '"',
                    m_who);
    if (m_streaming)
        return fail(ErrorCode::Internal, "CREATE_REPLICATION_SLOT while streaming", m_who);
    const char *mode = snapshot == SlotSnapshot::Export ? "export"
                       : snapshot == SlotSnapshot::Use  ? "use"
                                                        : "nothing";
    const std::string command = "CREATE_REPLICATION_SLOT " + quotedName(name)
                                + (temporary ? " TEMPORARY" : "") + " LOGICAL pgoutput (SNAPSHOT '"
                                + mode + "')";
    auto result = runCommand(m_conn, command, m_who, "create replication slot " + name, m_cancel,
                             PGRES_TUPLES_OK);
    if (!result)
        return std::unexpected(result.error());
    auto point = parseLsn(text(*result, 1));
    if (!point)
        return fail(ErrorCode::Database, "unexpected CREATE_REPLICATION_SLOT answer", m_who);
    return CreatedSlot{text(*result, 0), *point, text(*result, 2)};
}

Result<void> ReplicationConnection::startStreaming(const std::string &slot, Lsn from,
                                                   const std::string &publication, bool messages)
{
    if (m_streaming)
        return fail(ErrorCode::Internal, "already streaming", m_who);
    const std::string command = "START_REPLICATION SLOT " + quotedName(slot) + " LOGICAL "
                                + formatLsn(from)
                                + " (\"proto_version\" '1', \"publication_names\" "
                                + replicationLiteral(quotedName(publication)) + ", \"messages\" "
                                + (messages ? "'true'" : "'false'") + ")";
    auto result = runCommand(m_conn, command, m_who, "start streaming from slot " + slot, m_cancel,
                             PGRES_COPY_BOTH);
    if (!result)
        return std::unexpected(result.error());
    m_streaming = true;
    return {};
}

Result<void> ReplicationConnection::waitReadable(std::chrono::milliseconds timeout)
{
    pollfd fd{PQsocket(m_conn), POLLIN, 0};
    if (fd.fd < 0)
        return std::unexpected(failure("read"));
    // EINTR (a signal) is just an early wake-up: the caller loops.
    ::poll(&fd, 1, static_cast<int>(timeout.count()));
    if (PQconsumeInput(m_conn) == 0)
        return std::unexpected(failure("read"));
    return {};
}

Result<std::optional<StreamMessage>> ReplicationConnection::read(std::chrono::milliseconds timeout)
{
    if (!m_streaming || !m_conn)
        return fail(ErrorCode::Internal, "read before START_REPLICATION", m_who);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool lastRound = false;
    for (;;) {
        if (job::cancelled(m_cancel))
            return fail(ErrorCode::Cancelled, "cancelled", m_who);
        char *buffer = nullptr;
        const int length = PQgetCopyData(m_conn, &buffer, 1);
        if (length > 0) {
            auto message = parseStreamMessage(
                    std::string_view(buffer, static_cast<std::size_t>(length)));
            PQfreemem(buffer);
            if (!message)
                return std::unexpected(withContext(message.error(), m_who));
            return std::optional<StreamMessage>(std::move(*message));
        }
        if (length == -1) {
            // The server ended the stream: its final result says why.
            m_streaming = false;
            std::string why = "the server ended the replication stream";
            while (PgResult result{PQgetResult(m_conn)}) {
                if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
                    why += ": " + resultError(m_conn, result.get());
            }
            return std::unexpected(db::cancelledOr(
                    Error{ErrorCode::Unreachable, why, m_who + ": read"}, m_cancel));
        }
        if (length < 0)
            return std::unexpected(failure("read"));
        if (lastRound)
            return std::optional<StreamMessage>();
        const auto now = std::chrono::steady_clock::now();
        lastRound = now >= deadline;
        const auto slice = lastRound ? 0ms
                                     : std::min<std::chrono::milliseconds>(
                                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     deadline - now)
                                                     + 1ms,
                                             100ms);
        if (auto waited = waitReadable(slice); !waited)
            return std::unexpected(waited.error());
    }
}

Result<void> ReplicationConnection::sendStatus(Lsn written, Lsn flushed, Lsn applied,
                                               bool replyRequested)
{
    if (!m_streaming || !m_conn)
        return fail(ErrorCode::Internal, "status update before START_REPLICATION", m_who);
    const std::string message
            = standbyStatusUpdate(written, flushed, applied, nowUnixMicros(), replyRequested);
    if (PQputCopyData(m_conn, message.data(), static_cast<int>(message.size())) != 1
        || PQflush(m_conn) != 0)
        return std::unexpected(failure("send status"));
    return {};
}

} // namespace envsync::cdc
