// A config change never cancels a running job, and closing the window while one runs asks
// first (issue 17, bug 1). The main window runs against its own demo estate with real jobs:
// eu's pre hook sleeps, so a refresh lasts long enough to save a calendar move meanwhile, and a
// throttled snapshot create lasts long enough to re-open the config or close the window.

#include "owndemoestate.h"
#include "refreshdialogwait.h"
#include "uitestsettings.h"

#include "core/db/threadguard.h"
#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendarview.h"
#include "ui/mainwindow.h"
#include "ui/refresh/refreshcontroller.h"
#include "ui/refresh/refreshdialog.h"
#include "ui/refresh/refreshview.h"
#include "ui/snapshots/snapshotcontroller.h"
#include "ui/snapshots/snapshotsview.h"
#include "ui/dashboard/statuscontroller.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <pqxx/pqxx>

using namespace envsync;
using namespace envsync::ui;
using envsync::test::OwnDemoEstate;

namespace {

constexpr int jobTimeoutMs = 120000;

/// eu's window is Mondays 02:00–05:00 Europe/Berlin (CET = UTC+1 in November).
const QDateTime insideEuWindow(QDate(2026, 11, 23), QTime(2, 30), Qt::UTC);

/// Databases on the golden cluster being built (raw libpqxx: the test thread is the
/// registered GUI thread, which EnvSync's db layer rightly refuses).
QStringList buildingDatabases(const OwnDemoEstate &estate)
{
    QStringList names;
    try {
        pqxx::connection conn(OwnDemoEstate::on(estate.config()->golden.dsn, "postgres"));
        pqxx::nontransaction tx(conn);
        for (const auto &row : tx.exec("SELECT datname FROM pg_database WHERE datname LIKE "
                                       "'%\\_\\_building' ORDER BY 1"))
            names << QString::fromStdString(row[0].as<std::string>());
    } catch (const std::exception &e) {
        names << QStringLiteral("<error: %1>").arg(QString::fromUtf8(e.what()));
    }
    return names;
}

} // namespace

class TestConfigJobs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_configjobs"));
        qputenv("ENVSYNC_MASK_SALT", "tst_configjobs-salt-0123456789");
        // Closing the window must not end the test's event loops.
        QApplication::setQuitOnLastWindowClosed(false);
        const std::string started = m_estate.start(500);
        QVERIFY2(started.empty(), started.c_str());
        // eu's refresh sleeps in its pre hook (after the copy): a config change lands meanwhile.
        QFile file(m_estate.configPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray yaml = file.readAll();
        file.close();
        const QByteArray eu = "  - name: eu\n";
        QVERIFY(yaml.contains(eu));
        const QByteArray hooks
                = "    hooks: { pre: [\"DO $$BEGIN PERFORM pg_sleep(6); END$$\"] }\n";
        yaml.replace(eu, QByteArray(eu + hooks));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(yaml), yaml.size());
        file.close();
        db::registerGuiThread();

        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy loaded(m_window->controller(), &StatusController::configLoaded);
        m_window->openConfig(m_estate.configPath());
        QVERIFY(loaded.wait(jobTimeoutMs));
        m_window->refreshView()->controller()->setNow(insideEuWindow);
        m_window->refreshView()->controller()->setJobs(1);
    }

    void init()
    {
        if (!m_window->isVisible()) {
            m_window->show();
            QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        }
    }

    void cleanupTestCase()
    {
        m_window.reset();
        db::unregisterGuiThread();
    }

    /// Saving a moved window in the Calendar tab re-opens the config: eu's running refresh
    /// goes on with the config it started with, ends well and shows it; the status bar says so.
    void calendarSaveKeepsRefreshRunning()
    {
        RefreshView *refresh = m_window->refreshView();
        RefreshController *controller = refresh->controller();
        refresh->setRegion(QStringLiteral("eu"));
        m_window->centralTabs()->setCurrentWidget(refresh);
        refresh->refreshAction()->trigger();
        RefreshDialog *dialog = envsync::uitest::waitForRefreshPlan(refresh, jobTimeoutMs);
        QVERIFY(dialog);
        QVERIFY2(dialog->refreshButton()->isEnabled(), qPrintable(dialog->statusLabel()->text()));
        QSignalSpy steps(controller, &RefreshController::refreshStep);
        QSignalSpy refreshed(controller, &RefreshController::refreshFinished);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(std::ranges::any_of(steps,
                                                     [](const QList<QVariant> &step) {
                                                         return step.first().toString().startsWith(
                                                                 u"copying");
                                                     }),
                                 jobTimeoutMs);
        QVERIFY(refreshed.isEmpty());

        // A moved us window saved from the Calendar tab: the file changes, the config reloads.
        QSignalSpy loaded(m_window->controller(), &StatusController::configLoaded);
        config::WindowConfig moved;
        moved.rrule = "FREQ=WEEKLY;BYDAY=FR";
        moved.startMinutes = 22 * 60;
        moved.duration = std::chrono::hours(2);
        QVERIFY(m_window->calendarView()->controller()->saveWindow(QStringLiteral("us"), moved));
        QVERIFY(loaded.wait(jobTimeoutMs));
        QVERIFY2(refreshed.isEmpty(), "the config reload ended the refresh");
        QVERIFY(controller->isRefreshing());
        QCOMPARE(refresh->region(), QStringLiteral("eu"));
        const QString note = m_window->statusBar()->currentMessage();
        QVERIFY2(note.contains(u"Configuration reloaded; the running refresh of eu continues "
                               u"with the configuration it started with"),
                 qPrintable(note));

        QVERIFY(refreshed.wait(jobTimeoutMs));
        const auto outcome = refreshed.first().first().value<RefreshJobOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
        QVERIFY(!outcome.cancelled);
        QVERIFY2(refresh->stepLabel()->text().startsWith(u"eu refreshed from golden_v1"),
                 qPrintable(refresh->stepLabel()->text()));
        QVERIFY(!controller->isBusy());
    }

    /// Re-opening the config (File › Open Recent does this) while a snapshot is being created:
    /// the create goes on and golden_v2 is made.
    void reopenKeepsSnapshotCreateRunning()
    {
        SnapshotsView *snapshots = m_window->snapshotsView();
        SnapshotController *controller = snapshots->controller();
        m_window->centralTabs()->setCurrentWidget(snapshots);
        controller->setMaxRowsPerSecond(400); // a 500-order shop then takes several seconds
        QSignalSpy created(controller, &SnapshotController::createFinished);
        QSignalSpy progress(controller, &SnapshotController::createProgress);
        QVERIFY(snapshots->newSnapshotAction()->isEnabled());
        snapshots->newSnapshotAction()->trigger();
        QVERIFY(progress.wait(jobTimeoutMs));

        QSignalSpy loaded(m_window->controller(), &StatusController::configLoaded);
        m_window->openConfig(m_estate.configPath());
        QVERIFY(loaded.wait(jobTimeoutMs));
        QVERIFY2(created.isEmpty(), "the config reload ended the snapshot create");
        QVERIFY(controller->isCreating());
        const QString note = m_window->statusBar()->currentMessage();
        QVERIFY2(note.contains(u"the running snapshot create continues"), qPrintable(note));

        QVERIFY(created.wait(jobTimeoutMs));
        controller->setMaxRowsPerSecond(0);
        const auto outcome = created.first().first().value<SnapshotCreateOutcome>();
        QVERIFY2(outcome.created.has_value(), qPrintable(outcome.error));
        QVERIFY(!outcome.cancelled);
    }

    void closeAsksWhileJobRuns_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<bool>("closes");
        QTest::addColumn<bool>("cancelled");
        QTest::newRow("don't quit") << QStringLiteral("Don't Quit") << false << false;
        QTest::newRow("quit when finished")
                << QStringLiteral("Quit When Finished") << true << false;
        QTest::newRow("cancel and quit") << QStringLiteral("Cancel Job and Quit") << true << true;
    }

    /// Closing the window while a snapshot is being created asks; each answer does what it says.
    void closeAsksWhileJobRuns()
    {
        QFETCH(QString, button);
        QFETCH(bool, closes);
        QFETCH(bool, cancelled);
        SnapshotsView *snapshots = m_window->snapshotsView();
        SnapshotController *controller = snapshots->controller();
        m_window->centralTabs()->setCurrentWidget(snapshots);
        controller->setMaxRowsPerSecond(400);
        QSignalSpy created(controller, &SnapshotController::createFinished);
        QSignalSpy progress(controller, &SnapshotController::createProgress);
        QVERIFY(snapshots->newSnapshotAction()->isEnabled());
        snapshots->newSnapshotAction()->trigger();
        QVERIFY(progress.wait(jobTimeoutMs));

        QVERIFY(!m_window->close()); // the box asks; the window stays for now
        QMessageBox *box = m_window->quitConfirmation();
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QVERIFY2(box->text().contains(u"The snapshot create is still running"),
                 qPrintable(box->text()));
        QAbstractButton *answer = nullptr;
        for (QAbstractButton *candidate : box->buttons()) {
            if (candidate->text() == button)
                answer = candidate;
        }
        QVERIFY2(answer, qPrintable(button));
        QTest::mouseClick(answer, Qt::LeftButton);
        QVERIFY(m_window->isVisible()); // not before the job has ended

        QVERIFY(created.wait(jobTimeoutMs));
        controller->setMaxRowsPerSecond(0);
        const auto outcome = created.first().first().value<SnapshotCreateOutcome>();
        QCOMPARE(outcome.cancelled, cancelled);
        QCOMPARE(outcome.created.has_value(), !cancelled);
        if (closes)
            QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), jobTimeoutMs);
        else
            QTest::qWait(200);
        QCOMPARE(m_window->isVisible(), !closes);
        QVERIFY(!m_window->quitsWhenIdle() || closes);
        if (cancelled) // the building database was dropped before the window went
            QCOMPARE(buildingDatabases(m_estate), QStringList());
    }

private:
    QTemporaryDir m_settingsDir;
    OwnDemoEstate m_estate{"tst_configjobs"};
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestConfigJobs)
#include "tst_configjobs.moc"
