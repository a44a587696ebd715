#include "testsupport.h"

#include "core/db/controldb.h"

#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using envsync::db::ControlDb;
using envsync::db::RefreshRecord;

class TestControlDb : public QObject
{
    Q_OBJECT
private slots:
    void openExistingReportsAbsenceWithoutCreating()
    {
        auto control = ControlDb::openExisting(m_cluster.dsn(), {});
        QVERIFY2(control.has_value(), control ? "" : control.error().describe().c_str());
        QVERIFY(!control->has_value());
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM pg_database"
                                      " WHERE datname = 'envsync_control'"),
                 std::string("0"));
    }

    void firstUseCreatesDatabaseAndMigrates()
    {
        auto control = ControlDb::openUnguarded(m_cluster.dsn(), {});
        QVERIFY2(control.has_value(), control ? "" : control.error().describe().c_str());
        QCOMPARE(*control->appliedVersion(), ControlDb::schemaVersion);
        for (const char *table : {"refresh_log", "audit_log", "snapshots", "schema_migrations",
                                  "cdc_estate", "cdc_regions", "cdc_reader"}) {
            QCOMPARE(m_cluster.queryValue(std::string("SELECT to_regclass('envsync.") + table
                                                  + "') IS NOT NULL",
                                          "envsync_control"),
                     std::string("t"));
        }
    }

    void concurrentFirstUseIsSafe()
    {
        QVERIFY(m_cluster.execute("DROP DATABASE IF EXISTS envsync_control"));
        std::vector<QFuture<bool>> opens;
        for (int i = 0; i < 4; ++i) {
            opens.push_back(QtConcurrent::run([dsn = m_cluster.dsn()] {
                auto control = ControlDb::openUnguarded(dsn, {});
                if (!control)
                    qWarning("%s", control.error().describe().c_str());
                return control.has_value();
            }));
        }
        for (auto &open : opens)
            QVERIFY(open.result());
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM envsync.schema_migrations",
                                      "envsync_control"),
                 std::to_string(ControlDb::schemaVersion));
    }

    void lastSuccessfulRefreshPerRegion()
    {
        auto control = ControlDb::openUnguarded(m_cluster.dsn(), {});
        QVERIFY(control.has_value());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto record = [&](const char *region, int daysAgo, const char *result, const char *snap) {
            RefreshRecord r;
            r.region = region;
            r.snapshot = snap;
            r.finishedAt = now.addDays(-daysAgo);
            r.startedAt = r.finishedAt.addSecs(-60);
            r.sourceAsOf = r.startedAt.addSecs(-3600);
            r.result = result;
            r.actor = "tester";
            auto recorded = control->recordRefresh(r);
            QVERIFY2(recorded.has_value(), recorded ? "" : recorded.error().describe().c_str());
        };
        record("eu", 5, "success", "golden_v1");
        record("eu", 2, "success", "golden_v2");
        record("eu", 1, "failed", "golden_v3");
        record("us", 3, "success", "golden_v1");

        auto last = control->lastSuccessfulRefreshes();
        QVERIFY(last.has_value());
        QCOMPARE(last->size(), std::size_t(2));
        QCOMPARE(last->at("eu").snapshot, std::string("golden_v2"));
        QCOMPARE(last->at("us").snapshot, std::string("golden_v1"));
        // Round trip keeps the instant to the millisecond and in UTC.
        QCOMPARE(last->at("eu").finishedAt.toMSecsSinceEpoch(),
                 now.addDays(-2).toMSecsSinceEpoch());
        QCOMPARE(last->at("eu").sourceAsOf.timeSpec(), Qt::UTC);
    }

    void auditRecordsJsonDetail()
    {
        auto control = ControlDb::openUnguarded(m_cluster.dsn(), {});
        QVERIFY(control.has_value());
        QVERIFY(control->audit("tester", "refresh", "region eu", "success", R"({"rows": 42})"));
        QCOMPARE(m_cluster.queryValue("SELECT detail->>'rows' FROM envsync.audit_log"
                                      " WHERE actor = 'tester'",
                                      "envsync_control"),
                 std::string("42"));
        auto bad = control->audit("tester", "refresh", "region eu", "success", "{not json");
        QVERIFY(!bad.has_value());
        QVERIFY(bad.error().context.find("control database") != std::string::npos);
    }

    void snapshotKeepsItsCdcLsn()
    {
        auto control = ControlDb::openUnguarded(m_cluster.dsn(), {});
        QVERIFY(control.has_value());
        for (const std::string lsn : {"16/B374D848", ""}) {
            auto version = control->reserveSnapshotVersion("golden_v", "tester");
            QVERIFY(version.has_value());
            envsync::db::SnapshotRecord record;
            record.version = *version;
            record.name = "golden_v" + std::to_string(*version);
            record.createdBy = "tester";
            record.cdcLsn = lsn;
            QVERIFY(control->markSnapshotReady(record));
            auto rows = control->snapshots();
            QVERIFY(rows.has_value());
            const auto row
                    = std::ranges::find(*rows, *version, &envsync::db::SnapshotRecord::version);
            QVERIFY(row != rows->end());
            QCOMPARE(row->cdcLsn, lsn); // empty: NULL, a snapshot without a consistent point
        }
    }

    void cdcEstateRoundTripsHostileNames()
    {
        auto control = ControlDb::openUnguarded(m_cluster.dsn(), {});
        QVERIFY(control.has_value());
        auto none = control->cdcEstate();
        QVERIFY2(none.has_value(), none ? "" : none.error().describe().c_str());
        QVERIFY(!none->has_value());

        envsync::db::CdcEstate estate;
        estate.slot = "envsync";
        estate.publication = "envsync";
        estate.schemas = {"public", "Sales \"EU\"", "a,b}{c", "back\\slash", "zürich"};
        estate.sourceSystemId = "7312345678901234567";
        estate.createdBy = "tester";
        QVERIFY(control->writeCdcEstate(estate));
        estate.slot = "estate_2";
        QVERIFY(control->writeCdcEstate(estate)); // replaces the one row
        auto read = control->cdcEstate();
        QVERIFY(read.has_value() && read->has_value());
        QCOMPARE((*read)->slot, std::string("estate_2"));
        QCOMPARE((*read)->schemas, estate.schemas);
        QCOMPARE((*read)->sourceSystemId, estate.sourceSystemId);
        QVERIFY((*read)->createdAt.isValid());
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM envsync.cdc_estate", "envsync_control"),
                 std::string("1"));
    }

    void cdcRegionStatusKeepsPausedFlag()
    {
        auto control = ControlDb::openUnguarded(m_cluster.dsn(), {});
        QVERIFY(control.has_value());
        QVERIFY(control->setCdcRegionPaused("eu", true));
        envsync::db::CdcRegionState status;
        status.region = "eu";
        status.state = "streaming";
        status.appliedLsn = (std::uint64_t(0x16) << 32) | 0xB374D848u;
        status.lagBytes = 4096;
        status.lagSeconds = 1.5;
        status.changesPerSecond = 250;
        status.conflictsJson = R"({"public.orders": {"insert_exists": 2}})";
        QVERIFY(control->writeCdcRegionStatus(status));
        status.region = "us";
        status.appliedLsn = 0;
        status.conflictsJson.clear();
        QVERIFY(control->writeCdcRegionStatus(status));

        auto regions = control->cdcRegions();
        QVERIFY2(regions.has_value(), regions ? "" : regions.error().describe().c_str());
        QCOMPARE(regions->size(), std::size_t(2));
        const auto &eu = regions->at(0);
        QCOMPARE(eu.region, std::string("eu"));
        QVERIFY(eu.paused); // the runner's status write does not undo the user's pause
        QCOMPARE(eu.state, std::string("streaming"));
        QCOMPARE(envsync::cdc::formatLsn(eu.appliedLsn), std::string("16/B374D848"));
        QCOMPARE(eu.lagBytes, std::int64_t(4096));
        QCOMPARE(eu.lagSeconds, 1.5);
        QVERIFY(eu.conflictsJson.find("insert_exists") != std::string::npos);
        QVERIFY(eu.updatedAt.isValid());
        QCOMPARE(regions->at(1).appliedLsn, envsync::cdc::Lsn(0));
        QVERIFY(!regions->at(1).paused);
        QVERIFY(control->setCdcRegionPaused("eu", false));
        QVERIFY(!control->cdcRegions()->at(0).paused);

        envsync::db::CdcReaderState reader;
        reader.state = "streaming";
        reader.durableLsn = 0x2000;
        reader.confirmedLsn = 0x1000;
        QVERIFY(control->writeCdcReader(reader));
        reader.durableLsn = 0x3000;
        QVERIFY(control->writeCdcReader(reader));
        auto readBack = control->cdcReader();
        QVERIFY(readBack.has_value() && readBack->has_value());
        QCOMPARE((*readBack)->durableLsn, envsync::cdc::Lsn(0x3000));
        QCOMPARE((*readBack)->confirmedLsn, envsync::cdc::Lsn(0x1000));

        QVERIFY(control->deleteCdcState());
        QVERIFY(control->cdcRegions()->empty());
        QVERIFY(!control->cdcReader()->has_value());
        QVERIFY(!control->cdcEstate()->has_value());
    }

private:
    envsync::test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestControlDb)
#include "tst_controldb.moc"
