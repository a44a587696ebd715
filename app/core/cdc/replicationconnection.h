#pragma once

#include "core/cdc/lsn.h"
#include "core/db/connection.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_conn;

namespace envsync::cdc {

/// IDENTIFY_SYSTEM's answer.
struct SystemIdentity
{
    std::string systemId; ///< text: a 64-bit number
    std::uint32_t timeline = 0;
    Lsn xlogPos = 0; ///< the server's current WAL flush position
    std::string dbname;
};

/// CREATE_REPLICATION_SLOT's answer.
struct CreatedSlot
{
    std::string slotName;
    Lsn consistentPoint = 0;  ///< transactions committing at or after it are streamed
    std::string snapshotName; ///< empty unless the snapshot was exported
};

/// What CREATE_REPLICATION_SLOT does with the slot's consistent snapshot.
enum class SlotSnapshot : std::uint8_t {
    Nothing, ///< no snapshot (the estate's slot: golden versions bring their own point)
    Export,  ///< exported for other sessions (snapshotName)
    Use,     ///< used by this connection's open transaction
};

/// One CopyData message of the streaming protocol. (A struct rather than a variant: GCC 12
/// warns falsely about a variant holding a string inside std::expected.)
struct StreamMessage
{
    enum class Kind : std::uint8_t {
        XLogData,  ///< 'w': one pgoutput message in `payload`
        Keepalive, ///< 'k': the server's WAL end; answer when `replyRequested`
    };
    Kind kind = Kind::Keepalive;
    Lsn walStart = 0; ///< XLogData only
    Lsn walEnd = 0;
    std::int64_t serverTimeMicros = 0; ///< Unix epoch µs
    std::string payload;               ///< XLogData only
    bool replyRequested = false;       ///< Keepalive only
};

/// Parses one CopyData message of the streaming protocol ('w' or 'k'); anything else, short or
/// over-long input is an Error (never the bytes themselves).
[[nodiscard]] Result<StreamMessage> parseStreamMessage(std::string_view bytes);

/// The 'r' standby status update as sent on the wire (for tests and sendStatus).
[[nodiscard]] std::string standbyStatusUpdate(Lsn written, Lsn flushed, Lsn applied,
                                              std::int64_t clientTimeUnixMicros,
                                              bool replyRequested);

/// A logical replication connection (`replication=database`) to the source, raw libpq: the
/// estate's one slot is created and streamed over it with pgoutput, so the server needs no
/// extension. Blocking calls: never on the GUI thread. Not thread-safe (one owner thread);
/// the cancel token may be cancelled from any thread.
class ReplicationConnection
{
public:
    /// Connects with application_name "envsync cdc" (unless the DSN names one) and no
    /// statement timeout (streaming never ends). `who` names the source in errors.
    static Result<ReplicationConnection> open(const std::string &dsn,
                                              const db::ConnectOptions &options,
                                              const std::string &who,
                                              std::shared_ptr<job::CancelToken> cancel = {});

    ReplicationConnection(ReplicationConnection &&) noexcept;
    ReplicationConnection &operator=(ReplicationConnection &&) noexcept;
    ReplicationConnection(const ReplicationConnection &) = delete;
    ReplicationConnection &operator=(const ReplicationConnection &) = delete;
    ~ReplicationConnection();

    [[nodiscard]] Result<SystemIdentity> identifySystem();

    /// CREATE_REPLICATION_SLOT "name" [TEMPORARY] LOGICAL pgoutput (SNAPSHOT '…'). Slot names
    /// are [a-z0-9_]{1,63} (the server's rule); anything else is a Usage error, nothing sent.
    [[nodiscard]] Result<CreatedSlot> createLogicalSlot(const std::string &name, bool temporary,
                                                        SlotSnapshot snapshot
                                                        = SlotSnapshot::Nothing);

    /// START_REPLICATION SLOT … LOGICAL from with pgoutput protocol 1 for `publication`
    /// (`messages` on: logical decoding messages, EnvSync's heartbeats, are streamed too).
    /// From 0: where the slot's confirmed position stands.
    [[nodiscard]] Result<void> startStreaming(const std::string &slot, Lsn from,
                                              const std::string &publication, bool messages);

    /// The next streaming message, or nullopt when none came within `timeout`. The end of
    /// the stream or a server error is an Error naming the source; a cancel returns
    /// ErrorCode::Cancelled within ~100 ms.
    [[nodiscard]] Result<std::optional<StreamMessage>> read(std::chrono::milliseconds timeout);

    /// Standby status update. `flushed` is what the caller holds durably (the spool): the
    /// server confirms the slot up to it and may recycle WAL before it — never send more.
    [[nodiscard]] Result<void> sendStatus(Lsn written, Lsn flushed, Lsn applied,
                                          bool replyRequested = false);

    /// The connection's socket (to poll alongside other work); -1 when closed.
    [[nodiscard]] int socket() const;

private:
    ReplicationConnection(pg_conn *conn, std::string who, std::shared_ptr<job::CancelToken> cancel);
    [[nodiscard]] Error failure(const std::string &operation) const;
    [[nodiscard]] Result<void> waitReadable(std::chrono::milliseconds timeout);

    pg_conn *m_conn = nullptr;
    std::string m_who;
    std::shared_ptr<job::CancelToken> m_cancel;
    bool m_streaming = false;
};

} // namespace envsync::cdc
