#pragma once

#include "core/cdc/applystatements.h"
#include "core/cdc/change.h"
#include "core/cdc/conflictpolicy.h"
#include "core/cdc/regioncursor.h"
#include "core/db/connection.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace envsync::cdc {

struct RegionApplierOptions
{
    std::string region; ///< "eu": names the region in errors
    std::string dsn;    ///< the region's database
    ConflictPolicy policy = ConflictPolicy::SourceWins;
    std::set<std::string> skipTables;         ///< "schema.table": preserved, never touched
    std::string sourceDsn;                    ///< the source, for schema parity catalog reads
    db::ConnectOptions connect;               ///< applicationName is set by the applier
    std::shared_ptr<job::CancelToken> cancel; ///< may be null
    /// A run of fewer changes of one relation and shape is applied row by row: a set
    /// statement's fixed cost (arrays, unnest, casts) outweighs what it saves there on wide
    /// tables (bench_cdc.sh: runs of 2-4 changes of 15 columns cost the region more as sets).
    /// A run is what the batch holds of a table between barriers (see RegionApplier).
    std::size_t minSetChanges = 8;
};

/// What one apply() call did. Conflicts are keyed by ("schema.table", kind) with kind
/// "insert_exists", "update_missing" or "delete_missing".
struct ApplyStats
{
    std::int64_t transactions = 0; ///< source transactions applied (not those already there)
    std::int64_t changes = 0;      ///< row changes and truncates applied or counted as conflicts
    std::map<std::pair<std::string, std::string>, std::int64_t> conflicts;
    Lsn appliedLsn = 0;                    ///< the region's cursor afterwards
    std::int64_t lastCommitTimeMicros = 0; ///< of the last applied transaction; 0: none
};

/// Applies masked spool entries to ONE region database, effectively once: the changes of a
/// batch and the region's cursor (_envsync.cdc_applied) are committed in one transaction, and a
/// transaction below the cursor is never applied again. Changes are applied with
/// session_replication_role = replica, so the region's own (and FK) triggers do not fire, as in
/// native logical replication. A relation whose columns differ from the region's table is
/// brought in line with the drift engine's reconcile DDL (that table only) in the transaction
/// that applies its rows; the catalogs are read on connections of their own, so what the batch
/// applied before it is committed first. Row statements run in libpq pipeline mode. Within a batch,
/// each table's changes are gathered across source transactions (keeping that table's order)
/// and changes of one relation and shape are applied as one set statement (applystatements.h:
/// setShape), never holding a key twice; relation and sequence entries, truncates, schema
/// parity and the commit send everything gathered first.
/// Blocking: use it from one worker thread.
class RegionApplier
{
public:
    explicit RegionApplier(RegionApplierOptions options);
    ~RegionApplier();
    RegionApplier(RegionApplier &&) noexcept;
    RegionApplier &operator=(RegionApplier &&) noexcept;
    RegionApplier(const RegionApplier &) = delete;
    RegionApplier &operator=(const RegionApplier &) = delete;

    /// Connects (again, after a failure) and reads the cursor; nullopt when the region has none
    /// (never refreshed from a slot-consistent golden version): apply() refuses such a region.
    [[nodiscard]] Result<std::optional<RegionCursor>> open();

    /// Applies entries in spool order (see the class comment). Relations are remembered across
    /// calls. On an error the connection is closed, so nothing of the failed batch is in the
    /// region; open() again before the next call.
    [[nodiscard]] Result<ApplyStats> apply(std::span<const SpoolEntry> entries);

    /// Connected (open() succeeded and no apply() failed since).
    [[nodiscard]] bool isOpen() const { return m_conn != nullptr; }

    /// The cursor as last committed (or read by open()).
    [[nodiscard]] const std::optional<RegionCursor> &cursor() const { return m_cursor; }

private:
    struct KnownRelation
    {
        Relation relation;
        int generation = 0;                   ///< prepared statements are per generation
        bool checked = false;                 ///< the region's table matches it
        std::vector<std::string> regionTypes; ///< format_type() per column, once checked
        std::vector<std::string> baseTypes;   ///< the same without type modifiers
        int uniqueIndexes = 0;                ///< the region's unique and exclusion indexes
    };
    /// What a statement's result says, read when the pipeline is drained.
    enum class Check { Prepared, Insert, Update, UpdateOrInsert, Upsert, Delete, Set };
    struct Pending
    {
        Check check;
        const KnownRelation *known;
        SetKind setKind = SetKind::Insert; ///< Check::Set: what the set statement did
        std::int64_t rows = 1;             ///< Check::Set: the changes it applied
    };
    /// Changes of one relation and shape not sent yet (set-based apply). They point into the
    /// entries apply() was given: sent by the next drain(), at the latest by commit().
    struct PendingSet
    {
        SetShape shape;
        std::vector<const RowChange *> changes;
    };
    /// One relation's pending changes, gathered across the batch's source transactions: in the
    /// region transaction (replica role: no triggers, no FK checks) only the order of changes
    /// of one table matters, so each table's changes wait in sets of their own. Its sets never
    /// hold a key twice between them, so they may be sent in any order; a table with a unique
    /// index besides its key has at most one (its changes' order matters across keys).
    struct PendingTable
    {
        const KnownRelation *known = nullptr;
        std::vector<PendingSet> sets; ///< in the order of their first change
        std::unordered_set<std::string> keys;
    };
    struct Batch;

    [[nodiscard]] std::string who() const;
    [[nodiscard]] bool skipped(const Relation &relation) const;
    void remember(const Relation &relation);
    [[nodiscard]] Result<void> applyTransaction(const SourceTransaction &transaction, Batch &batch,
                                                ApplyStats &stats);
    [[nodiscard]] Result<void> ensureParity(const SourceTransaction &transaction, Batch &batch,
                                            ApplyStats &stats);
    [[nodiscard]] Result<bool> tableMatches(KnownRelation &known);
    [[nodiscard]] Result<std::string> parityDdl(const Relation &relation);
    [[nodiscard]] Result<void> applyChange(const RowChange &change, Batch &batch);
    [[nodiscard]] Result<void> applyTruncate(const RowChange &change, Batch &batch);
    [[nodiscard]] Result<void> applySequences(const std::vector<SequenceValue> &sequences,
                                              Batch &batch);
    [[nodiscard]] Result<void> begin(Batch &batch);
    [[nodiscard]] Result<void> commit(Batch &batch, ApplyStats &stats);
    [[nodiscard]] Result<void> conflict(const Relation &relation, const char *kind,
                                        const char *what, Batch &batch, std::int64_t count = 1);
    [[nodiscard]] Result<void> applyRow(const KnownRelation &known, const RowChange &change,
                                        Batch &batch);
    [[nodiscard]] Result<void> flushSets(Batch &batch);
    [[nodiscard]] Result<void> flushTable(const KnownRelation &known, Batch &batch);
    [[nodiscard]] Result<void> sendSet(const KnownRelation &known, const PendingSet &set,
                                       Batch &batch);
    [[nodiscard]] Result<void> send(const KnownRelation &known, const ApplyStatement &statement,
                                    Pending pending, Batch &batch);
    [[nodiscard]] Result<void> drain(Batch &batch);
    [[nodiscard]] Result<void> readResult(const Pending &pending, const pg_result *result,
                                          Batch &batch);
    [[nodiscard]] Result<void> readSetResult(const Pending &pending, const pg_result *result,
                                             Batch &batch);
    void disconnect();
    void forgetChecks();

    RegionApplierOptions m_options;
    pg_conn *m_conn = nullptr;
    std::optional<RegionCursor> m_cursor;
    std::map<std::uint32_t, KnownRelation> m_relations;
    std::map<std::string, std::string> m_prepared; ///< generation|shape → statement name
    int m_nextGeneration = 1;
    // libpq pipeline mode: row statements are sent without waiting; their results are read
    // (and conflicts counted) at the next drain, before anything that needs an answer.
    bool m_pipeline = false;
    std::vector<Pending> m_pending;
    std::size_t m_pendingBytes = 0;
    std::vector<PendingTable> m_sets; ///< in the order of their first change in the batch
};

} // namespace envsync::cdc
