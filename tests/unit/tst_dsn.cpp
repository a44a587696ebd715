#include "core/db/connection.h"
#include "core/db/dsn.h"

#include <QTest>

using envsync::db::Dsn;

class TestDsn : public QObject
{
    Q_OBJECT
private slots:
    void parsesKeywordAndUri_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("dbname");
        QTest::newRow("keywords") << "host=/tmp/s port=5433 dbname=shop" << "/tmp/s" << "5433"
                                  << "shop";
        QTest::newRow("uri") << "postgresql://app@db.example.com:6432/orders" << "db.example.com"
                             << "6432" << "orders";
        QTest::newRow("quoted value") << "host='/tmp/with space' dbname='it\\'s'"
                                      << "/tmp/with space" << "" << "it's";
    }
    void parsesKeywordAndUri()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, dbname);
        auto dsn = Dsn::parse(text.toStdString());
        QVERIFY(dsn.has_value());
        QCOMPARE(QString::fromStdString(dsn->value("host")), host);
        QCOMPARE(QString::fromStdString(dsn->value("port")), port);
        QCOMPARE(QString::fromStdString(dsn->value("dbname")), dbname);
    }

    void rejectsMalformed()
    {
        auto dsn = Dsn::parse("host=x nonsense");
        QVERIFY(!dsn.has_value());
        QVERIFY(dsn.error().message.starts_with("malformed DSN: "));
        // libpq accepts any port text; EnvSync checks it so the error comes from validate.
        auto badPort = Dsn::parse("postgresql://h:notaport/db");
        QVERIFY(!badPort.has_value());
        QCOMPARE(badPort.error().message, std::string("malformed DSN: invalid port \"notaport\""));
        QVERIFY(Dsn::parse("host=a,b port=5432,5433").has_value());
    }

    void detectsPasswords()
    {
        QVERIFY(Dsn::parse("host=h password=secret")->hasPassword());
        QVERIFY(Dsn::parse("postgresql://u:secret@h/db")->hasPassword());
        QVERIFY(!Dsn::parse("host=h user=u")->hasPassword());
        // The passphrase of the client key is a secret too.
        QVERIFY(Dsn::parse("host=h sslkey=/k sslpassword=secret")->hasPassword());
        QVERIFY(Dsn::parse("postgresql://h/db?sslpassword=secret")->hasPassword());
    }

    void comparesDatabaseIdentity()
    {
        const Dsn a = *Dsn::parse("host=h port=1 dbname=d connect_timeout=3");
        const Dsn b = *Dsn::parse("postgresql://h:1/d?application_name=x");
        const Dsn c = *Dsn::parse("host=h port=2 dbname=d");
        QVERIFY(a.sameDatabaseAs(b));
        QVERIFY(!a.sameDatabaseAs(c));
    }

    void roundTripsThroughConnectionString()
    {
        auto parsed = Dsn::parse("host='/tmp/a b' dbname='we\\'ird\\\\name'");
        QVERIFY(parsed.has_value());
        const Dsn original = *parsed;
        const Dsn again = *Dsn::parse(original.toConnectionString());
        QCOMPARE(again.parameters(), original.parameters());
        QCOMPARE(again.value("dbname"), std::string("we'ird\\name"));
    }

    void displayNameHasNoSecrets()
    {
        const Dsn dsn = *Dsn::parse("postgresql://u:secret@h:5/db");
        QCOMPARE(dsn.displayName(), std::string("h:5/db"));
    }

    void effectiveStringAddsTimeoutsAndName()
    {
        envsync::db::ConnectOptions options;
        options.connectTimeout = std::chrono::seconds(7);
        options.statementTimeout = std::chrono::seconds(2);
        auto text = envsync::db::effectiveConnectionString("host=h options='-c work_mem=64MB'",
                                                           options);
        QVERIFY(text.has_value());
        const Dsn dsn = *Dsn::parse(*text);
        QCOMPARE(dsn.value("connect_timeout"), std::string("7"));
        QCOMPARE(dsn.value("application_name"), std::string("envsync"));
        QCOMPARE(dsn.value("options"), std::string("-c work_mem=64MB -c statement_timeout=2000"));
        // A connect_timeout written by the user wins.
        auto own = envsync::db::effectiveConnectionString("host=h connect_timeout=1", options);
        QCOMPARE(Dsn::parse(*own)->value("connect_timeout"), std::string("1"));
        // So does an application_name written by the user (EnvSync's name is the default).
        auto named
                = envsync::db::effectiveConnectionString("host=h application_name=mine", options);
        QCOMPARE(Dsn::parse(*named)->value("application_name"), std::string("mine"));
    }
};

QTEST_GUILESS_MAIN(TestDsn)
#include "tst_dsn.moc"
