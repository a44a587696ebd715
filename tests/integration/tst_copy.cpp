#include "testsupport.h"

#include "core/copy/copyengine.h"
#include "core/masking/maskplan.h"

#include <QTest>

#include <algorithm>
#include <atomic>

using envsync::job::Progress;
using envsync::copy::CopyRequest;
using envsync::copy::CopyStats;

namespace {

/// A test-only plan: upper-cases the second column of public.people (text format path).
class UpperMasker : public envsync::masking::TableMasker
{
public:
    void maskRow(std::string &row) const override
    {
        const auto tab = row.find('\t');
        if (tab == std::string::npos)
            return;
        auto end = row.find('\t', tab + 1);
        if (end == std::string::npos)
            end = row.size();
        std::transform(row.begin() + static_cast<std::ptrdiff_t>(tab) + 1,
                       row.begin() + static_cast<std::ptrdiff_t>(end),
                       row.begin() + static_cast<std::ptrdiff_t>(tab) + 1,
                       [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
    }
    [[nodiscard]] std::vector<std::string> maskedColumns() const override { return {"name"}; }
};

class StubPlan : public envsync::masking::MaskPlan
{
public:
    [[nodiscard]] std::shared_ptr<const envsync::masking::TableMasker>
    forTable(const std::string &schema, const std::string &table,
             const std::vector<std::string> &) const override
    {
        if (schema == "public" && table == "people")
            return std::make_shared<UpperMasker>();
        return nullptr;
    }
    [[nodiscard]] const std::vector<envsync::masking::UnclassifiedColumn> &
    unclassified() const override
    {
        return m_none;
    }
    [[nodiscard]] std::string rulesHash() const override { return "stub"; }

private:
    std::vector<envsync::masking::UnclassifiedColumn> m_none;
};

const char *sourceSql = R"sql(
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE big (id bigint PRIMARY KEY, payload text NOT NULL, n integer);
INSERT INTO big SELECT i, md5(i::text), i % 97 FROM generate_series(1, 60000) i;
CREATE TABLE heap_only (v integer, w text);
INSERT INTO heap_only SELECT i, repeat('x', 20) FROM generate_series(1, 30000) i;
CREATE TABLE people (id serial PRIMARY KEY, name text, big_id bigint REFERENCES big (id));
INSERT INTO people (name, big_id) SELECT 'person ' || i, i FROM generate_series(1, 500) i;
CREATE TABLE moods (id integer PRIMARY KEY, history mood[], gen integer GENERATED ALWAYS AS (id * 2) STORED);
INSERT INTO moods SELECT i, ARRAY['ok', 'sad']::mood[] FROM generate_series(1, 100) i;
CREATE SCHEMA "My ""Schema"" ü";
CREATE TABLE "My ""Schema"" ü"."Weird ""Name"" Tbl ü" ("Col ""A""" integer PRIMARY KEY, "spaced col" text, "MiXeD" text);
INSERT INTO "My ""Schema"" ü"."Weird ""Name"" Tbl ü" VALUES (1, 'tab	inside', 'back\slash'), (2, NULL, E'new\nline');
CREATE INDEX "weird idx" ON "My ""Schema"" ü"."Weird ""Name"" Tbl ü" ("MiXeD");
CREATE TABLE no_columns ();
INSERT INTO no_columns SELECT FROM generate_series(1, 3);
CREATE SEQUENCE standalone_seq;
SELECT setval('standalone_seq', 4242);
ANALYZE;
)sql";

} // namespace

class TestCopy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_cluster.ok());
        QVERIFY(m_cluster.execute("CREATE DATABASE src"));
        QVERIFY(m_cluster.execute(sourceSql, "src"));
    }

    void copiesEverything()
    {
        QVERIFY(m_cluster.execute("CREATE DATABASE dst"));
        StubPlan plan;
        CopyRequest request;
        request.sourceDsn = m_cluster.dsn("src");
        request.targetDsn = m_cluster.dsn("dst");
        request.jobs = 2;
        request.rangeRows = 10000;
        request.plan = &plan;
        std::atomic<int> updates{0};
        request.progress = [&](const envsync::job::Progress &) { ++updates; };
        auto stats = envsync::copy::copyDatabase(request);
        QVERIFY2(stats.has_value(), stats ? "" : stats.error().describe().c_str());
        QVERIFY(updates > 0);
        qInfo("copied %lld rows in %.2f s (data %.2f s: %.0f rows/s)",
              static_cast<long long>(stats->rows), stats->seconds, stats->dataSeconds,
              static_cast<double>(stats->rows) / std::max(stats->dataSeconds, 0.001));

        for (const char *table : {"big", "heap_only", "people", "moods", "no_columns",
                                  "\"My \"\"Schema\"\" ü\".\"Weird \"\"Name\"\" Tbl ü\""}) {
            const std::string sql = std::string("SELECT count(*) FROM ") + table;
            QCOMPARE(m_cluster.queryValue(sql, "dst"), m_cluster.queryValue(sql, "src"));
        }
        auto find = [&](const std::string &name) {
            return std::ranges::find(stats->tables, name, &envsync::copy::TableStats::table);
        };
        // the table holding most of the data is split into heap-block (ctid) ranges so both
        // workers share it; the others are copied whole, one worker each
        QVERIFY(find("big")->ranges > 1);
        QCOMPARE(find("heap_only")->ranges, 1);
        QVERIFY(find("big")->binary);
        QVERIFY(!find("moods")->binary); // array of a user enum: text
        QVERIFY(find("people")->masked);
        QVERIFY(!find("people")->binary);
        QCOMPARE(find("big")->rows, std::int64_t(60000));
        // data equality, not just counts
        const std::string digest = "SELECT md5(string_agg(id::text || payload || n, ',' ORDER BY id)) FROM big";
        QCOMPARE(m_cluster.queryValue(digest, "dst"), m_cluster.queryValue(digest, "src"));
        QCOMPARE(m_cluster.queryValue("SELECT name FROM people WHERE id = 7", "dst"),
                 std::string("PERSON 7"));
        QCOMPARE(m_cluster.queryValue("SELECT \"MiXeD\" FROM \"My \"\"Schema\"\" ü\".\"Weird \"\"Name\"\" Tbl ü\" WHERE \"Col \"\"A\"\"\" = 2", "dst"),
                 std::string("new\nline"));
        QCOMPARE(m_cluster.queryValue("SELECT gen FROM moods WHERE id = 5", "dst"), std::string("10"));
        // sequences, indexes, foreign keys, statistics
        QCOMPARE(m_cluster.queryValue("SELECT last_value FROM standalone_seq", "dst"),
                 std::string("4242"));
        QCOMPARE(m_cluster.queryValue("SELECT last_value FROM people_id_seq", "dst"),
                 std::string("500"));
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM pg_indexes WHERE indexname = 'weird idx'", "dst"),
                 std::string("1"));
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM pg_constraint WHERE contype = 'f'", "dst"),
                 std::string("1"));
        QCOMPARE(m_cluster.queryValue("SELECT count(*) > 0 FROM pg_stats WHERE tablename = 'people'", "dst"),
                 std::string("t"));
        // a whole table is loaded frozen (COPY FREEZE), text or binary: every page all-frozen
        // though nothing ran VACUUM FREEZE; the split table, loaded by two transactions, is the
        // control that the VACUUM (ANALYZE) after the copy does not freeze pages by itself
        QVERIFY(m_cluster.execute("CREATE EXTENSION pg_visibility", "dst"));
        const auto allFrozen = [&](const char *table) {
            return m_cluster.queryValue(
                    std::string("SELECT bool_and(all_frozen) FROM pg_visibility_map('") + table + "')", "dst");
        };
        QCOMPARE(allFrozen("heap_only"), std::string("t"));
        QCOMPARE(allFrozen("people"), std::string("t"));
        QCOMPARE(allFrozen("big"), std::string("f"));
    }

    void splitsADominantTableNeverAnalyzed()
    {
        // no row estimate (reltuples -1: autovacuum is off for it and nothing ran ANALYZE), so
        // the ranges come from its heap size
        QVERIFY(m_cluster.execute("CREATE DATABASE src_fresh"));
        QVERIFY(m_cluster.execute("CREATE TABLE fresh (id bigint, payload text) WITH (autovacuum_enabled = false);"
                                  "INSERT INTO fresh SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 250000) i",
                                  "src_fresh"));
        QCOMPARE(m_cluster.queryValue("SELECT reltuples FROM pg_class WHERE relname = 'fresh'", "src_fresh"),
                 std::string("-1"));
        QVERIFY(m_cluster.execute("CREATE DATABASE dst_fresh"));
        CopyRequest request;
        request.sourceDsn = m_cluster.dsn("src_fresh");
        request.targetDsn = m_cluster.dsn("dst_fresh");
        request.jobs = 2;
        auto stats = envsync::copy::copyDatabase(request);
        QVERIFY2(stats.has_value(), stats ? "" : stats.error().describe().c_str());
        QCOMPARE(stats->tables.size(), std::size_t(1));
        QVERIFY(stats->tables.front().ranges > 1);
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM fresh", "dst_fresh"), std::string("250000"));
        const std::string digest = "SELECT md5(string_agg(id::text || payload, ',' ORDER BY id)) FROM fresh";
        QCOMPARE(m_cluster.queryValue(digest, "dst_fresh"), m_cluster.queryValue(digest, "src_fresh"));
        QVERIFY(m_cluster.execute("DROP DATABASE dst_fresh WITH (FORCE)"));
        QVERIFY(m_cluster.execute("DROP DATABASE src_fresh WITH (FORCE)"));
    }

    void cancelMidCopy()
    {
        QVERIFY(m_cluster.execute("CREATE DATABASE dst_cancel"));
        CopyRequest request;
        request.sourceDsn = m_cluster.dsn("src");
        request.targetDsn = m_cluster.dsn("dst_cancel");
        request.jobs = 2;
        request.rangeRows = 10000;
        request.maxRowsPerSecond = 20000; // slow enough to cancel in the middle
        request.cancel = std::make_shared<envsync::job::CancelToken>();
        request.progress = [&](const envsync::job::Progress &p) {
            if (p.phase == envsync::job::Phase::Data && p.rowsDone > 1000)
                request.cancel->cancel();
        };
        auto stats = envsync::copy::copyDatabase(request);
        QVERIFY(!stats.has_value());
        QCOMPARE(stats.error().code, envsync::ErrorCode::Cancelled);
        // the partial target is still there, identifiable by name, for the caller to drop
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM pg_database WHERE datname = 'dst_cancel'"),
                 std::string("1"));
        const auto copied = std::stoll(m_cluster.queryValue("SELECT count(*) FROM big", "dst_cancel"));
        QVERIFY(copied < 60000);
        QVERIFY(m_cluster.execute("DROP DATABASE dst_cancel WITH (FORCE)"));
    }

    void failureIsReported()
    {
        QVERIFY(m_cluster.execute("CREATE DATABASE dst_bad"));
        QVERIFY(m_cluster.execute("CREATE TABLE big (id bigint)", "dst_bad")); // pre-data clashes
        CopyRequest request;
        request.sourceDsn = m_cluster.dsn("src");
        request.targetDsn = m_cluster.dsn("dst_bad");
        auto stats = envsync::copy::copyDatabase(request);
        QVERIFY(!stats.has_value());
        QCOMPARE(stats.error().code, envsync::ErrorCode::Database);
    }

private:
    envsync::test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestCopy)
#include "tst_copy.moc"
