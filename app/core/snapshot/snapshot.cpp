#include "core/snapshot/snapshot.h"

#include "core/config/formats.h"
#include "core/copy/copyengine.h"
#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/db/sqlquote.h"
#include "core/db/systemidentifier.h"
#include "core/drift/snapshot.h"
#include "core/snapshot/maskingsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <thread>

namespace envsync::snapshot {

namespace {

using db::quoteIdentifier;

constexpr const char *namePrefix = "golden_v";
constexpr const char *buildingSuffix = "__building";
constexpr std::int64_t createLockKey = 0x456e7653796e6301; // "EnvSync" + 1: snapshot create

void step(const CreateOptions &options, const std::string &text)
{
    spdlog::debug("snapshot: {}", text);
    if (options.step)
        options.step(text);
}

db::ConnectOptions connectOptions(const config::Config &config)
{
    return db::configuredConnectOptions(config, "envsync snapshot");
}

Result<std::string> databaseDsn(const std::string &clusterDsn, const std::string &database)
{
    auto dsn = db::Dsn::parse(clusterDsn);
    if (!dsn)
        return std::unexpected(withContext(dsn.error(), "golden"));
    return dsn->with("dbname", database).toConnectionString();
}

std::string rowCountsJson(const copy::CopyStats &stats)
{
    QJsonObject object;
    for (const auto &table : stats.tables) {
        object.insert(QString::fromStdString(table.schema + '.' + table.table),
                      static_cast<qint64>(table.rows));
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

std::map<std::string, std::int64_t> parseRowCounts(const std::string &json)
{
    std::map<std::string, std::int64_t> out;
    const QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    for (auto it = object.begin(); it != object.end(); ++it)
        out[it.key().toStdString()] = it.value().toInteger();
    return out;
}

SnapshotInfo toInfo(const db::SnapshotRecord &record)
{
    SnapshotInfo info;
    info.version = record.version;
    info.name = record.name;
    info.state = record.state;
    info.createdAt = record.createdAt;
    info.sourceAsOf = record.sourceAsOf;
    info.sourceLsn = record.sourceLsn;
    info.rulesHash = record.rulesHash;
    info.rowCounts = parseRowCounts(record.rowCountsJson);
    info.sizeBytes = record.sizeBytes;
    info.durationMs = record.durationMs;
    info.createdBy = record.createdBy;
    return info;
}

/// Drops a database of ours on the golden cluster, ending sessions that are still in it.
Result<void> dropDatabase(pqxx::connection &admin, const std::string &name)
{
    return db::guarded("golden", "drop " + name, [&] {
        pqxx::nontransaction tx(admin);
        tx.exec0("ALTER DATABASE " + quoteIdentifier(name) + " WITH IS_TEMPLATE false");
        tx.exec0("DROP DATABASE IF EXISTS " + quoteIdentifier(name) + " WITH (FORCE)");
    });
}

/// Leftovers of a killed or crashed create: building databases and 'building' catalogue rows.
Result<std::vector<std::string>> cleanUpLeftovers(pqxx::connection &admin, db::ControlDb &control)
{
    auto names = db::guarded("golden", "list building databases", [&] {
        pqxx::nontransaction tx(admin);
        std::vector<std::string> out;
        for (const auto &row : tx.exec("SELECT datname FROM pg_database WHERE datname ~ "
                                       "'^golden_v[0-9]+__building$' ORDER BY 1"))
            out.push_back(row[0].as<std::string>());
        return out;
    });
    if (!names)
        return std::unexpected(names.error());
    for (const auto &name : *names) {
        if (auto dropped = dropDatabase(admin, name); !dropped)
            return std::unexpected(dropped.error());
    }
    auto rows = control.deleteBuildingSnapshots();
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<std::string> cleaned = *names;
    for (const auto &row : *rows)
        cleaned.push_back("catalogue row " + row);
    return cleaned;
}

/// The production guard: never write to the source's own cluster.
Result<void> refuseSameCluster(pqxx::connection &source, pqxx::connection &golden)
{
    auto sourceId = db::systemIdentifier(source, "source");
    if (!sourceId)
        return std::unexpected(sourceId.error());
    auto goldenId = db::systemIdentifier(golden, "golden");
    if (!goldenId)
        return std::unexpected(goldenId.error());
    if (*sourceId == *goldenId)
        return fail(ErrorCode::Refused,
                    "the golden cluster is the source's own cluster (same system_identifier); "
                    "snapshots are never written next to production",
                    "golden");
    return {};
}

/// The highest N of any golden_vN database (an orphan from a run killed after its rename must
/// not collide with the next version).
Result<int> highestExistingVersion(pqxx::connection &admin)
{
    return db::guarded("golden", "list snapshots", [&] {
        pqxx::nontransaction tx(admin);
        return tx.exec1("SELECT coalesce(max(substring(datname FROM '^golden_v([0-9]+)')::int),"
                        " 0) FROM pg_database WHERE datname ~ '^golden_v[0-9]+$'")[0]
                .as<int>();
    });
}

std::string describeUnclassified(const std::vector<masking::UnclassifiedColumn> &columns)
{
    std::string text;
    for (const auto &column : columns) {
        if (!text.empty())
            text += ", ";
        text += config::formatQualifiedName({column.schema, column.table, column.column});
        if (!column.type.empty())
            text += " (" + column.type + ')';
    }
    return text;
}

/// Renames after the copy; a backend of a just-closed connection may still be exiting.
Result<void> renameWhenIdle(pqxx::connection &admin, const std::string &from, const std::string &to)
{
    for (int attempt = 0;; ++attempt) {
        auto renamed = db::guarded("golden", "rename " + from, [&] {
            pqxx::nontransaction tx(admin);
            tx.exec0("ALTER DATABASE " + quoteIdentifier(from) + " RENAME TO "
                     + quoteIdentifier(to));
        });
        if (renamed || attempt >= 50
            || renamed.error().message.find("55006") == std::string::npos)
            return renamed;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

} // namespace

std::string snapshotName(int version)
{
    return namePrefix + std::to_string(version);
}

Result<SnapshotInfo> createSnapshot(const config::Config &config, const CreateOptions &options)
{
    const auto started = std::chrono::steady_clock::now();
    const std::string actor = options.actor.empty() ? db::currentActor() : options.actor;
    const db::ConnectOptions connect = connectOptions(config);

    step(options, "opening the catalogue on the golden cluster");
    auto control = db::ControlDb::open(config, connect);
    if (!control)
        return std::unexpected(control.error());
    // Refusals (exit 4) from here on are audited, like the unclassified-columns one below.
    auto refused = [&](const Error &error) -> std::unexpected<Error> {
        if (error.exitCode() == 4) {
            const QJsonObject detail{
                    {QStringLiteral("reason"), QString::fromStdString(error.describe())}};
            (void)control->audit(
                    actor, "snapshot.create", "golden", "refused",
                    QJsonDocument(detail).toJson(QJsonDocument::Compact).toStdString());
        }
        return std::unexpected(error);
    };
    // A killed run's session may take a moment to end on the server: retry briefly.
    auto locked = control->tryAdvisoryLock(createLockKey);
    for (int attempt = 0; locked && !*locked && attempt < 20; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        locked = control->tryAdvisoryLock(createLockKey);
    }
    if (!locked)
        return std::unexpected(locked.error());
    if (!*locked)
        return refused({ErrorCode::Refused, "another snapshot create is running", "golden"});

    auto admin = db::connect(config.golden.dsn, connect, "golden");
    if (!admin)
        return std::unexpected(admin.error());
    auto source = db::connect(config.source.dsn, connect, "source");
    if (!source)
        return std::unexpected(source.error());
    if (auto guard = refuseSameCluster(**source, **admin); !guard)
        return refused(guard.error());

    step(options, "cleaning up leftovers of earlier runs");
    auto cleaned = cleanUpLeftovers(**admin, *control);
    if (!cleaned)
        return std::unexpected(cleaned.error());
    for (const auto &name : *cleaned)
        step(options, "removed leftover " + name);

    step(options, "reading the source schema and resolving masking rules");
    drift::SnapshotOptions schemaOptions;
    schemaOptions.who = "source";
    auto schema = drift::takeSnapshot(**source, schemaOptions);
    if (!schema)
        return std::unexpected(schema.error());
    source->reset();
    auto plan = buildPlan(config.masking, *schema);
    if (!plan)
        return refused(plan.error());
    std::set<std::string> nullColumns;
    if (*plan && !(*plan)->unclassified().empty()) {
        const auto &unclassified = (*plan)->unclassified();
        switch (config.masking.unclassified) {
        case config::UnclassifiedPolicy::Fail:
            (void)control->audit(actor, "snapshot.create", "golden", "refused",
                                 "{\"reason\":\"unclassified columns\"}");
            return std::unexpected(
                    Error{ErrorCode::Refused,
                          "unclassified columns (no masking rule and not in masking.keep): "
                                  + describeUnclassified(unclassified)
                                  + "; add a rule or a keep entry, or set masking.unclassified",
                          "masking", Refusal::UnclassifiedColumns});
        case config::UnclassifiedPolicy::Null:
            for (const auto &column : unclassified)
                nullColumns.insert(column.schema + '.' + column.table + '.' + column.column);
            break;
        case config::UnclassifiedPolicy::Keep:
            break;
        }
    }

    auto existing = highestExistingVersion(**admin);
    if (!existing)
        return std::unexpected(existing.error());
    auto version = control->reserveSnapshotVersion(namePrefix, actor);
    if (!version)
        return std::unexpected(version.error());
    if (*version <= *existing) {
        // An orphan golden_vN (killed between rename and catalogue update): skip past it.
        (void)control->deleteSnapshotRow(*version);
        return refused({ErrorCode::Refused,
                        "database " + snapshotName(*existing)
                                + " exists without a catalogue row; inspect and drop it first",
                        "golden"});
    }
    const std::string name = snapshotName(*version);
    const std::string building = name + buildingSuffix;

    auto abandon = [&](const Error &error) -> std::unexpected<Error> {
        step(options, "dropping " + building);
        if (auto dropped = dropDatabase(**admin, building); !dropped)
            spdlog::warn("snapshot: {}", dropped.error().describe());
        (void)control->deleteSnapshotRow(*version);
        (void)control->audit(actor, "snapshot.create", name,
                             error.code == ErrorCode::Cancelled ? "cancelled" : "failed");
        return std::unexpected(error);
    };

    step(options, "creating " + building);
    if (auto created = db::guarded("golden", "create " + building, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("CREATE DATABASE " + quoteIdentifier(building) + " TEMPLATE template0");
        });
        !created)
        return abandon(created.error());

    auto targetDsn = databaseDsn(config.golden.dsn, building);
    if (!targetDsn)
        return abandon(targetDsn.error());
    copy::CopyRequest request;
    request.sourceDsn = config.source.dsn;
    request.targetDsn = *targetDsn;
    request.jobs = options.jobs;
    request.plan = plan->get();
    request.nullColumns = nullColumns;
    request.progress = options.progress;
    request.cancel = options.cancel;
    request.maxRowsPerSecond = options.maxRowsPerSecond;
    request.excludeSchemas = {"envsync", "_envsync"};
    step(options, "copying the source into " + building);
    auto copied = copy::copyDatabase(request);
    if (!copied)
        return abandon(copied.error());
    if (options.cancel && options.cancel->isCancelled())
        return abandon(Error{ErrorCode::Cancelled, "cancelled", "snapshot"});

    step(options, "publishing " + name);
    auto size = db::guarded("golden", "size of " + building, [&] {
        pqxx::nontransaction tx(**admin);
        return tx.exec_params1("SELECT pg_database_size($1)", building)[0].as<std::int64_t>();
    });
    if (!size)
        return abandon(size.error());
    if (auto renamed = renameWhenIdle(**admin, building, name); !renamed)
        return abandon(renamed.error());
    auto published = db::guarded("golden", "publish " + name, [&] {
        pqxx::nontransaction tx(**admin);
        tx.exec0("ALTER DATABASE " + quoteIdentifier(name)
                 + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS true");
        tx.exec0("ALTER DATABASE " + quoteIdentifier(name)
                 + " SET default_transaction_read_only = on");
    });
    if (!published) {
        (void)dropDatabase(**admin, name);
        return abandon(published.error());
    }

    db::SnapshotRecord record;
    record.version = *version;
    record.name = name;
    record.state = "ready";
    record.sourceAsOf = copied->sourceAsOf;
    record.sourceLsn = copied->sourceLsn;
    record.rulesHash = *plan ? (*plan)->rulesHash() : std::string("no-masking");
    record.rowCountsJson = rowCountsJson(*copied);
    record.sizeBytes = *size;
    record.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
    record.createdBy = actor;
    if (auto marked = control->markSnapshotReady(record); !marked)
        return std::unexpected(marked.error());
    const std::string detail = "{\"rows\":" + std::to_string(copied->rows)
            + ",\"seconds\":" + std::to_string(copied->seconds) + "}";
    (void)control->audit(actor, "snapshot.create", name, "success", detail);
    (void)control->advisoryUnlock(createLockKey);

    auto rows = control->snapshots();
    if (rows) {
        for (const auto &row : *rows) {
            if (row.version == *version)
                return toInfo(row);
        }
    }
    SnapshotInfo info = toInfo(record);
    return info;
}

Result<std::vector<SnapshotInfo>> listSnapshots(const config::Config &config)
{
    auto control = db::ControlDb::openExisting(config.golden.dsn, connectOptions(config));
    if (!control)
        return std::unexpected(control.error());
    std::vector<SnapshotInfo> out;
    if (!*control)
        return out;
    auto rows = (*control)->snapshots();
    if (!rows)
        return std::unexpected(rows.error());
    for (const auto &row : *rows)
        out.push_back(toInfo(row));
    return out;
}

Result<PruneResult> pruneSnapshots(const config::Config &config, int keep)
{
    if (keep < 1)
        return fail(ErrorCode::Usage, "keep must be at least 1", "prune");
    const db::ConnectOptions connect = connectOptions(config);
    auto control = db::ControlDb::open(config, connect);
    if (!control)
        return std::unexpected(control.error());
    auto rows = control->snapshots();
    if (!rows)
        return std::unexpected(rows.error());
    auto refreshes = control->lastSuccessfulRefreshes();
    if (!refreshes)
        return std::unexpected(refreshes.error());
    std::map<std::string, std::vector<std::string>> inUse; // snapshot → regions
    for (const auto &[region, record] : *refreshes)
        inUse[record.snapshot].push_back(region);
    auto admin = db::connect(config.golden.dsn, connect, "golden");
    if (!admin)
        return std::unexpected(admin.error());

    PruneResult result;
    int readySeen = 0;
    for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
        if (it->state != "ready")
            continue;
        if (++readySeen <= keep) {
            result.kept.push_back(it->name);
            continue;
        }
        if (auto used = inUse.find(it->name); used != inUse.end()) {
            std::string regions;
            for (const auto &region : used->second)
                regions += (regions.empty() ? "" : ", ") + region;
            result.keptInUse.push_back(it->name + " (last refresh of " + regions + ")");
            continue;
        }
        auto dropped = db::guarded("golden", "drop " + it->name, [&] {
            pqxx::nontransaction tx(**admin);
            tx.exec0("ALTER DATABASE " + quoteIdentifier(it->name) + " WITH IS_TEMPLATE false");
            try {
                tx.exec0("DROP DATABASE IF EXISTS " + quoteIdentifier(it->name));
            } catch (...) {
                // in use (an env being created from it, a session): keep it a template
                tx.exec0("ALTER DATABASE " + quoteIdentifier(it->name) + " WITH IS_TEMPLATE true");
                throw;
            }
        });
        if (!dropped) {
            result.keptInUse.push_back(it->name + " (" + dropped.error().message + ")");
            continue;
        }
        if (auto marked = control->markSnapshotPruned(it->version); !marked)
            return std::unexpected(marked.error());
        (void)control->audit(db::currentActor(), "snapshot.prune", it->name, "success");
        result.pruned.push_back(it->name);
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// verify

namespace {

/// Transforms whose outputs come from small dictionaries or keep part of the value: equal
/// values occur by chance, so they are checked row by row (same key) instead of as a set.
bool isRowChecked(const std::string &transform)
{
    static const std::set<std::string> rowChecked = {"first_name", "last_name", "person_name",
                                                     "address",    "city",      "partial",
                                                     "date_shift", "country"};
    return rowChecked.contains(transform);
}

struct MaskedColumn
{
    std::string schema;
    std::string table;
    std::string column;
    std::string transform;
};

std::vector<MaskedColumn> maskedColumns(const config::Config &config,
                                        const drift::SchemaSnapshot &schema)
{
    std::map<std::string, std::string> transforms; // by canonical reference
    for (const auto &rule : config.masking.rules) {
        if (const auto parts = config::parseQualifiedName(rule.column, 3))
            transforms[config::formatQualifiedName(*parts)] = rule.transform;
    }
    std::set<std::string> seen;
    std::vector<MaskedColumn> out;
    auto add = [&](const std::string &s, const std::string &t, const std::string &c) {
        const std::string key = config::formatQualifiedName({s, t, c});
        if (!seen.insert(key).second)
            return;
        const auto it = transforms.find(key);
        out.push_back({s, t, c, it == transforms.end() ? std::string() : it->second});
    };
    auto plan = buildPlan(config.masking, schema);
    if (plan && *plan) {
        for (const auto &table : schema.tables) {
            std::vector<std::string> columns;
            for (const auto &column : table.columns) {
                if (column.generatedExpr.empty())
                    columns.push_back(column.name);
            }
            if (auto masker = (*plan)->forTable(table.name.schema, table.name.name, columns)) {
                for (const auto &column : masker->maskedColumns())
                    add(table.name.schema, table.name.name, column);
            }
        }
    }
    for (const auto &rule : config.masking.rules) {
        if (const auto parts = config::parseQualifiedName(rule.column, 3))
            add((*parts)[0], (*parts)[1], (*parts)[2]);
    }
    return out;
}

/// Single-column primary key of a table (empty when none).
std::string primaryKeyColumn(pqxx::transaction_base &tx, const std::string &qualified)
{
    const pqxx::result rows = tx.exec_params(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = i.indkey[0] WHERE i.indrelid = $1::regclass AND i.indisprimary"
            " AND i.indnkeyatts = 1",
            qualified);
    return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

/// The string and number leaves of a JSON document, as they appear in its text.
void jsonLeaves(const QJsonValue &node, std::vector<std::string> &out)
{
    if (node.isObject()) {
        const QJsonObject object = node.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            jsonLeaves(it.value(), out);
    } else if (node.isArray()) {
        for (const QJsonValue &item : node.toArray())
            jsonLeaves(item, out);
    } else if (node.isString()) {
        out.push_back(node.toString().toStdString());
    } else if (node.isDouble()) {
        const std::string text
                = QJsonDocument(QJsonArray{node}).toJson(QJsonDocument::Compact).toStdString();
        out.push_back(text.substr(1, text.size() - 2));
    }
}

/// Long enough not to occur inside a masked value by chance: six characters with a letter,
/// or ten digits (a card or phone number).
bool isNeedle(const std::string &value)
{
    if (value.size() < 6)
        return false;
    const bool letter = std::ranges::any_of(value, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
               || static_cast<unsigned char>(c) >= 0x80;
    });
    return letter || value.size() >= 10;
}

/// A sampled source value (a whole value, or a leaf of a JSON document) found anywhere inside
/// the golden value: in a JSON document or a longer text, not only as the whole value. Rows
/// are matched by primary key when there is one (a leak of row X is in golden row X).
VerifyCheck leakInside(pqxx::transaction_base &s, pqxx::transaction_base &g,
                       const std::string &object, const std::string &qualified,
                       const std::string &col)
{
    const std::string key = primaryKeyColumn(s, qualified);
    const pqxx::result sample = s.exec(
            "SELECT " + (key.empty() ? std::string("NULL") : quoteIdentifier(key)) + "::text, "
            + col + "::text, pg_typeof(" + col + ")::text IN ('json', 'jsonb') FROM ONLY "
            + qualified + " WHERE " + col + " IS NOT NULL ORDER BY random() LIMIT 200");
    std::vector<std::string> keys, needles;
    for (const auto &row : sample) {
        std::vector<std::string> values;
        const std::string text = row[1].as<std::string>();
        if (row[2].as<bool>()) {
            const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text));
            jsonLeaves(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), values);
        } else {
            values.push_back(text);
        }
        for (auto &value : values) {
            if (!isNeedle(value))
                continue;
            keys.push_back(row[0].is_null() ? std::string() : row[0].as<std::string>());
            needles.push_back(std::move(value));
        }
    }
    std::int64_t found = 0;
    if (needles.empty()) {
        // nothing long enough to look for
    } else if (!key.empty()) {
        found = g.exec_params1("SELECT count(*) FROM unnest($1::text[], $2::text[]) AS n(k, v)"
                               " JOIN ONLY "
                                       + qualified + " g ON g." + quoteIdentifier(key)
                                       + "::text = n.k WHERE strpos(g." + col + "::text, n.v) > 0",
                               db::textArray(keys), db::textArray(needles))[0]
                        .as<std::int64_t>();
    } else {
        found = g.exec_params1("SELECT count(DISTINCT n.v) FROM unnest($1::text[]) AS n(v)"
                               " WHERE EXISTS (SELECT 1 FROM (SELECT "
                                       + col
                                       + "::text AS t"
                                         " FROM ONLY "
                                       + qualified + " WHERE " + col
                                       + " IS NOT NULL LIMIT 20000) x"
                                         " WHERE strpos(x.t, n.v) > 0)",
                               db::textArray(needles))[0]
                        .as<std::int64_t>();
    }
    return {"masked_leak_inside", object, found == 0,
            std::to_string(found) + " of " + std::to_string(needles.size())
                    + " sampled source values (and JSON leaves) found inside golden values"};
}

} // namespace

Result<VerifyReport> verifySnapshot(const config::Config &config, const std::string &nameIn)
{
    const db::ConnectOptions connect = connectOptions(config);
    auto list = listSnapshots(config);
    if (!list)
        return std::unexpected(list.error());
    const SnapshotInfo *info = nullptr;
    for (const auto &snapshot : *list) {
        if (snapshot.state != "ready")
            continue;
        if (nameIn.empty() ? (!info || snapshot.version > info->version) : snapshot.name == nameIn)
            info = &snapshot;
    }
    if (!info)
        return fail(ErrorCode::Usage,
                    nameIn.empty() ? "no ready snapshot to verify"
                                   : "no ready snapshot named " + nameIn,
                    "verify");
    VerifyReport report;
    report.name = info->name;

    auto goldenDsn = databaseDsn(config.golden.dsn, info->name);
    if (!goldenDsn)
        return std::unexpected(goldenDsn.error());
    auto golden = db::connect(*goldenDsn, connect, "golden " + info->name);
    if (!golden)
        return std::unexpected(golden.error());
    auto source = db::connect(config.source.dsn, connect, "source");
    if (!source)
        return std::unexpected(source.error());
    drift::SnapshotOptions schemaOptions;
    schemaOptions.who = "source";
    auto schema = drift::takeSnapshot(**source, schemaOptions);
    if (!schema)
        return std::unexpected(schema.error());

    auto checked = db::guarded("verify", info->name, [&] {
        pqxx::read_transaction g(**golden);
        pqxx::work s(**source, "verify source");
        s.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");

        // 1. Row counts as recorded from the source's exported snapshot.
        if (info->rowCounts.empty())
            report.checks.push_back({"catalogue", info->name, false, "no row counts recorded"});
        for (const auto &[table, recorded] : info->rowCounts) {
            const auto dot = table.find('.');
            const std::string qualified = quoteIdentifier(table.substr(0, dot)) + '.'
                    + quoteIdentifier(table.substr(dot + 1));
            const auto actual =
                    g.exec1("SELECT count(*) FROM ONLY " + qualified)[0].as<std::int64_t>();
            report.checks.push_back({"row_count", table, actual == recorded,
                                     std::to_string(actual) + " rows, recorded "
                                             + std::to_string(recorded)});
        }

        // 2. Every foreign key joins as many rows as in the source.
        const pqxx::result fks = g.exec(
                "SELECT n.nspname || '.' || cl.relname || '.' || c.conname,"
                " format('%I.%I', n.nspname, cl.relname), format('%I.%I', pn.nspname, pc.relname),"
                " (SELECT string_agg(format('c.%I = p.%I', ca.attname, pa.attname), ' AND ')"
                "    FROM unnest(c.conkey, c.confkey) AS k(ck, pk)"
                "    JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck"
                "    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk)"
                " FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid"
                " JOIN pg_namespace n ON n.oid = cl.relnamespace"
                " JOIN pg_class pc ON pc.oid = c.confrelid"
                " JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
                " WHERE c.contype = 'f' AND c.conparentid = 0 ORDER BY 1");
        for (const auto &fk : fks) {
            const std::string sql = "SELECT count(*) FROM " + fk[1].as<std::string>()
                    + " c JOIN " + fk[2].as<std::string>() + " p ON " + fk[3].as<std::string>();
            const auto inGolden = g.exec1(sql)[0].as<std::int64_t>();
            const auto inSource = s.exec1(sql)[0].as<std::int64_t>();
            report.checks.push_back({"fk_join", fk[0].as<std::string>(), inGolden == inSource,
                                     std::to_string(inGolden) + " joined rows, source "
                                             + std::to_string(inSource)});
        }

        // 3. No sampled source value of a masked column is in golden (values never printed).
        for (const auto &column : maskedColumns(config, *schema)) {
            const std::string object
                    = config::formatQualifiedName({column.schema, column.table, column.column});
            const std::string qualified =
                    quoteIdentifier(column.schema) + '.' + quoteIdentifier(column.table);
            const std::string col = quoteIdentifier(column.column);

            // Comments on a masked column and its table are dropped by the copy: a comment
            // may quote the data ("e.g. alice@corp.example").
            const pqxx::result comments
                    = g.exec_params("SELECT col_description(c.oid, a.attnum) IS NOT NULL,"
                                    " obj_description(c.oid, 'pg_class') IS NOT NULL"
                                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $3"
                                    " WHERE n.nspname = $1 AND c.relname = $2",
                                    column.schema, column.table, column.column);
            if (!comments.empty()) {
                const bool columnComment = comments[0][0].as<bool>();
                const bool tableComment = comments[0][1].as<bool>();
                report.checks.push_back(
                        {"masked_comment", object, !columnComment && !tableComment,
                         !columnComment && !tableComment
                                 ? std::string("no comment on the column or its table")
                                 : std::string("golden keeps a comment on the ")
                                           + (columnComment ? "column" : "table")});
            }
            if (isRowChecked(column.transform)) {
                const std::string key = primaryKeyColumn(s, qualified);
                if (key.empty()) {
                    report.checks.push_back({"masked_leak", object, true,
                                             "skipped: " + column.transform
                                                     + " needs a single-column primary key"});
                    continue;
                }
                const pqxx::result sample = s.exec(
                        "SELECT " + quoteIdentifier(key) + "::text, " + col + "::text FROM ONLY "
                        + qualified + " WHERE " + col + " IS NOT NULL ORDER BY random() LIMIT 1000");
                std::vector<std::string> keys, values;
                for (const auto &row : sample) {
                    keys.push_back(row[0].as<std::string>());
                    values.push_back(row[1].as<std::string>());
                }
                const auto same
                        = g.exec_params1("SELECT count(*) FROM ONLY " + qualified
                                                 + " g JOIN unnest($1::text[], $2::text[]) AS s(k, "
                                                   "v) ON g."
                                                 + quoteIdentifier(key) + "::text = s.k AND g."
                                                 + col + "::text = s.v",
                                         db::textArray(keys), db::textArray(values))[0]
                                  .as<std::int64_t>();
                // dictionary outputs equal the input by chance (≈1/size); unmasked is 100 %
                const bool ok = same * 5 <= static_cast<std::int64_t>(values.size());
                report.checks.push_back({"masked_leak", object, ok,
                                         std::to_string(same) + " of " + std::to_string(values.size())
                                                 + " sampled rows unchanged (" + column.transform
                                                 + ")"});
                continue;
            }
            const pqxx::result sample =
                    s.exec("SELECT v FROM (SELECT DISTINCT " + col + "::text AS v FROM ONLY "
                           + qualified + " WHERE " + col + " IS NOT NULL) d ORDER BY random()"
                           " LIMIT 1000");
            std::vector<std::string> values;
            for (const auto &row : sample)
                values.push_back(row[0].as<std::string>());
            const auto found = g.exec_params1("SELECT count(DISTINCT " + col + "::text) FROM ONLY "
                                                      + qualified + " WHERE " + col
                                                      + "::text = ANY($1::text[])",
                                              db::textArray(values))[0]
                                       .as<std::int64_t>();
            report.checks.push_back({"masked_leak", object, found == 0,
                                     std::to_string(found) + " of " + std::to_string(values.size())
                                             + " sampled source values found in golden"});
            report.checks.push_back(leakInside(s, g, object, qualified, col));
        }
        s.commit();
    });
    if (!checked)
        return std::unexpected(checked.error());
    return report;
}

} // namespace envsync::snapshot
