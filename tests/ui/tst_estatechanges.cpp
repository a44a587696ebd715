// Views follow the estate: jobs that change it (New Snapshot, a refresh, a rollback) and a
// region's outage and recovery are reflected without anyone pressing F6. The main window runs
// against its own demo estate, started without a golden snapshot (the shared fixture's drift
// tests must not see these changes), with real jobs, real probes and real clicks.

#include "owndemoestate.h"
#include "refreshdialogwait.h"
#include "uitestsettings.h"

#include "core/db/threadguard.h"
#include "ui/drift/driftcontroller.h"
#include "ui/drift/driftdetailpane.h"
#include "ui/drift/driftfilterproxymodel.h"
#include "ui/drift/driftheatmapmodel.h"
#include "ui/drift/driftview.h"
#include "ui/mainwindow.h"
#include "ui/refresh/refreshcontroller.h"
#include "ui/refresh/refreshdialog.h"
#include "ui/refresh/refreshview.h"
#include "ui/snapshots/snapshotcontroller.h"
#include "ui/snapshots/snapshotsview.h"
#include "ui/dashboard/statuscontroller.h"

#include "heatmaprows.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace envsync;
using namespace envsync::ui;
using envsync::test::OwnDemoEstate;

using envsync::uitest::findRow;
using envsync::uitest::regionColumn;

namespace {

constexpr int jobTimeoutMs = 120000;
/// A drift check of the demo takes seconds; well under Qt Test's 300 s per function.
constexpr int checkTimeoutMs = 60000;

/// eu's window is Mondays 02:00–05:00 Europe/Berlin (CET = UTC+1 in November).
const QDateTime insideEuWindow(QDate(2026, 11, 23), QTime(2, 30), Qt::UTC);

/// Differences the heatmap shows for `region` on objects of its own (a row's own count).
int ownDifferences(const QAbstractItemModel *model, const QString &region,
                   const QModelIndex &parent = {})
{
    const int column = regionColumn(model, region);
    if (column < 0)
        return -1;
    int total = 0;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        total += model->index(row, column, parent).data(DriftHeatmapModel::OwnCountRole).toInt();
        total += ownDifferences(model, region, index);
    }
    return total;
}

} // namespace

class TestEstateChanges : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_estatechanges"));
        qputenv("ENVSYNC_MASK_SALT", "tst_estatechanges-salt-0123456789");
        const std::string started = m_estate.start(500, false);
        QVERIFY2(started.empty(), started.c_str());
        QDir().mkpath(uitest::screenshotDir());
        db::registerGuiThread(); // from here on, any DB call on this thread is refused

        m_window = std::make_unique<MainWindow>();
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
                drift()->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy checked(drift()->controller(), &DriftController::checkFinished);
        m_window->openConfig(m_estate.configPath());
        QVERIFY(checked.wait(jobTimeoutMs));
        m_window->refreshView()->controller()->setNow(insideEuWindow);
        m_window->refreshView()->controller()->setJobs(1);
    }

    void cleanupTestCase()
    {
        (void)m_estate.startCluster("us"); // a failed check must not leave it down
        m_proxyTester.reset();
        m_window.reset();
        db::unregisterGuiThread();
    }

    /// New Snapshot makes golden_v1: the drift view, which compared with the source for want
    /// of a snapshot, checks again against golden_v1 by itself.
    void newSnapshotRechecksDrift()
    {
        QVERIFY2(drift()->referenceLabel()->text().contains(u"no golden snapshot yet"),
                 qPrintable(drift()->referenceLabel()->text()));
        SnapshotsView *snapshots = m_window->snapshotsView();
        m_window->centralTabs()->setCurrentWidget(snapshots);
        QSignalSpy created(snapshots->controller(), &SnapshotController::createFinished);
        QSignalSpy estate(m_window.get(), &MainWindow::estateChanged);
        QVERIFY(snapshots->newSnapshotAction()->isEnabled());
        snapshots->newSnapshotAction()->trigger();
        QVERIFY(created.wait(jobTimeoutMs));
        QVERIFY2(created.first().first().value<SnapshotCreateOutcome>().created.has_value(),
                 qPrintable(created.first().first().value<SnapshotCreateOutcome>().error));
        QCOMPARE(estate.count(), 1);
        QCOMPARE(estate.first().first().value<EstateChange>(), EstateChange::Snapshot);
        QCOMPARE(estate.first().at(1).toString(), QStringLiteral("golden_v1"));
        QTRY_COMPARE_WITH_TIMEOUT(drift()->referenceLabel()->text(),
                                  QStringLiteral("Reference: golden_v1"), checkTimeoutMs);
        QVERIFY2(drift()->errorBanner()->isHidden(), qPrintable(drift()->errorBanner()->text()));
        // eu's injected drift, now against golden_v1.
        QVERIFY(ownDifferences(drift()->proxy(), QStringLiteral("eu")) > 0);
    }

    /// A refresh of eu from golden_v1 removes eu's drift from the heatmap, a rollback brings
    /// it back: each without F6.
    void refreshAndRollbackRecheckTheHeatmap()
    {
        RefreshView *refresh = m_window->refreshView();
        RefreshController *controller = refresh->controller();
        const int euBefore = ownDifferences(drift()->proxy(), QStringLiteral("eu"));
        QVERIFY(euBefore > 0);

        refresh->setRegion(QStringLiteral("eu"));
        m_window->centralTabs()->setCurrentWidget(refresh);
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier);
        RefreshDialog *dialog = envsync::uitest::waitForRefreshPlan(refresh, jobTimeoutMs);
        QVERIFY(dialog);
        QVERIFY2(dialog->refreshButton()->isEnabled(), qPrintable(dialog->statusLabel()->text()));
        QSignalSpy refreshed(controller, &RefreshController::refreshFinished);
        QTest::mouseClick(dialog->refreshButton(), Qt::LeftButton);
        QVERIFY(refreshed.wait(jobTimeoutMs));
        const auto outcome = refreshed.first().first().value<RefreshJobOutcome>();
        QVERIFY2(outcome.result.has_value(), qPrintable(outcome.error));
        QTRY_COMPARE_WITH_TIMEOUT(ownDifferences(drift()->proxy(), QStringLiteral("eu")), 0,
                                  checkTimeoutMs);

        // Roll Back (enabled: eu has its previous database now), confirmed.
        QTRY_VERIFY_WITH_TIMEOUT(refresh->rollbackAction()->isEnabled(), jobTimeoutMs);
        QSignalSpy rolledBack(controller, &RefreshController::rollbackFinished);
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QMessageBox *box = refresh->rollbackConfirmation();
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QVERIFY(rolledBack.wait(jobTimeoutMs));
        const auto undone = rolledBack.first().first().value<RollbackOutcome>();
        QVERIFY2(undone.result.has_value(), qPrintable(undone.error));
        QTRY_COMPARE_WITH_TIMEOUT(ownDifferences(drift()->proxy(), QStringLiteral("eu")), euBefore,
                                  jobTimeoutMs);
    }

    /// us goes down: the next probe (F5) re-checks drift, which shows us as unreadable, and a
    /// us cell never claims "no drift". us comes back: the next probe re-checks and the banner
    /// goes.
    void unreadableBannerFollowsTheRegion()
    {
        m_window->centralTabs()->setCurrentWidget(drift());
        const std::string stopped = m_estate.stopCluster("us");
        QVERIFY2(stopped.empty(), stopped.c_str());
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        QTRY_VERIFY_WITH_TIMEOUT(drift()->errorBanner()->isVisible(), checkTimeoutMs);
        QVERIFY2(drift()->errorBanner()->text().contains(u"region us"),
                 qPrintable(drift()->errorBanner()->text()));

        // A cell of us: not compared, so neither "no drift" nor "nothing to reconcile".
        const QAbstractItemModel *proxy = drift()->proxy();
        const int us = regionColumn(proxy, QStringLiteral("us"));
        QVERIFY(us >= 0);
        const QModelIndex cell = findRow(proxy, QStringLiteral("public")).siblingAtColumn(us);
        QVERIFY(cell.isValid());
        QTreeView *heatmap = drift()->heatmapView();
        heatmap->scrollTo(cell);
        QTest::mouseClick(heatmap->viewport(), Qt::LeftButton, {},
                          heatmap->visualRect(cell).center());
        QCOMPARE(heatmap->currentIndex(), cell);
        DriftDetailPane *detail = drift()->detailPane();
        const QString title = detail->titleLabel()->text();
        QVERIFY2(title.contains(u"not compared") && !title.contains(u"no drift"),
                 qPrintable(title));
        QVERIFY2(detail->summaryLabel()->text().contains(u"could not be read"),
                 qPrintable(detail->summaryLabel()->text()));
        QVERIFY(detail->ddlEdit()->toPlainText().isEmpty());
        QVERIFY2(!detail->ddlEdit()->placeholderText().contains(u"nothing to reconcile"),
                 qPrintable(detail->ddlEdit()->placeholderText()));
        QTest::qWait(150);
        QVERIFY(m_window->grab().save(uitest::screenshotDir()
                                      + QStringLiteral("/drift-us-down.png")));

        const std::string restarted = m_estate.startCluster("us");
        QVERIFY2(restarted.empty(), restarted.c_str());
        QVERIFY(activateWindow());
        QTest::keyClick(m_window.get(), Qt::Key_F5);
        QTRY_VERIFY_WITH_TIMEOUT(drift()->errorBanner()->isHidden(), checkTimeoutMs);
        const int usAgain = regionColumn(proxy, QStringLiteral("us"));
        QVERIFY(usAgain >= 0);
        QVERIFY(!proxy->headerData(usAgain, Qt::Horizontal).toString().contains(u"⚠"));
        QTest::qWait(150);
        QVERIFY(m_window->grab().save(uitest::screenshotDir()
                                      + QStringLiteral("/drift-us-back.png")));
    }

private:
    DriftView *drift() const { return m_window->driftView(); }

    /// Window shortcuts need the active window; a closed dialog leaves none offscreen.
    bool activateWindow() const
    {
        m_window->activateWindow();
        return QTest::qWaitForWindowActive(m_window.get());
    }

    QTemporaryDir m_settingsDir;
    OwnDemoEstate m_estate{"estate"};
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

QTEST_MAIN(TestEstateChanges)
#include "tst_estatechanges.moc"
