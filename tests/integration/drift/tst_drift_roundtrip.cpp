// Round trip of every fixture pair in cases/<name>/{old,new}.sql on one throw-away cluster:
// snapshot both, diff (non-empty), apply reconcileSql(FROM, TO) to FROM in one transaction,
// snapshot FROM again: no difference may remain. Both directions (old → new and
// new → old), so every "add" case is also a "drop" case. A case may hold expected.txt: the
// old → new differences as "severity kind change schema.name" lines.
// ENVSYNC_DRIFT_UPDATE_EXPECTED=1 rewrites those files (review them before committing);
// ENVSYNC_DRIFT_SHOW_SQL=1 prints every reconcile script.

#include "testsupport.h"

#include "core/db/connection.h"
#include "core/drift/catalogreader.h"
#include "core/drift/ddl.h"
#include "core/drift/diff.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTest>

#include <pqxx/pqxx>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace drift = envsync::drift;
namespace fs = std::filesystem;

namespace {

fs::path casesDir()
{
    return envsync::test::sourceDir() / "tests" / "integration" / "drift" / "cases";
}

std::string summary(const std::vector<drift::Difference> &differences)
{
    std::vector<std::string> lines;
    for (const auto &d : differences) {
        lines.push_back(std::string(drift::severityName(d.severity)) + ' '
                        + std::string(drift::kindName(d.kind)) + ' '
                        + std::string(drift::changeName(d.change)) + ' ' + d.qualifiedName());
    }
    std::ranges::sort(lines);
    std::string out;
    for (const auto &line : lines)
        out += line + '\n';
    return out;
}

std::string describe(const std::vector<drift::Difference> &differences)
{
    std::string out;
    for (const auto &d : differences) {
        out += "  " + std::string(drift::severityName(d.severity)) + ' '
               + std::string(drift::kindName(d.kind)) + ' '
               + std::string(drift::changeName(d.change)) + ' ' + d.qualifiedName() + ": "
               + d.detailText() + '\n';
    }
    return out;
}

/// The script with every comment line removed: what the server would actually run.
std::string executableLines(const std::string &script)
{
    std::string out;
    std::size_t at = 0;
    while (at < script.size()) {
        auto end = script.find('\n', at);
        if (end == std::string::npos)
            end = script.size();
        const std::string line = script.substr(at, end - at);
        if (!line.starts_with("--"))
            out += line + '\n';
        at = end + 1;
    }
    return out;
}

} // namespace

class TestDriftRoundtrip : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<envsync::test::TestCluster> m_cluster;
    int m_cases = 0;
    int m_unsafeDirections = 0;
    qint64 m_loadMs = 0;
    qint64 m_snapshotMs = 0;
    qint64 m_applyMs = 0;

    std::map<std::string, envsync::db::ConnectionPtr> m_connections;

    /// One connection per database for the whole run: connecting costs more than the work.
    pqxx::connection_base &connection(const std::string &database)
    {
        auto &slot = m_connections[database];
        if (!slot) {
            auto opened = envsync::db::connect(m_cluster->dsn(database), {}, "test " + database);
            if (!opened)
                qFatal("%s", opened.error().describe().c_str());
            slot = std::move(*opened);
        }
        return *slot;
    }

    bool sql(const std::string &statement, const std::string &database = "postgres")
    {
        try {
            pqxx::nontransaction tx(connection(database));
            tx.exec(statement);
            return true;
        } catch (const std::exception &e) {
            qWarning("SQL failed on %s: %s", database.c_str(), e.what());
            return false;
        }
    }

    drift::SchemaCatalog snapshot(const std::string &database, bool *ok)
    {
        *ok = false;
        QElapsedTimer timer;
        timer.start();
        const auto addTime = qScopeGuard([&] { m_snapshotMs += timer.elapsed(); });
        drift::CatalogOptions options;
        options.who = database;
        auto snapshot = drift::readCatalog(connection(database), options);
        if (!snapshot) {
            qWarning("%s", snapshot.error().describe().c_str());
            return {};
        }
        *ok = true;
        return *snapshot;
    }

    /// Applies the script in one transaction; returns the error text or empty.
    std::string apply(const std::string &database, const std::string &script)
    {
        QElapsedTimer timer;
        timer.start();
        const auto addTime = qScopeGuard([&] { m_applyMs += timer.elapsed(); });
        try {
            pqxx::work tx(connection(database));
            tx.exec(script);
            tx.commit();
            return {};
        } catch (const std::exception &e) {
            return e.what();
        }
    }

    /// Empties the database back to a fresh one's schema (cheaper than DROP + CREATE DATABASE)
    /// and runs the fixture script, in one round trip.
    bool load(const std::string &database, const std::string &script)
    {
        QElapsedTimer timer;
        timer.start();
        const auto addTime = qScopeGuard([&] { m_loadMs += timer.elapsed(); });
        return sql(R"(
SET client_min_messages = warning;
RESET check_function_bodies;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
        EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
    END LOOP;
    FOR r IN SELECT nspname FROM pg_namespace
             WHERE nspname NOT IN ('pg_catalog', 'information_schema')
               AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%' LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
    END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';
COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';
)" + script,
                   database);
    }

    void roundTripOneWay(const std::string &label, const std::string &workDb,
                         const drift::SchemaCatalog &from, const drift::SchemaCatalog &to)
    {
        const auto differences = drift::diff(from, to);
        QVERIFY2(!differences.empty(), (label + ": no differences found").c_str());

        // With allowUnsafe=false the unsafe statements appear only as comments.
        const std::string safe = drift::reconcileSql(from, to, {false, {}});
        const std::string safeExecutable = executableLines(safe);
        std::set<std::string> safeStatements;
        for (const auto &d : differences) {
            for (const auto &s : d.statements) {
                if (!s.unsafe)
                    safeStatements.insert(s.sql);
            }
        }
        bool anyUnsafe = false;
        for (const auto &d : differences) {
            for (const auto &s : d.statements) {
                if (!s.unsafe || safeStatements.contains(s.sql))
                    continue;
                anyUnsafe = true;
                QVERIFY2(safeExecutable.find(s.sql + ';') == std::string::npos,
                         (label + ": unsafe statement not commented out:\n" + s.sql).c_str());
                QVERIFY2(safe.find("-- unsafe: " + s.reason) != std::string::npos,
                         (label + ": no '-- unsafe' line for:\n" + s.sql).c_str());
            }
        }
        if (anyUnsafe)
            ++m_unsafeDirections;

        // workDb holds FROM's schema: the snapshots were taken before any script ran.
        const std::string script = drift::reconcileSql(from, to, {true, {}});
        if (qEnvironmentVariableIsSet("ENVSYNC_DRIFT_SHOW_SQL"))
            qInfo("%s:\n%s", label.c_str(), script.c_str());
        const std::string error = apply(workDb, script);
        QVERIFY2(error.empty(),
                 (label + ": reconcile script failed: " + error + "\n--- differences:\n"
                  + describe(differences) + "--- script:\n" + script)
                         .c_str());
        bool ok = false;
        const auto after = snapshot(workDb, &ok);
        QVERIFY(ok);
        const auto remaining = drift::diff(after, to);
        QVERIFY2(remaining.empty(), (label + ": differences remain after reconcile:\n"
                                     + describe(remaining) + "--- script:\n" + script)
                                            .c_str());
    }

private slots:
    void initTestCase()
    {
        m_cluster = std::make_unique<envsync::test::TestCluster>();
        QVERIFY(m_cluster->ok());
        for (const char *database : {"drift_old", "drift_new"})
            QVERIFY(sql(std::string("CREATE DATABASE ") + database));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("caseName");
        std::vector<std::string> names;
        for (const auto &entry : fs::directory_iterator(casesDir())) {
            if (entry.is_directory())
                names.push_back(entry.path().filename().string());
        }
        std::ranges::sort(names);
        QVERIFY2(names.size() >= 40, "expected at least 40 fixture pairs");
        for (const auto &name : names)
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void roundTrip()
    {
        QFETCH(QString, caseName);
        const fs::path dir = casesDir() / caseName.toStdString();
        const std::string oldSql = envsync::test::readFile(dir / "old.sql");
        const std::string newSql = envsync::test::readFile(dir / "new.sql");
        QVERIFY(!oldSql.empty() && !newSql.empty());

        QVERIFY2(load("drift_old", oldSql), "old.sql failed");
        QVERIFY2(load("drift_new", newSql), "new.sql failed");
        bool ok = false;
        const auto oldSnapshot = snapshot("drift_old", &ok);
        QVERIFY(ok);
        const auto newSnapshot = snapshot("drift_new", &ok);
        QVERIFY(ok);

        const std::string actual = summary(drift::diff(oldSnapshot, newSnapshot));
        const fs::path expectedPath = dir / "expected.txt";
        if (qEnvironmentVariableIsSet("ENVSYNC_DRIFT_UPDATE_EXPECTED")) {
            std::ofstream(expectedPath) << actual;
        } else if (fs::exists(expectedPath)) {
            const std::string expected = envsync::test::readFile(expectedPath);
            QVERIFY2(actual == expected,
                     ("differences changed:\n--- expected\n" + expected + "--- actual\n" + actual)
                             .c_str());
        }

        roundTripOneWay(caseName.toStdString() + " (old → new)", "drift_old", oldSnapshot,
                        newSnapshot);
        if (QTest::currentTestFailed())
            return;
        roundTripOneWay(caseName.toStdString() + " (new → old)", "drift_new", newSnapshot,
                        oldSnapshot);
        if (!QTest::currentTestFailed())
            ++m_cases;
    }

    /// System and EnvSync schemas and extension members are skipped; include/exclude work;
    /// progress is reported; a failure names the database and the step.
    void snapshotFiltersProgressAndErrors()
    {
        QVERIFY(load("drift_old", R"(
CREATE EXTENSION citext;
CREATE SCHEMA envsync;
CREATE TABLE envsync.marker (id int);
CREATE SCHEMA _envsync;
CREATE TABLE _envsync.state (id int);
CREATE SCHEMA keep;
CREATE TABLE keep.t (id int);
CREATE SCHEMA skip;
CREATE TABLE skip.t (id int);
CREATE TABLE public.users (email citext);
)"));
        drift::CatalogOptions options;
        options.who = "region eu";
        std::vector<std::string> steps;
        options.progress = [&](const std::string &step, int done, int total) {
            steps.push_back(step);
            QVERIFY(done >= 0 && done <= total);
        };
        auto all = drift::readCatalog(connection("drift_old"), options);
        QVERIFY(all.has_value());
        std::set<std::string> schemas;
        for (const auto &schema : all->schemas)
            schemas.insert(schema.name);
        QCOMPARE(schemas, (std::set<std::string>{"keep", "public", "skip"}));
        QCOMPARE(all->tables.size(), std::size_t(3));
        // citext's own functions, types and operators belong to the extension.
        QVERIFY(all->functions.empty());
        QVERIFY(all->compositeTypes.empty() && all->domains.empty());
        QCOMPARE(all->extensions.size(), std::size_t(2)); // citext, plpgsql
        QCOMPARE(all->findTable({"public", "users"})->columns.front().type,
                 std::string("public.citext"));
        QVERIFY(steps.size() >= 15);
        QCOMPARE(steps.back(), std::string("done"));

        options.progress = {};
        options.excludeSchemas = {"skip"};
        auto excluded = drift::readCatalog(connection("drift_old"), options);
        QVERIFY(excluded.has_value());
        QCOMPARE(excluded->tables.size(), std::size_t(2));
        options.excludeSchemas = {};
        options.includeSchemas = {"keep"};
        auto included = drift::readCatalog(connection("drift_old"), options);
        QVERIFY(included.has_value());
        QCOMPARE(included->tables.size(), std::size_t(1));
        QCOMPARE(included->tables.front().name.display(), std::string("keep.t"));

        // A connection that cannot be made: an Error naming the database, no exception.
        pqxx::lazyconnection missing(m_cluster->dsn("no_such_database"));
        auto failed = drift::readCatalog(missing, options);
        QVERIFY(!failed.has_value());
        QVERIFY2(failed.error().context.starts_with("region eu: schema catalog"),
                 failed.error().describe().c_str());
    }

    void cleanupTestCase()
    {
        qInfo("%d fixture pairs round-tripped in both directions; %d directions had unsafe "
              "statements",
              m_cases, m_unsafeDirections);
        qInfo("time: loading fixtures %lld ms, snapshots %lld ms, applying scripts %lld ms",
              m_loadMs, m_snapshotMs, m_applyMs);
        m_connections.clear();
        m_cluster.reset();
    }
};

QTEST_GUILESS_MAIN(TestDriftRoundtrip)
#include "tst_drift_roundtrip.moc"
