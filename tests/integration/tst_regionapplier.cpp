// The region applier (issue 18, part C) on a real cluster: hand-built spool entries (hostile,
// mixed-case and unicode names) applied to a region database "eu", with "src" standing in for
// the source whose catalog schema parity reads. Effectively once (cursor), atomic batches
// (connection killed mid-batch), conflict policies, triggers that must not fire, sequences that
// never go backwards, schema parity (new column, new table), preserved tables left alone.

#include "testsupport.h"

#include "core/cdc/regionapplier.h"
#include "core/db/connection.h"
#include "core/db/sqlquote.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace envsync;
using namespace envsync::cdc;

namespace {

const std::string schemaName = "Sch\xc3\xa9ma \"Q\", {x}";
const std::string tableName = "Kunden T\xc3\xa4gl\"ich";
const std::string nameColumn = "N\xc3\xa4me \"1\"";

std::string table(const std::string &name = tableName)
{
    return db::qualifiedName(schemaName, name);
}

TupleValue text(const std::string &value)
{
    return TupleValue{TupleValue::Kind::Text, value};
}
TupleValue null()
{
    return TupleValue{TupleValue::Kind::Null, {}};
}
TupleValue unchanged()
{
    return TupleValue{TupleValue::Kind::Unchanged, {}};
}

/// id integer key, the name column, note text
Relation customers(std::uint32_t id = 16400, const std::string &name = tableName)
{
    Relation relation;
    relation.id = id;
    relation.schema = schemaName;
    relation.table = name;
    relation.columns = {{"id", 23, -1, "integer", true},
                        {nameColumn, 25, -1, "text", false},
                        {"note", 25, -1, "text", false}};
    return relation;
}

SpoolEntry relationEntry(const Relation &relation)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Relation;
    entry.relation = relation;
    return entry;
}

RowChange insert(std::uint32_t relation, Tuple row)
{
    RowChange change;
    change.kind = ChangeKind::Insert;
    change.relationId = relation;
    change.newTuple = std::move(row);
    return change;
}

RowChange update(std::uint32_t relation, std::optional<Tuple> old, Tuple row, bool oldIsKey = true)
{
    RowChange change;
    change.kind = ChangeKind::Update;
    change.relationId = relation;
    change.oldTuple = std::move(old);
    change.oldIsKey = oldIsKey;
    change.newTuple = std::move(row);
    return change;
}

RowChange remove(std::uint32_t relation, Tuple old, bool oldIsKey = true)
{
    RowChange change;
    change.kind = ChangeKind::Delete;
    change.relationId = relation;
    change.oldTuple = std::move(old);
    change.oldIsKey = oldIsKey;
    return change;
}

RowChange truncate(std::vector<std::uint32_t> relations)
{
    RowChange change;
    change.kind = ChangeKind::Truncate;
    change.relationId = relations.front();
    change.truncated = std::move(relations);
    return change;
}

/// A source transaction committed at `commitLsn` (its commit record 16 bytes long).
SpoolEntry transaction(Lsn commitLsn, std::vector<RowChange> changes)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Transaction;
    entry.transaction.xid = static_cast<std::uint32_t>(commitLsn);
    entry.transaction.commitLsn = commitLsn;
    entry.transaction.endLsn = commitLsn + 16;
    entry.transaction.commitTimeMicros
            = 1'700'000'000'000'000 + static_cast<std::int64_t>(commitLsn);
    entry.transaction.changes = std::move(changes);
    return entry;
}

SpoolEntry position(Lsn lsn)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Position;
    entry.position = lsn;
    return entry;
}

SpoolEntry sequences(std::vector<SequenceValue> values)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Sequences;
    entry.sequences = std::move(values);
    return entry;
}

} // namespace

class TestRegionApplier : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_cluster.ok());
        QVERIFY(m_cluster.execute("CREATE DATABASE src"));
        QVERIFY(m_cluster.execute("CREATE DATABASE eu"));
    }

    /// Every test starts from the same customers table in both databases and a cursor at 1000.
    void init()
    {
        for (const std::string database : {"src", "eu"}) {
            QVERIFY(m_cluster.execute("DROP SCHEMA IF EXISTS " + db::quoteIdentifier(schemaName)
                                              + " CASCADE; DROP SCHEMA IF EXISTS _envsync CASCADE;"
                                                " CREATE SCHEMA "
                                              + db::quoteIdentifier(schemaName),
                                      database));
            QVERIFY(m_cluster.execute("CREATE TABLE " + table() + " (id integer PRIMARY KEY, "
                                              + db::quoteIdentifier(nameColumn)
                                              + " text, note text)",
                                      database));
        }
        seedCursor(1000);
    }

    void appliesInsertsUpdatesAndDeletes()
    {
        const Relation relation = customers();
        const std::string hostile = "tab\there, 'quote' \"dq\" \\ back\nnew line \xe2\x82\xac";
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text(hostile), null()}),
                                   insert(relation.id, {text("2"), text("b"), text("n")}),
                                   insert(relation.id, {text("3"), text("c"), text("n")})}),
                transaction(2000, {update(relation.id, std::nullopt,
                                          {text("2"), text("B"), unchanged()})}),
                // key change: found by the old key
                transaction(3000, {update(relation.id, Tuple{text("3"), null(), null()},
                                          {text("30"), text("C"), text("m")})}),
                transaction(4000, {remove(relation.id, {text("1"), null(), null()})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(stats->transactions, 4);
        QCOMPARE(stats->changes, 6);
        QVERIFY(stats->conflicts.empty());
        QCOMPARE(stats->appliedLsn, Lsn{4016});
        QCOMPARE(applier->cursor()->appliedLsn, Lsn{4016});
        QCOMPARE(stats->lastCommitTimeMicros, std::int64_t{1'700'000'000'000'000 + 4000});
        QCOMPARE(rows(), std::string("2|B|n;30|C|m"));
        QCOMPARE(regionValue("SELECT applied_lsn::text || ' ' || origin || ' '"
                             " || (extract(epoch FROM commit_time) * 1000000)::bigint"
                             " FROM _envsync.cdc_applied"),
                 formatLsn(4016) + " stream 1700000000004000");

        // The hostile value went in and came back byte for byte (before its delete).
        init();
        auto again = openApplier();
        QVERIFY(again);
        QVERIFY(again->apply(std::span(entries).first(2)));
        QCOMPARE(regionValue("SELECT " + db::quoteIdentifier(nameColumn) + " FROM " + table()
                             + " WHERE id = 1"),
                 hostile);
    }

    void sameEntriesTwiceChangeNothing()
    {
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("a"), null()})}),
                transaction(2000, {update(relation.id, std::nullopt,
                                          {text("1"), text("a2"), text("x")})}),
        };
        {
            auto applier = openApplier();
            QVERIFY(applier);
            QVERIFY(applier->apply(entries));
        }
        QCOMPARE(rows(), std::string("1|a2|x"));
        // A restarted applier reads the spool again from an earlier point: nothing repeats
        // (a repeated insert would count a conflict; a repeated update would go unnoticed, so
        // the row is changed in between and must stay so).
        QVERIFY(m_cluster.execute("UPDATE " + table() + " SET note = 'local'", "eu"));
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(stats->transactions, 0);
        QVERIFY(stats->conflicts.empty());
        QCOMPARE(rows(), std::string("1|a2|local"));
        QCOMPARE(stats->appliedLsn, Lsn{2016});
    }

    void positionMovesTheCursorOnly()
    {
        auto applier = openApplier();
        QVERIFY(applier);
        const std::vector<SpoolEntry> entries = {position(900), position(5000)};
        const auto stats = applier->apply(entries);
        QVERIFY(stats);
        QCOMPARE(stats->appliedLsn, Lsn{5000});
        QCOMPARE(regionValue("SELECT applied_lsn::text FROM _envsync.cdc_applied"),
                 formatLsn(5000));
        QCOMPARE(rows(), std::string());
    }

    void killedMidBatchLeavesNothing()
    {
        // An ALWAYS trigger fires even for replicated rows: it kills its own backend on 'boom',
        // as pg_terminate_backend from another session would, half way through the batch.
        QVERIFY(m_cluster.execute(
                "CREATE FUNCTION public.boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " IF NEW.note = 'boom' THEN PERFORM pg_terminate_backend(pg_backend_pid());"
                " END IF; RETURN NEW; END $$;"
                " CREATE TRIGGER boom BEFORE INSERT ON "
                        + table()
                        + " FOR EACH ROW EXECUTE FUNCTION public.boom();"
                          " ALTER TABLE "
                        + table() + " ENABLE ALWAYS TRIGGER boom",
                "eu"));
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("a"), null()})}),
                transaction(2000, {insert(relation.id, {text("2"), text("b"), null()}),
                                   insert(relation.id, {text("3"), text("c"), text("boom")})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto failed = applier->apply(entries);
        QVERIFY(!failed);
        QVERIFY2(failed.error().describe().starts_with("region eu: "),
                 failed.error().describe().c_str());
        QCOMPARE(rows(), std::string());
        QCOMPARE(regionValue("SELECT applied_lsn::text FROM _envsync.cdc_applied"),
                 formatLsn(1000));

        QVERIFY(!applier->isOpen()); // closing the session is what rolled the batch back
        QVERIFY(m_cluster.execute("DROP TRIGGER boom ON " + table(), "eu"));
        const auto reopened = applier->open();
        QVERIFY2(reopened, reopened ? "" : reopened.error().describe().c_str());
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(rows(), std::string("1|a|;2|b|;3|c|boom"));
        QCOMPARE(stats->appliedLsn, Lsn{2016});
        QVERIFY(m_cluster.execute("DROP FUNCTION public.boom()", "eu"));
    }

    /// The applier's backend terminated from another session while its batch is in flight.
    void terminatedFromOutsideLeavesNothing()
    {
        // An ALWAYS trigger (fires for replicated rows) parks the batch on 'slow'.
        QVERIFY(m_cluster.execute(
                "CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " IF NEW.note = 'slow' THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END $$;"
                " CREATE TRIGGER slow BEFORE INSERT ON "
                        + table() + " FOR EACH ROW EXECUTE FUNCTION public.slow(); ALTER TABLE "
                        + table() + " ENABLE ALWAYS TRIGGER slow",
                "eu"));
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("a"), null()})}),
                transaction(2000, {insert(relation.id, {text("2"), text("b"), text("slow")}),
                                   insert(relation.id, {text("3"), text("c"), null()})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        std::optional<Result<ApplyStats>> outcome;
        std::thread worker([&] { outcome = applier->apply(entries); });
        // Found by the application_name the applier announces.
        const std::string terminate
                = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                  " WHERE application_name = 'envsync cdc apply eu' AND wait_event = 'PgSleep'";
        bool terminated = false;
        for (int attempt = 0; attempt < 200 && !terminated; ++attempt) {
            terminated = m_cluster.queryValue(terminate) == "1";
            if (!terminated)
                QThread::msleep(50);
        }
        worker.join();
        QVERIFY(terminated);
        QVERIFY(outcome && !*outcome);
        QVERIFY2(outcome->error().describe().starts_with("region eu: "),
                 outcome->error().describe().c_str());
        QCOMPARE(rows(), std::string());
        QCOMPARE(regionValue("SELECT applied_lsn::text FROM _envsync.cdc_applied"),
                 formatLsn(1000));

        QVERIFY(m_cluster.execute(
                "DROP TRIGGER slow ON " + table() + "; DROP FUNCTION public.slow()", "eu"));
        QVERIFY(applier->open());
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(rows(), std::string("1|a|;2|b|slow;3|c|"));
    }

    void conflicts_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QString>("expectedRows");
        QTest::addColumn<bool>("stops");
        QTest::newRow("source_wins") << "source_wins"
                                     << "100|src|;200|new|" << false;
        QTest::newRow("skip") << "skip"
                              << "100|local|" << false;
        QTest::newRow("stop") << "stop"
                              << "100|local|" << true;
    }

    void conflicts()
    {
        QFETCH(QString, policy);
        QFETCH(QString, expectedRows);
        QFETCH(bool, stops);
        QVERIFY(m_cluster.execute("INSERT INTO " + table() + " VALUES (100, 'local', NULL)", "eu"));
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("100"), text("src"), null()})}),
                transaction(2000, {update(relation.id, std::nullopt,
                                          {text("200"), text("new"), null()})}),
                transaction(3000, {remove(relation.id, {text("300"), null(), null()})}),
        };
        auto applier = openApplier(*parseConflictPolicy(policy.toStdString()));
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QCOMPARE(rows(), expectedRows.toStdString());
        if (stops) {
            QVERIFY(!stats);
            QCOMPARE(stats.error().code, ErrorCode::Database);
            QCOMPARE(stats.error().describe(),
                     "region eu: " + schemaName + '.' + tableName
                             + ": insert conflicts with an existing row (conflicts: stop)");
            QCOMPARE(regionValue("SELECT applied_lsn::text FROM _envsync.cdc_applied"),
                     formatLsn(1000));
            return;
        }
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        const std::string display = schemaName + '.' + tableName;
        QCOMPARE(stats->conflicts.at({display, "insert_exists"}), std::int64_t{1});
        QCOMPARE(stats->conflicts.at({display, "update_missing"}), std::int64_t{1});
        QCOMPARE(stats->conflicts.at({display, "delete_missing"}), std::int64_t{1});
        QCOMPARE(regionValue("SELECT string_agg(kind || '=' || count, ',' ORDER BY kind)"
                             " FROM _envsync.cdc_conflicts WHERE table_name = "
                             + db::quoteLiteral(display)),
                 std::string("delete_missing=1,insert_exists=1,update_missing=1"));
    }

    void regionTriggersDoNotFire()
    {
        QVERIFY(m_cluster.execute(
                "CREATE TABLE public.audit (what text);"
                " CREATE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " INSERT INTO public.audit VALUES (TG_OP); RETURN NEW; END $$;"
                " CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON "
                        + table() + " FOR EACH ROW EXECUTE FUNCTION public.audit()",
                "eu"));
        // The trigger works for the region's own writes.
        QVERIFY(m_cluster.execute("INSERT INTO " + table() + " VALUES (7, 'own', NULL)", "eu"));
        QCOMPARE(regionValue("SELECT count(*) FROM public.audit"), std::string("1"));
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000,
                            {insert(relation.id, {text("1"), text("a"), null()}),
                             update(relation.id, std::nullopt, {text("1"), text("b"), null()}),
                             remove(relation.id, {text("7"), null(), null()})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        QVERIFY(applier->apply(entries));
        QCOMPARE(rows(), std::string("1|b|"));
        QCOMPARE(regionValue("SELECT count(*) FROM public.audit"), std::string("1"));
        QVERIFY(m_cluster.execute("DROP TABLE public.audit CASCADE; DROP FUNCTION public.audit()"
                                  " CASCADE",
                                  "eu"));
    }

    void sequencesNeverGoBackwards()
    {
        QVERIFY(m_cluster.execute("CREATE SEQUENCE " + table("Seq \"1\""), "eu"));
        QCOMPARE(regionValue("SELECT setval(" + db::quoteLiteral(table("Seq \"1\"")) + ", 50)"),
                 std::string("50"));
        // A preserved table's own sequence is never moved.
        QVERIFY(m_cluster.execute("CREATE TABLE " + table("kept") + " (id serial PRIMARY KEY)",
                                  "eu"));
        auto applier = openApplier(ConflictPolicy::SourceWins, {schemaName + ".kept"});
        QVERIFY(applier);
        QVERIFY(applier->apply(std::vector{sequences({{schemaName, "Seq \"1\"", 10},
                                                      {schemaName, "kept_id_seq", 99},
                                                      {schemaName, "absent", 5}})}));
        QCOMPARE(sequenceValue("Seq \"1\""), std::string("50"));
        QVERIFY(applier->apply(std::vector{sequences({{schemaName, "Seq \"1\"", 80}})}));
        QCOMPARE(sequenceValue("Seq \"1\""), std::string("80"));
        QCOMPARE(sequenceValue("kept_id_seq"), std::string());
    }

    void newColumnIsAdded()
    {
        QVERIFY(m_cluster.execute("ALTER TABLE " + table()
                                          + " ADD COLUMN \"Neu Spalte\" numeric(10,2) NOT NULL"
                                            " DEFAULT 0",
                                  "src"));
        Relation relation = customers();
        relation.columns.push_back({"Neu Spalte", 1700, 655366, "numeric(10,2)", false});
        const std::vector<SpoolEntry> entries = {
                relationEntry(customers()),
                transaction(1000, {insert(relation.id, {text("1"), text("a"), null()})}),
                relationEntry(relation),
                transaction(2000,
                            {insert(relation.id, {text("2"), text("b"), null(), text("12.50")})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT string_agg(id || '=' || \"Neu Spalte\", ',' ORDER BY id)"
                             " FROM "
                             + table()),
                 std::string("1=0.00,2=12.50"));
        QCOMPARE(stats->appliedLsn, Lsn{2016});
    }

    void newTableIsCreated()
    {
        const std::string fresh = "Neue \"Tabelle\"";
        QVERIFY(m_cluster.execute("CREATE TABLE " + table(fresh)
                                          + " (code text PRIMARY KEY, qty bigint CHECK (qty > 0))",
                                  "src"));
        Relation relation;
        relation.id = 16500;
        relation.schema = schemaName;
        relation.table = fresh;
        relation.columns = {{"code", 25, -1, "text", true}, {"qty", 20, -1, "bigint", false}};
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("A-1"), text("3")})}),
                transaction(2000, {update(relation.id, std::nullopt, {text("A-1"), text("4")})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT code || '=' || qty FROM " + table(fresh)),
                 std::string("A-1=4"));
        // Created with its key and check, as on the source.
        QCOMPARE(regionValue("SELECT string_agg(contype::text, ',' ORDER BY contype)"
                             " FROM pg_constraint WHERE conrelid = "
                             + db::quoteLiteral(table(fresh)) + "::regclass"),
                 std::string("c,p"));
    }

    /// A table in a schema the region lacks, with a serial key and an enum column: schema,
    /// type, sequence and table are created, and the region's own inserts take the next key.
    void newTableInNewSchemaIsCreated()
    {
        const std::string schema = "Neu \"Schema\"";
        const std::string qualified = db::qualifiedName(schema, "Orders");
        QVERIFY(m_cluster.execute(
                "DROP SCHEMA IF EXISTS " + db::quoteIdentifier(schema) + " CASCADE", "eu"));
        QVERIFY(m_cluster.execute("DROP SCHEMA IF EXISTS " + db::quoteIdentifier(schema)
                                          + " CASCADE; CREATE SCHEMA " + db::quoteIdentifier(schema)
                                          + "; CREATE TYPE " + db::qualifiedName(schema, "state")
                                          + " AS ENUM ('new', 'paid'); CREATE TABLE " + qualified
                                          + " (id serial PRIMARY KEY, state "
                                          + db::qualifiedName(schema, "state") + " NOT NULL)",
                                  "src"));
        Relation relation;
        relation.id = 16700;
        relation.schema = schema;
        relation.table = "Orders";
        relation.columns = {{"id", 23, -1, "integer", true}, {"state", 90001, -1, "", false}};
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("new")}),
                                   update(relation.id, std::nullopt, {text("1"), text("paid")}),
                                   // a missing row re-created: its value is cast to the enum
                                   update(relation.id, std::nullopt, {text("2"), text("new")})}),
                sequences({{schema, "Orders_id_seq", 2}}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT string_agg(id || '=' || state, ',' ORDER BY id) FROM "
                             + qualified),
                 std::string("1=paid,2=new"));
        QCOMPARE(regionValue("INSERT INTO " + qualified + " (state) VALUES ('new') RETURNING id"),
                 std::string("3"));
    }

    void droppedColumnIsDropped()
    {
        QVERIFY(m_cluster.execute("ALTER TABLE " + table() + " DROP COLUMN note", "src"));
        Relation relation = customers();
        relation.columns.pop_back();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("a")})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                             + db::quoteLiteral(table())
                             + "::regclass AND attname = 'note' AND NOT attisdropped"),
                 std::string("0"));
        QCOMPARE(
                regionValue("SELECT id || " + db::quoteIdentifier(nameColumn) + " FROM " + table()),
                std::string("1a"));
    }

    /// pgoutput sends no generated columns: a table with one matches its relation as it is
    /// (no parity, which would need a source: none is given here).
    void generatedColumnsNeedNoParity()
    {
        QVERIFY(m_cluster.execute("ALTER TABLE " + table()
                                          + " ADD COLUMN twice integer GENERATED ALWAYS AS"
                                            " (id * 2) STORED",
                                  "eu"));
        const Relation relation = customers();
        RegionApplierOptions sourceless = options(ConflictPolicy::SourceWins, {});
        sourceless.sourceDsn.clear();
        RegionApplier applier(sourceless);
        QVERIFY(applier.open());
        const auto stats = applier.apply(std::vector{
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("4"), text("a"), null()})})});
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT twice FROM " + table()), std::string("8"));
    }

    void preservedTablesAreUntouched()
    {
        QVERIFY(m_cluster.execute("INSERT INTO " + table() + " VALUES (1, 'mine', NULL)", "eu"));
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000,
                            {insert(relation.id, {text("2"), text("src"), null()}),
                             update(relation.id, std::nullopt, {text("1"), text("src"), null()})}),
                transaction(2000, {truncate({relation.id})}),
        };
        auto applier = openApplier(ConflictPolicy::Stop, {schemaName + '.' + tableName});
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(rows(), std::string("1|mine|"));
        QCOMPARE(stats->appliedLsn, Lsn{2016});
    }

    void truncateEmptiesTheTables()
    {
        QVERIFY(m_cluster.execute("INSERT INTO " + table() + " VALUES (1, 'x', NULL)", "eu"));
        const Relation relation = customers();
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {truncate({relation.id})}),
                transaction(2000, {insert(relation.id, {text("5"), text("after"), null()})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        QVERIFY(applier->apply(entries));
        QCOMPARE(rows(), std::string("5|after|"));
    }

    void replicaIdentityFullChangesOneRow()
    {
        const std::string keyless = "ohne Schl\xc3\xbcssel";
        for (const std::string database : {"src", "eu"})
            QVERIFY(m_cluster.execute("CREATE TABLE " + table(keyless)
                                              + " (a integer, b text); ALTER TABLE "
                                              + table(keyless) + " REPLICA IDENTITY FULL",
                                      database));
        QVERIFY(m_cluster.execute(
                "INSERT INTO " + table(keyless) + " VALUES (1, NULL), (1, NULL), (2, 'z')", "eu"));
        Relation relation;
        relation.id = 16600;
        relation.schema = schemaName;
        relation.table = keyless;
        relation.replicaIdentity = 'f';
        // pgoutput flags every column as key under REPLICA IDENTITY FULL
        relation.columns = {{"a", 23, -1, "integer", true}, {"b", 25, -1, "text", true}};
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {update(relation.id, Tuple{text("1"), null()},
                                          {text("1"), text("y")}, false),
                                   remove(relation.id, {text("2"), text("z")}, false),
                                   insert(relation.id, {text("3"), null()})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT string_agg(a || ':' || coalesce(b, '-'), ',' ORDER BY a, b)"
                             " FROM "
                             + table(keyless)),
                 std::string("1:y,1:-,3:-"));
    }

    /// Many pipelined statements (several drains of the pipeline) in one batch, with updates,
    /// deletes and conflicts between them: the end state is exact and the rate is reported.
    void manyChangesInOneBatch()
    {
        const Relation relation = customers();
        std::vector<SpoolEntry> entries = {relationEntry(relation)};
        constexpr int count = 3000;
        for (int i = 0; i < count; ++i) {
            const std::string id = std::to_string(i);
            std::vector<RowChange> changes
                    = {insert(relation.id, {text(id), text("n" + id), null()}),
                       update(relation.id, std::nullopt, {text(id), text("u" + id), text("x")})};
            if (i % 3 == 0)
                changes.push_back(remove(relation.id, {text(id), null(), null()}));
            entries.push_back(transaction(1000 + 100 * static_cast<Lsn>(i), std::move(changes)));
        }
        auto applier = openApplier();
        QVERIFY(applier);
        QElapsedTimer timer;
        timer.start();
        const auto stats = applier->apply(entries);
        const auto elapsed = std::max<qint64>(timer.elapsed(), 1);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        qInfo("%lld changes in %lld ms: %lld changes/s", static_cast<long long>(stats->changes),
              static_cast<long long>(elapsed),
              static_cast<long long>(stats->changes * 1000 / elapsed));
        QCOMPARE(stats->transactions, std::int64_t{count});
        QVERIFY(stats->conflicts.empty());
        QCOMPARE(regionValue("SELECT count(*) || ' ' || sum(id) FILTER (WHERE note = 'x'"
                             " AND "
                             + db::quoteIdentifier(nameColumn) + " = 'u' || id) FROM " + table()),
                 std::to_string(count - count / 3) + ' ' + std::to_string([] {
                     long long sum = 0;
                     for (int i = 0; i < count; ++i)
                         sum += i % 3 == 0 ? 0 : i;
                     return sum;
                 }()));
    }

    void cancelledApplyChangesNothing()
    {
        const Relation relation = customers();
        auto token = std::make_shared<job::CancelToken>();
        RegionApplierOptions cancellable = options(ConflictPolicy::SourceWins, {});
        cancellable.cancel = token;
        RegionApplier applier(cancellable);
        QVERIFY(applier.open());
        token->cancel();
        const auto stats = applier.apply(std::vector{
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("a"), null()})})});
        QVERIFY(!stats);
        QCOMPARE(stats.error().code, ErrorCode::Cancelled);
        QCOMPARE(rows(), std::string());
    }

    void regionWithoutCursorIsRefused()
    {
        QVERIFY(m_cluster.execute("DROP SCHEMA _envsync CASCADE", "eu"));
        RegionApplier applier(options(ConflictPolicy::SourceWins, {}));
        const auto cursor = applier.open();
        QVERIFY(cursor);
        QVERIFY(!cursor->has_value());
        const auto stats = applier.apply(std::vector{position(5000)});
        QVERIFY(!stats);
        QCOMPARE(stats.error().code, ErrorCode::Refused);
    }

    /// Set-based apply: one key inserted, updated and deleted in a row; a set split by a repeated
    /// key; another relation and a truncate between changes of the first; NULLs and hostile text
    /// inside the arrays. The end state is what the changes one by one give.
    void setsKeepTheOrderOfChanges()
    {
        const Relation relation = customers();
        const Relation other = customers(16401, "Andere");
        for (const std::string database : {"src", "eu"})
            QVERIFY(m_cluster.execute("CREATE TABLE " + table("Andere")
                                              + " (id integer PRIMARY"
                                                " KEY, "
                                              + db::quoteIdentifier(nameColumn)
                                              + " text, note text)",
                                      database));
        const std::vector<std::string> hostile
                = {"tab\there", "'q' \"dq\" \\ back\\\\", "{a,b}",     "NULL", "",
                   " ",         "\xe2\x82\xac ,}",        "new\nline", "\"",   "\\"};
        std::vector<RowChange> first;
        for (std::size_t i = 0; i < hostile.size(); ++i)
            first.push_back(insert(relation.id, {text(std::to_string(10 + i)), text(hostile[i]),
                                                 i % 2 ? null() : text(hostile[i])}));
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                relationEntry(other),
                transaction(1000, std::move(first)),
                // key 1 inserted, updated, deleted, inserted again; key 2 updated twice in a row
                transaction(2000,
                            {insert(relation.id, {text("1"), text("a"), null()}),
                             insert(relation.id, {text("2"), text("b"), null()}),
                             update(relation.id, std::nullopt, {text("1"), text("a2"), null()}),
                             update(relation.id, std::nullopt, {text("2"), text("b2"), null()}),
                             update(relation.id, std::nullopt, {text("2"), text("b3"), text("n")}),
                             update(relation.id, std::nullopt, {text("1"), text("a3"), null()}),
                             remove(relation.id, {text("1"), null(), null()}),
                             insert(relation.id, {text("1"), text("again"), null()})}),
                // interleaved relations, a truncate of the other one between
                transaction(
                        3000,
                        {insert(other.id, {text("1"), text("o1"), null()}),
                         insert(relation.id, {text("3"), text("c"), null()}),
                         insert(other.id, {text("2"), text("o2"), null()}),
                         insert(relation.id, {text("4"), text("d"), null()}), truncate({other.id}),
                         insert(other.id, {text("3"), text("o3"), null()}),
                         insert(other.id, {text("4"), text("o4"), null()}),
                         update(relation.id, std::nullopt, {text("3"), text("c2"), unchanged()}),
                         update(relation.id, std::nullopt, {text("4"), text("d2"), unchanged()}),
                         remove(other.id, {text("4"), null(), null()})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QVERIFY(stats->conflicts.empty());
        QCOMPARE(stats->changes, std::int64_t(hostile.size() + 8 + 10));
        QCOMPARE(regionValue("SELECT string_agg(id || '|' || " + db::quoteIdentifier(nameColumn)
                             + " || '|' || coalesce(note, ''), ';' ORDER BY id) FROM " + table()
                             + " WHERE id < 10"),
                 std::string("1|again|;2|b3|n;3|c2|;4|d2|"));
        QCOMPARE(regionValue("SELECT string_agg(id || '|' || " + db::quoteIdentifier(nameColumn)
                             + ", ';' ORDER BY id) FROM " + table("Andere")),
                 std::string("3|o3"));
        for (std::size_t i = 0; i < hostile.size(); ++i) {
            const std::string id = std::to_string(10 + i);
            QCOMPARE(regionValue("SELECT " + db::quoteIdentifier(nameColumn) + " FROM " + table()
                                 + " WHERE id = " + id),
                     hostile[i]);
            QCOMPARE(regionValue("SELECT coalesce(note, '<null>') FROM " + table()
                                 + " WHERE id = " + id),
                     i % 2 ? std::string("<null>") : hostile[i]);
        }
    }

    /// Values in a set are cast to the column's type without its modifier: the column applies
    /// it as it does to a single bound value (char(n) pads, numeric(p,s) rounds, arrays, jsonb).
    void setsCastToTheRegionTypes()
    {
        const std::string typed = "Typen";
        for (const std::string database : {"src", "eu"})
            QVERIFY(m_cluster.execute("CREATE TABLE " + table(typed)
                                              + " (k varchar(4) PRIMARY KEY, c char(5),"
                                                " n numeric(6,2), a integer[], j jsonb)",
                                      database));
        Relation relation;
        relation.id = 16700;
        relation.schema = schemaName;
        relation.table = typed;
        relation.columns = {{"k", 1043, 8, "character varying(4)", true},
                            {"c", 1042, 9, "character(5)", false},
                            {"n", 1700, 393222, "numeric(6,2)", false},
                            {"a", 1007, -1, "integer[]", false},
                            {"j", 3802, -1, "jsonb", false}};
        const auto row = [&](const std::string &k, const std::string &c) {
            return insert(relation.id, {text(k), text(c), text("1.005"), text("{1,NULL,3}"),
                                        text("{\"x\": [1]}")});
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(std::vector{
                relationEntry(relation), transaction(1000, {row("abcd", "ab"), row("x", "")})});
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(
                regionValue("SELECT string_agg(k || '|' || c::text || '|' || length(c::text) || '|'"
                            " || octet_length(c) || '|' || n || '|' || a::text || '|' || j::text,"
                            " ';' ORDER BY k) FROM "
                            + table(typed)),
                std::string(
                        "abcd|ab|2|5|1.01|{1,NULL,3}|{\"x\": [1]};x||0|5|1.01|{1,NULL,3}|{\"x\":"
                        " [1]}"));
        // A key too long for varchar(4) fails as a single bound value would (no silent cut).
        const auto tooLong = applier->apply(
                std::vector{transaction(2000, {row("abcde", "a"), row("y", "b")})});
        QVERIFY(!tooLong);
        QCOMPARE(regionValue("SELECT count(*) FROM " + table(typed)), std::string("2"));
    }

    /// A unique column besides the key is checked row by row, so the order of updates matters
    /// (the source's order never collides; another may): updates of such a table stay per row.
    void updatesOfTablesWithOtherUniqueIndexesKeepTheirOrder()
    {
        for (const std::string database : {"src", "eu"})
            QVERIFY(m_cluster.execute("CREATE UNIQUE INDEX ON " + table() + " (note)", database));
        constexpr int count = 1000;
        QVERIFY(m_cluster.execute("INSERT INTO " + table()
                                          + " SELECT g, 'n', g::text FROM"
                                            " generate_series(1, "
                                          + std::to_string(count) + ") g; ANALYZE " + table(),
                                  "eu"));
        // A merge join (the planner's choice for some sizes, made certain here) updates the rows
        // in key order, the reverse of the source's: row k takes the note row k+1 gave up just
        // before, which in key order is still taken.
        QVERIFY(m_cluster.execute("ALTER DATABASE eu SET enable_nestloop = off;"
                                  " ALTER DATABASE eu SET enable_hashjoin = off",
                                  "eu"));
        const Relation relation = customers();
        std::vector<RowChange> changes;
        for (int k = count; k >= 1; --k)
            changes.push_back(
                    update(relation.id, std::nullopt,
                           {text(std::to_string(k)), unchanged(),
                            text(k == count ? std::string("last") : std::to_string(k + 1))}));
        auto applier = openApplier(ConflictPolicy::Skip);
        QVERIFY(applier);
        const auto stats = applier->apply(
                std::vector{relationEntry(relation), transaction(1000, std::move(changes))});
        QVERIFY(m_cluster.execute("ALTER DATABASE eu RESET ALL", "eu"));
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(regionValue("SELECT count(*) FILTER (WHERE note = (id + 1)::text) || ' '"
                             " || min(note) FILTER (WHERE id = "
                             + std::to_string(count) + ") FROM " + table()),
                 std::to_string(count - 1) + " last");
    }

    /// Conflicts met inside sets are counted exactly, per kind, under each policy; stop fails
    /// naming region and table, without row values, and applies nothing.
    void conflictsInsideSets_data() { conflicts_data(); }
    void conflictsInsideSets()
    {
        QFETCH(QString, policy);
        QVERIFY(m_cluster.execute(
                "INSERT INTO " + table() + " VALUES (1, 'local', 'l'), (2, 'local', 'l')", "eu"));
        const Relation relation = customers();
        const auto up = [&](int id, TupleValue note) {
            const std::string key = std::to_string(id);
            return update(relation.id, std::nullopt, {text(key), text("u" + key), std::move(note)});
        };
        const auto del = [&](int id) {
            return remove(relation.id, {text(std::to_string(id)), null(), null()});
        };
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                transaction(1000, {insert(relation.id, {text("1"), text("s1"), null()}),
                                   insert(relation.id, {text("2"), text("s2"), null()}),
                                   insert(relation.id, {text("3"), text("s3"), null()}),
                                   insert(relation.id, {text("4"), text("s4"), null()})}),
                // 8 and 9 are missing: source_wins re-creates them
                transaction(2000, {up(3, null()), up(4, null()), up(8, null()), up(9, null())}),
                // TOAST placeholders: 10 and 11 are missing and cannot be re-created
                transaction(3000, {up(4, unchanged()), up(10, unchanged()), up(11, unchanged())}),
                transaction(4000, {del(1), del(3), del(7), del(5), del(6)}),
        };
        const ConflictPolicy parsed = *parseConflictPolicy(policy.toStdString());
        auto applier = openApplier(parsed);
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        if (parsed == ConflictPolicy::Stop) {
            QVERIFY(!stats);
            QCOMPARE(stats.error().describe(),
                     "region eu: " + schemaName + '.' + tableName
                             + ": insert conflicts with an existing row (conflicts: stop)");
            QCOMPARE(rows(), std::string("1|local|l;2|local|l"));
            QCOMPARE(regionValue("SELECT applied_lsn::text FROM _envsync.cdc_applied"),
                     formatLsn(1000));
            return;
        }
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        const bool sourceWins = parsed == ConflictPolicy::SourceWins;
        QCOMPARE(rows(), std::string(sourceWins ? "2|s2|;4|u4|;8|u8|;9|u9|" : "2|local|l;4|u4|"));
        const std::string display = schemaName + '.' + tableName;
        QCOMPARE(stats->conflicts.at({display, "insert_exists"}), std::int64_t{2});
        QCOMPARE(stats->conflicts.at({display, "update_missing"}), std::int64_t{4});
        QCOMPARE(stats->conflicts.at({display, "delete_missing"}), std::int64_t{3});
        QCOMPARE(regionValue("SELECT string_agg(kind || '=' || count, ',' ORDER BY kind)"
                             " FROM _envsync.cdc_conflicts WHERE table_name = "
                             + db::quoteLiteral(display)),
                 std::string("delete_missing=3,insert_exists=2,update_missing=4"));
    }

    /// 10,000 changes in one batch: runs of one relation and shape are a few set statements
    /// (counted by a statement trigger that fires in replica role), not one per change.
    void tenThousandChangesAreFewStatements()
    {
        QVERIFY(m_cluster.execute(
                "CREATE TABLE public.statements (op text);"
                " CREATE FUNCTION public.count_statement() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN INSERT INTO public.statements VALUES (TG_OP); RETURN NULL; END $$;"
                " CREATE TRIGGER count_statement AFTER INSERT OR UPDATE OR DELETE ON "
                        + table()
                        + " FOR EACH STATEMENT EXECUTE FUNCTION public.count_statement();"
                          " ALTER TABLE "
                        + table() + " ENABLE ALWAYS TRIGGER count_statement",
                "eu"));
        const Relation relation = customers();
        std::vector<SpoolEntry> entries = {relationEntry(relation)};
        constexpr int count = 4000;
        std::vector<RowChange> inserts;
        std::vector<RowChange> updates;
        std::vector<RowChange> deletes;
        for (int i = 0; i < count; ++i) {
            const std::string id = std::to_string(i);
            inserts.push_back(insert(relation.id, {text(id), text("n" + id), null()}));
            updates.push_back(
                    update(relation.id, std::nullopt, {text(id), text("u" + id), text("x")}));
            if (i % 2 == 0)
                deletes.push_back(remove(relation.id, {text(id), null(), null()}));
        }
        entries.push_back(transaction(1000, std::move(inserts)));
        entries.push_back(transaction(2000, std::move(updates)));
        entries.push_back(transaction(3000, std::move(deletes)));
        auto applier = openApplier();
        QVERIFY(applier);
        QElapsedTimer timer;
        timer.start();
        const auto stats = applier->apply(entries);
        const auto elapsed = std::max<qint64>(timer.elapsed(), 1);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        qInfo("%lld changes in %lld ms: %lld changes/s", static_cast<long long>(stats->changes),
              static_cast<long long>(elapsed),
              static_cast<long long>(stats->changes * 1000 / elapsed));
        QCOMPARE(stats->changes, std::int64_t{count + count + count / 2});
        QVERIFY(stats->conflicts.empty());
        QCOMPARE(regionValue("SELECT count(*) || ' ' || count(*) FILTER (WHERE note = 'x' AND "
                             + db::quoteIdentifier(nameColumn)
                             + " = 'u' || id AND id % 2 = 1)"
                               " FROM "
                             + table()),
                 std::to_string(count / 2) + ' ' + std::to_string(count / 2));
        // At most 1000 changes a set: 4 sets of inserts, 4 of upserts, 2 of deletes (an
        // INSERT … ON CONFLICT DO UPDATE fires the UPDATE statement trigger too).
        QCOMPARE(QString::fromStdString(
                         regionValue("SELECT string_agg(op || '=' || n, ',' ORDER BY op) FROM"
                                     " (SELECT op, count(*) AS n FROM public.statements"
                                     " GROUP BY op) s")),
                 QStringLiteral("DELETE=2,INSERT=8,UPDATE=8"));
        QVERIFY(m_cluster.execute("DROP TABLE public.statements; DROP FUNCTION"
                                  " public.count_statement() CASCADE",
                                  "eu"));
    }

    /// A batch gathers each table's changes across its source transactions: 300 small
    /// transactions that interleave two tables (runs of one change) are a handful of set
    /// statements, counted by statement triggers that fire in replica role.
    void smallTransactionsOfManyTablesBecomeFewSets()
    {
        createOther();
        constexpr int count = 300;
        const std::string seed = "SELECT 10000 + g, 'old', NULL FROM generate_series(0, "
                                 + std::to_string(count - 1) + ") g";
        QVERIFY(m_cluster.execute("INSERT INTO " + table() + ' ' + seed + "; INSERT INTO "
                                          + table(otherName) + ' ' + seed,
                                  "eu"));
        for (const std::string &name : {tableName, otherName})
            QVERIFY(m_cluster.execute(
                    "CREATE TABLE IF NOT EXISTS public.statements (tab text, op text);"
                    " CREATE OR REPLACE FUNCTION public.count_statement() RETURNS trigger"
                    " LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.statements"
                    " VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$;"
                    " CREATE TRIGGER count_statement AFTER INSERT OR UPDATE OR DELETE ON "
                            + table(name)
                            + " FOR EACH STATEMENT EXECUTE FUNCTION public.count_statement();"
                              " ALTER TABLE "
                            + table(name) + " ENABLE ALWAYS TRIGGER count_statement",
                    "eu"));
        const Relation relation = customers();
        const Relation other = customers(16401, otherName);
        std::vector<SpoolEntry> entries = {relationEntry(relation), relationEntry(other)};
        for (int i = 0; i < count; ++i) {
            const std::string id = std::to_string(i);
            const std::string old = std::to_string(10000 + i);
            entries.push_back(transaction(
                    Lsn(1000 + 100 * i),
                    {insert(relation.id, {text(id), text("a" + id), null()}),
                     insert(other.id, {text(id), text("b" + id), null()}),
                     update(relation.id, std::nullopt, {text(old), text("u" + old), text("x")}),
                     remove(other.id, {text(old), null(), null()})}));
        }
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QCOMPARE(stats->transactions, std::int64_t{count});
        QCOMPARE(stats->changes, std::int64_t{4 * count});
        QVERIFY(stats->conflicts.empty());
        // rows, rows the inserts brought, rows the updates changed
        const auto summary = [&](const std::string &name, const std::string &prefix) {
            return regionValue("SELECT count(*) || ' ' || count(*) FILTER (WHERE id < 10000 AND "
                               + db::quoteIdentifier(nameColumn) + " = " + db::quoteLiteral(prefix)
                               + " || id) || ' ' || count(*) FILTER (WHERE note = 'x' AND "
                               + db::quoteIdentifier(nameColumn) + " = 'u' || id) FROM "
                               + table(name));
        };
        const std::string n = std::to_string(count);
        QCOMPARE(summary(tableName, "a"), std::to_string(2 * count) + ' ' + n + ' ' + n);
        QCOMPARE(summary(otherName, "b"), n + ' ' + n + " 0");
        // One set each: inserts and upserts of the first table, inserts and deletes of the
        // other (an INSERT … ON CONFLICT DO UPDATE fires the UPDATE statement trigger too).
        QCOMPARE(QString::fromStdString(regionValue(
                         "SELECT string_agg(op || '=' || n, ',' ORDER BY tab <> "
                         + db::quoteLiteral(tableName)
                         + ", op) FROM (SELECT tab, op, count(*) AS n FROM public.statements"
                           " GROUP BY tab, op) s")),
                 QStringLiteral("INSERT=2,UPDATE=2,DELETE=1,INSERT=1,UPDATE=1"));
        QVERIFY(m_cluster.execute("DROP TABLE public.statements; DROP FUNCTION"
                                  " public.count_statement() CASCADE",
                                  "eu"));
    }

    /// Gathered across transactions, a table's changes keep their order where it matters: a
    /// key deleted and inserted again, inserted, updated and deleted in later transactions; on
    /// a table with another unique index, a value one row gives up and a later row takes.
    void gatheredChangesKeepTheirOrder()
    {
        createOther(true);
        QVERIFY(m_cluster.execute("INSERT INTO " + table(otherName) + " VALUES (1, 'b', 'x')",
                                  "eu"));
        const Relation relation = customers();
        const Relation other = customers(16401, otherName);
        const auto up = [&](int id, const std::string &name) {
            return update(relation.id, std::nullopt,
                          {text(std::to_string(id)), text(name), null()});
        };
        const auto del = [](const Relation &table, int id) {
            return remove(table.id, {text(std::to_string(id)), null(), null()});
        };
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                relationEntry(other),
                transaction(1000, {insert(relation.id, {text("1"), text("first"), null()}),
                                   insert(other.id, {text("5"), text("b"), text("y")})}),
                transaction(2000, {insert(relation.id, {text("2"), text("two"), null()}),
                                   del(other, 1), del(relation, 1)}),
                // the other table's note x, given up by row 1 just before, goes to row 2
                transaction(3000, {insert(other.id, {text("2"), text("b"), text("x")}),
                                   insert(relation.id, {text("1"), text("second"), null()}),
                                   insert(relation.id, {text("3"), text("three"), null()})}),
                transaction(4000, {up(1, "third"), del(relation, 2), up(3, "three2")}),
                transaction(5000, {insert(relation.id, {text("2"), text("again"), null()}),
                                   del(relation, 3),
                                   insert(other.id, {text("6"), text("b"), text("z")})}),
        };
        auto applier = openApplier();
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        QVERIFY(stats->conflicts.empty());
        QCOMPARE(stats->changes, std::int64_t{14});
        QCOMPARE(rows(), std::string("1|third|;2|again|"));
        QCOMPARE(rowsOf(otherName), std::string("2|b|x;5|b|y;6|b|z"));
    }

    /// Conflicts met in gathered sets of interleaved tables are counted exactly, per table
    /// and kind, under each policy; stop names the first conflict in the source's order.
    void conflictsOfGatheredTables_data() { conflicts_data(); }
    void conflictsOfGatheredTables()
    {
        QFETCH(QString, policy);
        createOther();
        QVERIFY(m_cluster.execute("INSERT INTO " + table()
                                          + " VALUES (1, 'local', NULL), (2, 'local', NULL);"
                                            " INSERT INTO "
                                          + table(otherName) + " VALUES (1, 'local', NULL)",
                                  "eu"));
        const Relation relation = customers();
        const Relation other = customers(16401, otherName);
        const auto ins = [](const Relation &table, int id) {
            const std::string key = std::to_string(id);
            return insert(table.id, {text(key), text("s" + key), null()});
        };
        const auto up = [](const Relation &table, int id) {
            const std::string key = std::to_string(id);
            return update(table.id, std::nullopt, {text(key), text("u" + key), null()});
        };
        const auto del = [](const Relation &table, int id) {
            return remove(table.id, {text(std::to_string(id)), null(), null()});
        };
        const std::vector<SpoolEntry> entries = {
                relationEntry(relation),
                relationEntry(other),
                transaction(1000, {ins(relation, 1), ins(other, 2)}),
                transaction(2000, {ins(relation, 3), up(other, 5), del(relation, 7)}),
                transaction(3000, {ins(other, 1), del(other, 9), up(relation, 8)}),
                transaction(4000, {del(relation, 3), ins(relation, 2), ins(other, 4)}),
        };
        const ConflictPolicy parsed = *parseConflictPolicy(policy.toStdString());
        auto applier = openApplier(parsed);
        QVERIFY(applier);
        const auto stats = applier->apply(entries);
        const std::string first = schemaName + '.' + tableName;
        const std::string second = schemaName + '.' + otherName;
        if (parsed == ConflictPolicy::Stop) {
            QVERIFY(!stats);
            QCOMPARE(stats.error().describe(),
                     "region eu: " + first
                             + ": insert conflicts with an existing row (conflicts: stop)");
            QCOMPARE(rows(), std::string("1|local|;2|local|"));
            QCOMPARE(rowsOf(otherName), std::string("1|local|"));
            return;
        }
        QVERIFY2(stats, stats ? "" : stats.error().describe().c_str());
        const bool sourceWins = parsed == ConflictPolicy::SourceWins;
        QCOMPARE(rows(), std::string(sourceWins ? "1|s1|;2|s2|;8|u8|" : "1|local|;2|local|"));
        QCOMPARE(rowsOf(otherName),
                 std::string(sourceWins ? "1|s1|;2|s2|;4|s4|;5|u5|" : "1|local|;2|s2|;4|s4|"));
        const std::map<std::pair<std::string, std::string>, std::int64_t> expected
                = {{{first, "insert_exists"}, 2},   {{first, "update_missing"}, 1},
                   {{first, "delete_missing"}, 1},  {{second, "insert_exists"}, 1},
                   {{second, "update_missing"}, 1}, {{second, "delete_missing"}, 1}};
        QCOMPARE(stats->conflicts, expected);
        QCOMPARE(regionValue("SELECT string_agg(table_name || ' ' || kind || '=' || count, ','"
                             " ORDER BY table_name <> "
                             + db::quoteLiteral(first) + ", kind) FROM _envsync.cdc_conflicts"),
                 first + " delete_missing=1," + first + " insert_exists=2," + first
                         + " update_missing=1," + second + " delete_missing=1," + second
                         + " insert_exists=1," + second + " update_missing=1");
    }

private:
    const std::string otherName = "Andere \"2\"";

    /// A second table like the first, in both databases; `uniqueNote`: note is unique too.
    void createOther(bool uniqueNote = false)
    {
        for (const std::string database : {"src", "eu"})
            QVERIFY(m_cluster.execute("CREATE TABLE " + table(otherName)
                                              + " (id integer PRIMARY KEY, "
                                              + db::quoteIdentifier(nameColumn) + " text, note text"
                                              + (uniqueNote ? " UNIQUE" : "") + ")",
                                      database));
    }

    std::string rowsOf(const std::string &name)
    {
        return regionValue("SELECT string_agg(id || '|' || coalesce("
                           + db::quoteIdentifier(nameColumn)
                           + ", '') || '|' || coalesce(note, ''),"
                             " ';' ORDER BY id) FROM "
                           + table(name));
    }

    RegionApplierOptions options(ConflictPolicy policy, std::set<std::string> skip)
    {
        RegionApplierOptions options;
        options.region = "eu";
        options.dsn = m_cluster.dsn("eu");
        options.sourceDsn = m_cluster.dsn("src");
        options.policy = policy;
        options.skipTables = std::move(skip);
        options.minSetChanges = 2; // every run of two or more is a set: the cases test sets
        return options;
    }

    std::unique_ptr<RegionApplier> openApplier(ConflictPolicy policy = ConflictPolicy::SourceWins,
                                               std::set<std::string> skip = {})
    {
        auto applier = std::make_unique<RegionApplier>(options(policy, std::move(skip)));
        const auto cursor = applier->open();
        if (!cursor || !cursor->has_value()) {
            qWarning("open: %s", cursor ? "no cursor" : cursor.error().describe().c_str());
            return nullptr;
        }
        return applier;
    }

    void seedCursor(Lsn lsn)
    {
        auto connection = db::connect(m_cluster.dsn("eu"), {}, "region eu");
        QVERIFY(connection);
        QVERIFY(seedRegionCursor(**connection, lsn, "golden_v1", "region eu"));
    }

    std::string regionValue(const std::string &sql) { return m_cluster.queryValue(sql, "eu"); }

    /// "id|name|note;…" ordered by id, NULL as empty
    std::string rows()
    {
        return regionValue(
                "SELECT string_agg(id || '|' || coalesce(" + db::quoteIdentifier(nameColumn)
                + ", '') || '|' || coalesce(note, ''), ';' ORDER BY id) FROM " + table());
    }

    std::string sequenceValue(const std::string &name)
    {
        return regionValue("SELECT last_value FROM pg_sequences WHERE schemaname = "
                           + db::quoteLiteral(schemaName)
                           + " AND sequencename = " + db::quoteLiteral(name));
    }

    test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestRegionApplier)
#include "tst_regionapplier.moc"
