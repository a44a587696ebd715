#include "core/refresh/refresh.h"

#include "core/cdc/regioncursor.h"
#include "core/copy/copyengine.h"
#include "core/db/cancelguard.h"
#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/db/sqlquote.h"
#include "core/db/systemidentifier.h"
#include "core/refresh/databaseswap.h"
#include "core/refresh/faultpoint.h"
#include "core/refresh/productionguard.h"
#include "core/refresh/refreshlocks.h"
#include "core/refresh/regiontarget.h"
#include "core/schedule/expecteddurations.h"
#include "core/schedule/windowexpander.h"
#include "core/snapshot/templateclone.h"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

namespace envsync::refresh {

namespace {

using Clock = std::chrono::steady_clock;

/// Everything a refresh or rollback works with, opened once.
struct Context
{
    const config::Config &config;
    const config::RegionConfig &region;
    const RefreshOptions &options;
    db::ConnectOptions connect;
    std::string who;
    std::string actor;
    RegionTarget target;
    db::ConnectionPtr admin; ///< the region cluster's maintenance database
    std::optional<db::ControlDb> control;
};

void step(const RefreshOptions &options, const std::string &text)
{
    spdlog::debug("refresh {}: {}", options.region, text);
    if (options.step)
        options.step(text);
}

std::string isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate).toStdString();
}

std::string json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

/// Refusals (exit 4) go to the audit log: who tried what, on which region, and why not.
void auditRefusal(db::ControlDb &control, const std::string &actor, const std::string &action,
                  const std::string &region, const Error &error)
{
    if (error.exitCode() != 4)
        return;
    (void)control.audit(actor, action, region, "refused",
                        json({{QStringLiteral("reason"), QString::fromStdString(error.message)}}));
}

/// "refresh plan" → "region.refresh.plan"
std::string auditAction(const std::string &purpose)
{
    std::string action = "region." + purpose;
    std::replace(action.begin(), action.end(), ' ', '.');
    return action;
}

Result<Context> openContext(const config::Config &config, const RefreshOptions &options,
                            const std::string &purpose)
{
    const config::RegionConfig *region = config.findRegion(options.region);
    if (!region)
        return fail(ErrorCode::Usage, "no region named \"" + options.region + "\" in the config",
                    config.path);
    const std::string actor = options.actor.empty() ? db::currentActor() : options.actor;
    Context ctx{config, *region, options,
                db::configuredConnectOptions(config, "envsync " + purpose + ' ' + region->name + " by " + actor),
                "region " + region->name, actor, {}, nullptr, std::nullopt};
    auto target = RegionTarget::resolve(*region, ctx.connect);
    if (!target) {
        // A refusal (the maintenance database as target) is audited all the same.
        if (target.error().exitCode() == 4) {
            if (auto control = db::ControlDb::open(config, ctx.connect))
                auditRefusal(*control, actor, auditAction(purpose), region->name, target.error());
        }
        return std::unexpected(target.error());
    }
    ctx.target = *target;
    auto admin = db::connect(ctx.target.adminDsn(), ctx.connect, ctx.who);
    if (!admin)
        return std::unexpected(admin.error());
    ctx.admin = std::move(*admin);
    auto control = db::ControlDb::open(config, ctx.connect);
    if (!control)
        return std::unexpected(control.error());
    ctx.control.emplace(std::move(*control));
    if (auto guard = checkWritable(config, *region, ctx.target, *ctx.admin,
                                   {options.iKnowThisIs, options.sourceUnreachableOk}, ctx.connect);
        !guard) {
        auditRefusal(*ctx.control, actor, auditAction(purpose), region->name, guard.error());
        return std::unexpected(guard.error());
    }
    return ctx;
}

Result<db::SnapshotRecord> resolveSnapshot(db::ControlDb &control, const std::string &wanted)
{
    auto snapshots = control.snapshots();
    if (!snapshots)
        return std::unexpected(snapshots.error());
    const db::SnapshotRecord *found = nullptr;
    for (const auto &record : *snapshots) {
        if (record.state == "ready" && (wanted.empty() || record.name == wanted))
            found = &record; // oldest first: the last match is the newest
    }
    if (found)
        return *found;
    // No command names here: the CLI and the GUI each say how to make one (Error::missing).
    Error error{ErrorCode::Usage, "there is no golden snapshot yet", "golden"};
    error.missing = Missing::AnySnapshot;
    if (!wanted.empty()) {
        error.message = "no ready snapshot named \"" + wanted + '"';
        error.missing = Missing::NamedSnapshot;
    }
    return std::unexpected(std::move(error));
}

/// Template clone is possible when the region lives on the golden cluster itself.
Result<bool> regionOnGoldenCluster(Context &ctx)
{
    auto golden = db::systemIdentifier(ctx.control->connection(), "golden");
    if (!golden)
        return std::unexpected(golden.error());
    auto region = db::systemIdentifier(*ctx.admin, ctx.who);
    if (!region)
        return std::unexpected(region.error());
    return *golden == *region;
}

Result<void> describeWindow(const Context &ctx, RefreshPlan &plan)
{
    const QDateTime now = ctx.options.now.isValid() ? ctx.options.now.toUTC()
                                                    : QDateTime::currentDateTimeUtc();
    if (!ctx.region.window) {
        plan.window = "none (refreshes run on demand)";
        return {};
    }
    auto open = schedule::windowAt(ctx.region, now);
    if (!open)
        return std::unexpected(open.error());
    if (*open) {
        plan.window = "open until " + isoUtc((*open)->endUtc);
        return {};
    }
    plan.insideWindow = false;
    auto next = schedule::nextWindow(ctx.region, now);
    if (!next)
        return std::unexpected(next.error());
    plan.window = *next ? "closed; next opens " + isoUtc((*next)->startUtc) : "closed";
    return {};
}

Result<RefreshPlan> buildPlan(Context &ctx)
{
    RefreshPlan plan;
    plan.region = ctx.region.name;
    plan.database = ctx.target.database;
    plan.preserved = ctx.region.preserve;
    auto snapshot = resolveSnapshot(*ctx.control, ctx.options.snapshot);
    if (!snapshot)
        return std::unexpected(snapshot.error());
    plan.snapshot = snapshot->name;
    plan.snapshotAsOf = snapshot->sourceAsOf;
    plan.snapshotBytes = snapshot->sizeBytes;
    auto sameCluster = regionOnGoldenCluster(ctx);
    if (!sameCluster)
        return std::unexpected(sameCluster.error());
    plan.method = *sameCluster ? "template clone" : "parallel copy";
    auto expected = schedule::meanRefreshSeconds(*ctx.control, ctx.region.name);
    if (!expected)
        return std::unexpected(expected.error());
    plan.expectedSeconds = expected->value_or(-1.0);
    DatabaseSwap databases(*ctx.admin, ctx.who);
    auto sessions = databases.sessions(ctx.target.database);
    if (!sessions)
        return std::unexpected(sessions.error());
    plan.sessions = *sessions;
    auto prev = databases.exists(ctx.target.prevName());
    if (!prev)
        return std::unexpected(prev.error());
    plan.hasPrevious = *prev;
    if (auto window = describeWindow(ctx, plan); !window)
        return std::unexpected(window.error());
    return plan;
}

Result<void> checkWindow(const Context &ctx, const RefreshPlan &plan)
{
    if (plan.insideWindow)
        return {};
    // No flag names here: the CLI and the GUI each say how to override (Error::refusal).
    if (!ctx.options.forceOutsideWindow)
        return std::unexpected(Error{ErrorCode::Refused,
                                     "outside the region's refresh window (" + plan.window + ")",
                                     ctx.who, Refusal::OutsideWindow});
    if (ctx.options.reason.empty())
        return std::unexpected(Error{ErrorCode::Usage,
                                     "a refresh outside the window needs a reason (it is audited)",
                                     ctx.who, Refusal::OverrideWithoutReason});
    return {};
}

/// A refresh_log row in state 'running' (so a killed run's outcome can be settled later).
Result<std::int64_t> logRunning(Context &ctx, const RefreshPlan &plan)
{
    return db::guarded("control database", "write refresh_log", [&] {
        pqxx::work tx(ctx.control->connection());
        const auto id = tx.exec_params1(
                "INSERT INTO envsync.refresh_log (region, snapshot, source_as_of, started_at,"
                " result, actor, detail) VALUES ($1, $2, $3, now(), 'running', $4, $5)"
                " RETURNING id",
                ctx.region.name, plan.snapshot,
                plan.snapshotAsOf.isValid() ? std::optional<std::string>(isoUtc(plan.snapshotAsOf))
                                            : std::nullopt,
                ctx.actor, json({{QStringLiteral("method"), QString::fromStdString(plan.method)}}))[0];
        tx.commit();
        return id.as<std::int64_t>();
    });
}

Result<void> logOutcome(Context &ctx, std::int64_t id, const std::string &result,
                        std::int64_t rows, const QJsonObject &detail)
{
    return db::guarded("control database", "write refresh_log", [&] {
        pqxx::work tx(ctx.control->connection());
        tx.exec_params0("UPDATE envsync.refresh_log SET finished_at = now(), result = $2,"
                        " rows_copied = $3, detail = $4 WHERE id = $1",
                        id, result, rows, json(detail));
        tx.commit();
    });
}

/// A killed run left 'running' rows: it succeeded when the live database carries the marker
/// of that run's snapshot and the old one sits in prev; otherwise it failed.
Result<void> settleInterruptedRuns(Context &ctx)
{
    auto marker = readMarker(*ctx.admin, ctx.target.database, ctx.who);
    if (!marker)
        return std::unexpected(marker.error());
    DatabaseSwap databases(*ctx.admin, ctx.who);
    auto prev = databases.exists(ctx.target.prevName());
    if (!prev)
        return std::unexpected(prev.error());
    return db::guarded("control database", "settle interrupted refreshes", [&] {
        pqxx::work tx(ctx.control->connection());
        const auto rows = tx.exec_params(
                "SELECT id, snapshot FROM envsync.refresh_log WHERE region = $1"
                " AND result = 'running' ORDER BY id",
                ctx.region.name);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const bool newest = i + 1 == rows.size();
            const bool swapped = newest && *prev && *marker
                    && (*marker)->snapshot == rows[i][1].get<std::string>().value_or("");
            tx.exec_params0("UPDATE envsync.refresh_log SET finished_at = now(), result = $2,"
                            " detail = $3 WHERE id = $1",
                            rows[i][0].as<std::int64_t>(), swapped ? "success" : "failed",
                            swapped ? "{\"method\":\"interrupted after the swap\"}"
                                    : "{\"error\":\"interrupted (process killed)\"}");
        }
        tx.commit();
    });
}

Result<void> cleanUpLeftovers(Context &ctx)
{
    DatabaseSwap databases(*ctx.admin, ctx.who);
    if (auto dropped = databases.drop(ctx.target.nextName()); !dropped)
        return dropped;
    if (auto dropped = databases.drop(ctx.target.swapName()); !dropped)
        return dropped;
    auto live = databases.exists(ctx.target.database);
    if (!live)
        return std::unexpected(live.error());
    // A run killed between closing and renaming leaves the live database closed.
    if (*live) {
        if (auto reopened = databases.reopen(ctx.target.database); !reopened)
            return reopened;
    }
    return settleInterruptedRuns(ctx);
}

Result<void> runHooks(Context &ctx, pqxx::connection &next, const std::vector<std::string> &hooks,
                      const std::string &phase)
{
    const db::CancelGuard cancelGuard(next, ctx.options.cancel);
    for (std::size_t i = 0; i < hooks.size(); ++i) {
        if (job::cancelled(ctx.options.cancel))
            return fail(ErrorCode::Cancelled, "cancelled", ctx.who);
        auto ran = db::guarded(ctx.who, phase + " hook " + std::to_string(i + 1), [&] {
            pqxx::nontransaction tx(next);
            tx.exec(hooks[i]); // a hook may return rows (SELECT setval(…)): ignored
        });
        if (!ran)
            return std::unexpected(db::cancelledOr(ran.error(), ctx.options.cancel));
    }
    return {};
}

std::string goldenDatabaseDsn(const config::Config &config, const std::string &database)
{
    auto dsn = db::Dsn::parse(config.golden.dsn);
    return dsn ? dsn->with("dbname", database).toConnectionString() : config.golden.dsn;
}

Result<std::int64_t> copyIntoNext(Context &ctx, const std::string &snapshot)
{
    const std::string next = ctx.target.nextName();
    if (auto created = db::guarded(ctx.who, "create " + next, [&] {
            pqxx::nontransaction tx(*ctx.admin);
            tx.exec0("CREATE DATABASE " + db::quoteIdentifier(next) + " TEMPLATE template0");
        });
        !created)
        return std::unexpected(created.error());
    faultPoint("next-created");
    copy::CopyRequest request;
    request.sourceDsn = goldenDatabaseDsn(ctx.config, snapshot);
    request.targetDsn = ctx.target.dsnFor(next);
    request.jobs = ctx.options.jobs;
    request.cancel = ctx.options.cancel;
    std::optional<job::Phase> lastPhase;
    request.progress = [&](const job::Progress &p) {
        if (p.phase != lastPhase) {
            lastPhase = p.phase;
            faultPoint("copy-" + std::string(job::phaseName(p.phase)));
        }
        if (ctx.options.progress)
            ctx.options.progress(p);
    };
    auto copied = copy::copyDatabase(request);
    if (!copied)
        return std::unexpected(withContext(copied.error(), ctx.who));
    return copied->rows;
}

std::int64_t recordedRows(const db::SnapshotRecord &snapshot)
{
    std::int64_t rows = 0;
    const QJsonObject counts
            = QJsonDocument::fromJson(QByteArray::fromStdString(snapshot.rowCountsJson)).object();
    for (auto it = counts.begin(); it != counts.end(); ++it)
        rows += it.value().toInteger();
    return rows;
}

bool cancelled(const RefreshOptions &options)
{
    return options.cancel && options.cancel->isCancelled();
}

/// A snapshot taken at a slot-consistent point: the region's CDC resumes exactly there, so its
/// position goes into the shadow database before the swap, which makes data and position
/// visible together.
Result<void> seedCdcCursor(Context &ctx, pqxx::connection &next, const db::SnapshotRecord &snapshot)
{
    if (snapshot.cdcLsn.empty())
        return {};
    auto lsn = cdc::parseLsn(snapshot.cdcLsn);
    if (!lsn)
        return fail(ErrorCode::Database,
                    "unreadable cdc_lsn of " + snapshot.name + ": " + lsn.error().message, ctx.who);
    step(ctx.options, "recording the CDC position of " + snapshot.name);
    return cdc::seedRegionCursor(next, *lsn, snapshot.name, ctx.who);
}

/// Builds, fills and marks <db>__envsync_next; the live database is only read.
Result<RefreshResult> buildNext(Context &ctx, const RefreshPlan &plan,
                                const db::SnapshotRecord &snapshot)
{
    RefreshResult result;
    result.plan = plan;
    const std::string next = ctx.target.nextName();
    step(ctx.options, (plan.method == "template clone" ? "cloning " : "copying ") + plan.snapshot
                              + " into " + next);
    if (plan.method == "template clone") {
        if (auto cloned = envsync::snapshot::cloneSnapshot(
                    *ctx.admin, ctx.target.nextName(), plan.snapshot, ctx.who, ctx.options.cancel);
            !cloned)
            return std::unexpected(cloned.error());
        result.rows = recordedRows(snapshot);
    } else {
        auto rows = copyIntoNext(ctx, plan.snapshot);
        if (!rows)
            return std::unexpected(rows.error());
        result.rows = *rows;
    }
    faultPoint("next-built");
    if (cancelled(ctx.options))
        return fail(ErrorCode::Cancelled, "cancelled", ctx.who);
    auto nextConn = db::connect(ctx.target.dsnFor(next), ctx.connect, ctx.who);
    if (!nextConn)
        return std::unexpected(nextConn.error());
    step(ctx.options, "running pre hooks");
    if (auto hooks = runHooks(ctx, **nextConn, ctx.region.hooks.pre, "pre"); !hooks)
        return std::unexpected(hooks.error());
    faultPoint("hooks-pre");
    if (!ctx.region.preserve.empty()) {
        step(ctx.options, "keeping preserved tables from the current database");
        auto live = db::connect(ctx.target.dsnFor(ctx.target.database), ctx.connect, ctx.who);
        if (live) {
            const db::CancelGuard liveGuard(**live, ctx.options.cancel);
            const db::CancelGuard nextGuard(**nextConn, ctx.options.cancel);
            auto kept = preserveTables(**live, **nextConn, ctx.region.preserve, ctx.who);
            if (!kept)
                return std::unexpected(db::cancelledOr(kept.error(), ctx.options.cancel));
            result.preserved = *kept;
        } else if (plan.sessions.empty() && !plan.hasPrevious) {
            step(ctx.options, "no current database: nothing to preserve");
        } else {
            return std::unexpected(live.error());
        }
    }
    faultPoint("preserved");
    if (cancelled(ctx.options))
        return fail(ErrorCode::Cancelled, "cancelled", ctx.who);
    step(ctx.options, "running post hooks");
    if (auto hooks = runHooks(ctx, **nextConn, ctx.region.hooks.post, "post"); !hooks)
        return std::unexpected(hooks.error());
    faultPoint("hooks-post");
    if (auto seeded = seedCdcCursor(ctx, **nextConn, snapshot); !seeded)
        return std::unexpected(seeded.error());
    nextConn->reset(); // the rename needs the shadow database without sessions
    if (auto marked = writeMarker(*ctx.admin, next, {ctx.region.name, plan.snapshot}, ctx.who);
        !marked)
        return std::unexpected(marked.error());
    faultPoint("marked");
    return result;
}

Result<double> swapIn(Context &ctx)
{
    DatabaseSwap databases(*ctx.admin, ctx.who);
    step(ctx.options, "dropping the previous " + ctx.target.prevName());
    if (auto dropped = databases.drop(ctx.target.prevName()); !dropped)
        return std::unexpected(dropped.error());
    faultPoint("prev-dropped");
    step(ctx.options, "swapping " + ctx.target.nextName() + " in");
    if (ctx.options.swapping)
        ctx.options.swapping();
    return databases.promote(ctx.target.database, ctx.target.nextName(), ctx.target.prevName());
}

std::string outcomeOf(const Error &error)
{
    return error.code == ErrorCode::Cancelled ? "cancelled" : "failed";
}

/// The history follows the data: a rollback marks the newest success rolled_back, unless it
/// undoes a rollback (a newer rolled_back row of the restored snapshot), which it revives.
Result<void> recordRollback(Context &ctx, const std::string &restoredSnapshot)
{
    return db::guarded("control database", "record rollback", [&] {
        pqxx::work tx(ctx.control->connection());
        const pqxx::result rows = tx.exec_params(
                "SELECT id, result, coalesce(snapshot, '') FROM envsync.refresh_log"
                " WHERE region = $1 AND result IN ('success', 'rolled_back')"
                " ORDER BY finished_at DESC NULLS LAST, id DESC",
                ctx.region.name);
        for (const auto &row : rows) {
            const std::string state = row[1].as<std::string>();
            if (state == "rolled_back" && row[2].as<std::string>() != restoredSnapshot)
                continue;
            tx.exec_params0("UPDATE envsync.refresh_log SET result = $2 WHERE id = $1",
                            row[0].as<std::int64_t>(),
                            state == "success" ? "rolled_back" : "success");
            break;
        }
        tx.commit();
    });
}

} // namespace

Result<RefreshPlan> planRefresh(const config::Config &config, const RefreshOptions &options)
{
    auto ctx = openContext(config, options, "refresh plan");
    if (!ctx)
        return std::unexpected(ctx.error());
    return buildPlan(*ctx);
}

Result<RefreshResult> refreshRegion(const config::Config &config, const RefreshOptions &options)
{
    const auto started = Clock::now();
    faultPoint("start");
    auto ctx = openContext(config, options, "refresh");
    if (!ctx)
        return std::unexpected(ctx.error());
    auto plan = buildPlan(*ctx);
    if (!plan)
        return std::unexpected(plan.error());
    if (auto window = checkWindow(*ctx, *plan); !window) {
        (void)ctx->control->audit(ctx->actor, "region.refresh", ctx->region.name, "refused",
                                  json({{QStringLiteral("reason"),
                                         QString::fromStdString(window.error().message)}}));
        return std::unexpected(window.error());
    }
    // Every way this run ends from here is audited; a forced run says so with its reason.
    auto audited = [&](const Error &error) -> std::unexpected<Error> {
        QJsonObject detail{{QStringLiteral("error"), QString::fromStdString(error.describe())}};
        if (!plan->insideWindow) {
            detail.insert(QStringLiteral("forced_outside_window"), true);
            detail.insert(QStringLiteral("reason"), QString::fromStdString(options.reason));
        }
        (void)ctx->control->audit(ctx->actor, "region.refresh", ctx->region.name,
                                  error.exitCode() == 4 ? "refused" : outcomeOf(error),
                                  json(detail));
        return std::unexpected(error);
    };
    auto lockConnection = db::ControlDb::open(config, ctx->connect);
    if (!lockConnection)
        return audited(lockConnection.error());
    RefreshLocks locks(std::move(*lockConnection));
    if (auto locked = locks.lockRegion(ctx->region.name); !locked)
        return audited(locked.error());
    faultPoint("locked");
    if (!plan->insideWindow)
        (void)ctx->control->audit(ctx->actor, "region.refresh.force_outside_window",
                                  ctx->region.name, "accepted",
                                  json({{QStringLiteral("reason"),
                                         QString::fromStdString(options.reason)}}));
    step(options, "cleaning up leftovers of earlier runs");
    if (auto cleaned = cleanUpLeftovers(*ctx); !cleaned)
        return audited(cleaned.error());
    faultPoint("cleaned");
    if (auto slot = locks.acquireGoldenSlot(config.golden.maxParallelRefreshes, options.cancel,
                                            [&](const std::string &text) { step(options, text); });
        !slot)
        return audited(slot.error());
    auto snapshot = resolveSnapshot(*ctx->control, plan->snapshot);
    if (!snapshot)
        return audited(snapshot.error());
    auto logId = logRunning(*ctx, *plan);
    if (!logId)
        return audited(logId.error());
    faultPoint("logged-running");

    auto abandon = [&](const Error &error) -> std::unexpected<Error> {
        step(options, "dropping " + ctx->target.nextName() + "; " + ctx->target.database
                              + " is untouched");
        DatabaseSwap databases(*ctx->admin, ctx->who);
        if (auto dropped = databases.drop(ctx->target.nextName()); !dropped)
            spdlog::warn("refresh: {}", dropped.error().describe());
        (void)logOutcome(*ctx, *logId, outcomeOf(error), 0,
                         {{QStringLiteral("error"), QString::fromStdString(error.describe())}});
        return audited(error);
    };
    auto result = buildNext(*ctx, *plan, *snapshot);
    if (!result)
        return abandon(result.error());
    if (cancelled(options))
        return abandon(Error{ErrorCode::Cancelled, "cancelled", ctx->who});
    auto unavailable = swapIn(*ctx);
    if (!unavailable)
        return abandon(unavailable.error());
    result->unavailableMs = *unavailable;
    result->seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const QJsonObject detail{{QStringLiteral("method"), QString::fromStdString(plan->method)},
                             {QStringLiteral("unavailable_ms"), result->unavailableMs},
                             {QStringLiteral("forced_outside_window"), !plan->insideWindow}};
    if (auto logged = logOutcome(*ctx, *logId, "success", result->rows, detail); !logged)
        spdlog::warn("refresh: {}", logged.error().describe());
    faultPoint("logged-success");
    (void)ctx->control->audit(ctx->actor, "region.refresh", ctx->region.name, "success",
                              json(detail));
    return result;
}

Result<RollbackResult> rollbackRegion(const config::Config &config, const RefreshOptions &options)
{
    auto ctx = openContext(config, options, "rollback");
    if (!ctx)
        return std::unexpected(ctx.error());
    auto lockConnection = db::ControlDb::open(config, ctx->connect);
    if (!lockConnection)
        return std::unexpected(lockConnection.error());
    RefreshLocks locks(std::move(*lockConnection));
    if (auto locked = locks.lockRegion(ctx->region.name); !locked) {
        auditRefusal(*ctx->control, ctx->actor, "region.rollback", ctx->region.name,
                     locked.error());
        return std::unexpected(locked.error());
    }
    if (auto cleaned = cleanUpLeftovers(*ctx); !cleaned)
        return std::unexpected(cleaned.error());
    DatabaseSwap databases(*ctx->admin, ctx->who);
    auto prev = databases.exists(ctx->target.prevName());
    if (!prev)
        return std::unexpected(prev.error());
    if (!*prev)
        return fail(ErrorCode::Usage,
                    "nothing to roll back to: " + ctx->target.prevName() + " does not exist",
                    ctx->who);
    // The exchange itself is one short critical section: a cancel is honoured up to it.
    if (cancelled(options))
        return fail(ErrorCode::Cancelled, "cancelled", ctx->who);
    step(options, "swapping " + ctx->target.database + " and " + ctx->target.prevName());
    auto unavailable = databases.exchange(ctx->target.database, ctx->target.prevName(),
                                          ctx->target.swapName());
    if (!unavailable)
        return std::unexpected(unavailable.error());
    RollbackResult result{ctx->region.name, ctx->target.database, {}, *unavailable};
    if (auto marker = readMarker(*ctx->admin, ctx->target.database, ctx->who); marker && *marker)
        result.restoredSnapshot = (*marker)->snapshot;
    auto logged = recordRollback(*ctx, result.restoredSnapshot);
    if (!logged)
        spdlog::warn("rollback: {}", logged.error().describe());
    (void)ctx->control->audit(ctx->actor, "region.rollback", ctx->region.name, "success",
                              json({{QStringLiteral("restored_snapshot"),
                                     QString::fromStdString(result.restoredSnapshot)},
                                    {QStringLiteral("unavailable_ms"), result.unavailableMs}}));
    return result;
}

} // namespace envsync::refresh
