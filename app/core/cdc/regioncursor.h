#pragma once

#include "core/cdc/lsn.h"
#include "core/error.h"

#include <pqxx/connection>

#include <cstdint>
#include <optional>
#include <string>

namespace envsync::cdc {

/// Where a region's database stands in the source's change stream. It lives in the region's
/// database itself (`_envsync.cdc_applied`, one row), written in the same transaction as the
/// changes it accounts for, so a database restored, refreshed or rolled back carries its own
/// position, and kill -9 anywhere neither loses nor repeats a change.
///
/// Rule: every source transaction whose commit LSN is below `appliedLsn` is in the database,
/// none at or above it is. A refresh from golden_vN seeds it with golden_vN's slot-consistent
/// LSN; applying transaction T moves it to T.endLsn.
struct RegionCursor
{
    Lsn appliedLsn = 0;
    std::int64_t commitTimeMicros = 0; ///< commit time of the last applied transaction; 0: none
    std::string origin;                ///< "golden_v4" when seeded by a refresh, else "stream"
};

/// Schema and tables of the cursor and the per-table conflict counters (idempotent DDL;
/// `_envsync` is EnvSync's own schema, which drift and snapshots skip).
[[nodiscard]] const std::string &regionCursorDdl();

/// Creates the tables if needed and sets the cursor to `lsn` (a refresh's golden version).
[[nodiscard]] Result<void> seedRegionCursor(pqxx::connection &connection, Lsn lsn,
                                            const std::string &golden, const std::string &who);

/// The cursor, or nullopt when the database has none (never streamed into, nor refreshed from
/// a slot-consistent golden version).
[[nodiscard]] Result<std::optional<RegionCursor>> readRegionCursor(pqxx::connection &connection,
                                                                   const std::string &who);

} // namespace envsync::cdc
