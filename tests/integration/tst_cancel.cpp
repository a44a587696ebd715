// Cancel stops the server's work, not only EnvSync's waiting (issue 17, bug 3): a job whose
// statement is stuck on the server returns Cancelled within about a second of cancel(), as a
// controller's Cancel button calls it, and its sessions leave pg_stat_activity.
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/db/connection.h"
#include "core/drift/catalogreader.h"
#include "core/drift/driftcheck.h"
#include "core/job/canceltoken.h"
#include "core/masking/maskpreview.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <pqxx/pqxx>

#include <atomic>
#include <memory>
#include <string>

using envsync::ErrorCode;
using envsync::job::CancelToken;

namespace {

constexpr const char *envsyncSessions
        = "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'envsync%'";
constexpr const char *envsyncLockWaits
        = "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'envsync%'"
          " AND wait_event_type = 'Lock'";

/// Holds an ACCESS EXCLUSIVE lock on `table` in `database` until released: statements that
/// read it wait on the server, as on a busy production database.
class TableLock
{
public:
    TableLock(const std::string &dsn, const std::string &table)
        : m_connection(dsn)
        , m_tx(std::make_unique<pqxx::work>(m_connection))
    {
        m_tx->exec0("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }
    ~TableLock() { release(); }
    TableLock(const TableLock &) = delete;
    TableLock &operator=(const TableLock &) = delete;

    void release()
    {
        if (m_tx) {
            m_tx->abort();
            m_tx.reset();
        }
    }

private:
    pqxx::connection m_connection;
    std::unique_ptr<pqxx::work> m_tx;
};

/// Waits (up to 10 s) until an EnvSync session waits on a lock; false if none ever does.
bool waitForLockWait(const envsync::test::TestCluster &cluster)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000) {
        if (cluster.queryValue(envsyncLockWaits) == "1")
            return true;
        QTest::qWait(20);
    }
    return false;
}

/// Waits up to `ms` for the future; returns how long it took (ms, or -1 when still running).
template<typename T> qint64 waitFor(const QFuture<T> &future, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!future.isFinished() && timer.elapsed() < ms)
        QTest::qWait(5);
    return future.isFinished() ? timer.elapsed() : -1;
}

/// Waits up to `ms` until no EnvSync session is left on the cluster.
bool sessionsGone(const envsync::test::TestCluster &cluster, int ms)
{
    QElapsedTimer timer;
    timer.start();
    do {
        if (cluster.queryValue(envsyncSessions) == "0")
            return true;
        QTest::qWait(20);
    } while (timer.elapsed() < ms);
    return false;
}

} // namespace

class TestCancel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_cluster.ok());
        for (const char *database : {"src", "eu"}) {
            QVERIFY(m_cluster.execute(std::string("CREATE DATABASE ") + database));
            QVERIFY(m_cluster.execute("CREATE TABLE customers (id int PRIMARY KEY, email text);"
                                      "INSERT INTO customers SELECT g, 'c' || g || '@x.org'"
                                      " FROM generate_series(1, 100) g",
                                      database));
        }
        // No snapshot exists on "golden": drift compares the region with the source.
        const std::string yaml
                = "version: 1\nsource: { name: prod, dsn: \"" + m_cluster.dsn("src")
                  + "\" }\ngolden: { dsn: \"" + m_cluster.dsn("postgres")
                  + "\" }\nregions:\n  - name: eu\n    dsn: \"" + m_cluster.dsn("eu")
                  + "\"\n    timezone: Europe/Berlin\n"
                    "masking:\n  salt: { env: ENVSYNC_TEST_CANCEL_SALT }\n"
                    "  rules:\n    - { column: public.customers.email, transform: email }\n"
                    "  keep: [public.customers.id]\n";
        auto config = envsync::config::parseConfig(yaml, "tst_cancel.yaml");
        if (!config)
            QFAIL(config.error().front().format().c_str());
        m_config = std::make_shared<const envsync::config::Config>(*config);
    }

    void driftCheckCancelStopsTheCatalogRead()
    {
        // The region's catalog read waits on a lock until it is cancelled on the server.
        TableLock lock(m_cluster.dsn("eu"), "pg_catalog.pg_policy");
        auto token = std::make_shared<CancelToken>();
        QFuture<envsync::Result<envsync::drift::DriftReport>> future
                = QtConcurrent::run([config = m_config, token] {
                      return envsync::drift::checkDrift(*config, envsync::drift::DriftRequest{}, {},
                                                        token);
                  });
        QVERIFY2(waitForLockWait(m_cluster), "the drift check never reached the locked catalog");

        token->cancel();
        const qint64 took = waitFor(future, 3000);
        lock.release(); // lets a check that ignored the cancel finish, so the test ends
        future.waitForFinished();
        QVERIFY2(took >= 0 && took < 1000,
                 qPrintable(QStringLiteral("checkDrift returned %1 ms after cancel()").arg(took)));
        const auto result = future.result();
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QVERIFY2(sessionsGone(m_cluster, 2000), "an EnvSync session outlived the cancel by 2 s");
    }

    void maskingPreviewCancelStopsTheSampleQuery()
    {
        qputenv("ENVSYNC_TEST_CANCEL_SALT", "a-test-salt");
        auto token = std::make_shared<CancelToken>();
        std::unique_ptr<TableLock> lock;
        auto schemaRead = std::make_shared<std::atomic<bool>>(false);
        auto locked = std::make_shared<std::atomic<bool>>(false);
        // As the masking view's controller does: connect, read the schema, preview.
        QFuture<envsync::Result<envsync::masking::MaskPreview>> future
                = QtConcurrent::run([config = m_config, token, schemaRead,
                                     locked]() -> envsync::Result<envsync::masking::MaskPreview> {
                      auto source = envsync::db::connect(config->source.dsn, {}, "source");
                      if (!source)
                          return std::unexpected(source.error());
                      envsync::drift::CatalogOptions options;
                      options.cancel = token;
                      auto schema = envsync::drift::readCatalog(**source, options);
                      if (!schema)
                          return std::unexpected(schema.error());
                      schemaRead->store(true);
                      // the test locks the table now; wait until it holds the lock
                      for (int i = 0; i < 1000 && !locked->load(); ++i)
                          QThread::msleep(10);
                      return envsync::masking::previewMasking(**source, config->masking, *schema,
                                                              {}, token);
                  });
        QTRY_VERIFY_WITH_TIMEOUT(schemaRead->load(), 10000);
        lock = std::make_unique<TableLock>(m_cluster.dsn("src"), "public.customers");
        locked->store(true);
        QVERIFY2(waitForLockWait(m_cluster), "the preview never reached the locked table");

        token->cancel();
        const qint64 took = waitFor(future, 3000);
        lock->release();
        future.waitForFinished();
        QVERIFY2(took >= 0 && took < 1000,
                 qPrintable(
                         QStringLiteral("previewMasking returned %1 ms after cancel()").arg(took)));
        const auto result = future.result();
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QVERIFY2(sessionsGone(m_cluster, 2000), "an EnvSync session outlived the cancel by 2 s");
    }

private:
    envsync::test::TestCluster m_cluster;
    std::shared_ptr<const envsync::config::Config> m_config;
};

QTEST_GUILESS_MAIN(TestCancel)
#include "tst_cancel.moc"
