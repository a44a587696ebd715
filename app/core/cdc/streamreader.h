#pragma once

#include "core/cdc/changemasker.h"
#include "core/cdc/runstate.h"
#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace envsync::cdc {

struct StreamReaderOptions
{
    std::string slot;
    std::string publication;
    std::vector<std::string> schemas; ///< the published schemas (catalog reads, sequences)
    std::string spoolDir;
    /// Stop after the transaction being received (SIGTERM, or every region caught up).
    std::shared_ptr<job::CancelToken> stop;
    /// Group commit: the spool is fsync'd as soon as the stream pauses (nothing arrived for
    /// `idleFlushAfter`), and during a steady stream at least every `maxFlushInterval`, so a
    /// trickle is confirmed within milliseconds and a backlog costs few fdatasyncs.
    std::chrono::milliseconds idleFlushAfter{10};
    std::chrono::milliseconds maxFlushInterval{200};
};

/// Reads the estate's slot and writes its masked changes into the spool: pgoutput messages are
/// decoded and assembled into transactions, every row image is masked (ChangeMasker), each
/// committed transaction is appended; the spool is fsync'd in groups (see the options), and
/// only then is the slot confirmed up to the spool's durable end, so the source keeps WAL only
/// while the spool is behind. An idle source gets a heartbeat message every
/// `config.cdc.heartbeat`, so its slot moves on even when nothing published changes.
class StreamReader
{
public:
    StreamReader(const config::Config &config, StreamReaderOptions options, RunState &state);

    /// Blocking, until `stop` (after the transaction in flight) or an error: a column without
    /// a rule (fail-closed), a lost source connection, a spool that cannot be written.
    [[nodiscard]] Result<void> run();

    /// Emits a heartbeat now and returns its WAL position: once the spool holds it, every
    /// transaction committed before the call is in the spool (for --until-caught-up).
    [[nodiscard]] static Result<Lsn> emitHeartbeat(const config::Config &config);

private:
    const config::Config &m_config;
    StreamReaderOptions m_options;
    RunState &m_state;
};

} // namespace envsync::cdc
