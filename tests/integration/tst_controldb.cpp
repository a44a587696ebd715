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
        for (const char *table : {"refresh_log", "audit_log", "snapshots", "schema_migrations"}) {
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

private:
    envsync::test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestControlDb)
#include "tst_controldb.moc"
