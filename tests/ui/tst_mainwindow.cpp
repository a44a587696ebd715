// The main window against the demo estate (CTest fixture `demo`): real widgets, real probes.

#include "uitestsettings.h"
#include "testsupport.h"

#include "core/db/threadguard.h"
#include "ui/dashboard/agechartview.h"
#include "ui/common/configerrordialog.h"
#include "ui/dashboard/dashboardmodel.h"
#include "ui/dashboard/dashboardproxymodel.h"
#include "ui/common/logview.h"
#include "ui/mainwindow.h"
#include "ui/common/recentfiles.h"
#include "ui/dashboard/regiontreemodel.h"
#include "ui/dashboard/statuscontroller.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <fstream>
#include <set>

using namespace envsync;
using namespace envsync::ui;

namespace {

QString demoConfig()
{
    return QString::fromStdString(test::demoConfigPath());
}

QString text(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

void attachTesters(MainWindow &window, QObject *owner)
{
    for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 window.dashboardModel(), window.dashboardProxy(), window.regionTreeModel()}) {
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     owner);
    }
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Never touch the developer's own settings.
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_mainwindow"));
        db::registerGuiThread();
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void opensDemoAndFillsDashboard()
    {
        MainWindow window;
        QObject testers;
        attachTesters(window, &testers);
        window.resize(1440, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QSignalSpy loaded(window.controller(), &StatusController::configLoaded);
        QSignalSpy probed(window.controller(), &StatusController::endpointProbed);
        QSignalSpy finished(window.controller(), &StatusController::probeFinished);
        window.openConfig(demoConfig());
        QVERIFY(finished.wait(30000));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(probed.count(), 5);
        QCOMPARE(finished.count(), 1);

        const DashboardModel *model = window.dashboardModel();
        QCOMPARE(model->rowCount(), 5);
        QCOMPARE(model->pendingCount(), 0);
        std::set<QString> names;
        std::set<QString> regionFreshness;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString name = text(model, row, DashboardModel::NameColumn);
            names.insert(name);
            QCOMPARE(text(model, row, DashboardModel::ReachableColumn), QStringLiteral("yes"));
            QVERIFY2(text(model, row, DashboardModel::VersionColumn).startsWith(u"15."),
                     qPrintable(name));
            QVERIFY(text(model, row, DashboardModel::SizeColumn).endsWith(u"B"));
            QVERIFY(text(model, row, DashboardModel::ErrorColumn).isEmpty());
            if (text(model, row, DashboardModel::RoleColumn) == u"Region") {
                const QString freshness = text(model, row, DashboardModel::FreshnessColumn);
                QVERIFY2(freshness == u"ok" || freshness == u"due" || freshness == u"overdue",
                         qPrintable(name + QStringLiteral(": ") + freshness));
                regionFreshness.insert(freshness);
                QVERIFY(!text(model, row, DashboardModel::AgeColumn).isEmpty());
                QVERIFY(!text(model, row, DashboardModel::LastRefreshColumn).isEmpty());
                QCOMPARE(text(model, row, DashboardModel::SlaColumn), QStringLiteral("8d 0h"));
            }
        }
        QCOMPARE(names, (std::set<QString>{QStringLiteral("prod"), QStringLiteral("golden"),
                                           QStringLiteral("eu"), QStringLiteral("us"),
                                           QStringLiteral("apac")}));
        QVERIFY2(regionFreshness.size() >= 2, "the demo's regions should differ in freshness");
        QCOMPARE(window.dashboardProxy()->rowCount(), 5);

        const QRegularExpression summary(
                QStringLiteral("^Checked \\d\\d:\\d\\d:\\d\\d · 5/5 reachable$"));
        QVERIFY2(summary.match(window.statusSummary()).hasMatch(),
                 qPrintable(window.statusSummary()));
        QVERIFY(window.windowTitle().startsWith(u"envsync.yaml"));

        // Tree: Source, Golden, Regions › three regions, none still probing.
        const RegionTreeModel *tree = window.regionTreeModel();
        QCOMPARE(tree->rowCount(), 3);
        const QModelIndex regions = tree->index(2, 0);
        QCOMPARE(tree->rowCount(regions), 3);
        for (int row = 0; row < 3; ++row) {
            const QString status
                    = tree->index(row, RegionTreeModel::StatusColumn, regions).data().toString();
            QVERIFY2(!status.contains(u"probing"), qPrintable(status));
        }

        // Chart: one bar per region with an age, and an SLA marker each.
        QCOMPARE(window.chartView()->bars().size(), 3u);
        for (const AgeBar &bar : window.chartView()->bars())
            QVERIFY2(bar.ageDays && *bar.ageDays > 0.0, qPrintable(bar.region));
        QCOMPARE(window.chartView()->slaMarkers().size(), 3u);

        // The log dock got core's and the controller's messages.
        QTRY_VERIFY(window.logView()->toPlainText().contains(u"status checked: 5/5 reachable"));

        // Picking a region in the tree selects its row in the table.
        window.regionTreeView()->setCurrentIndex(tree->index(1, 0, regions));
        const QModelIndexList selected = window.dashboardView()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data().toString(), tree->index(1, 0, regions).data().toString());

        // Written in the background (SettingsWriter), so poll.
        QTRY_COMPARE(RecentFiles().files().value(0), QFileInfo(demoConfig()).absoluteFilePath());

        const QByteArray buildDir = qgetenv("ENVSYNC_BUILD_DIR");
        const QString shots
                = (buildDir.isEmpty() ? QDir::currentPath() : QString::fromLocal8Bit(buildDir))
                  + QStringLiteral("/screenshots");
        QVERIFY(QDir().mkpath(shots));
        const QPixmap shot = window.grab();
        QVERIFY(!shot.isNull());
        QVERIFY(shot.save(shots + QStringLiteral("/mainwindow.png")));
    }

    void refreshSupersedesRunningProbe()
    {
        MainWindow window;
        QObject testers;
        attachTesters(window, &testers);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy loaded(window.controller(), &StatusController::configLoaded);
        QSignalSpy finished(window.controller(), &StatusController::probeFinished);
        window.openConfig(demoConfig());
        QVERIFY(loaded.wait(10000));
        QVERIFY(window.controller()->isProbing()); // started right after configLoaded
        QSignalSpy started(window.controller(), &StatusController::probeStarted);
        QTest::keyClick(&window, Qt::Key_F5); // re-probe while the first round may still run
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(started.count(), 2);
        QVERIFY(finished.wait(30000));
        QTest::qWait(300); // a stale round must not report afterwards
        QCOMPARE(finished.count(), 1);
        QCOMPARE(window.dashboardModel()->pendingCount(), 0);
        QCOMPARE(window.dashboardModel()->reachableCount(), 5);
    }

    void configErrorsAreListed()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.yaml"));
        std::ofstream(path.toStdString()) << "version: 1\n"
                                             "source: { name: prod }\n"
                                             "golden: { dsn: \"host=/nowhere port=1\" }\n"
                                             "regions:\n"
                                             "  - name: eu\n"
                                             "    dsn: \"host=/nowhere port=2\"\n"
                                             "    freshness_sla: 7x\n";
        MainWindow window;
        window.show();
        QSignalSpy failed(window.controller(), &StatusController::configFailed);
        window.openConfig(path);
        QVERIFY(failed.wait(10000));
        const QStringList diagnostics = failed.first().at(1).toStringList();
        QVERIFY2(diagnostics.size() >= 2, qPrintable(diagnostics.join(u'\n')));

        QTRY_VERIFY(window.configErrorDialog() != nullptr);
        ConfigErrorDialog *dialog = window.configErrorDialog();
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->diagnostics(), diagnostics);
        const QString shown = dialog->findChild<QPlainTextEdit *>()->toPlainText();
        for (const QString &line : diagnostics) {
            QVERIFY2(shown.contains(line), qPrintable(line));
            QVERIFY2(line.contains(u"broken.yaml:"), qPrintable(line));
        }
        QTRY_VERIFY(window.logView()->toPlainText().contains(diagnostics.first()));
        QVERIFY(!window.controller()->hasConfig());
        QVERIFY(!window.controller()->isBusy());
        dialog->close();
    }

    void windowStateIsRemembered()
    {
        {
            MainWindow window;
            window.resize(1111, 777);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close();
        }
        QVERIFY(QSettings().contains(QStringLiteral("mainWindow/geometry")));
        QVERIFY(QSettings().contains(QStringLiteral("mainWindow/state")));
        MainWindow again;
        QCOMPARE(again.size(), QSize(1111, 777));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
