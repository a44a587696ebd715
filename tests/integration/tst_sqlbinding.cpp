// Hostile names and values through the one SQL helper (core/db/sqlquote.h) on a real server:
// array literals bound as `$1::text[]` come back element for element, quoted identifiers and
// literals read back as written, and the code paths that bind schema lists (the copy engine's
// excluded schemas, the drift reader's schema filter) handle names such as `we"ird, {name}` —
// also on a database with standard_conforming_strings off, where a spliced 'x\' literal broke.

#include "testsupport.h"

#include "core/copy/copyengine.h"
#include "core/db/sqlquote.h"
#include "core/drift/catalogreader.h"

#include <pqxx/pqxx>

#include <QTest>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace envsync;

namespace {

const std::string weirdSchema = "we\"ird, {name}"; // excluded: quotes, comma, braces
const std::string slashSchema = "back\\slash\\";   // excluded: ends with a backslash
const std::string keptSchema = "Kept \"ü\" {1,2}"; // copied
const std::string weirdTable = "t\"ab, {le} NULL";

std::string qualified(const std::string &schema)
{
    return db::qualifiedName(schema, weirdTable);
}

std::set<std::string> tableSchemas(const drift::SchemaCatalog &snapshot)
{
    std::set<std::string> schemas;
    for (const auto &table : snapshot.tables)
        schemas.insert(table.name.schema);
    return schemas;
}

} // namespace

class TestSqlBinding : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_cluster.ok());
        QVERIFY(m_cluster.execute("CREATE DATABASE src"));
        // Old-style strings: a backslash in a plain literal escapes the next character.
        QVERIFY(m_cluster.execute("ALTER DATABASE src SET standard_conforming_strings = off"));
        for (const std::string &schema : {weirdSchema, slashSchema, keptSchema}) {
            QVERIFY(m_cluster.execute("CREATE SCHEMA " + db::quoteIdentifier(schema), "src"));
            QVERIFY(m_cluster.execute("CREATE TABLE " + qualified(schema)
                                              + " (id integer PRIMARY KEY, \"v,{}\" text)",
                                      "src"));
            QVERIFY(m_cluster.execute(
                    "INSERT INTO " + qualified(schema)
                            + " SELECT i, 'row ' || i FROM generate_series(1, 5) i",
                    "src"));
        }
    }

    void arrayRoundTrips_data()
    {
        QTest::addColumn<QList<QByteArray>>("items");
        QTest::newRow("empty list") << QList<QByteArray>{};
        QTest::newRow("hostile names") << QList<QByteArray>{QByteArray::fromStdString(weirdSchema),
                                                            QByteArray::fromStdString(slashSchema),
                                                            QByteArray::fromStdString(keptSchema)};
        QTest::newRow("array syntax") << QList<QByteArray>{"{", "}", ",", "{a,b}", "\"", "\\"};
        QTest::newRow("NULL and empty") << QList<QByteArray>{"NULL", "", "null"};
        QTest::newRow("spaces and unicode")
                << QList<QByteArray>{" lead", "trail ", "a b", "Sch\xc3\xa9ma \xe2\x82\xac"};
        QTest::newRow("quotes") << QList<QByteArray>{"it's", "''", "x'; DROP TABLE t; --"};
    }
    void arrayRoundTrips()
    {
        QFETCH(QList<QByteArray>, items);
        std::vector<std::string> values;
        for (const QByteArray &item : items)
            values.push_back(item.toStdString());
        try {
            pqxx::connection conn(m_cluster.dsn("src"));
            pqxx::nontransaction tx(conn);
            const pqxx::result rows = tx.exec_params(
                    "SELECT u, u IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS t(u, i)"
                    " ORDER BY i",
                    db::textArray(values));
            QCOMPARE(rows.size(), values.size());
            for (std::size_t i = 0; i < values.size(); ++i) {
                const auto row = rows[static_cast<pqxx::result::size_type>(i)];
                QCOMPARE(row[1].as<bool>(), false); // "NULL" is text, never SQL NULL
                QCOMPARE(row[0].as<std::string>(), values[i]);
            }
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

    /// Literals only where nothing can be bound: they must read back the same whatever
    /// standard_conforming_strings says.
    void literalsReadBack_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("conforming");
        for (const char *setting : {"on", "off"}) {
            const QByteArray on(setting);
            QTest::addRow("backslash, %s", setting) << QByteArray("a\\b") << on;
            QTest::addRow("trailing backslash, %s", setting) << QByteArray("x\\") << on;
            QTest::addRow("backslash quote, %s", setting) << QByteArray("x\\'; SELECT 1; --") << on;
            QTest::addRow("quote, %s", setting) << QByteArray("it's") << on;
            QTest::addRow("unicode, %s", setting) << QByteArray("\xc3\xbc {a,b}") << on;
        }
    }
    void literalsReadBack()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, conforming);
        try {
            pqxx::connection conn(m_cluster.dsn("src"));
            pqxx::nontransaction tx(conn);
            tx.exec0("SET standard_conforming_strings = " + conforming.toStdString());
            tx.exec0("SET escape_string_warning = off");
            const auto value = tx.exec1("SELECT " + db::quoteLiteral(text.toStdString()))[0]
                                       .as<std::string>();
            QCOMPARE(value, text.toStdString());
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

    /// The copy engine's excluded schemas are bound as one text[]: hostile names are skipped
    /// exactly, the others copied, on a source whose strings are not standard-conforming.
    void copySkipsExcludedSchemasByName()
    {
        QVERIFY(m_cluster.execute("CREATE DATABASE dst"));
        copy::CopyRequest request;
        request.sourceDsn = m_cluster.dsn("src");
        request.targetDsn = m_cluster.dsn("dst");
        request.jobs = 1;
        request.excludeSchemas = {weirdSchema, slashSchema};
        auto stats = copy::copyDatabase(request);
        QVERIFY2(stats.has_value(), stats ? "" : stats.error().describe().c_str());
        std::set<std::string> copied;
        for (const auto &table : stats->tables)
            copied.insert(table.schema);
        QCOMPARE(copied, std::set<std::string>{keptSchema});
        const auto count = [&](const std::string &schema) {
            return m_cluster.queryValue("SELECT count(*) FROM " + qualified(schema), "dst");
        };
        QCOMPARE(count(keptSchema), std::string("5"));
        QCOMPARE(count(weirdSchema), std::string("0")); // its DDL is copied, its rows not
        QCOMPARE(count(slashSchema), std::string("0"));
    }

    /// The drift reader's schema filter binds both lists ($1 excluded, $2 included).
    void driftFiltersSchemasByName()
    {
        try {
            pqxx::connection conn(m_cluster.dsn("src"));
            drift::CatalogOptions options;
            options.excludeSchemas = {weirdSchema, slashSchema};
            auto excluded = drift::readCatalog(conn, options);
            QVERIFY2(excluded.has_value(), excluded ? "" : excluded.error().describe().c_str());
            QCOMPARE(tableSchemas(*excluded), std::set<std::string>{keptSchema});

            options.excludeSchemas.clear();
            options.includeSchemas = {weirdSchema, slashSchema};
            auto included = drift::readCatalog(conn, options);
            QVERIFY2(included.has_value(), included ? "" : included.error().describe().c_str());
            QCOMPARE(tableSchemas(*included), (std::set<std::string>{weirdSchema, slashSchema}));

            auto all = drift::readCatalog(conn, {});
            QVERIFY2(all.has_value(), all ? "" : all.error().describe().c_str());
            QCOMPARE(tableSchemas(*all),
                     (std::set<std::string>{weirdSchema, slashSchema, keptSchema}));
            const auto table = std::ranges::find_if(
                    all->tables, [](const auto &t) { return t.name.schema == keptSchema; });
            QVERIFY(table != all->tables.end());
            QCOMPARE(table->name.name, weirdTable);
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

private:
    test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestSqlBinding)
#include "tst_sqlbinding.moc"
