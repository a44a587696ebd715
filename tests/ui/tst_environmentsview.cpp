// The Environments tab with real widgets against its own demo estate: create an ephemeral
// environment from golden_v1 with a TTL and an owner, watch the countdown tick, see it turn
// "expired" at its expiry, and drop it — each step checked on the golden cluster.

#include "uitestsettings.h"
#include "owndemoestate.h"

#include "core/db/threadguard.h"
#include "ui/environments/environmentscontroller.h"
#include "ui/environments/environmentsmodel.h"
#include "ui/environments/environmentsview.h"
#include "ui/mainwindow.h"
#include "ui/dashboard/statuscontroller.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace envsync;
using namespace envsync::ui;
using envsync::test::OwnDemoEstate;

namespace {

constexpr int jobTimeoutMs = 60000;

using envsync::uitest::screenshotDir;

} // namespace

class TestEnvironmentsView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_environmentsview"));
        qputenv("ENVSYNC_MASK_SALT", "tst_environmentsview-salt-0123456789");
        const std::string started = m_estate.start(500);
        QVERIFY2(started.empty(), started.c_str());
        QDir().mkpath(screenshotDir());
        db::registerGuiThread(); // from here on, any DB call on this thread is refused
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void countdownModel_data()
    {
        QTest::addColumn<qint64>("secondsLeft");
        QTest::addColumn<QString>("text");
        QTest::newRow("expired") << qint64(0) << QStringLiteral("expired");
        QTest::newRow("past") << qint64(-30) << QStringLiteral("expired");
        QTest::newRow("seconds") << qint64(42) << QStringLiteral("42 s");
        QTest::newRow("minutes") << qint64(125) << QStringLiteral("2 min 05 s");
        QTest::newRow("hours") << qint64(4 * 3600 - 2) << QStringLiteral("3 h 59 min 58 s");
        QTest::newRow("days") << qint64(3 * 86400 + 3700) << QStringLiteral("3 d 1 h 1 min");
    }

    void countdownModel()
    {
        QFETCH(qint64, secondsLeft);
        QFETCH(QString, text);
        QCOMPARE(EnvironmentsModel::countdown(secondsLeft), text);
    }

    void createCountDownAndDrop()
    {
        MainWindow window;
        EnvironmentsView &view = *window.environmentsView();
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1500, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy probed(window.controller(), &StatusController::probeFinished);
        window.openConfig(m_estate.configPath());
        QVERIFY(probed.wait(jobTimeoutMs));
        QVERIFY(!view.controller()->isLoading()); // nothing read before anyone looks

        // Ctrl+5 shows the tab, which reads the catalogue and the snapshots.
        QSignalSpy listed(&view, &EnvironmentsView::listChanged);
        QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), &view);
        QVERIFY(listed.wait(jobTimeoutMs));
        QVERIFY2(!view.errorBanner()->isVisible(), qPrintable(view.errorBanner()->text()));
        QCOMPARE(view.model()->rowCount(), 0);
        QCOMPARE(view.snapshotCombo()->count(), 2); // "newest ready" and golden_v1
        QCOMPARE(view.snapshotCombo()->itemText(1), QStringLiteral("golden_v1"));
        QVERIFY(view.countdownTimer()->isActive());

        fillForm(view);
        create(view);
        countDown(view);
        QTest::qWait(150); // let posted layout requests and log records land first
        QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/environments.png")));
        drop(view);
    }

private:
    /// The Create button follows the form: a name EnvSync accepts and a TTL it can read.
    void fillForm(EnvironmentsView &view)
    {
        QVERIFY(!view.createAction()->isEnabled()); // no name yet
        QTest::keyClicks(view.nameEdit(), QStringLiteral("Bad Name"));
        QVERIFY(!view.createAction()->isEnabled());
        QVERIFY2(view.formHint()->text().contains(u"lower-case"),
                 qPrintable(view.formHint()->text()));
        view.nameEdit()->clear();
        QTest::keyClicks(view.nameEdit(), QStringLiteral("golden_v9"));
        QVERIFY(!view.createAction()->isEnabled());
        QVERIFY2(view.formHint()->text().contains(u"reserved"), qPrintable(view.formHint()->text()));
        view.nameEdit()->clear();
        QTest::keyClicks(view.nameEdit(), QStringLiteral("pr-42"));
        view.ttlCombo()->setCurrentText(QStringLiteral("2 hours"));
        QVERIFY(!view.createAction()->isEnabled());
        QVERIFY2(view.formHint()->text().startsWith(u"TTL"), qPrintable(view.formHint()->text()));
        view.ttlCombo()->setCurrentText(QStringLiteral("2h"));
        view.snapshotCombo()->setCurrentIndex(1); // golden_v1, named
        QTest::keyClicks(view.ownerEdit(), QStringLiteral("alice"));
        QVERIFY(view.createAction()->isEnabled());
        QVERIFY(view.formHint()->text().isEmpty());
    }

    void create(EnvironmentsView &view)
    {
        QSignalSpy changed(view.controller(), &EnvironmentsController::changeFinished);
        QSignalSpy listed(&view, &EnvironmentsView::listChanged);
        const QDateTime before = QDateTime::currentDateTimeUtc();
        QTest::keyClick(view.nameEdit(), Qt::Key_Return); // Return in the form creates
        QVERIFY(view.controller()->isChanging());
        QVERIFY(!view.createAction()->isEnabled());
        QVERIFY(changed.wait(jobTimeoutMs));
        const auto outcome = changed.first().first().value<EnvironmentChangeOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(outcome.created);
        QVERIFY(listed.wait(jobTimeoutMs));
        QVERIFY(view.nameEdit()->text().isEmpty()); // ready for the next one

        // The golden cluster has the database and the catalogue its owner and 2 h expiry.
        QCOMPARE(OwnDemoEstate::scalar(m_estate.goldenDsn("postgres"),
                                       "SELECT count(*) FROM pg_database WHERE datname = 'pr-42'"),
                 std::string("1"));
        QCOMPARE(OwnDemoEstate::scalar(m_estate.goldenDsn("envsync_control"),
                                       "SELECT snapshot || ' ' || owner || ' '"
                                       " || extract(epoch FROM expires_at - created_at)::int"
                                       " FROM envsync.environments WHERE name = 'pr-42'"),
                 std::string("golden_v1 alice 7200"));
        QCOMPARE(OwnDemoEstate::scalar(m_estate.goldenDsn("pr-42"), "SELECT count(*) FROM orders"),
                 OwnDemoEstate::scalar(m_estate.goldenDsn("golden_v1"),
                                       "SELECT count(*) FROM orders"));

        // The table shows it, selected, with its countdown.
        EnvironmentsModel *model = view.model();
        QCOMPARE(model->rowCount(), 1);
        auto cell = [&](int column) { return model->index(0, column).data().toString(); };
        QCOMPARE(cell(EnvironmentsModel::NameColumn), QStringLiteral("pr-42"));
        QCOMPARE(cell(EnvironmentsModel::SnapshotColumn), QStringLiteral("golden_v1"));
        QCOMPARE(cell(EnvironmentsModel::OwnerColumn), QStringLiteral("alice"));
        QVERIFY(cell(EnvironmentsModel::ConnectColumn).contains(u"pr-42"));
        const qint64 left
                = model->index(0, 0).data(EnvironmentsModel::SecondsLeftRole).toLongLong();
        const qint64 elapsed = before.secsTo(QDateTime::currentDateTimeUtc());
        QVERIFY2(left <= 7200 && left >= 7200 - elapsed - 2, qPrintable(QString::number(left)));
        QVERIFY2(cell(EnvironmentsModel::ExpiresInColumn).startsWith(u"1 h 59 min")
                         || cell(EnvironmentsModel::ExpiresInColumn).startsWith(u"2 h 00 min"),
                 qPrintable(cell(EnvironmentsModel::ExpiresInColumn)));
        QCOMPARE(view.tableView()->selectionModel()->selectedRows().size(), 1);
        QVERIFY(view.dropAction()->isEnabled());
    }

    /// The countdown moves by itself (the view's timer), and reads "expired" at the expiry.
    void countDown(EnvironmentsView &view)
    {
        EnvironmentsModel *model = view.model();
        const QModelIndex countdown = model->index(0, EnvironmentsModel::ExpiresInColumn);
        const qint64 first = countdown.data(EnvironmentsModel::SecondsLeftRole).toLongLong();
        QSignalSpy ticked(model, &QAbstractItemModel::dataChanged);
        QVERIFY(ticked.wait(2500));
        QVERIFY(QTest::qWaitFor(
                [&] {
                    return countdown.data(EnvironmentsModel::SecondsLeftRole).toLongLong() < first;
                },
                3000));
        QCOMPARE(ticked.first().at(0).toModelIndex().column(), int(EnvironmentsModel::ExpiresInColumn));

        const QDateTime expiry = model->environments().front().expiresAt;
        view.countdownTimer()->stop(); // hold the clock at the expiry for a moment
        model->setNow(expiry.addSecs(1));
        QCOMPARE(countdown.data().toString(), QStringLiteral("expired"));
        QVERIFY(countdown.data(EnvironmentsModel::ExpiredRole).toBool());
        model->setNow(QDateTime::currentDateTimeUtc());
        QVERIFY(!countdown.data(EnvironmentsModel::ExpiredRole).toBool());
        view.countdownTimer()->start();
    }

    /// Drop (Del on the table, confirmed) removes the database and the catalogue row.
    void drop(EnvironmentsView &view)
    {
        QSignalSpy changed(view.controller(), &EnvironmentsController::changeFinished);
        QSignalSpy listed(&view, &EnvironmentsView::listChanged);
        view.tableView()->setFocus();
        QTest::keyClick(view.tableView(), Qt::Key_Delete);
        QMessageBox *box = view.dropConfirmation();
        QVERIFY(box);
        QVERIFY2(box->text().contains(u"pr-42"), qPrintable(box->text()));
        QVERIFY(!view.controller()->isChanging()); // nothing before the confirmation
        box->button(QMessageBox::Yes)->click();
        QVERIFY(changed.wait(jobTimeoutMs));
        const auto outcome = changed.first().first().value<EnvironmentChangeOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(!outcome.created);
        QVERIFY(listed.wait(jobTimeoutMs));
        QCOMPARE(view.model()->rowCount(), 0);
        QCOMPARE(OwnDemoEstate::scalar(m_estate.goldenDsn("postgres"),
                                       "SELECT count(*) FROM pg_database WHERE datname = 'pr-42'"),
                 std::string("0"));
        QCOMPARE(OwnDemoEstate::scalar(m_estate.goldenDsn("envsync_control"),
                                       "SELECT count(*) FROM envsync.environments"),
                 std::string("0"));
        QVERIFY(!view.dropAction()->isEnabled()); // nothing selected any more
    }

    QTemporaryDir m_settingsDir;
    OwnDemoEstate m_estate{"envview"};
};

QTEST_MAIN(TestEnvironmentsView)
#include "tst_environmentsview.moc"
