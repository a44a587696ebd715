#include "testsupport.h"

#include "core/db/connection.h"
#include "core/refresh/preservedtables.h"

#include <QTest>

#include <pqxx/pqxx>

namespace db = envsync::db;

namespace {
/// A schema with a dot, a table with quotes, a space and unicode.
const std::string flagsTable = "\"Team.Ops\".\"Feature \"\"Flags\"\" ü\"";
const std::string usersTable = "public.\"Test Users\"";
} // namespace

/// `preserve:` tables whose names need quotes are kept like any other: a reference read as
/// PostgreSQL reads identifiers, never split at the first dot with its quotes kept (which found
/// no such table and silently let golden's rows replace the region's own).
class TestPreservedTables : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_cluster.ok());
        const std::string schema = "CREATE SCHEMA \"Team.Ops\"; CREATE TABLE " + flagsTable
                                   + " (id serial PRIMARY KEY, name text); CREATE TABLE "
                                   + usersTable + " (id int PRIMARY KEY, login text);";
        for (const char *database : {"live", "next"}) {
            QVERIFY(m_cluster.execute(std::string("CREATE DATABASE ") + database));
            QVERIFY(m_cluster.execute(schema, database));
        }
        QVERIFY(m_cluster.execute(
                "INSERT INTO " + flagsTable
                        + " (name) SELECT 'flag ' || g FROM generate_series(1, 5) g;"
                          " INSERT INTO "
                        + usersTable + " VALUES (1, 'qa-anna'), (2, 'qa-bo')",
                "live"));
        QVERIFY(m_cluster.execute("INSERT INTO " + usersTable + " VALUES (9, 'golden-row')",
                                  "next"));
    }

    void keepsTablesWithQuotedNames()
    {
        auto live = db::connect(m_cluster.dsn("live"), {}, "region eu");
        auto next = db::connect(m_cluster.dsn("next"), {}, "region eu");
        QVERIFY(live && next);
        const std::vector<std::string> tables{flagsTable, "public.\"Test Users\""};
        auto kept = envsync::refresh::preserveTables(**live, **next, tables, "region eu");
        QVERIFY2(kept.has_value(), kept ? "" : kept.error().describe().c_str());
        QCOMPARE(kept->size(), std::size_t(2));
        QCOMPARE((*kept)[0].rows, std::int64_t(5));
        QVERIFY2((*kept)[0].note.empty(), (*kept)[0].note.c_str());
        QCOMPARE((*kept)[1].rows, std::int64_t(2));
        QCOMPARE(m_cluster.queryValue(
                         "SELECT string_agg(login, ',' ORDER BY id) FROM public.\"Test Users\"",
                         "next"),
                 std::string("qa-anna,qa-bo"));
        // The serial moved past the kept keys: the region's next insert does not collide.
        QVERIFY(m_cluster.execute("INSERT INTO " + flagsTable + " (name) VALUES ('new')", "next"));
    }

    void malformedReferenceIsAnError()
    {
        auto live = db::connect(m_cluster.dsn("live"), {}, "region eu");
        auto next = db::connect(m_cluster.dsn("next"), {}, "region eu");
        QVERIFY(live && next);
        auto kept = envsync::refresh::preserveTables(**live, **next, {"public.\"Test Users"},
                                                     "region eu");
        QVERIFY(!kept.has_value());
        QCOMPARE(kept.error().code, envsync::ErrorCode::Config);
    }

private:
    envsync::test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestPreservedTables)
#include "tst_preservedtables.moc"
