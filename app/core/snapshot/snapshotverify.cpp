// `snapshot verify`: golden_vN checked against the facts its copy recorded at the source's
// exported point (snapshots.copy_facts), and against itself. It never connects to the source:
// on a busy production database a comparison with the live data reports changes made since
// the snapshot as failures, and full joins there would load production.
#include "core/snapshot/snapshot.h"

#include "core/config/formats.h"
#include "core/copy/copyengine.h"
#include "core/copy/leaksampler.h"
#include "core/copy/rowdigest.h"
#include "core/db/cancelguard.h"
#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/db/servererror.h"
#include "core/db/sqlquote.h"
#include "core/masking/copytext.h"
#include "core/snapshot/copyfacts.h"
#include "core/snapshot/maskingsupport.h"

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace envsync::snapshot {

namespace {

using db::quoteIdentifier;

constexpr const char *skippedNoFacts
        = "skipped: the snapshot was made before copies recorded facts for verify";

struct PgConnDeleter
{
    void operator()(PGconn *conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

struct PgResultDeleter
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

std::string resultError(PGconn *conn, PGresult *result)
{
    const db::ServerErrorFacts facts = db::factsFromResult(result);
    return facts.primary.empty() ? db::safeLibpqMessage(PQerrorMessage(conn))
                                 : db::describeServerError(facts);
}

/// Runs `COPY … TO STDOUT` and hands every CopyData message to `row`; an error text or empty.
std::string forEachCopyMessage(PGconn *conn, const std::string &copySql,
                               const std::function<void(std::string_view)> &row)
{
    PgResultPtr started(PQexec(conn, copySql.c_str()));
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_OUT)
        return resultError(conn, started.get());
    for (;;) {
        char *buffer = nullptr;
        const int length = PQgetCopyData(conn, &buffer, 0);
        if (length < 0)
            break;
        row(std::string_view(buffer, static_cast<std::size_t>(length)));
        PQfreemem(buffer);
    }
    std::string error;
    while (PgResultPtr result{PQgetResult(conn)}) {
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK && error.empty())
            error = resultError(conn, result.get());
    }
    return error;
}


/// Recomputes the digest of a golden table the way the copy computed it while writing: the same
/// COPY format, column list and session settings, so equal rows give equal bytes.
VerifyCheck checkDigest(PGconn *conn, const TableFacts &facts, VerifyCheck &countCheck)
{
    const std::string object = facts.schema + '.' + facts.table;
    std::string columns;
    for (const auto &column : facts.columns)
        columns += (columns.empty() ? "" : ", ") + quoteIdentifier(column);
    const std::string sql = "COPY " + db::qualifiedName(facts.schema, facts.table)
                            + (columns.empty() ? "" : " (" + columns + ")") + " TO STDOUT"
                            + (facts.binary ? " WITH (FORMAT binary)" : "");
    copy::RowDigest digest(facts.binary);
    const std::string error
            = forEachCopyMessage(conn, sql, [&](std::string_view m) { digest.addMessage(m); });
    if (!error.empty()) {
        countCheck = {"row_count", object, false, "cannot read golden: " + error};
        return {"row_hash", object, false, "cannot read golden: " + error};
    }
    countCheck = {"row_count", object, digest.rows() == facts.rows,
                  std::to_string(digest.rows()) + " rows, the copy wrote "
                          + std::to_string(facts.rows)};
    const std::string actual = hex64(digest.sum());
    return {"row_hash", object, actual == facts.digest,
            actual == facts.digest ? "rows hash as the copy wrote them (" + actual + ")"
                                   : "rows differ from what the copy wrote (hash " + actual
                                             + ", recorded " + facts.digest + ")"};
}

/// Every foreign key of golden is satisfied: no child row whose key has no parent row.
void checkForeignKeys(pqxx::transaction_base &g, VerifyReport &report)
{
    const pqxx::result fks = g.exec(
            "SELECT n.nspname || '.' || cl.relname || '.' || c.conname,"
            " format('%I.%I', n.nspname, cl.relname), format('%I.%I', pn.nspname, pc.relname),"
            " (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')"
            "    FROM unnest(c.conkey, c.confkey) AS k(ck, pk)"
            "    JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck"
            "    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk),"
            " (SELECT string_agg(format('c.%I IS NOT NULL', ca.attname), ' AND ')"
            "    FROM unnest(c.conkey) AS k(ck)"
            "    JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.ck)"
            " FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid"
            " JOIN pg_namespace n ON n.oid = cl.relnamespace"
            " JOIN pg_class pc ON pc.oid = c.confrelid"
            " JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
            " WHERE c.contype = 'f' AND c.conparentid = 0 ORDER BY 1");
    for (const auto &fk : fks) {
        const std::string sql = "SELECT count(*) FROM " + fk[1].as<std::string>() + " c WHERE "
                                + fk[4].as<std::string>() + " AND NOT EXISTS (SELECT 1 FROM "
                                + fk[2].as<std::string>() + " p WHERE " + fk[3].as<std::string>()
                                + ")";
        const auto orphans = g.exec1(sql)[0].as<std::int64_t>();
        report.checks.push_back({"fk_join", fk[0].as<std::string>(), orphans == 0,
                                 orphans == 0
                                         ? std::string("every row joins its parent row")
                                         : std::to_string(orphans) + " rows without a parent row"});
    }
}

/// Transforms whose outputs come from small dictionaries or keep part of the value: equal
/// values occur by chance, so they are checked row by row (same key) instead of as a set.
bool isRowChecked(const std::string &transform)
{
    static const std::set<std::string> rowChecked
            = {"first_name", "last_name", "person_name", "address",
               "city",       "partial",   "date_shift",  "country"};
    return rowChecked.contains(transform);
}

std::uint64_t fromHex(const std::string &text)
{
    return std::stoull(text, nullptr, 16);
}

/// Every non-null golden value of the sampled column with its row's key column, as the COPY
/// text fields (still escaped); an error text or empty.
std::string forEachKeyedValue(PGconn *conn, const MaskedSampleFacts &sample,
                              const std::function<void(std::string_view key,
                                                       std::string_view value)> &visit)
{
    const std::string col = quoteIdentifier(sample.column);
    return forEachCopyMessage(
            conn,
            "COPY (SELECT " + quoteIdentifier(sample.keyColumn) + ", " + col + " FROM ONLY "
                    + db::qualifiedName(sample.schema, sample.table) + " WHERE " + col
                    + " IS NOT NULL) TO STDOUT",
            [&](std::string_view line) {
                if (!line.empty() && line.back() == '\n')
                    line.remove_suffix(1);
                const auto tab = line.find('\t');
                if (tab != std::string_view::npos)
                    visit(line.substr(0, tab), line.substr(tab + 1));
            });
}

/// No golden value of the column hashes to a recorded hash of a sampled source value (or, for
/// dictionary-like transforms, no golden row keeps its own sampled source value).
VerifyCheck checkLeak(PGconn *conn, const masking::HmacKey &key, const MaskedSampleFacts &sample,
                      const std::string &transform, const std::string &object)
{
    const std::string qualified = db::qualifiedName(sample.schema, sample.table);
    const std::string col = quoteIdentifier(sample.column);
    std::string unescaped;
    auto hashOf = [&](std::string_view field) {
        masking::copytext::unescape(field, unescaped);
        return copy::sampleHash(key, unescaped);
    };
    const bool byRow = isRowChecked(transform) && !sample.keyColumn.empty()
                       && sample.keyHashes.size() == sample.valueHashes.size();
    if (byRow) {
        std::set<std::pair<std::uint64_t, std::uint64_t>> pairs;
        for (std::size_t i = 0; i < sample.valueHashes.size(); ++i)
            pairs.emplace(fromHex(sample.keyHashes[i]), fromHex(sample.valueHashes[i]));
        std::int64_t same = 0;
        const std::string error
                = forEachKeyedValue(conn, sample, [&](std::string_view k, std::string_view v) {
                      const std::uint64_t keyHash = hashOf(k);
                      if (pairs.contains({keyHash, hashOf(v)}))
                          ++same;
                  });
        if (!error.empty())
            return {"masked_leak", object, false, "cannot read golden: " + error};
        // dictionary outputs equal the input by chance (≈1/size); unmasked is 100 %
        const auto sampled = static_cast<std::int64_t>(pairs.size());
        return {"masked_leak", object, same * 5 <= sampled,
                std::to_string(same) + " of " + std::to_string(sampled)
                        + " sampled source rows unchanged in golden (" + transform + ")"};
    }
    std::set<std::uint64_t> recorded;
    for (const auto &hash : sample.valueHashes)
        recorded.insert(fromHex(hash));
    std::int64_t found = 0;
    const std::string error
            = forEachCopyMessage(conn,
                                 "COPY (SELECT DISTINCT " + col + " FROM ONLY " + qualified
                                         + " WHERE " + col + " IS NOT NULL) TO STDOUT",
                                 [&](std::string_view line) {
                                     if (!line.empty() && line.back() == '\n')
                                         line.remove_suffix(1);
                                     if (recorded.contains(hashOf(line)))
                                         ++found;
                                 });
    std::fill(unescaped.begin(), unescaped.end(), '\0');
    if (!error.empty())
        return {"masked_leak", object, false, "cannot read golden: " + error};
    return {"masked_leak", object, found == 0,
            std::to_string(found) + " golden values equal one of " + std::to_string(recorded.size())
                    + " sampled source values"};
}

/// No sampled source value, nor a string or number leaf of a sampled JSON document, inside a
/// golden value (a JSON document, a longer text). With only keyed hashes to go by, every window
/// of a golden value's text as long as a needle could be is hashed and looked up. Rows are
/// matched by key when the sample has keys (a leak of row X is in golden row X); otherwise
/// the first 2,000 golden values are searched for any needle.
VerifyCheck checkLeakInside(PGconn *conn, const masking::HmacKey &key,
                            const MaskedSampleFacts &sample, const std::string &object)
{
    const bool byRow = !sample.keyColumn.empty()
                       && sample.keyHashes.size() == sample.valueHashes.size()
                       && sample.needleHashes.size() == sample.valueHashes.size();
    std::map<std::uint64_t, std::set<std::uint64_t>> needlesByKey;
    std::set<std::uint64_t> allNeedles;
    for (std::size_t i = 0; i < sample.needleHashes.size(); ++i) {
        for (const auto &hash : sample.needleHashes[i]) {
            allNeedles.insert(fromHex(hash));
            if (byRow)
                needlesByKey[fromHex(sample.keyHashes[i])].insert(fromHex(hash));
        }
    }
    const auto longest = static_cast<std::size_t>(std::max<std::int64_t>(sample.longestNeedle, 0));
    std::set<std::uint64_t> found;
    std::string text;
    auto search = [&](std::string_view field, const std::set<std::uint64_t> &needles) {
        masking::copytext::unescape(field, text);
        const std::string_view value(text);
        for (std::size_t length = 6; length <= std::min(longest, value.size()); ++length) {
            for (std::size_t at = 0; at + length <= value.size(); ++at) {
                const std::uint64_t hash = copy::sampleHash(key, value.substr(at, length));
                if (needles.contains(hash))
                    found.insert(hash);
            }
        }
    };
    const std::string qualified = db::qualifiedName(sample.schema, sample.table);
    const std::string col = quoteIdentifier(sample.column);
    std::string error;
    if (allNeedles.empty()) {
        // nothing long enough to look for
    } else if (byRow) {
        std::string keyText;
        error = forEachKeyedValue(conn, sample, [&](std::string_view k, std::string_view v) {
            masking::copytext::unescape(k, keyText);
            const auto row = needlesByKey.find(copy::sampleHash(key, keyText));
            if (row != needlesByKey.end())
                search(v, row->second);
        });
    } else {
        error = forEachCopyMessage(conn,
                                   "COPY (SELECT " + col + " FROM ONLY " + qualified + " WHERE "
                                           + col + " IS NOT NULL LIMIT 2000) TO STDOUT",
                                   [&](std::string_view line) {
                                       if (!line.empty() && line.back() == '\n')
                                           line.remove_suffix(1);
                                       search(line, allNeedles);
                                   });
    }
    std::fill(text.begin(), text.end(), '\0');
    if (!error.empty())
        return {"masked_leak_inside", object, false, "cannot read golden: " + error};
    return {"masked_leak_inside", object, found.empty(),
            std::to_string(found.size()) + " of " + std::to_string(allNeedles.size())
                    + " sampled source values (and JSON leaves) found inside golden values"};
}

/// Comments on a masked column and its table are dropped by the copy: a comment may quote the
/// data ("e.g. alice@corp.example").
std::optional<VerifyCheck> checkComment(pqxx::transaction_base &g, const std::string &schema,
                                        const std::string &table, const std::string &column,
                                        const std::string &object)
{
    const pqxx::result comments
            = g.exec_params("SELECT col_description(c.oid, a.attnum) IS NOT NULL,"
                            " obj_description(c.oid, 'pg_class') IS NOT NULL"
                            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $3"
                            " WHERE n.nspname = $1 AND c.relname = $2",
                            schema, table, column);
    if (comments.empty())
        return std::nullopt;
    const bool columnComment = comments[0][0].as<bool>();
    const bool tableComment = comments[0][1].as<bool>();
    return VerifyCheck{"masked_comment", object, !columnComment && !tableComment,
                       !columnComment && !tableComment
                               ? std::string("no comment on the column or its table")
                               : std::string("golden keeps a comment on the ")
                                         + (columnComment ? "column" : "table")};
}

struct MaskedColumnRef
{
    std::string schema;
    std::string table;
    std::string column;
    std::string transform;                     ///< of its rule; empty when inherited through a key
    const MaskedSampleFacts *sample = nullptr; ///< what the copy recorded; nullptr: nothing
};

/// The masked columns: those the copy sampled, and every rule's column (a rule may name a
/// column of a table that has no rows to sample).
std::vector<MaskedColumnRef> maskedColumns(const config::Config &config,
                                           const std::optional<CopyFacts> &facts)
{
    std::map<std::string, MaskedColumnRef> byName;
    for (const auto &rule : config.masking.rules) {
        if (const auto parts = config::parseQualifiedName(rule.column, 3))
            byName[config::formatQualifiedName(*parts)]
                    = {(*parts)[0], (*parts)[1], (*parts)[2], rule.transform, nullptr};
    }
    if (facts) {
        for (const MaskedSampleFacts &sample : facts->masked) {
            auto &ref = byName[config::formatQualifiedName(
                    {sample.schema, sample.table, sample.column})];
            ref.schema = sample.schema;
            ref.table = sample.table;
            ref.column = sample.column;
            ref.sample = &sample;
        }
    }
    std::vector<MaskedColumnRef> out;
    for (auto &[name, ref] : byName)
        out.push_back(std::move(ref));
    return out;
}

Result<PgConn> openRaw(const std::string &dsn, const db::ConnectOptions &options)
{
    auto text = db::effectiveConnectionString(dsn, options);
    if (!text)
        return std::unexpected(text.error());
    PgConn conn(PQconnectdb(text->c_str()));
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        return fail(ErrorCode::Unreachable,
                    conn ? db::safeLibpqMessage(PQerrorMessage(conn.get())) : "out of memory",
                    "golden: connect");
    PgResultPtr set(PQexec(conn.get(), copy::digestSessionSettings));
    if (!set || PQresultStatus(set.get()) != PGRES_COMMAND_OK)
        return fail(ErrorCode::Database, resultError(conn.get(), set.get()),
                    "golden: session settings");
    return conn;
}

struct SnapshotToVerify
{
    SnapshotInfo info;
    std::optional<CopyFacts> facts;
};

/// The catalogue row and the recorded facts, read from envsync_control without the golden
/// guard: the guard compares the golden cluster with the source, and verify reads only golden.
Result<SnapshotToVerify> findSnapshot(const config::Config &config,
                                      const db::ConnectOptions &options, const std::string &name)
{
    auto control = db::ControlDb::openExisting(config.golden.dsn, options);
    if (!control)
        return std::unexpected(control.error());
    auto list = listSnapshots(config);
    if (!list)
        return std::unexpected(list.error());
    const SnapshotInfo *info = nullptr;
    for (const auto &snapshot : *list) {
        if (snapshot.state != "ready")
            continue;
        if (name.empty() ? (!info || snapshot.version > info->version) : snapshot.name == name)
            info = &snapshot;
    }
    if (!info || !*control)
        return fail(ErrorCode::Usage,
                    name.empty() ? "no ready snapshot to verify"
                                 : "no ready snapshot named " + name,
                    "verify");
    SnapshotToVerify out{*info, std::nullopt};
    auto json = (**control).snapshotCopyFacts(info->version);
    if (!json)
        return std::unexpected(json.error());
    if (*json)
        out.facts = CopyFacts::fromJson(**json);
    return out;
}

} // namespace

Result<VerifyReport> verifySnapshot(const config::Config &config, const std::string &nameIn,
                                    const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "verify");
    const db::ConnectOptions connect = db::configuredConnectOptions(config, "envsync verify");
    auto found = findSnapshot(config, connect, nameIn);
    if (!found)
        return std::unexpected(found.error());
    const SnapshotInfo &info = found->info;
    const std::optional<CopyFacts> &facts = found->facts;
    VerifyReport report;
    report.name = info.name;

    auto goldenDsn = db::Dsn::parse(config.golden.dsn);
    if (!goldenDsn)
        return std::unexpected(withContext(goldenDsn.error(), "golden"));
    const std::string dsn = goldenDsn->with("dbname", info.name).toConnectionString();
    auto raw = openRaw(dsn, connect);
    if (!raw)
        return std::unexpected(raw.error());
    auto golden = db::connect(dsn, connect, "golden " + info.name);
    if (!golden)
        return std::unexpected(golden.error());
    // a missing salt only skips the leak checks: the rest needs no key
    auto leakKey = leakSampleKey(config.masking);
    const db::CancelGuard rawGuard(raw->get(), cancel);
    const db::CancelGuard goldenGuard(**golden, cancel);
    // A cancel between statements is not seen by the server: check before each one.
    auto stopIfCancelled = [&] {
        if (job::cancelled(cancel))
            throw std::runtime_error("cancelled");
    };

    auto checked = db::guarded("verify", info.name, [&] {
        // 1. Rows: as many as the copy wrote, hashing as they did when written.
        if (facts) {
            for (const TableFacts &table : facts->tables) {
                stopIfCancelled();
                VerifyCheck count;
                VerifyCheck hash = checkDigest(raw->get(), table, count);
                report.checks.push_back(std::move(count));
                report.checks.push_back(std::move(hash));
            }
        } else {
            pqxx::read_transaction g(**golden);
            if (info.rowCounts.empty())
                report.checks.push_back({"catalogue", info.name, false, "no row counts recorded"});
            for (const auto &[table, recorded] : info.rowCounts) {
                const auto dot = table.find('.');
                const auto actual
                        = g.exec1("SELECT count(*) FROM ONLY "
                                  + db::qualifiedName(table.substr(0, dot), table.substr(dot + 1)))[0]
                                  .as<std::int64_t>();
                report.checks.push_back(
                        {"row_count", table, actual == recorded,
                         std::to_string(actual) + " rows, recorded " + std::to_string(recorded)});
            }
            report.checks.push_back({"row_hash", info.name, true, skippedNoFacts});
        }

        stopIfCancelled();
        pqxx::read_transaction g(**golden);
        // 2. Every foreign key holds in golden itself.
        checkForeignKeys(g, report);

        // 3. Masked columns: no comment that may quote data, no sampled source value.
        for (const MaskedColumnRef &column : maskedColumns(config, facts)) {
            stopIfCancelled();
            const std::string object
                    = config::formatQualifiedName({column.schema, column.table, column.column});
            if (auto comment = checkComment(g, column.schema, column.table, column.column, object))
                report.checks.push_back(std::move(*comment));
            if (!facts)
                report.checks.push_back({"masked_leak", object, true, skippedNoFacts});
            else if (!column.sample)
                report.checks.push_back({"masked_leak", object, true,
                                         "skipped: the copy sampled no value of this column"});
            else if (!leakKey)
                report.checks.push_back({"masked_leak", object, true,
                                         "skipped: the masking salt is not available ("
                                                 + leakKey.error().message + ")"});
            else {
                report.checks.push_back(
                        checkLeak(raw->get(), *leakKey, *column.sample, column.transform, object));
                // dictionary-like outputs contain source-like words by chance: whole values only
                if (!isRowChecked(column.transform))
                    report.checks.push_back(
                            checkLeakInside(raw->get(), *leakKey, *column.sample, object));
            }
        }
    });
    if (!checked)
        return std::unexpected(db::cancelledOr(checked.error(), cancel));
    return report;
}

} // namespace envsync::snapshot
