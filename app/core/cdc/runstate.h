#pragma once

#include "core/cdc/lsn.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace envsync::cdc {

/// What a region's applier is doing, as `cdc status` and the console show it.
/// NeedsRefresh: its database has no CDC position, or one older than the spool's start; a
/// refresh from a golden version made after `cdc init` mends it (the applier looks again).
enum class RegionState {
    Starting,
    Streaming,
    Paused,
    Refreshing,
    Reconnecting,
    NeedsRefresh,
    Error,
    Stopped
};
[[nodiscard]] const char *regionStateName(RegionState state);

/// One region's live figures (a copy taken under the RunState's lock).
struct RegionFigures
{
    std::string region;
    RegionState state = RegionState::Starting;
    std::string detail;
    Lsn appliedLsn = 0;
    std::int64_t lastCommitMicros = 0;    ///< commit time of the last applied transaction
    std::int64_t oldestPendingMicros = 0; ///< commit time of the oldest one not applied; 0: none
    std::int64_t changes = 0;             ///< applied since start
    std::int64_t transactions = 0;
    std::map<std::string, std::int64_t> conflicts; ///< "schema.table kind" → count since start
};

/// What the runner learnt from the control database for a region (polled, not live).
struct RegionControl
{
    bool paused = false;     ///< `cdc pause`
    bool refreshing = false; ///< a refresh or rollback holds the region's lock
};

/// The stream reader's live figures.
struct ReaderFigures
{
    std::string state = "starting"; ///< starting | streaming | error | stopped
    std::string detail;
    Lsn durableLsn = 0; ///< the spool's durable end (also what the slot was confirmed to)
    Lsn serverLsn = 0;  ///< the newest source WAL position the server told us of
    std::int64_t changes = 0;
    std::int64_t transactions = 0;
};

/// The figures shared by the reader, the appliers and whoever reports them; the appliers also
/// wait here for the spool to grow.
class RunState
{
public:
    explicit RunState(const std::vector<std::string> &regions);

    void updateReader(const std::function<void(ReaderFigures &)> &change);
    void updateRegion(const std::string &region,
                      const std::function<void(RegionFigures &)> &change);
    [[nodiscard]] ReaderFigures reader() const;
    [[nodiscard]] std::vector<RegionFigures> regions() const;

    void setControl(const std::string &region, RegionControl control);
    [[nodiscard]] RegionControl control(const std::string &region) const;

    /// The reader made more of the spool durable.
    void notifySpoolGrew();
    /// Waits until the spool grows or `timeout` passes.
    void waitForSpool(std::chrono::milliseconds timeout);

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_grew;
    std::uint64_t m_generation = 0;
    ReaderFigures m_reader;
    std::map<std::string, RegionFigures> m_regions;
    std::map<std::string, RegionControl> m_controls;
};

} // namespace envsync::cdc
