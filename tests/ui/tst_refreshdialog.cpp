// The refresh GUI with real widgets against its own demo estate (refreshing eu would change
// what the shared fixture's drift tests compare with): the dialog's plan and snapshot picker
// (opened from the region tree's context menu and with Ctrl+R), the typed confirmation the
// production guard asks for, the window override with a reason, a refresh run from the dialog
// with the job panel reaching 100 % and the history gaining the row, Rollback, and Cancel
// leaving the region exactly as it was. Every outcome is checked in the databases.

#include "uitestsettings.h"
#include "owndemoestate.h"

#include "core/db/dsn.h"
#include "core/db/threadguard.h"
#include "ui/mainwindow.h"
#include "ui/refresh/refreshcontroller.h"
#include "ui/refresh/refreshdialog.h"
#include "ui/refresh/refreshhistorymodel.h"
#include "ui/refresh/refreshview.h"
#include "ui/dashboard/regiontreemodel.h"
#include "ui/dashboard/statuscontroller.h"
#include "ui/common/tableprogressmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace envsync;
using namespace envsync::ui;
using envsync::test::OwnDemoEstate;

namespace {

constexpr int jobTimeoutMs = 90000;

/// eu's window is Mondays 02:00–05:00 Europe/Berlin (CET = UTC+1 in November).
const QDateTime insideEuWindow(QDate(2026, 11, 23), QTime(2, 30), Qt::UTC);
const QDateTime outsideEuWindow(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);

using envsync::uitest::screenshotDir;

QStringList comboItems(const QComboBox *combo)
{
    QStringList items;
    for (int i = 0; i < combo->count(); ++i)
        items << combo->itemText(i);
    return items;
}

} // namespace

class TestRefreshDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_refreshdialog"));
        qputenv("ENVSYNC_MASK_SALT", "tst_refreshdialog-salt-0123456789");
        // 2,000 orders: a copy that takes long enough for Cancel to land mid-job.
        const std::string started = m_estate.start(2000);
        QVERIFY2(started.empty(), started.c_str());
        QDir().mkpath(screenshotDir());
        db::registerGuiThread(); // from here on, any DB call on this thread is refused

        m_window = std::make_unique<MainWindow>();
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy probed(m_window->controller(), &StatusController::probeFinished);
        m_window->openConfig(m_estate.configPath());
        QVERIFY(probed.wait(jobTimeoutMs));
        view()->controller()->setNow(insideEuWindow);
        view()->controller()->setJobs(1);
    }

    /// A failed check must not leave eu without its marker for the tests after it.
    void cleanup()
    {
        (void)OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                    "ALTER DATABASE shop SET envsync.region = 'eu'");
    }

    void cleanupTestCase()
    {
        m_window.reset();
        db::unregisterGuiThread();
    }

    /// The region tree's context menu opens the dialog on eu; the picker lists golden_v1 (the
    /// newest, preselected) and the plan is eu's.
    void contextMenuShowsThePlan()
    {
        const QModelIndex eu = regionIndex(QStringLiteral("eu"));
        QVERIFY(eu.isValid());
        QCOMPARE(m_window->regionAt(eu), QStringLiteral("eu"));
        QTreeView *tree = m_window->regionTreeView();
        // The menu runs its own event loop: pick "Refresh eu…" (the first entry) by keyboard.
        bool picked = false;
        QTimer::singleShot(200, this, [&picked] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            picked = menu->actions().first()->text().startsWith(u"&Refresh eu");
            QTest::keyClick(menu, Qt::Key_Down);
            QTest::keyClick(menu, Qt::Key_Return);
        });
        emit tree->customContextMenuRequested(tree->visualRect(eu).center());
        QVERIFY(picked);
        QCOMPARE(m_window->centralTabs()->currentWidget(), view());
        RefreshDialog *dialog = waitForPlan();
        QVERIFY(dialog);
        QCOMPARE(dialog->region(), QStringLiteral("eu"));
        QVERIFY2(dialog->plan().has_value(), qPrintable(dialog->statusLabel()->text()));
        QCOMPARE(comboItems(dialog->snapshotCombo()), QStringList{QStringLiteral("golden_v1")});
        QCOMPARE(dialog->snapshotCombo()->currentText(), QStringLiteral("golden_v1"));
        const refresh::RefreshPlan &plan = *dialog->plan();
        QCOMPARE(plan.region, std::string("eu"));
        QCOMPARE(plan.database, std::string("shop"));
        QCOMPARE(plan.snapshot, std::string("golden_v1"));
        QCOMPARE(plan.method, std::string("parallel copy")); // eu has its own cluster
        QVERIFY(plan.snapshotBytes > 0);
        QVERIFY(plan.insideWindow);
        QVERIFY(!dialog->needsTypedName()); // the demo's eu carries the EnvSync marker
        QVERIFY(!dialog->guardBox()->isVisible());
        QVERIFY(!dialog->windowBox()->isVisible());
        const QString shown = dialog->planLabel()->text();
        QVERIFY2(shown.contains(u"golden_v1") && shown.contains(u"parallel copy")
                         && shown.contains(u"open until"),
                 qPrintable(shown));
        QVERIFY(dialog->refreshButton()->isEnabled());
        dialog->reject();
        QVERIFY(!view()->controller()->isBusy()); // nothing started
    }

    /// eu was never refreshed: Roll Back is disabled before anyone confirms anything, and its
    /// tooltip says why (looked up on a worker: the test thread refuses database calls).
    void rollbackNeedsAPreviousDatabase()
    {
        view()->setRegion(QStringLiteral("eu"));
        QTRY_VERIFY_WITH_TIMEOUT(
                view()->rollbackAction()->toolTip().contains(u"shop__envsync_prev does not exist"),
                jobTimeoutMs);
        QVERIFY(!view()->rollbackAction()->isEnabled());
        QVERIFY(view()->refreshAction()->isEnabled());
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(!view()->rollbackConfirmation()); // nothing to confirm
        QVERIFY(!view()->controller()->isBusy());
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "SELECT count(*) FROM pg_database"
                                       " WHERE datname = 'shop__envsync_prev'"),
                 std::string("0"));
    }

    /// Without the marker the guard asks for eu to be typed: OK stays disabled until it is,
    /// exactly. Outside the window it also needs the override and a reason.
    void typedConfirmationAndWindowGateOk()
    {
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "ALTER DATABASE shop RESET envsync.region"),
                 std::string("<null>"));
        view()->controller()->setNow(outsideEuWindow);
        view()->setRegion(QStringLiteral("eu"));
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
        RefreshDialog *dialog = waitForPlan();
        QVERIFY(dialog);
        QVERIFY2(dialog->plan().has_value(), qPrintable(dialog->statusLabel()->text()));
        QVERIFY(dialog->needsTypedName());
        QVERIFY(dialog->guardBox()->isVisible());
        QVERIFY(dialog->windowBox()->isVisible());
        QVERIFY(!dialog->plan()->insideWindow);
        QPushButton *ok = dialog->refreshButton();
        QVERIFY(!ok->isEnabled());
        // The window first, so only the typed name holds OK back.
        QVERIFY(!dialog->reasonEdit()->isEnabled());
        dialog->forceCheck()->click();
        QVERIFY(dialog->reasonEdit()->isEnabled());
        QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("hotfix QA"));
        QVERIFY(!ok->isEnabled()); // nothing typed yet
        for (const char *wrong : {"e", "EU", "eu ", "us"}) {
            dialog->confirmEdit()->clear();
            QTest::keyClicks(dialog->confirmEdit(), QString::fromLatin1(wrong));
            QVERIFY2(!ok->isEnabled(), wrong);
        }
        dialog->confirmEdit()->clear();
        QTest::keyClicks(dialog->confirmEdit(), QStringLiteral("eu"));
        QVERIFY(ok->isEnabled());
        // Now the reason alone holds it back: none, or blanks, is no reason.
        dialog->reasonEdit()->clear();
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("   "));
        QVERIFY(!ok->isEnabled());
        dialog->reasonEdit()->clear();
        QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("hotfix QA"));
        QVERIFY(ok->isEnabled());
        dialog->forceCheck()->click(); // no override: the window says no again
        QVERIFY(!ok->isEnabled());
        dialog->forceCheck()->click();
        QVERIFY(ok->isEnabled());
        const RefreshRequest request = dialog->request();
        QCOMPARE(request.typedName, QStringLiteral("eu"));
        QVERIFY(request.forceOutsideWindow);
        QCOMPARE(request.reason, QStringLiteral("hotfix QA"));
        QCOMPARE(request.snapshot, QStringLiteral("golden_v1"));
        QTest::qWait(100);
        QVERIFY(dialog->grab().save(screenshotDir() + QStringLiteral("/refresh-dialog.png")));
        dialog->reject();
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "ALTER DATABASE shop SET envsync.region = 'eu'"),
                 std::string("<null>"));
        view()->controller()->setNow(insideEuWindow);
    }

    /// The override really overrides: on the real clock, a region whose window is closed now
    /// is refreshed from the dialog with "Refresh outside the window" ticked and a reason
    /// typed, and the control database records the forced run with that reason.
    void refreshOutsideTheWindowFromTheDialog()
    {
        RefreshController *controller = view()->controller();
        controller->setNow({});
        const auto restoreClock = qScopeGuard([&] { controller->setNow(insideEuWindow); });
        // eu stays untouched for the tests after this one; of us and apac (weekly windows on
        // different days) at least one is closed at any moment.
        RefreshDialog *dialog = nullptr;
        QString region;
        for (const QString &candidate : {QStringLiteral("apac"), QStringLiteral("us")}) {
            view()->setRegion(candidate);
            QVERIFY(activateWindow());
            QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
            dialog = waitForPlan();
            QVERIFY(dialog);
            QVERIFY2(dialog->plan().has_value(), qPrintable(dialog->statusLabel()->text()));
            if (!dialog->plan()->insideWindow) {
                region = candidate;
                break;
            }
            dialog->reject();
            dialog = nullptr;
        }
        QVERIFY2(dialog, "neither us nor apac is outside its window now");
        QVERIFY(dialog->windowBox()->isVisible());
        QVERIFY(!dialog->needsTypedName());
        QPushButton *ok = dialog->refreshButton();
        QVERIFY(!ok->isEnabled());
        dialog->forceCheck()->click();
        QVERIFY(dialog->forceCheck()->isChecked());
        QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("hotfix QA 4711"));
        QVERIFY(ok->isEnabled());

        QSignalSpy finished(controller, &RefreshController::refreshFinished);
        QTest::mouseClick(ok, Qt::LeftButton);
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<RefreshJobOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
        QCOMPARE(outcome.region, region);
        QVERIFY(!outcome.result->plan.insideWindow);
        QVERIFY(!view()->errorBanner()->isVisible());

        const std::string target = region.toStdString();
        const std::string audited = OwnDemoEstate::scalar(
                controlDsn(), "SELECT result || '/' || (detail->>'reason') FROM envsync.audit_log"
                              " WHERE target = '"
                                      + target
                                      + "' AND action = 'region.refresh.force_outside_window'"
                                        " ORDER BY id DESC LIMIT 1");
        QCOMPARE(QString::fromStdString(audited), QStringLiteral("accepted/hotfix QA 4711"));
        const std::string logged = OwnDemoEstate::scalar(
                controlDsn(), "SELECT result || '/' || (detail::jsonb->>'forced_outside_window')"
                              " FROM (SELECT result, detail FROM envsync.refresh_log"
                              " WHERE region = '"
                                      + target + "' ORDER BY id DESC LIMIT 1) AS newest");
        QCOMPARE(QString::fromStdString(logged), QStringLiteral("success/true"));
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn(target, "postgres"),
                                       "SELECT count(*) FROM pg_database"
                                       " WHERE datname = 'shop__envsync_prev'"),
                 std::string("1"));
        // Now there is something to roll back to.
        QTRY_VERIFY_WITH_TIMEOUT(view()->rollbackAction()->isEnabled(), jobTimeoutMs);
    }

    /// The window closes while the dialog is open (it planned inside it): the refusal tells a
    /// console user what to do in the console, not which command-line flags to pass.
    void windowRefusalSpeaksTheConsolesLanguage()
    {
        RefreshController *controller = view()->controller();
        const auto restoreClock = qScopeGuard([&] { controller->setNow(insideEuWindow); });
        const std::string admin = m_estate.regionDsn("eu", "postgres");
        const char *databases = "SELECT string_agg(datname || ':' || oid, ',' ORDER BY datname)"
                                " FROM pg_database WHERE datname LIKE 'shop%'";
        const std::string before = OwnDemoEstate::scalar(admin, databases);
        RefreshDialog *dialog = openDialogWithCtrlR();
        QVERIFY(dialog);
        QVERIFY2(dialog->plan() && dialog->plan()->insideWindow,
                 qPrintable(dialog->statusLabel()->text()));
        QVERIFY(!dialog->windowBox()->isVisible());
        controller->setNow(outsideEuWindow); // the window closed meanwhile
        QSignalSpy finished(controller, &RefreshController::refreshFinished);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<RefreshJobOutcome>();
        QVERIFY(!outcome.result);
        QVERIFY(outcome.refused);
        QCOMPARE(outcome.refusal, Refusal::OutsideWindow);
        QVERIFY(view()->errorBanner()->isVisible());
        const QString banner = view()->errorBanner()->text();
        QVERIFY2(banner.contains(u"tick 'Refresh outside the window' and give a reason"),
                 qPrintable(banner));
        QVERIFY2(!banner.contains(u"--"), qPrintable(banner)); // no command-line flags
        QVERIFY2(banner.contains(u"outside the region's refresh window"), qPrintable(banner));
        QCOMPARE(OwnDemoEstate::scalar(admin, databases), before); // nothing ran
        QTest::qWait(100);
        QVERIFY(m_window->grab().save(screenshotDir() + QStringLiteral("/refresh-refused.png")));
    }

    /// Another region: the refusal banner and the job panel of eu's refusal go; Roll Back
    /// follows the picked region's previous database.
    void regionChangeClearsTheJobPanel()
    {
        view()->setRegion(QStringLiteral("eu"));
        QVERIFY(view()->errorBanner()->isVisible()); // eu's refusal, from the test before
        QVERIFY(view()->stepLabel()->text().contains(u"eu"));
        view()->setRegion(QStringLiteral("us"));
        QCOMPARE(view()->region(), QStringLiteral("us"));
        QVERIFY(!view()->errorBanner()->isVisible());
        QVERIFY2(!view()->stepLabel()->text().contains(u"eu"),
                 qPrintable(view()->stepLabel()->text()));
        QCOMPARE(view()->overallProgress()->value(), 0);
        QVERIFY(!view()->overallProgress()->isVisible()); // no 0 % bar for no job
        QVERIFY(!view()->statsLabel()->isVisible());
        QCOMPARE(view()->tableProgressModel()->rowCount(), 0);
        // Roll Back is decided by each region's own previous database.
        const bool usHasPrevious = OwnDemoEstate::scalar(m_estate.regionDsn("us", "postgres"),
                                                         "SELECT count(*) FROM pg_database"
                                                         " WHERE datname = 'shop__envsync_prev'")
                                   == "1";
        QTRY_VERIFY_WITH_TIMEOUT(!view()->rollbackAction()->toolTip().startsWith(u"Checking"),
                                 jobTimeoutMs);
        QCOMPARE(view()->rollbackAction()->isEnabled(), usHasPrevious);
        QVERIFY(m_window->grab().save(screenshotDir()
                                      + QStringLiteral("/refresh-region-changed.png")));
        view()->setRegion(QStringLiteral("eu"));
        QTRY_VERIFY_WITH_TIMEOUT(
                view()->rollbackAction()->toolTip().contains(u"shop__envsync_prev does not exist"),
                jobTimeoutMs);
        QVERIFY(!view()->rollbackAction()->isEnabled());
    }

    /// OK in the dialog runs the refresh: per-table and overall progress reach 100 %, golden's
    /// data and schema are live in eu, and the history shows the new row.
    void refreshFromTheDialogCompletes()
    {
        QAbstractItemModelTester historyTester(
                view()->historyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester tablesTester(
                view()->tableProgressModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::string eu = m_estate.regionDsn("eu", "shop");
        QCOMPARE(OwnDemoEstate::scalar(eu, "SELECT count(*) FROM pg_indexes"
                                           " WHERE indexname = 'orders_status_idx'"),
                 std::string("1")); // eu's injected drift
        const int historyBefore = std::stoi(historyCount());
        RefreshController *controller = view()->controller();
        QSignalSpy progress(controller, &RefreshController::refreshProgress);
        QSignalSpy finished(controller, &RefreshController::refreshFinished);
        QSignalSpy history(view(), &RefreshView::historyChanged);
        RefreshDialog *dialog = openDialogWithCtrlR();
        QVERIFY(dialog);
        QVERIFY(dialog->refreshButton()->isEnabled());
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(controller->isRefreshing());
        QVERIFY(!view()->refreshAction()->isEnabled()); // one job at a time
        QVERIFY(view()->cancelAction()->isEnabled());
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<RefreshJobOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
        QCOMPARE(outcome.region, QStringLiteral("eu"));

        // The job panel: progress arrived, every table finished, the bar is full.
        QVERIFY(!progress.isEmpty());
        QCOMPARE(view()->overallProgress()->value(), 100);
        QVERIFY2(view()->stepLabel()->text().startsWith(u"eu refreshed from golden_v1"),
                 qPrintable(view()->stepLabel()->text()));
        TableProgressModel *tables = view()->tableProgressModel();
        QVERIFY(tables->rowCount() >= 7); // the demo shop's tables
        QCOMPARE(tables->doneCount(), tables->rowCount());
        for (int row = 0; row < tables->rowCount(); ++row)
            QCOMPARE(tables->index(row, TableProgressModel::ProgressColumn)
                             .data(TableProgressModel::PercentRole)
                             .toInt(),
                     100);
        QVERIFY(!view()->errorBanner()->isVisible());

        // The databases: golden's schema and data are live, the old database is kept.
        const std::string golden = m_estate.goldenDsn("golden_v1");
        QCOMPARE(OwnDemoEstate::scalar(eu, "SELECT count(*) FROM pg_indexes"
                                           " WHERE indexname = 'orders_status_idx'"),
                 std::string("0"));
        QCOMPARE(OwnDemoEstate::scalar(eu, "SELECT count(*) FROM orders"),
                 OwnDemoEstate::scalar(golden, "SELECT count(*) FROM orders"));
        QCOMPARE(OwnDemoEstate::scalar(eu, "SELECT md5(string_agg(email, ',' ORDER BY id))"
                                           " FROM customers"),
                 OwnDemoEstate::scalar(golden, "SELECT md5(string_agg(email, ',' ORDER BY id))"
                                               " FROM customers"));
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "SELECT count(*) FROM pg_database"
                                       " WHERE datname = 'shop__envsync_prev'"),
                 std::string("1"));

        // The history: one more row, the newest is this success.
        QCOMPARE(std::stoi(historyCount()), historyBefore + 1);
        QVERIFY(QTest::qWaitFor(
                [&] { return view()->historyModel()->rowCount() == historyBefore + 1; },
                jobTimeoutMs));
        const QModelIndex newest = view()->historyModel()->index(0, 0);
        QCOMPARE(newest.data(RefreshHistoryModel::ResultRole).toString(), QStringLiteral("success"));
        QCOMPARE(newest.data(RefreshHistoryModel::SnapshotRole).toString(),
                 QStringLiteral("golden_v1"));
        QCOMPARE(view()->historyModel()
                         ->index(0, RefreshHistoryModel::RowsColumn)
                         .data()
                         .toString()
                         .isEmpty(),
                 false);
        QTest::qWait(150); // let posted layout requests and log records land first
        QVERIFY(m_window->grab().save(screenshotDir() + QStringLiteral("/refresh-done.png")));
    }

    /// Roll Back (Ctrl+Shift+R, confirmed) swaps the old database back; the history marks the
    /// undone refresh rolled_back.
    void rollbackSwapsBack()
    {
        RefreshController *controller = view()->controller();
        QSignalSpy finished(controller, &RefreshController::rollbackFinished);
        QSignalSpy history(view(), &RefreshView::historyChanged);
        // The refresh kept shop__envsync_prev: Roll Back is enabled once that was looked up.
        QTRY_VERIFY_WITH_TIMEOUT(view()->rollbackAction()->isEnabled(), jobTimeoutMs);
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QMessageBox *box = view()->rollbackConfirmation();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(!controller->isBusy()); // nothing before the confirmation
        // Without eu's marker the guard refuses until the name is typed: nothing is swapped.
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "ALTER DATABASE shop RESET envsync.region"),
                 std::string("<null>"));
        const std::string liveOid = OwnDemoEstate::scalar(
                m_estate.regionDsn("eu", "postgres"),
                "SELECT oid FROM pg_database WHERE datname = 'shop'");
        // A wrong name is refused without running anything; the exact name rolls back.
        for (const QString &name : {QStringLiteral("EU"), QStringLiteral("eu")}) {
            finished.clear();
            if (name == u"eu") { // the first attempt's dialogs are gone: ask again
                QTest::keyClick(m_window.get(), Qt::Key_R,
                                Qt::ControlModifier | Qt::ShiftModifier);
                box = view()->rollbackConfirmation();
                QVERIFY(box);
            }
            box->button(QMessageBox::Yes)->click();
            QVERIFY(finished.wait(jobTimeoutMs));
            QVERIFY(finished.first().first().value<RollbackOutcome>().needsTypedName);
            QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                           "SELECT oid FROM pg_database WHERE datname = 'shop'"),
                     liveOid); // refused: nothing swapped
            QInputDialog *typed = view()->typedNameConfirmation();
            QVERIFY(typed);
            QVERIFY(typed->isVisible());
            QVERIFY2(typed->labelText().startsWith(u"database shop "), // no marker, or not eu's
                     qPrintable(typed->labelText()));
            finished.clear();
            typed->setTextValue(name);
            typed->accept();
            if (name == u"EU") {
                QVERIFY(!controller->isBusy());
                QVERIFY(finished.isEmpty());
            }
        }
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<RollbackOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
        QVERIFY2(view()->stepLabel()->text().startsWith(u"eu rolled back"),
                 qPrintable(view()->stepLabel()->text()));
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "shop"),
                                       "SELECT count(*) FROM pg_indexes"
                                       " WHERE indexname = 'orders_status_idx'"),
                 std::string("1")); // the pre-refresh database with its drift is live again
        QCOMPARE(OwnDemoEstate::scalar(controlDsn(),
                                       "SELECT result FROM envsync.refresh_log WHERE region = 'eu'"
                                       " AND snapshot = 'golden_v1' ORDER BY id DESC LIMIT 1"),
                 std::string("rolled_back"));
        QVERIFY(QTest::qWaitFor(
                [&] {
                    return view()->historyModel()->rowCount() > 0
                            && view()->historyModel()
                                            ->index(0, 0)
                                            .data(RefreshHistoryModel::ResultRole)
                                            .toString()
                                    == u"rolled_back";
                },
                jobTimeoutMs));
    }

    /// Cancel once the copy is under way: the refresh ends cancelled, eu is exactly as it was
    /// (same database, same data, no shadow left) and the history says cancelled.
    void cancelLeavesTheRegionAsItWas()
    {
        const std::string eu = m_estate.regionDsn("eu", "shop");
        const std::string admin = m_estate.regionDsn("eu", "postgres");
        const char *fingerprint = "SELECT (SELECT count(*) FROM pg_indexes"
                                  " WHERE indexname = 'orders_status_idx')"
                                  " || '/' || (SELECT count(*) FROM orders)"
                                  " || '/' || (SELECT md5(string_agg(email, ',' ORDER BY id))"
                                  " FROM customers)";
        const char *databases = "SELECT string_agg(datname || ':' || oid, ',' ORDER BY datname)"
                                " FROM pg_database WHERE datname LIKE 'shop%'";
        const std::string dataBefore = OwnDemoEstate::scalar(eu, fingerprint);
        const std::string databasesBefore = OwnDemoEstate::scalar(admin, databases);
        QVERIFY2(dataBefore.starts_with("1/"), dataBefore.c_str());

        RefreshController *controller = view()->controller();
        QSignalSpy finished(controller, &RefreshController::refreshFinished);
        // Cancel on the first copy figures: the copy into the shadow database is running.
        bool cancelledMidCopy = false;
        auto cancelOnce = connect(controller, &RefreshController::refreshProgress, this,
                                  [&](const job::Progress &progress) {
                                      if (cancelledMidCopy)
                                          return;
                                      cancelledMidCopy = progress.phase != job::Phase::Done;
                                      view()->cancelAction()->trigger();
                                  });
        RefreshDialog *dialog = openDialogWithCtrlR();
        QVERIFY(dialog);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(finished.wait(jobTimeoutMs));
        disconnect(cancelOnce);
        QVERIFY(cancelledMidCopy);
        const auto outcome = finished.first().first().value<RefreshJobOutcome>();
        QVERIFY(!outcome.result);
        QVERIFY2(outcome.cancelled, qPrintable(outcome.error));
        QVERIFY2(view()->stepLabel()->text().startsWith(u"Cancelled"),
                 qPrintable(view()->stepLabel()->text()));
        QVERIFY(!view()->errorBanner()->isVisible()); // a cancel is not an error
        QVERIFY(view()->overallProgress()->value() < 100);

        QCOMPARE(OwnDemoEstate::scalar(eu, fingerprint), dataBefore);
        QCOMPARE(OwnDemoEstate::scalar(admin, databases), databasesBefore); // no __next left
        QCOMPARE(OwnDemoEstate::scalar(controlDsn(),
                                       "SELECT result FROM envsync.refresh_log WHERE region = 'eu'"
                                       " ORDER BY id DESC LIMIT 1"),
                 std::string("cancelled"));
        QVERIFY(QTest::qWaitFor(
                [&] {
                    return view()->historyModel()->rowCount() > 0
                            && view()->historyModel()
                                            ->index(0, 0)
                                            .data(RefreshHistoryModel::ResultRole)
                                            .toString()
                                    == u"cancelled";
                },
                jobTimeoutMs));
        QVERIFY(view()->refreshAction()->isEnabled());
    }

    /// With the source unreachable the guard asks for its own override, a checkbox: typing
    /// the region's name (which a marker-less database needs as well) never lifts it. Ticked,
    /// the refresh runs from the dialog's request.
    void unreachableSourceHasItsOwnOverride()
    {
        auto config = std::make_shared<config::Config>(*m_estate.config());
        config->source.dsn
                = db::Dsn::parse(config->source.dsn)->with("port", "1").toConnectionString();
        RefreshController controller;
        controller.setConfig(config);
        controller.setNow(insideEuWindow);
        controller.setJobs(1);
        const auto openDialog = [&] {
            auto dialog = std::make_unique<RefreshDialog>(&controller, QStringLiteral("eu"),
                                                          m_window.get());
            QSignalSpy shown(dialog.get(), &RefreshDialog::planShown);
            dialog->show();
            return shown.wait(jobTimeoutMs) ? std::move(dialog) : nullptr;
        };

        // eu without its marker: both guards ask, each for its own confirmation.
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "ALTER DATABASE shop RESET envsync.region"),
                 std::string("<null>"));
        auto dialog = openDialog();
        QVERIFY(dialog);
        QVERIFY2(dialog->plan().has_value(), qPrintable(dialog->statusLabel()->text()));
        QVERIFY(dialog->needsSourceUnreachableOk());
        QVERIFY(dialog->needsTypedName());
        QVERIFY(dialog->guardBox()->isVisible());
        QVERIFY(dialog->sourceUnreachableCheck()->isVisible());
        QPushButton *ok = dialog->refreshButton();
        QTest::keyClicks(dialog->confirmEdit(), QStringLiteral("eu"));
        QVERIFY(!ok->isEnabled()); // the typed name alone is not enough
        dialog->sourceUnreachableCheck()->click();
        QVERIFY(ok->isEnabled());
        dialog->confirmEdit()->clear();
        QVERIFY(!ok->isEnabled()); // nor is the override alone
        dialog->reject();
        dialog.reset();
        QCOMPARE(OwnDemoEstate::scalar(m_estate.regionDsn("eu", "postgres"),
                                       "ALTER DATABASE shop SET envsync.region = 'eu'"),
                 std::string("<null>"));

        // eu with its marker: only the unreachable source asks.
        dialog = openDialog();
        QVERIFY(dialog);
        QVERIFY2(dialog->plan().has_value(), qPrintable(dialog->statusLabel()->text()));
        QVERIFY(dialog->needsSourceUnreachableOk());
        QVERIFY(!dialog->needsTypedName());
        QVERIFY(!dialog->confirmEdit()->isVisible());
        QVERIFY(!dialog->refreshButton()->isEnabled());
        dialog->sourceUnreachableCheck()->click();
        QVERIFY(dialog->refreshButton()->isEnabled());
        const RefreshRequest request = dialog->request();
        QVERIFY(request.sourceUnreachableOk);
        QVERIFY(request.typedName.isEmpty());
        dialog->accept();
        QSignalSpy finished(&controller, &RefreshController::refreshFinished);
        QVERIFY(controller.startRefresh(request));
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<RefreshJobOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
    }

    /// The guard's verdict, not a message, drives the console: when a refresh is refused at
    /// start because eu's database lost its marker after the plan was shown, the Refresh tab
    /// asks for the name the verdict names (never the command line's flag), runs nothing for
    /// a wrong name and refreshes only once "eu" is typed.
    void refusedRefreshAsksForTheTypedName()
    {
        RefreshController *controller = view()->controller();
        controller->setNow(insideEuWindow);
        const std::string admin = m_estate.regionDsn("eu", "postgres");
        const char *liveOid = "SELECT oid FROM pg_database WHERE datname = 'shop'";
        const int historyBefore = std::stoi(historyCount());
        QSignalSpy finished(controller, &RefreshController::refreshFinished);
        for (const QString &name : {QStringLiteral("EU"), QStringLiteral("eu")}) {
            QCOMPARE(OwnDemoEstate::scalar(admin, "ALTER DATABASE shop SET envsync.region = 'eu'"),
                     std::string("<null>"));
            RefreshDialog *dialog = openDialogWithCtrlR();
            QVERIFY(dialog);
            QVERIFY(!dialog->needsTypedName()); // marked when planned…
            QVERIFY(dialog->refreshButton()->isEnabled());
            QCOMPARE(OwnDemoEstate::scalar(admin, "ALTER DATABASE shop RESET envsync.region"),
                     std::string("<null>")); // …and no longer when the refresh starts
            const std::string oid = OwnDemoEstate::scalar(admin, liveOid);
            finished.clear();
            QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
            QVERIFY(finished.wait(jobTimeoutMs));
            const auto refused = finished.first().first().value<RefreshJobOutcome>();
            QVERIFY(!refused.result);
            QCOMPARE(refused.refusal, Refusal::UnmarkedTarget);
            QCOMPARE(refused.confirmName, QStringLiteral("eu"));
            QCOMPARE(OwnDemoEstate::scalar(admin, liveOid), oid); // nothing was swapped

            QInputDialog *typed = view()->typedNameConfirmation();
            QVERIFY(typed);
            QVERIFY(typed->isVisible());
            QVERIFY2(typed->labelText().startsWith(u"database shop "), // the guard's reason
                     qPrintable(typed->labelText()));
            QVERIFY2(typed->labelText().contains(u"Type the region's name (eu)"),
                     qPrintable(typed->labelText()));
            QVERIFY2(!typed->labelText().contains(u"--"), qPrintable(typed->labelText()));
            QVERIFY2(!view()->errorBanner()->text().contains(u"--i-know-this-is"),
                     qPrintable(view()->errorBanner()->text()));
            finished.clear();
            typed->setTextValue(name);
            typed->accept();
            if (name == u"EU") { // a wrong name runs nothing
                QVERIFY(!controller->isBusy());
                QTest::qWait(200);
                QVERIFY(finished.isEmpty());
                QVERIFY2(view()->errorBanner()->text().contains(u"nothing was refreshed"),
                         qPrintable(view()->errorBanner()->text()));
                QCOMPARE(OwnDemoEstate::scalar(admin, liveOid), oid);
            } else {
                QVERIFY(controller->isRefreshing());
            }
        }
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<RefreshJobOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
        QCOMPARE(outcome.request.typedName, QStringLiteral("eu"));
        // Only the confirmed run is in the history, and eu carries its marker again.
        QCOMPARE(std::stoi(historyCount()), historyBefore + 1);
        QCOMPARE(OwnDemoEstate::scalar(admin, "SELECT x FROM pg_db_role_setting s"
                                              " JOIN pg_database d ON d.oid = s.setdatabase,"
                                              " unnest(s.setconfig) x WHERE d.datname = 'shop'"
                                              " AND s.setrole = 0 AND x LIKE 'envsync.region=%'"),
                 std::string("envsync.region=eu"));
    }

private:
    RefreshView *view() const { return m_window->refreshView(); }

    std::string controlDsn() const { return m_estate.goldenDsn("envsync_control"); }

    std::string historyCount() const
    {
        return OwnDemoEstate::scalar(controlDsn(),
                                     "SELECT count(*) FROM envsync.refresh_log WHERE region = 'eu'");
    }

    QModelIndex regionIndex(const QString &name) const
    {
        const RegionTreeModel *tree = m_window->regionTreeModel();
        for (int top = 0; top < tree->rowCount(); ++top) {
            const QModelIndex group = tree->index(top, 0);
            for (int row = 0; row < tree->rowCount(group); ++row) {
                const QModelIndex child = tree->index(row, 0, group);
                if (child.data().toString() == name)
                    return child;
            }
        }
        return {};
    }

    /// The open dialog once its plan is on display (nullptr on time-out).
    RefreshDialog *waitForPlan() const
    {
        const bool shown = QTest::qWaitFor(
                [&] {
                    RefreshDialog *dialog = view()->refreshDialog();
                    return dialog && dialog->isVisible() && !dialog->isPlanning();
                },
                jobTimeoutMs);
        return shown ? view()->refreshDialog() : nullptr;
    }

    /// Window shortcuts need the active window; a closed dialog or menu leaves none offscreen.
    bool activateWindow() const
    {
        m_window->activateWindow();
        return QTest::qWaitForWindowActive(m_window.get());
    }

    RefreshDialog *openDialogWithCtrlR() const
    {
        view()->setRegion(QStringLiteral("eu"));
        if (!activateWindow())
            return nullptr;
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
        return waitForPlan();
    }

    QTemporaryDir m_settingsDir;
    OwnDemoEstate m_estate{"refreshdlg"};
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestRefreshDialog)
#include "tst_refreshdialog.moc"
