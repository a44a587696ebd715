// The window stays responsive while one endpoint is a TCP black hole (accepts, never answers:
// libpq waits its whole connect_timeout), and the db layer refuses to run on the GUI thread.

#include "uitestsettings.h"
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/db/connection.h"
#include "core/db/threadguard.h"
#include "ui/dashboard/dashboardmodel.h"
#include "ui/dashboard/dashboardproxymodel.h"
#include "ui/mainwindow.h"
#include "ui/dashboard/statuscontroller.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <fstream>

using namespace envsync;
using namespace envsync::ui;

namespace {

constexpr int connectTimeoutSeconds = 3;

/// The demo config with region `region` pointing at `dsn` and a 3 s connect timeout.
QString configWithRegionDsn(const QTemporaryDir &dir, const std::string &region,
                            const std::string &dsn)
{
    const std::string demoPath = test::demoConfigPath();
    auto config = config::loadConfigFile(demoPath);
    if (!config)
        qFatal("the demo config does not load");
    std::string text = test::readFile(demoPath);
    const std::string oldDsn = config->findRegion(region)->dsn;
    const auto at = text.find(oldDsn);
    if (at == std::string::npos)
        qFatal("region %s's dsn is not in the demo config text", region.c_str());
    text.replace(at, oldDsn.size(), dsn);
    const std::string timeouts = "timeouts: { connect: 5s";
    const auto t = text.find(timeouts);
    if (t == std::string::npos)
        qFatal("no 'timeouts: { connect: 5s' in the demo config");
    text.replace(t, timeouts.size(),
                 "timeouts: { connect: " + std::to_string(connectTimeoutSeconds) + "s");
    const QString path = dir.filePath(QStringLiteral("envsync.yaml"));
    std::ofstream(path.toStdString()) << text;
    return path;
}

int rowOf(const DashboardModel &model, const QString &name)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, DashboardModel::NameColumn).data().toString() == name)
            return row;
    }
    return -1;
}

} // namespace

class TestResponsiveness : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_responsiveness"));
        db::registerGuiThread();
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void staysResponsiveWhileAHostIsSilent()
    {
        // Accepts TCP connections (the kernel completes the handshake) and never says a word.
        QTcpServer blackHole;
        QVERIFY(blackHole.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> held;
        connect(&blackHole, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = blackHole.nextPendingConnection())
                held << socket; // kept open, never read, never answered
        });
        QTemporaryDir dir;
        const QString config = configWithRegionDsn(dir, "apac",
                                                   "host=127.0.0.1 port="
                                                           + std::to_string(blackHole.serverPort())
                                                           + " dbname=shop user=postgres");

        MainWindow window;
        QAbstractItemModelTester modelTester(
                window.dashboardModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
                window.dashboardProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("filterEdit"));
        QVERIFY(filter);

        // A 20 ms heartbeat on the GUI thread: any blocking call would show up as a long gap.
        QElapsedTimer sinceTick;
        qint64 maxGap = 0;
        int ticks = 0;
        QTimer heartbeat;
        heartbeat.setInterval(20);
        qint64 maxGapAt = 0;
        QElapsedTimer clock;
        connect(&heartbeat, &QTimer::timeout, this, [&] {
            if (ticks++ > 0 && sinceTick.elapsed() > maxGap) {
                maxGap = sinceTick.elapsed();
                maxGapAt = clock.elapsed();
            }
            sinceTick.restart();
        });

        QSignalSpy probed(window.controller(), &StatusController::endpointProbed);
        QSignalSpy finished(window.controller(), &StatusController::probeFinished);
        clock.start();
        sinceTick.start();
        heartbeat.start();
        window.openConfig(config);

        // The four real clusters answer long before the black hole's 3 s timeout.
        QTRY_VERIFY_WITH_TIMEOUT(probed.count() >= 4, 10000);
        const qint64 fourAnsweredAt = clock.elapsed();
        const DashboardModel &model = *window.dashboardModel();
        const int apac = rowOf(model, QStringLiteral("apac"));
        QVERIFY(apac >= 0);
        QCOMPARE(probed.count(), 4);
        for (const QList<QVariant> &signal : probed)
            QVERIFY(signal.at(0).toInt() != apac);
        QVERIFY2(fourAnsweredAt < (connectTimeoutSeconds * 1000) - 500,
                 qPrintable(QString::number(fourAnsweredAt)));
        QVERIFY(model.isPending(static_cast<std::size_t>(apac)));
        QCOMPARE(model.index(apac, DashboardModel::ReachableColumn).data().toString(),
                 QStringLiteral("probing…"));
        QVERIFY(window.statusSummary().startsWith(u"Probing… 4/5"));

        // While apac is pending: the window paints and takes keyboard input.
        QVERIFY(!window.grab().isNull());
        QTest::keyClicks(filter, QStringLiteral("ap"));
        QCOMPARE(filter->text(), QStringLiteral("ap"));
        QCOMPARE(window.dashboardProxy()->rowCount(), 1);
        // The test's own synchronous grab and key clicks above are not the window's fault.
        sinceTick.restart();
        // A key posted through the event queue is handled promptly, not after the probe.
        QElapsedTimer inputClock;
        inputClock.start();
        QCoreApplication::postEvent(filter, new QKeyEvent(QEvent::KeyPress, Qt::Key_A,
                                                          Qt::NoModifier, QStringLiteral("a")));
        QTRY_COMPARE_WITH_TIMEOUT(filter->text(), QStringLiteral("apa"), 1000);
        QVERIFY(inputClock.elapsed() < 200);
        filter->clear();
        QVERIFY(model.isPending(static_cast<std::size_t>(apac)));
        QVERIFY(!finished.count());

        QVERIFY(finished.wait(15000));
        heartbeat.stop();
        const qint64 total = clock.elapsed();
        QVERIFY2(total >= (connectTimeoutSeconds * 1000) - 300, qPrintable(QString::number(total)));
        qInfo("four endpoints answered after %lld ms, the black hole after %lld ms; longest "
              "GUI-thread gap %lld ms (ending at %lld ms) over %d ticks",
              fourAnsweredAt, total, maxGap, maxGapAt, ticks);
        QVERIFY2(maxGap < 200, qPrintable(QStringLiteral("max gap %1 ms").arg(maxGap)));
        QVERIFY(ticks > total / 20 / 2);

        QCOMPARE(probed.count(), 5);
        QCOMPARE(probed.last().at(0).toInt(), apac); // the black hole answered last
        QCOMPARE(model.index(apac, DashboardModel::ReachableColumn).data().toString(),
                 QStringLiteral("no"));
        const QString error
                = model.index(apac, DashboardModel::ErrorColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(error.contains(u"timeout"), qPrintable(error));
        QVERIFY(window.statusSummary().endsWith(u"· 4/5 reachable"));
        qDeleteAll(held);
    }

    void dbRefusesTheGuiThread()
    {
        QVERIFY(db::onGuiThread());
        const auto config = config::loadConfigFile(test::demoConfigPath());
        QVERIFY(config);
        QElapsedTimer clock;
        clock.start();
        auto connection = db::connect(config->source.dsn, {}, "source prod");
        QVERIFY(!connection);
        QCOMPARE(connection.error().code, ErrorCode::WrongThread);
        QVERIFY(clock.elapsed() < 100); // refused up front, not after trying
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
