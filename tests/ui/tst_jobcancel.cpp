// Cancel really cancels (issue 17, bug 3, in the console): a drift check whose read of a
// region waits on that server (another session holds a view of it locked, so reading the
// view's definition blocks) is cancelled from the Schema Drift tab, or superseded by the
// config being opened again. Within 2 s no EnvSync backend is left on the region's cluster:
// the tracker cancelled the job's token and the core cancelled the query in flight.

#include "owndemoestate.h"
#include "uitestsettings.h"

#include "core/db/threadguard.h"
#include "ui/drift/driftcontroller.h"
#include "ui/drift/driftview.h"

#include <QAction>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <pqxx/pqxx>

#include <functional>

using namespace envsync;
using namespace envsync::ui;
using envsync::test::OwnDemoEstate;

namespace {

constexpr int waitMs = 60000;

/// EnvSync's sessions on the cluster behind `dsn` (every database), optionally only those
/// waiting for a lock.
int envsyncBackends(const std::string &dsn, bool waitingOnLock = false)
{
    const std::string sql = std::string("SELECT count(*) FROM pg_stat_activity "
                                        "WHERE application_name LIKE 'envsync%'")
                            + (waitingOnLock ? " AND wait_event_type = 'Lock'" : "");
    const std::string count = OwnDemoEstate::scalar(OwnDemoEstate::on(dsn, "postgres"), sql);
    bool ok = false;
    const int value = QString::fromStdString(count).toInt(&ok);
    return ok ? value : -1;
}

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QTest::qWait(50);
    }
    return true;
}

} // namespace

class TestJobCancel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_jobcancel"));
        const std::string started = m_estate.start(100, false);
        QVERIFY2(started.empty(), started.c_str());
        m_euDsn = m_estate.config()->findRegion("eu")->dsn;
        QCOMPARE(OwnDemoEstate::scalar(m_euDsn, "CREATE VIEW public.envsync_locked_view AS "
                                                "SELECT 1 AS one"),
                 std::string("<null>"));
        db::registerGuiThread();
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void cancelStopsTheServerWork_data()
    {
        QTest::addColumn<bool>("byReload");
        QTest::newRow("Cancel") << false;
        QTest::newRow("config opened again") << true;
    }

    void cancelStopsTheServerWork()
    {
        QFETCH(bool, byReload);
        DriftView view;
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // Another session holds the view: the drift check's catalog read of eu waits on it.
        // Declared after the view, so a failed check releases the lock before the view waits
        // for its worker.
        pqxx::connection locker(m_euDsn);
        pqxx::work lock(locker);
        lock.exec0("LOCK TABLE public.envsync_locked_view IN ACCESS EXCLUSIVE MODE");
        view.setConfig(m_estate.config());
        view.setReference(drift::Reference::Source);
        QSignalSpy finished(view.controller(), &DriftController::checkFinished);
        QSignalSpy failed(view.controller(), &DriftController::checkFailed);
        view.recheck();
        QVERIFY(waitFor([&] { return view.controller()->isRunning(); }, waitMs));
        QVERIFY2(waitFor([&] { return envsyncBackends(m_euDsn, true) > 0; }, waitMs),
                 "the drift check never waited on eu's lock");
        QVERIFY(view.cancelAction()->isEnabled());

        if (byReload)
            view.setConfig(m_estate.config()); // what opening the same config again does
        else
            view.cancelAction()->trigger();
        QVERIFY(!view.controller()->isRunning());

        QTest::qWait(2000);
        QCOMPARE(envsyncBackends(m_euDsn), 0);
        QCOMPARE(finished.count(), 0); // the cancelled check reports nothing
        QCOMPARE(failed.count(), 0);
        lock.abort();
    }

private:
    QTemporaryDir m_settingsDir;
    OwnDemoEstate m_estate{"tst_jobcancel"};
    std::string m_euDsn;
};

QTEST_MAIN(TestJobCancel)
#include "tst_jobcancel.moc"
