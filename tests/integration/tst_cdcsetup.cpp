#include "testsupport.h"

#include "core/cdc/cdcsetup.h"
#include "core/config/config.h"
#include "core/demo/localcluster.h"

#include <QProcess>
#include <QTest>

#include <algorithm>

using envsync::ErrorCode;
using envsync::cdc::dropCdc;
using envsync::cdc::initCdc;
using envsync::cdc::sourceCdcStatus;

namespace {

QByteArray describe(const envsync::Error &error)
{
    return QByteArray::fromStdString(error.describe());
}

} // namespace

/// `cdc init | drop` and the source's slot status on clusters of its own: a source (database
/// prod) and a golden cluster for envsync_control.
class TestCdcSetup : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_source.execute("CREATE DATABASE prod"));
        QVERIFY(m_source.execute("CREATE TABLE public.customers (id int PRIMARY KEY, name text);"
                                 " CREATE SCHEMA \"Sales\";"
                                 " CREATE TABLE \"Sales\".\"Orders\" (id int PRIMARY KEY,"
                                 "   customer_id int);"
                                 " CREATE TABLE public.audit_trail (at timestamptz, what text);"
                                 " CREATE SCHEMA empty_one;",
                                 "prod"));
        m_config.source.dsn = m_source.dsn("prod");
        m_config.golden.dsn = m_golden.dsn("postgres");
        m_config.cdc.configured = true;
    }

    void refusesKeylessTableUntilReplicaIdentityFull()
    {
        auto refused = initCdc(m_config);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Refused);
        QVERIFY2(refused.error().message.find("public.audit_trail") != std::string::npos,
                 describe(refused.error()));
        QVERIFY(refused.error().message.find("customers") == std::string::npos);
        // nothing made on the source
        QCOMPARE(slotCount(), std::string("0"));
        QCOMPARE(m_source.queryValue("SELECT count(*) FROM pg_publication", "prod"),
                 std::string("0"));

        QVERIFY(m_source.execute("ALTER TABLE public.audit_trail REPLICA IDENTITY FULL", "prod"));
        auto report = initCdc(m_config);
        QVERIFY2(report.has_value(), report ? "" : describe(report.error()));
        QVERIFY(report->slotCreated);
        QVERIFY(report->publicationCreated);
        QVERIFY(report->slotConsistentPoint != 0);
        // every schema with tables, none without
        QCOMPARE(report->schemas, (std::vector<std::string>{"Sales", "public"}));
    }

    void initTwiceIsIdempotent()
    {
        auto again = initCdc(m_config);
        QVERIFY2(again.has_value(), again ? "" : describe(again.error()));
        QVERIFY(!again->slotCreated);
        QVERIFY(!again->publicationCreated);
        QVERIFY(!again->publicationChanged);
        QCOMPARE(slotCount(), std::string("1"));
        QCOMPARE(m_source.queryValue("SELECT plugin || ' ' || slot_type FROM pg_replication_slots"
                                     " WHERE slot_name = 'envsync'"),
                 std::string("pgoutput logical"));
        QCOMPARE(publishedSchemas(), std::string("Sales,public"));
        QCOMPARE(m_golden.queryValue("SELECT slot || ' ' || publication || ' '"
                                     " || array_to_string(schemas, ',') FROM envsync.cdc_estate",
                                     "envsync_control"),
                 std::string("envsync envsync Sales,public"));
    }

    void publicationWithOtherSchemasIsSetBack()
    {
        QVERIFY(m_source.execute("ALTER PUBLICATION envsync SET TABLES IN SCHEMA public", "prod"));
        QCOMPARE(publishedSchemas(), std::string("public"));
        auto fixed = initCdc(m_config);
        QVERIFY2(fixed.has_value(), fixed ? "" : describe(fixed.error()));
        QVERIFY(fixed->publicationChanged);
        QCOMPARE(publishedSchemas(), std::string("Sales,public"));
    }

    void configuredSchemasMustExist()
    {
        envsync::config::Config config = m_config;
        config.cdc.schemas = {"public", "nope"};
        auto refused = initCdc(config);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Config);
        QVERIFY2(refused.error().message.find("\"nope\" does not exist") != std::string::npos,
                 describe(refused.error()));
        QCOMPARE(publishedSchemas(), std::string("Sales,public"));
    }

    void statusShowsSlotAndRetainedWal()
    {
        QVERIFY(m_source.execute("INSERT INTO public.customers SELECT g, 'n' || g"
                                 " FROM generate_series(1, 2000) g",
                                 "prod"));
        auto status = sourceCdcStatus(m_config);
        QVERIFY2(status.has_value(), status ? "" : describe(status.error()));
        QVERIFY(status->slotExists);
        QVERIFY(!status->slotActive);
        QVERIFY(status->restartLsn != 0);
        QVERIFY(status->currentWalLsn > status->restartLsn);
        QCOMPARE(status->retainedWalBytes,
                 static_cast<std::int64_t>(status->currentWalLsn - status->restartLsn));
        QVERIFY(!status->retainedWalExceeded); // default 10 GB
        envsync::config::Config small = m_config;
        small.cdc.maxRetainedWal = 1024;
        auto warned = sourceCdcStatus(small);
        QVERIFY(warned.has_value());
        QVERIFY(warned->retainedWalExceeded);
    }

    void refusesSlotOrPublicationItDidNotCreate()
    {
        QVERIFY(!m_source.queryValue("SELECT slot_name FROM pg_create_logical_replication_slot("
                                     "'theirs', 'test_decoding')",
                                     "prod")
                         .empty());
        QVERIFY(m_source.execute("CREATE PUBLICATION theirs_pub FOR TABLE public.customers",
                                 "prod"));
        envsync::config::Config other = m_config;
        other.cdc.slot = "theirs";
        auto refused = initCdc(other);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Refused);
        QVERIFY2(refused.error().message.find("slot envsync and publication envsync")
                         != std::string::npos,
                 describe(refused.error())); // the estate already has its own
    }

    void dropLeavesNothingButForeignObjects()
    {
        // a consumer streams from the slot (as `cdc run` would): drop ends its walsender
        QProcess consumer;
        consumer.start(QString::fromStdString(
                               (envsync::demo::LocalCluster::binDir() / "pg_recvlogical").string()),
                       {QStringLiteral("-d"), QString::fromStdString(m_source.dsn("prod")),
                        QStringLiteral("--slot"), QStringLiteral("envsync"),
                        QStringLiteral("--start"), QStringLiteral("-o"),
                        QStringLiteral("proto_version=1"), QStringLiteral("-o"),
                        QStringLiteral("publication_names=envsync"), QStringLiteral("-f"),
                        QStringLiteral("/dev/null"), QStringLiteral("--no-loop")});
        QVERIFY(consumer.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(m_source.queryValue("SELECT active FROM pg_replication_slots"
                                                      " WHERE slot_name = 'envsync'"),
                                  std::string("t"), 10000);

        auto dropped = dropCdc(m_config);
        QVERIFY2(dropped.has_value(), dropped ? "" : describe(dropped.error()));
        QVERIFY(dropped->wasInitialised);
        QCOMPARE(dropped->walsendersTerminated, 1);
        QVERIFY(dropped->slotDropped);
        QVERIFY(dropped->publicationDropped);
        QCOMPARE(m_source.queryValue("SELECT string_agg(slot_name, ',') FROM pg_replication_slots"),
                 std::string("theirs"));
        QCOMPARE(m_source.queryValue("SELECT string_agg(pubname, ',') FROM pg_publication", "prod"),
                 std::string("theirs_pub"));
        QCOMPARE(m_golden.queryValue("SELECT count(*) FROM envsync.cdc_estate", "envsync_control"),
                 std::string("0"));

        // not initialised: a drop touches nothing, whatever the config names
        envsync::config::Config other = m_config;
        other.cdc.slot = "theirs";
        other.cdc.publication = "theirs_pub";
        auto nothing = dropCdc(other);
        QVERIFY2(nothing.has_value(), nothing ? "" : describe(nothing.error()));
        QVERIFY(!nothing->wasInitialised);
        QCOMPARE(slotCount(), std::string("1"));
        // and init will not adopt a foreign slot of the configured name
        auto refused = initCdc(other);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Refused);
        QVERIFY2(refused.error().message.find("EnvSync did not create") != std::string::npos,
                 describe(refused.error()));
        QCOMPARE(m_golden.queryValue("SELECT count(*) FROM envsync.cdc_estate", "envsync_control"),
                 std::string("0"));
    }

    void refusesWalLevelReplica()
    {
        // a logical slot keeps a server with wal_level=replica from starting
        (void)m_source.queryValue("SELECT pg_drop_replication_slot('theirs')");
        QCOMPARE(slotCount(), std::string("0"));
        QVERIFY(m_source.execute("ALTER SYSTEM SET wal_level = replica"));
        QVERIFY(m_source.restart());
        QCOMPARE(m_source.queryValue("SHOW wal_level"), std::string("replica"));
        auto refused = initCdc(m_config);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, ErrorCode::Refused);
        QVERIFY2(refused.error().message.find("wal_level is replica") != std::string::npos,
                 describe(refused.error()));
        QCOMPARE(slotCount(), std::string("0"));
    }

private:
    std::string slotCount()
    {
        return m_source.queryValue("SELECT count(*) FROM pg_replication_slots");
    }

    std::string publishedSchemas()
    {
        return m_source.queryValue(
                "SELECT string_agg(n.nspname, ',' ORDER BY n.nspname COLLATE \"C\")"
                " FROM pg_publication_namespace pn"
                " JOIN pg_namespace n ON n.oid = pn.pnnspid"
                " JOIN pg_publication p ON p.oid = pn.pnpubid"
                " WHERE p.pubname = 'envsync'",
                "prod");
    }

    envsync::test::TestCluster m_source;
    envsync::test::TestCluster m_golden;
    envsync::config::Config m_config;
};

QTEST_GUILESS_MAIN(TestCdcSetup)
#include "tst_cdcsetup.moc"
