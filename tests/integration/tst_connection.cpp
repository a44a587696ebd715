#include "testsupport.h"

#include "core/db/connection.h"
#include "core/db/threadguard.h"

#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

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

private:
    envsync::test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
