#include "testsupport.h"

#include "core/db/connection.h"
#include "core/db/servererror.h"
#include "core/db/threadguard.h"

#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include <libpq-fe.h>
#include <pqxx/pqxx>

using namespace std::chrono_literals;
namespace db = envsync::db;

class TestConnection : public QObject
{
    Q_OBJECT
private slots:
    void setsApplicationNameAndTimeouts()
    {
        db::ConnectOptions options;
        options.statementTimeout = 2s;
        auto connection = db::connect(m_cluster.dsn(), options, "region eu");
        QVERIFY2(connection.has_value(), connection ? "" : connection.error().describe().c_str());
        pqxx::nontransaction tx(**connection);
        QCOMPARE(tx.exec1("SHOW application_name")[0].as<std::string>(), std::string("envsync"));
        QCOMPARE(tx.exec1("SHOW statement_timeout")[0].as<std::string>(), std::string("2s"));
    }

    void statementTimeoutStopsLongQueries()
    {
        db::ConnectOptions options;
        options.statementTimeout = 1s;
        auto connection = db::connect(m_cluster.dsn(), options, "region us");
        QVERIFY(connection.has_value());
        auto slow = db::guarded("region us", "sleep", [&] {
            pqxx::nontransaction tx(**connection);
            tx.exec0("SELECT pg_sleep(5)");
        });
        QVERIFY(!slow.has_value());
        QCOMPARE(slow.error().code, envsync::ErrorCode::Database);
        QCOMPARE(slow.error().context, std::string("region us: sleep"));
        QVERIFY2(slow.error().message.find("57014") != std::string::npos,
                 slow.error().message.c_str());
    }

    void errorsNameTheEndpointAndObject()
    {
        auto missing = db::connect(m_cluster.dsn("no_such_db"), {}, "region apac");
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, envsync::ErrorCode::Unreachable);
        QVERIFY(missing.error().describe().starts_with("region apac: connect: "));
        QVERIFY(missing.error().message.find("no_such_db") != std::string::npos);
    }

    void unreachableSocketFailsFast()
    {
        db::ConnectOptions options;
        options.connectTimeout = 2s;
        QElapsedTimer timer;
        timer.start();
        auto connection = db::connect("host=/tmp/envsync-nowhere port=1 dbname=x", options,
                                      "region eu");
        QVERIFY(!connection.has_value());
        QVERIFY(timer.elapsed() < 2000);
    }

    void refusesTheGuiThread()
    {
        db::registerGuiThread();
        auto connection = db::connect(m_cluster.dsn(), {}, "region eu");
        QVERIFY(!connection.has_value());
        QCOMPARE(connection.error().code, envsync::ErrorCode::WrongThread);
        // The same call from a worker is fine.
        auto fromWorker = QtConcurrent::run([dsn = m_cluster.dsn()] {
            return db::connect(dsn, {}, "region eu").has_value();
        });
        QVERIFY(fromWorker.result());
        db::unregisterGuiThread();
        QVERIFY(db::connect(m_cluster.dsn(), {}, "region eu").has_value());
    }

    void quotedNamesWork()
    {
        QVERIFY(m_cluster.execute(R"(CREATE DATABASE "Shop ""EU"" ü")"));
        auto connection = db::connect(m_cluster.dsn("Shop \"EU\" ü"), {}, "region eu");
        QVERIFY2(connection.has_value(), connection ? "" : connection.error().describe().c_str());
        pqxx::nontransaction tx(**connection);
        QCOMPARE(tx.exec1("SELECT current_database()")[0].as<std::string>(),
                 std::string("Shop \"EU\" ü"));
    }

    /// A constraint violation's DETAIL ("Failing row contains …", "Key (…)=(…)") and a data
    /// error's quoted input are row values: they never reach an Error (logs, audit, reports).
    void errorsCarryNoRowValues_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("sqlstate");
        QTest::newRow("check") << "INSERT INTO pii VALUES (2, 'alice.secret@example.com', -1)"
                               << "23514";
        QTest::newRow("unique") << "INSERT INTO pii VALUES (1, 'alice.secret@example.com', 1)"
                                << "23505";
        QTest::newRow("input syntax") << "SELECT 'alice.secret@example.com'::int" << "22P02";
    }

    void errorsCarryNoRowValues()
    {
        QFETCH(QString, sql);
        QFETCH(QString, sqlstate);
        QVERIFY(m_cluster.execute("CREATE TABLE IF NOT EXISTS pii (id int PRIMARY KEY, email text, "
                                  "n int CHECK (n >= 0))"));
        QVERIFY(m_cluster.execute("INSERT INTO pii VALUES (1, 'seed@example.com', 1) "
                                  "ON CONFLICT DO NOTHING"));
        auto connection = db::connect(m_cluster.dsn(), {}, "region eu");
        QVERIFY(connection.has_value());
        auto failed = db::guarded("region eu", "insert", [&] {
            pqxx::nontransaction tx(**connection);
            tx.exec(sql.toStdString());
        });
        QVERIFY(!failed.has_value());
        const std::string text = failed.error().describe();
        QVERIFY2(text.find("alice.secret") == std::string::npos, text.c_str());
        QVERIFY2(text.find("seed@") == std::string::npos, text.c_str());
        QVERIFY2(text.find("SQLSTATE " + sqlstate.toStdString()) != std::string::npos, text.c_str());
        QVERIFY2(text.starts_with("region eu: insert: "), text.c_str());
        QVERIFY2(text.find('\n') == std::string::npos, text.c_str());
    }

    /// The libpq path (the copy engine's COPY connections) keeps the object named, not the row.
    void libpqResultsCarryNoRowValues()
    {
        QVERIFY(m_cluster.execute("CREATE TABLE IF NOT EXISTS pii (id int PRIMARY KEY, email text, "
                                  "n int CHECK (n >= 0))"));
        PGconn *conn = PQconnectdb(m_cluster.dsn().c_str());
        QCOMPARE(PQstatus(conn), CONNECTION_OK);
        PGresult *result = PQexec(conn, "INSERT INTO pii VALUES (3, 'bob.secret@example.com', -5)");
        QCOMPARE(PQresultStatus(result), PGRES_FATAL_ERROR);
        QVERIFY(std::string(PQresultErrorMessage(result)).find("bob.secret") != std::string::npos);
        const std::string text = db::describeServerError(db::factsFromResult(result));
        PQclear(result);
        PQfinish(conn);
        QVERIFY2(text.find("bob.secret") == std::string::npos, text.c_str());
        QVERIFY2(text.find("table public.pii") != std::string::npos, text.c_str());
        QVERIFY2(text.find("constraint pii_n_check") != std::string::npos, text.c_str());
    }

private:
    envsync::test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
