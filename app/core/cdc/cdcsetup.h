#pragma once

#include "core/cdc/lsn.h"
#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace envsync::cdc {

struct CdcSetupOptions
{
    std::shared_ptr<job::CancelToken> cancel;
    std::string actor; ///< "who" in cdc_estate; empty: the OS user
};

/// What `cdc init` found and did.
struct InitReport
{
    std::string slot;
    std::string publication;
    std::vector<std::string> schemas; ///< published schemas, sorted
    bool slotCreated = false;
    bool publicationCreated = false;
    bool publicationChanged = false; ///< existed with other schemas: set to these
    Lsn slotConsistentPoint = 0;     ///< the slot's confirmed_flush_lsn after init
    std::string sourceSystemId;
};

/// What `cdc drop` removed. The spool directory is never touched: its files are the runner's.
struct DropReport
{
    bool wasInitialised = false; ///< false: no cdc_estate row, nothing was touched
    bool slotDropped = false;
    bool publicationDropped = false;
    int walsendersTerminated = 0;
};

/// The source side of CDC, for `cdc status`.
struct SourceCdcStatus
{
    std::string slot;
    bool slotExists = false;
    bool slotActive = false; ///< a walsender (a running `cdc run`) streams from it
    Lsn confirmedFlushLsn = 0;
    Lsn restartLsn = 0;
    Lsn currentWalLsn = 0;
    std::int64_t retainedWalBytes = 0; ///< pg_current_wal_lsn() - restart_lsn
    bool retainedWalExceeded = false;  ///< above cdc.max_retained_wal
};

/// Checks the source (wal_level = logical, a free replication slot, a role that may
/// replicate; refuses tables without a key unless REPLICA IDENTITY FULL, naming them), creates
/// the publication FOR TABLES IN SCHEMA (config's schemas, or every schema with tables) and the
/// estate's logical slot (pgoutput) when absent, and records them in cdc_estate. Idempotent.
/// Refuses (exit 4) a slot or publication of that name that EnvSync did not create.
[[nodiscard]] Result<InitReport> initCdc(const config::Config &config,
                                         const CdcSetupOptions &options = {});

/// Drops the slot named in cdc_estate (ending the walsender that streams from it) and the
/// publication, then the cdc_estate, cdc_regions and cdc_reader rows. Nothing else: never a
/// slot or publication cdc_estate does not name, never the spool directory.
[[nodiscard]] Result<DropReport> dropCdc(const config::Config &config,
                                         const CdcSetupOptions &options = {});

/// The slot's positions and the WAL it keeps on the source (slot: cdc.slot of the config).
[[nodiscard]] Result<SourceCdcStatus> sourceCdcStatus(const config::Config &config,
                                                      const CdcSetupOptions &options = {});

} // namespace envsync::cdc
