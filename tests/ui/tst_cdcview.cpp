// The CDC tab with real widgets against its own demo estate: "not set up" before `cdc init`;
// "not running" (with how to start it) while no `cdc run` reports; with `cdc run` going, eu
// streams and its lag chart gets points; Pause and Resume write the flag `cdc run` obeys and
// the view follows it; a streamed region's freshness on the dashboard is its lag (issue 18).

#include "owndemoestate.h"
#include "testsupport.h"
#include "uitestsettings.h"

#include "core/db/sqlquote.h"
#include "core/db/threadguard.h"
#include "core/demo/demowriter.h"
#include "core/report/reportgather.h"
#include "core/status/statusprobe.h"
#include "ui/cdc/cdccontroller.h"
#include "ui/cdc/cdcregionmodel.h"
#include "ui/cdc/cdctrendchart.h"
#include "ui/cdc/cdcview.h"
#include "ui/dashboard/dashboardmodel.h"
#include "ui/dashboard/regiontreemodel.h"
#include "ui/dashboard/statuscontroller.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <future>

using namespace envsync;
using namespace envsync::ui;
using envsync::test::OwnDemoEstate;

namespace {

constexpr int pollTimeoutMs = 30000;

using envsync::uitest::screenshotDir;

const cdc::RegionCdcStatus *regionIn(const CdcView &view, const QString &region)
{
    return view.regionModel()->regionAt(view.regionModel()->rowOf(region));
}

QString stateOf(const CdcView &view, const QString &region)
{
    const cdc::RegionCdcStatus *row = regionIn(view, region);
    return row ? QString::fromStdString(row->state) : QStringLiteral("<no row>");
}

QString detailOf(const CdcView &view, const QString &region)
{
    const cdc::RegionCdcStatus *row = regionIn(view, region);
    return row ? QString::fromStdString(row->detail) : QString();
}

} // namespace

class TestCdcView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_cdcview"));
        qputenv("ENVSYNC_MASK_SALT", "tst_cdcview-salt-0123456789");
        const std::string started = m_estate.start(400, false);
        QVERIFY2(started.empty(), started.c_str());
        QDir().mkpath(screenshotDir());
        db::registerGuiThread(); // from here on, any DB call on this thread is refused
    }

    void cleanupTestCase()
    {
        stopStream();
        db::unregisterGuiThread();
    }

    /// Ctrl+9 shows the tab; before `cdc init` it says what to run instead of empty tables.
    void notSetUpSaysCdcInit()
    {
        MainWindow window;
        window.resize(1280, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy probed(window.controller(), &StatusController::probeFinished);
        window.openConfig(m_estate.configPath());
        QVERIFY(probed.wait(pollTimeoutMs));
        CdcView &view = *window.cdcView();
        QVERIFY(!view.controller()->isPolling()); // a hidden tab reads nothing
        QSignalSpy polled(view.controller(), &CdcController::polled);
        QTest::keyClick(&window, Qt::Key_9, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), &view);
        QCOMPARE(window.centralTabs()->tabText(window.centralTabs()->currentIndex()),
                 QStringLiteral("CDC"));
        QVERIFY(polled.wait(pollTimeoutMs));
        QVERIFY2(!view.errorBanner()->isVisible(), qPrintable(view.errorBanner()->text()));
        QVERIFY(view.setupLabel()->isVisible());
        QVERIFY2(view.setupLabel()->text().contains(u"envsyncctl cdc init -c "),
                 qPrintable(view.setupLabel()->text()));
        QVERIFY(!view.regionTable()->isVisible());
        // Another tab: polling stops.
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QVERIFY(!view.controller()->isPolling());

        // A config without a cdc: section is told to add one first.
        auto withoutCdc = std::make_shared<config::Config>(*m_estate.config());
        withoutCdc->cdc.configured = false;
        CdcView bare;
        bare.setConfig(withoutCdc);
        QSignalSpy barePolled(bare.controller(), &CdcController::polled);
        bare.show();
        QVERIFY(barePolled.wait(pollTimeoutMs));
        QVERIFY2(bare.setupLabel()->text().contains(u"Add a cdc: section"),
                 qPrintable(bare.setupLabel()->text()));
    }

    /// cdc init, a golden snapshot after it and a refresh of eu and us: they stream from there.
    void setUpCdc()
    {
        auto init = cli({QStringLiteral("cdc"), QStringLiteral("init")});
        QVERIFY2(init.exitCode == 0, qPrintable(init.err));
        auto created = cli({QStringLiteral("snapshot"), QStringLiteral("create"),
                            QStringLiteral("--jobs"), QStringLiteral("2")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        for (const QString &region : {QStringLiteral("eu"), QStringLiteral("us")}) {
            auto refreshed = cli({QStringLiteral("refresh"), QStringLiteral("--region"), region,
                                  QStringLiteral("--force-outside-window"),
                                  QStringLiteral("--reason"), QStringLiteral("tst_cdcview")});
            QVERIFY2(refreshed.exitCode == 0, qPrintable(refreshed.err));
        }
    }

    void notRunningSaysHowToStart()
    {
        CdcView view;
        QAbstractItemModelTester tester(view.regionModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1280, 720);
        view.setConfig(m_estate.config());
        QSignalSpy polled(view.controller(), &CdcController::polled);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(polled.wait(pollTimeoutMs));
        QVERIFY2(!view.errorBanner()->isVisible(), qPrintable(view.errorBanner()->text()));
        QVERIFY(!view.setupLabel()->isVisible());
        QVERIFY(view.noticeBanner()->isVisible());
        const QString notice = view.noticeBanner()->text();
        QVERIFY2(notice.contains(u"envsyncctl cdc run -c " + m_estate.configPath())
                         && notice.contains(u"envsync-cdc systemd service"),
                 qPrintable(notice));
        QCOMPARE(view.regionModel()->rowCount(), 3);
        QCOMPARE(stateOf(view, QStringLiteral("eu")), QStringLiteral("not running"));
        QVERIFY(regionIn(view, QStringLiteral("eu"))->appliedLsn.find('/') != std::string::npos);
        QVERIFY2(view.sourceLabel()->text().contains(u"exists"),
                 qPrintable(view.sourceLabel()->text()));
        QVERIFY2(view.walLabel()->text().contains(u" MB"), qPrintable(view.walLabel()->text()));
        QVERIFY(!view.walBadge()->isVisible()); // far below 10 GB
        // Not running is a gap, never a value.
        QVERIFY(polled.wait(pollTimeoutMs));
        QCOMPARE(view.lagChart()->pointCount(QStringLiteral("eu")), 0);
        QCOMPARE(view.controller()->history().samples().at(QStringLiteral("eu")).size(),
                 std::size_t(2));
        // Polls are never stacked: asking while one runs gets that one's result.
        const int delivered = view.controller()->pollsDelivered();
        QVERIFY(view.controller()->pollNow());
        QVERIFY(view.controller()->isPollBusy());
        QVERIFY(view.controller()->pollNow());
        QVERIFY(polled.wait(pollTimeoutMs));
        QTest::qWait(500);
        QCOMPARE(view.controller()->pollsDelivered(), delivered + 1);
    }

    /// The slot keeps more WAL than cdc.max_retained_wal allows: the header warns.
    void retainedWalAboveTheLimitShowsABadge()
    {
        // Some WAL after the slot's restart position, with no cdc run to consume it.
        QCOMPARE(OwnDemoEstate::scalar(m_estate.config()->source.dsn,
                                       "SELECT pg_logical_emit_message(false, 'tst_cdcview',"
                                       " repeat('x', 1000)) IS NOT NULL"),
                 std::string("t"));
        auto strict = std::make_shared<config::Config>(*m_estate.config());
        strict->cdc.maxRetainedWal = 1;
        CdcView view;
        view.resize(1280, 720);
        view.setConfig(strict);
        QSignalSpy polled(view.controller(), &CdcController::polled);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(polled.wait(pollTimeoutMs));
        QVERIFY(view.walBadge()->isVisible());
        QVERIFY2(view.walBadge()->text().contains(u"cdc.max_retained_wal"),
                 qPrintable(view.walBadge()->text()));
    }

    /// With `cdc run` going: eu streams and its lag is charted; Pause and Resume write the
    /// flag in the control database and the view follows after its next poll.
    void streamingPauseAndResume()
    {
        startStream();
        demo::DemoWriter workload({m_estate.config()->source.dsn, 21});
        workload.start();
        CdcView view;
        view.resize(1280, 720);
        view.setConfig(m_estate.config());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY2_WITH_TIMEOUT(stateOf(view, QStringLiteral("eu")) == u"streaming",
                                  qPrintable(stateOf(view, QStringLiteral("eu")) + u": "
                                             + detailOf(view, QStringLiteral("eu")) + u" / "
                                             + QString::fromUtf8(m_stream.readAllStandardError())),
                                  pollTimeoutMs);
        QVERIFY(!view.noticeBanner()->isVisible());
        QVERIFY2(view.readerLabel()->text().contains(u"streaming"),
                 qPrintable(view.readerLabel()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(view.lagChart()->pointCount(QStringLiteral("eu")) >= 3,
                                 pollTimeoutMs);
        QVERIFY(view.throughputChart()->pointCount(QStringLiteral("eu")) >= 3);
        // apac was never refreshed after cdc init: it has no position and is not charted.
        QCOMPARE(view.lagChart()->pointCount(QStringLiteral("apac")), 0);

        QPushButton *pause = view.findChild<QPushButton *>(QStringLiteral("cdcPause"));
        QPushButton *resume = view.findChild<QPushButton *>(QStringLiteral("cdcResume"));
        QVERIFY(pause && resume);
        QVERIFY(!pause->isEnabled()); // nothing selected
        const QRect euRow = view.regionTable()->visualRect(
                view.regionModel()->index(view.regionModel()->rowOf(QStringLiteral("eu")), 0));
        QTest::mouseClick(view.regionTable()->viewport(), Qt::LeftButton, {}, euRow.center());
        QCOMPARE(view.selectedRegion(), QStringLiteral("eu"));
        QVERIFY(pause->isEnabled());
        QVERIFY(!resume->isEnabled());
        QTest::qWait(12000); // a few more points for the screenshot
        QVERIFY(view.grab().save(screenshotDir() + QStringLiteral("/cdc.png")));

        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(pausedInControlDb("eu"), std::string("t"), pollTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("eu")), QStringLiteral("paused"),
                                  pollTimeoutMs);
        QVERIFY(regionIn(view, QStringLiteral("eu"))->paused);
        QCOMPARE(pausedInControlDb("us"), std::string("f"));
        QTRY_VERIFY(resume->isEnabled());
        QVERIFY(!pause->isEnabled());
        QVERIFY(!view.errorBanner()->isVisible());

        QTest::mouseClick(resume, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(pausedInControlDb("eu"), std::string("f"), pollTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("eu")), QStringLiteral("streaming"),
                                  pollTimeoutMs);
        QTRY_VERIFY(pause->isEnabled());
        QVERIFY(!resume->isEnabled());
        QCOMPARE(workload.stop(), std::string());
    }

    /// While `cdc run` streams into eu, its data age on the dashboard and in the report is its
    /// lag ("CDC"); apac, not streamed, keeps the age of its last refresh.
    void streamedRegionIsAsFreshAsItsLag()
    {
        startStream();
        const auto config = m_estate.config();
        QTRY_VERIFY_WITH_TIMEOUT(streamingInControlDb("eu"), pollTimeoutMs);
        // The probe and the report read databases: on a worker, as the console does (std::async:
        // QFuture::result() may run a queued task on the waiting GUI thread).
        const status::StatusReport statuses = std::async(std::launch::async, [config] {
                                                  return status::collectStatus(*config);
                                              }).get();
        const status::EndpointStatus *eu = nullptr;
        const status::EndpointStatus *apac = nullptr;
        for (const auto &endpoint : statuses.endpoints) {
            if (endpoint.name == "eu")
                eu = &endpoint;
            if (endpoint.name == "apac")
                apac = &endpoint;
        }
        QVERIFY(eu && apac);
        QVERIFY(eu->lastRefresh); // the control database was read: the refresh is still there
        QCOMPARE(eu->freshnessSource, status::FreshnessSource::Cdc);
        QVERIFY(eu->age && eu->age->count() <= 30);
        QCOMPARE(eu->freshness, status::Freshness::Ok);
        QCOMPARE(apac->freshnessSource, status::FreshnessSource::Refresh);

        DashboardModel dashboard;
        dashboard.resetData(statuses.endpoints);
        for (int row = 0; row < dashboard.rowCount(); ++row) {
            const QModelIndex age = dashboard.index(row, DashboardModel::AgeColumn);
            const QString name = dashboard.index(row, DashboardModel::NameColumn).data().toString();
            if (name == u"eu") {
                QVERIFY2(age.data().toString().endsWith(u"· CDC"),
                         qPrintable(age.data().toString()));
                QVERIFY(age.data(Qt::ToolTipRole).toString().startsWith(u"From CDC"));
            } else if (name == u"apac") {
                QVERIFY(!age.data().toString().contains(u"CDC"));
            }
        }

        RegionTreeModel tree;
        tree.resetData(statuses.endpoints);
        for (std::size_t i = 0; i < statuses.endpoints.size(); ++i)
            tree.updateEndpoint(i, statuses.endpoints[i]); // probed, as the window does
        const QModelIndex regions = tree.index(2, 0);
        QCOMPARE(regions.data().toString(), QStringLiteral("Regions"));
        for (int row = 0; row < tree.rowCount(regions); ++row) {
            const QString name = tree.index(row, 0, regions).data().toString();
            const QString status
                    = tree.index(row, RegionTreeModel::StatusColumn, regions).data().toString();
            if (name == u"eu")
                QVERIFY2(status.endsWith(u" · CDC"), qPrintable(status));
            else if (name == u"apac")
                QVERIFY2(!status.contains(u"CDC"), qPrintable(status));
        }

        const report::FreshnessReport report = std::async(std::launch::async, [config] {
                                                   return report::gatherReport(*config);
                                               }).get();
        const auto streamed = std::ranges::find(report.regions, "eu", &report::RegionReport::name);
        QVERIFY(streamed != report.regions.end());
        QCOMPARE(streamed->freshnessSource, status::FreshnessSource::Cdc);
        QVERIFY(streamed->age && streamed->age->count() <= 30);

        // cdc run gone: after its figures go stale, eu is as old as its refresh again.
        stopStream();
        QTest::qWait(11000);
        const status::StatusReport later = std::async(std::launch::async, [config] {
                                               return status::collectStatus(*config);
                                           }).get();
        bool euSeen = false;
        for (const auto &endpoint : later.endpoints) {
            if (endpoint.name != "eu")
                continue;
            euSeen = true;
            QVERIFY(endpoint.lastRefresh); // the control database was read
            QCOMPARE(endpoint.freshnessSource, status::FreshnessSource::Refresh);
        }
        QVERIFY(euSeen);
    }

private:
    test::CliRun cli(QStringList args)
    {
        args << QStringLiteral("-c") << m_estate.configPath();
        return test::runCli(args);
    }

    void startStream()
    {
        if (m_stream.state() != QProcess::NotRunning)
            return;
        m_stream.start(QString::fromStdString(test::cliPath()),
                       {QStringLiteral("cdc"), QStringLiteral("run"), QStringLiteral("-c"),
                        m_estate.configPath()});
        QVERIFY(m_stream.waitForStarted(5000));
    }

    void stopStream()
    {
        if (m_stream.state() == QProcess::NotRunning)
            return;
        m_stream.terminate();
        if (!m_stream.waitForFinished(30000)) {
            m_stream.kill();
            m_stream.waitForFinished(5000);
        }
    }

    std::string pausedInControlDb(const std::string &region) const
    {
        return OwnDemoEstate::scalar(m_estate.goldenDsn("envsync_control"),
                                     "SELECT paused FROM envsync.cdc_regions WHERE region = "
                                             + db::quoteLiteral(region));
    }

    bool streamingInControlDb(const std::string &region) const
    {
        return OwnDemoEstate::scalar(m_estate.goldenDsn("envsync_control"),
                                     "SELECT state FROM envsync.cdc_regions WHERE region = "
                                             + db::quoteLiteral(region)
                                             + " AND updated_at > now() - interval '5 s'")
               == "streaming";
    }

    QTemporaryDir m_settingsDir;
    OwnDemoEstate m_estate{"cdcview"};
    QProcess m_stream;
};

QTEST_MAIN(TestCdcView)
#include "tst_cdcview.moc"
