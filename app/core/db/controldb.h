#pragma once

#include "core/cdc/lsn.h"
#include "core/config/config.h"
#include "core/db/connection.h"
#include "core/error.h"

#include <QDateTime>

#include <map>
#include <optional>
#include <vector>
#include <string>

namespace envsync::db {

/// A refresh of a region as recorded in envsync_control.refresh_log.
struct RefreshRecord
{
    std::string region;
    std::string snapshot;
    QDateTime sourceAsOf; ///< when the snapshot's data was read from the source (UTC)
    QDateTime startedAt;
    QDateTime finishedAt;
    std::string result = "success"; ///< running | success | failed | cancelled | rolled_back
    std::int64_t rows = 0;
    std::string actor;
    std::string detail;
};

/// A row of envsync.snapshots (the golden snapshot catalogue).
struct SnapshotRecord
{
    int version = 0;
    std::string name;
    std::string state = "building"; ///< building | ready | pruned
    QDateTime createdAt;
    QDateTime sourceAsOf;
    std::string sourceLsn;
    std::string rulesHash;
    std::string rowCountsJson = "{}"; ///< {"schema.table": rows, ...}
    std::int64_t sizeBytes = 0;
    std::int64_t durationMs = 0;
    std::string createdBy;
    /// Written by markSnapshotReady (empty: none); snapshots() leaves it empty, since it can be
    /// large: read it with snapshotCopyFacts.
    std::string copyFactsJson;
    /// The slot-consistent point of the exported snapshot (pg_lsn text): exactly the source
    /// transactions whose commit record starts at or after it are not in the snapshot. Empty
    /// for snapshots taken without one (before CDC, or a source without wal_level=logical).
    std::string cdcLsn;
};

/// The estate's CDC set-up (envsync.cdc_estate, one row), written by `cdc init`. Only the
/// slot and publication named here are ever dropped by EnvSync.
struct CdcEstate
{
    std::string slot;
    std::string publication;
    std::vector<std::string> schemas;
    QDateTime createdAt;
    std::string sourceSystemId; ///< IDENTIFY_SYSTEM / pg_control_system(): which cluster
    std::string createdBy;
};

/// A region's streaming state as the runner last wrote it (envsync.cdc_regions).
struct CdcRegionState
{
    std::string region;
    bool paused = false;
    std::string state = "stopped"; ///< streaming | paused | stopped | error | refreshing
    std::string detail;
    cdc::Lsn appliedLsn = 0; ///< 0: none yet
    std::int64_t lagBytes = 0;
    double lagSeconds = 0;
    double changesPerSecond = 0;
    std::string conflictsJson = "{}"; ///< {"schema.table": {"insert_exists": n, ...}, ...}
    QDateTime updatedAt;
};

/// The stream reader's state (envsync.cdc_reader, one row).
struct CdcReaderState
{
    std::string state = "stopped"; ///< streaming | stopped | error
    std::string detail;
    cdc::Lsn durableLsn = 0;   ///< the spool's durable end
    cdc::Lsn confirmedLsn = 0; ///< what the slot was told (never beyond durableLsn)
    double changesPerSecond = 0;
    QDateTime updatedAt;
};

/// The control database `envsync_control` on the golden cluster: refresh history, audit log and
/// snapshot catalogue. It is never renamed, so advisory locks taken in it are stable.
class ControlDb
{
public:
    static constexpr const char *databaseName = "envsync_control";
    /// Current schema version; migrations up to it run on first use.
    static constexpr int schemaVersion = 4;

    /// The golden DSN with dbname replaced by envsync_control.
    [[nodiscard]] static Result<std::string> controlDsn(const std::string &goldenDsn);

    /// Connects, creating the database and applying migrations when needed (idempotent and
    /// safe to run concurrently: migrations hold an advisory lock). Runs the golden guard
    /// (goldenguard.h) first, before anything is written: refuses (ErrorCode::Refused, exit 4)
    /// when golden.dsn reaches the source's cluster or a production region's, and refuses to
    /// create envsync_control while the source cannot be reached to prove it is not.
    [[nodiscard]] static Result<ControlDb> open(const config::Config &config,
                                                const ConnectOptions &options);
    /// The same without the golden guard: only for clusters EnvSync made itself (the demo) and
    /// for tests of the control database as such.
    [[nodiscard]] static Result<ControlDb> openUnguarded(const std::string &goldenDsn,
                                                         const ConnectOptions &options);
    /// Connects without creating anything; nullopt (not an error) when it does not exist yet.
    [[nodiscard]] static Result<std::optional<ControlDb>> openExisting(
            const std::string &goldenDsn, const ConnectOptions &options);

    /// Newest successful refresh per region.
    [[nodiscard]] Result<std::map<std::string, RefreshRecord>> lastSuccessfulRefreshes();
    /// Name of the newest snapshot in state 'ready' (e.g. "golden_v3"); nullopt when none.
    [[nodiscard]] Result<std::optional<std::string>> newestReadySnapshot();
    [[nodiscard]] Result<void> recordRefresh(const RefreshRecord &record);
    [[nodiscard]] Result<void> audit(const std::string &actor, const std::string &action,
                                     const std::string &target, const std::string &result,
                                     const std::string &detailJson = "{}");
    [[nodiscard]] Result<int> appliedVersion();

    // --- snapshot catalogue -----------------------------------------------------------------
    /// Every snapshot row, oldest first.
    [[nodiscard]] Result<std::vector<SnapshotRecord>> snapshots();
    /// Inserts a 'building' row with version max(version)+1 named namePrefix + version, in one
    /// transaction that locks the table; returns the version.
    [[nodiscard]] Result<int> reserveSnapshotVersion(const std::string &namePrefix,
                                                     const std::string &actor);
    /// Sets state 'ready' and the recorded facts of record.version.
    [[nodiscard]] Result<void> markSnapshotReady(const SnapshotRecord &record);
    [[nodiscard]] Result<void> markSnapshotPruned(int version);
    /// The facts the copy recorded for verify (JSON); nullopt for a snapshot made before they
    /// were recorded (or an unknown version), also when this catalogue predates the column.
    [[nodiscard]] Result<std::optional<std::string>> snapshotCopyFacts(int version);
    [[nodiscard]] Result<void> deleteSnapshotRow(int version);
    /// Deletes every row still in state 'building' (leftovers of killed runs); their names.
    [[nodiscard]] Result<std::vector<std::string>> deleteBuildingSnapshots();
    // --- CDC ---------------------------------------------------------------------------------
    /// The estate's CDC set-up; nullopt when `cdc init` has not run (or `cdc drop` did).
    [[nodiscard]] Result<std::optional<CdcEstate>> cdcEstate();
    /// Inserts or replaces the one row (created_at is kept on replace).
    [[nodiscard]] Result<void> writeCdcEstate(const CdcEstate &estate);
    /// Deletes cdc_estate, cdc_regions and cdc_reader rows (after `cdc drop`).
    [[nodiscard]] Result<void> deleteCdcState();
    /// Every region's row, by name.
    [[nodiscard]] Result<std::vector<CdcRegionState>> cdcRegions();
    /// Inserts or updates the region's status (everything but `paused`, which is the user's).
    [[nodiscard]] Result<void> writeCdcRegionStatus(const CdcRegionState &status);
    /// Sets `paused` (inserting the row when needed).
    [[nodiscard]] Result<void> setCdcRegionPaused(const std::string &region, bool paused);
    [[nodiscard]] Result<std::optional<CdcReaderState>> cdcReader();
    [[nodiscard]] Result<void> writeCdcReader(const CdcReaderState &reader);

    /// Session-level pg_try_advisory_lock on this connection (released when it closes).
    [[nodiscard]] Result<bool> tryAdvisoryLock(std::int64_t key);
    [[nodiscard]] Result<void> advisoryUnlock(std::int64_t key);

    pqxx::connection &connection() { return *m_connection; }

private:
    explicit ControlDb(ConnectionPtr connection);
    [[nodiscard]] static Result<ControlDb> open(const std::string &goldenDsn,
                                                const ConnectOptions &options,
                                                const config::Config *guardedBy);
    [[nodiscard]] Result<void> migrate();

    ConnectionPtr m_connection;
};

/// The OS user name for audit records ("who").
[[nodiscard]] std::string currentActor();

} // namespace envsync::db
