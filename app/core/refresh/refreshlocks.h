#pragma once

#include "core/job/canceltoken.h"
#include "core/db/controldb.h"
#include "core/error.h"

#include <functional>
#include <memory>
#include <string>

namespace envsync::refresh {

/// Session-level advisory locks in envsync_control (never renamed, so the keys are stable):
/// one per region (exclusivity) and `max_parallel_refreshes` slotCount for reading golden
/// (capacity). Held by this object's connection; released when it is destroyed or the
/// process dies, so a killed refresh never leaves a lock behind.
class RefreshLocks
{
public:
    explicit RefreshLocks(db::ControlDb control);

    /// The region's lock, or Refused naming who holds it and since when.
    [[nodiscard]] Result<void> lockRegion(const std::string &region);
    /// Waits for one of `slotCount` golden read slotCount; `onQueued` is told once when it must wait.
    /// Cancelled when `cancel` fires while waiting.
    [[nodiscard]] Result<void> acquireGoldenSlot(int slotCount,
                                                 const std::shared_ptr<job::CancelToken> &cancel,
                                                 const std::function<void(const std::string &)> &onQueued);

    [[nodiscard]] db::ControlDb &control() { return m_control; }

    /// A stable 64-bit key for a name (FNV-1a), the same in every process and build.
    [[nodiscard]] static std::int64_t keyFor(const std::string &name);
    /// The advisory-lock key `lockRegion` takes for the region (to look for its holder).
    [[nodiscard]] static std::int64_t regionKey(const std::string &region);

private:
    [[nodiscard]] Result<std::string> describeHolder(std::int64_t key);

    db::ControlDb m_control;
};

} // namespace envsync::refresh
