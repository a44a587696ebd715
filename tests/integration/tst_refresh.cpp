// Refresh, rollback and ephemeral environments on a demo estate of their own (they create
// snapshots and replace region databases, which would change the shared fixture).
#include "regionreader.h"
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/db/dsn.h"
#include "core/demo/demo.h"
#include "core/env/environments.h"
#include "core/refresh/refresh.h"
#include "core/refresh/refreshlocks.h"
#include "core/snapshot/snapshot.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <algorithm>

#include <pqxx/pqxx>

#include <unistd.h>

namespace {

std::string scalar(const std::string &dsn, const std::string &sql)
{
    try {
        pqxx::connection conn(dsn);
        pqxx::nontransaction tx(conn);
        const pqxx::result r = tx.exec(sql);
        return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    } catch (const std::exception &e) {
        return std::string("<error: ") + e.what() + ">";
    }
}

std::string withDb(const std::string &dsn, const std::string &db)
{
    return envsync::db::Dsn::parse(dsn)->with("dbname", db).toConnectionString();
}

} // namespace

class TestRefresh : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_refresh-salt-0123456789");
        m_dir = "/tmp/envsync-refresh-" + std::to_string(::getpid());
        (void)envsync::demo::down(m_dir);
        auto state = envsync::demo::up({m_dir, 300});
        QVERIFY2(state.has_value(), state ? "" : state.error().describe().c_str());
        m_configPath = QString::fromStdString(state->configPath.string());
        auto config = envsync::config::loadConfigFile(state->configPath.string());
        QVERIFY(config.has_value());
        m_config = *config;
        auto created = envsync::snapshot::createSnapshot(m_config, {});
        QVERIFY2(created.has_value(), created ? "" : created.error().describe().c_str());
        m_eu = m_config.findRegion("eu")->dsn;
        m_up = true;
    }

    void cleanupTestCase()
    {
        if (m_up)
            (void)envsync::demo::down(m_dir);
    }

    void refusesOutsideTheWindow()
    {
        // The demo's windows are weekly: a Tuesday 12:00 UTC is outside eu's Monday window.
        envsync::refresh::RefreshOptions options;
        options.region = "eu";
        options.now = QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);
        auto result = envsync::refresh::refreshRegion(m_config, options);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, envsync::ErrorCode::Refused);
        QCOMPARE(result.error().refusal, envsync::Refusal::OutsideWindow);
        QVERIFY2(result.error().message.find("window") != std::string::npos,
                 result.error().message.c_str());
        // Core says what happened; each front end says how to override it in its own terms.
        QVERIFY2(result.error().message.find("--") == std::string::npos,
                 result.error().message.c_str());
        options.forceOutsideWindow = true; // without a reason: a usage error
        result = envsync::refresh::refreshRegion(m_config, options);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, envsync::ErrorCode::Usage);
        QCOMPARE(result.error().refusal, envsync::Refusal::OverrideWithoutReason);
        QVERIFY2(result.error().message.find("--") == std::string::npos,
                 result.error().message.c_str());
    }

    /// The command line words the window refusal with its own flags (exit 4), and the
    /// override without a reason as a usage error (exit 2). The real clock: of us and apac
    /// (weekly windows on different days) at least one is closed now.
    void cliWordsTheWindowRefusal()
    {
        for (const QString &region : {QStringLiteral("apac"), QStringLiteral("us")}) {
            const QStringList base{QStringLiteral("refresh"), QStringLiteral("-c"), m_configPath,
                                   QStringLiteral("--region"), region};
            const auto plan
                    = cli(base
                          + QStringList{QStringLiteral("--dry-run"), QStringLiteral("--format"),
                                        QStringLiteral("json")});
            QVERIFY2(plan.exitCode == 0, qPrintable(plan.err));
            if (plan.out.contains("\"inside_window\": true"))
                continue;
            const auto refused = cli(base);
            QCOMPARE(refused.exitCode, 4);
            QVERIFY2(refused.err.contains(u"outside the region's refresh window")
                             && refused.err.contains(u"pass --force-outside-window --reason TEXT"),
                     qPrintable(refused.err));
            QCOMPARE(refused.err.count(u'\n'), 1); // one line
            const auto noReason = cli(base + QStringList{QStringLiteral("--force-outside-window")});
            QCOMPARE(noReason.exitCode, 2);
            QVERIFY2(noReason.err.contains(u"--force-outside-window needs --reason TEXT"),
                     qPrintable(noReason.err));
            return;
        }
        QFAIL("neither us nor apac is outside its window now");
    }

    void refusesAnUnmarkedDatabase()
    {
        const std::string admin = withDb(m_eu, "postgres");
        QCOMPARE(scalar(admin, "ALTER DATABASE shop RESET envsync.region"), std::string());
        const auto run = refreshCli({});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(QStringLiteral("no EnvSync marker")), qPrintable(run.err));
        QCOMPARE(scalar(admin, "ALTER DATABASE shop SET envsync.region = 'eu'"), std::string());
    }

    void refreshSwapsInTheSnapshot()
    {
        QCOMPARE(scalar(m_eu, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 std::string("1")); // eu's injected drift
        const std::string before = scalar(m_eu, "SELECT count(*) FROM customers");
        const auto run = refreshCli({});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(scalar(m_eu, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 std::string("0")); // the golden schema is live now
        const std::string golden = withDb(m_config.golden.dsn, "golden_v1");
        QCOMPARE(scalar(m_eu, "SELECT count(*) FROM orders"), scalar(golden, "SELECT count(*) FROM orders"));
        QCOMPARE(scalar(m_eu, "SELECT string_agg(email, ',' ORDER BY id) FROM customers"),
                 scalar(golden, "SELECT string_agg(email, ',' ORDER BY id) FROM customers"));
        QCOMPARE(scalar(withDb(m_eu, "shop__envsync_prev"), "SELECT count(*) FROM customers"), before);
        QCOMPARE(scalar(control(), "SELECT result || ' ' || snapshot FROM envsync.refresh_log"
                                   " WHERE region = 'eu' ORDER BY id DESC LIMIT 1"),
                 std::string("success golden_v1"));
    }

    /// golden_v1 was taken at a slot-consistent point (the demo source has wal_level=logical):
    /// the refreshed region's CDC position is that point, so streaming resumes exactly there.
    void refreshedRegionCarriesTheSnapshotsCdcPosition()
    {
        const std::string cdcLsn = scalar(control(), "SELECT cdc_lsn::text FROM envsync.snapshots"
                                                     " WHERE name = 'golden_v1'");
        QVERIFY2(!cdcLsn.empty() && cdcLsn.find("error") == std::string::npos, cdcLsn.c_str());
        QCOMPARE(
                scalar(m_eu, "SELECT applied_lsn::text || ' ' || origin FROM _envsync.cdc_applied"),
                cdcLsn + " golden_v1");
        // the golden snapshot itself carries no position: only the refreshed region does
        QCOMPARE(scalar(withDb(m_config.golden.dsn, "golden_v1"),
                        "SELECT to_regclass('_envsync.cdc_applied') IS NULL"),
                 std::string("t"));
    }

    void rollbackSwapsBackAndForth()
    {
        auto run = cli({QStringLiteral("rollback"), QStringLiteral("-c"), m_configPath,
                        QStringLiteral("--region"), QStringLiteral("eu")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(scalar(m_eu, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 std::string("1"));
        QCOMPARE(scalar(control(), "SELECT result FROM envsync.refresh_log WHERE region = 'eu'"
                                   " AND snapshot = 'golden_v1' ORDER BY id DESC LIMIT 1"),
                 std::string("rolled_back"));
        run = cli({QStringLiteral("rollback"), QStringLiteral("-c"), m_configPath,
                   QStringLiteral("--region"), QStringLiteral("eu")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(scalar(m_eu, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 std::string("0"));
        QCOMPARE(scalar(control(), "SELECT result FROM envsync.refresh_log WHERE region = 'eu'"
                                   " AND snapshot = 'golden_v1' ORDER BY id DESC LIMIT 1"),
                 std::string("success"));
    }

    /// A rollback cancelled before its swap leaves both databases where they were.
    void cancelledRollbackChangesNothing()
    {
        const std::string before
                = scalar(m_eu, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'");
        envsync::refresh::RefreshOptions options;
        options.region = "eu";
        options.cancel = std::make_shared<envsync::job::CancelToken>();
        options.cancel->cancel();
        const auto result = envsync::refresh::rollbackRegion(m_config, options);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, envsync::ErrorCode::Cancelled);
        QCOMPARE(scalar(m_eu, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 before);
    }

    /// Hooks are SQL a DBA writes: a `SELECT setval(…)` or a check that returns rows is as
    /// valid a hook as a DDL statement, and its rows are ignored.
    void hooksMayReturnRows()
    {
        envsync::config::Config config = m_config;
        const auto euIt = std::ranges::find_if(config.regions,
                                               [](const auto &region) { return region.name == "eu"; });
        QVERIFY(euIt != config.regions.end());
        auto &eu = *euIt;
        eu.hooks.pre = {"SELECT 1", "SELECT count(*) FROM customers"};
        eu.hooks.post = {"CREATE TABLE hook_ran AS SELECT count(*) AS customers FROM customers"};
        envsync::refresh::RefreshOptions options;
        options.region = "eu";
        options.forceOutsideWindow = true;
        options.reason = "tst_refresh: hooks that return rows";
        const auto result = envsync::refresh::refreshRegion(config, options);
        QVERIFY2(result.has_value(), result ? "" : result.error().describe().c_str());
        QCOMPARE(scalar(m_eu, "SELECT customers FROM hook_ran"),
                 scalar(m_eu, "SELECT count(*) FROM customers"));
    }

    void secondRefreshIsRefusedWhileOneRuns()
    {
        auto control = envsync::db::ControlDb::open(m_config, {});
        QVERIFY(control.has_value());
        envsync::refresh::RefreshLocks locks(std::move(*control));
        QVERIFY(locks.lockRegion("eu").has_value());
        const auto run = refreshCli({});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.err.contains(QStringLiteral("already running")), qPrintable(run.err));
    }

    void killedRefreshLeavesOldOrNewData_data()
    {
        QTest::addColumn<QString>("point");
        for (const char *point : {"start", "locked", "cleaned", "logged-running", "next-created",
                                  "copy-schema", "copy-data", "copy-indexes", "copy-constraints",
                                  "copy-sequences", "copy-done", "next-built", "hooks-pre",
                                  "preserved", "hooks-post", "marked", "prev-dropped",
                                  "swap-closed", "swap-before-commit", "swap-committed",
                                  "logged-success"})
            QTest::newRow(point) << QString::fromLatin1(point);
    }

    void killedRefreshLeavesOldOrNewData()
    {
        QFETCH(QString, point);
        const std::string invariant = "SELECT (SELECT count(*) FROM orders) || '/' ||"
                                      " (SELECT count(*) FROM order_items)";
        const std::string before = scalar(m_eu, invariant);
        const auto killed = refreshCli({}, point);
        QVERIFY2(killed.exitCode != 0, qPrintable(point));
        // Whatever the point, the region is one whole database with consistent data. Killed
        // between closing it and the rename, it stays closed (intact) until the next run.
        const bool closed = scalar(withDb(m_eu, "postgres"),
                                   "SELECT NOT datallowconn FROM pg_database WHERE datname = 'shop'")
                == "t";
        QCOMPARE(closed, point == QLatin1String("swap-closed")
                                 || point == QLatin1String("swap-before-commit"));
        if (!closed)
            QCOMPARE(scalar(m_eu, invariant), before); // golden_v1 and the live data agree
        const auto next = refreshCli({});
        QVERIFY2(next.exitCode == 0, qPrintable(next.err));
        QCOMPARE(scalar(m_eu, invariant), before);
        QCOMPARE(scalar(withDb(m_eu, "postgres"),
                        "SELECT count(*) FROM pg_database WHERE datname = 'shop__envsync_next'"),
                 std::string("0"));
        QCOMPARE(scalar(control(), "SELECT count(*) FROM envsync.refresh_log WHERE result = 'running'"),
                 std::string("0"));
    }

    void readersNeverSeeMixedData()
    {
        // Make the live data differ from golden_v1 in both tables at once (ON DELETE CASCADE):
        // a reader could then only see the old pair or the new pair, never a mix.
        const std::string invariant = "SELECT (SELECT count(*) FROM orders) || '/' ||"
                                      " (SELECT count(*) FROM order_items)";
        QCOMPARE(scalar(m_eu, "DELETE FROM orders o WHERE o.id IN (SELECT id FROM orders"
                              " WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)"
                              " AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)"
                              " ORDER BY id LIMIT 25)"),
                 std::string());
        const std::string oldPair = scalar(m_eu, invariant);
        const std::string newPair = scalar(withDb(m_config.golden.dsn, "golden_v1"), invariant);
        QVERIFY2(oldPair != newPair, oldPair.c_str());

        envsync::test::RegionReader reader(m_eu, invariant);
        reader.start();
        QTest::qWait(300);
        const auto run = refreshCli({});
        QTest::qWait(300);
        reader.stop();
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto sequence = reader.valueSequence();
        QCOMPARE(sequence, (std::vector<std::string>{oldPair, newPair}));
        QVERIFY(reader.changedAtMostOnce());
        QVERIFY(reader.successfulReads() > 20);
        qInfo("readers: %d reads, %zu samples; longest outage during the swap %.1f ms",
              reader.successfulReads(), reader.samples().size(), reader.longestOutageMs());
        QVERIFY2(reader.longestOutageMs() < 5000, "the swap kept clients out for seconds");
    }

    void fiftyConcurrentAttemptsExactlyOneRuns()
    {
        // Hold every golden read slot: the attempt that wins the region lock then waits, visibly
        // queued, while the 49 others must be refused — no timing luck involved.
        std::vector<std::unique_ptr<envsync::refresh::RefreshLocks>> slotHolders;
        for (int i = 0; i < m_config.golden.maxParallelRefreshes; ++i) {
            auto control = envsync::db::ControlDb::open(m_config, {});
            QVERIFY(control.has_value());
            slotHolders.push_back(std::make_unique<envsync::refresh::RefreshLocks>(std::move(*control)));
            QVERIFY(slotHolders.back()->acquireGoldenSlot(m_config.golden.maxParallelRefreshes,
                                                          std::make_shared<envsync::job::CancelToken>(),
                                                          {}));
        }
        const std::string logBefore = scalar(control(), "SELECT count(*) FROM envsync.refresh_log");
        std::vector<std::unique_ptr<QProcess>> attempts;
        for (int i = 0; i < 50; ++i) {
            auto process = std::make_unique<QProcess>();
            process->start(QString::fromStdString(envsync::test::cliPath()),
                           {QStringLiteral("refresh"), QStringLiteral("-c"), m_configPath,
                            QStringLiteral("--region"), QStringLiteral("eu"),
                            QStringLiteral("--force-outside-window"), QStringLiteral("--reason"),
                            QStringLiteral("concurrency test")});
            attempts.push_back(std::move(process));
        }
        auto finished = [&] {
            return static_cast<int>(std::count_if(attempts.begin(), attempts.end(), [](const auto &p) {
                return p->state() == QProcess::NotRunning;
            }));
        };
        QTRY_COMPARE_WITH_TIMEOUT(finished(), 49, 120000);
        QTest::qWait(500); // the winner keeps waiting for a slot, it does not finish by itself
        QCOMPARE(finished(), 49);
        QProcess *winner = nullptr;
        for (const auto &process : attempts) {
            if (process->state() != QProcess::NotRunning) {
                winner = process.get();
                continue;
            }
            QCOMPARE(process->exitCode(), 4);
            const QString err = QString::fromUtf8(process->readAllStandardError());
            QVERIFY2(err.contains(QStringLiteral("already running")), qPrintable(err));
        }
        QVERIFY(winner);
        QString winnerErr;
        QTRY_VERIFY_WITH_TIMEOUT((winnerErr += QString::fromUtf8(winner->readAllStandardError()))
                                         .contains(QStringLiteral("queued")),
                                 10000);
        QCOMPARE(scalar(control(), "SELECT count(*) FROM envsync.refresh_log"), logBefore); // not started
        slotHolders.clear(); // capacity frees up: the queued refresh proceeds
        QVERIFY(winner->waitForFinished(120000));
        winnerErr += QString::fromUtf8(winner->readAllStandardError());
        QVERIFY2(winner->exitCode() == 0, qPrintable(winnerErr));
        QCOMPARE(scalar(control(), "SELECT count(*) - " + logBefore + " FROM envsync.refresh_log"),
                 std::string("1"));
    }

    void environmentsCloneAndExpire()
    {
        auto run = cli({QStringLiteral("env"), QStringLiteral("create"), QStringLiteral("-c"),
                        m_configPath, QStringLiteral("pr-42"), QStringLiteral("--ttl"),
                        QStringLiteral("1h"), QStringLiteral("--owner"), QStringLiteral("alice")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(scalar(withDb(m_config.golden.dsn, "pr-42"), "SELECT count(*) > 0 FROM customers"),
                 std::string("t"));
        run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("-c"), m_configPath});
        QVERIFY(run.out.contains("pr-42") && run.out.contains("alice"));
        QVERIFY(!envsync::env::createEnvironment(m_config, {"golden_v1", {}, std::chrono::hours(1), {}, {}}));
        const auto again = envsync::env::createEnvironment(m_config, {"pr-42", {}, std::chrono::hours(1), {}, {}});
        QVERIFY(!again);
        QCOMPARE(again.error().code, envsync::ErrorCode::Usage);
        QVERIFY2(again.error().message.find("already exists") != std::string::npos,
                 again.error().message.c_str());
        auto none = envsync::env::collectExpired(m_config, QDateTime::currentDateTimeUtc());
        QVERIFY(none.has_value() && none->dropped.empty() && none->refused.empty());
        auto gone = envsync::env::collectExpired(m_config, QDateTime::currentDateTimeUtc().addSecs(7200));
        QVERIFY(gone.has_value());
        QCOMPARE(gone->dropped.size(), std::size_t(1));
        QCOMPARE(scalar(withDb(m_config.golden.dsn, "postgres"),
                        "SELECT count(*) FROM pg_database WHERE datname = 'pr-42'"),
                 std::string("0"));
        run = cli({QStringLiteral("env"), QStringLiteral("drop"), QStringLiteral("-c"),
                   m_configPath, QStringLiteral("golden_v1")});
        QCOMPARE(run.exitCode, 2); // never a database that is not an environment
    }

private:
    envsync::test::CliRun cli(const QStringList &args, const QString &fault = {})
    {
        if (fault.isEmpty())
            qunsetenv("ENVSYNC_FAULT");
        else
            qputenv("ENVSYNC_FAULT", fault.toUtf8());
        auto run = envsync::test::runCli(args);
        qunsetenv("ENVSYNC_FAULT");
        return run;
    }

    envsync::test::CliRun refreshCli(const QStringList &extra, const QString &fault = {})
    {
        return cli(QStringList{QStringLiteral("refresh"), QStringLiteral("-c"), m_configPath,
                               QStringLiteral("--region"), QStringLiteral("eu"),
                               QStringLiteral("--force-outside-window"), QStringLiteral("--reason"),
                               QStringLiteral("test")}
                           + extra,
                   fault);
    }

    std::string control() const { return withDb(m_config.golden.dsn, "envsync_control"); }

    std::string m_dir;
    QString m_configPath;
    envsync::config::Config m_config;
    std::string m_eu;
    bool m_up = false;
};

QTEST_GUILESS_MAIN(TestRefresh)
#include "tst_refresh.moc"
