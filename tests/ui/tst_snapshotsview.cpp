// The Snapshots view with real widgets against its own small demo estate (creating snapshots
// in the shared `demo` fixture would change what the drift tests compare with): list, New
// Snapshot with per-table progress, Verify, Cancel (no __building database left behind), and
// the fail-closed refusal listing the unclassified columns.

#include "uitestsettings.h"
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/db/controldb.h"
#include "core/db/dsn.h"
#include "core/db/threadguard.h"
#include "core/demo/demo.h"
#include "ui/common/jobformat.h"
#include "ui/common/jobprogresspanel.h"
#include "ui/common/tableprogressmodel.h"
#include "ui/dashboard/statuscontroller.h"
#include "ui/mainwindow.h"
#include "ui/snapshots/snapshotcontroller.h"
#include "ui/snapshots/snapshotlistmodel.h"
#include "ui/snapshots/snapshotsview.h"
#include "ui/snapshots/verifychecksmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <pqxx/pqxx>

#include <unistd.h>

#include <algorithm>
#include <numeric>

using namespace envsync;
using namespace envsync::ui;

namespace {

constexpr int jobTimeoutMs = 60000;

using envsync::uitest::screenshotDir;

/// Databases on the golden cluster whose name matches a LIKE pattern (raw libpqxx: the test
/// thread is the registered GUI thread, which EnvSync's db layer rightly refuses).
QStringList goldenDatabases(const std::string &goldenDsn, const std::string &pattern)
{
    QStringList names;
    try {
        pqxx::connection conn(
                db::Dsn::parse(goldenDsn)->with("dbname", "postgres").toConnectionString());
        pqxx::nontransaction tx(conn);
        for (const auto &row : tx.exec_params(
                     "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1", pattern))
            names << QString::fromStdString(row[0].as<std::string>());
    } catch (const std::exception &e) {
        names << QStringLiteral("<error: %1>").arg(QString::fromUtf8(e.what()));
    }
    return names;
}

/// Waits until `predicate` holds, processing events (progress arrives queued).
template<typename Predicate>
bool waitFor(Predicate predicate, int timeoutMs)
{
    return QTest::qWaitFor(predicate, timeoutMs);
}

} // namespace

class TestSnapshotsView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_snapshotsview"));
        qputenv("ENVSYNC_MASK_SALT", "tst_snapshotsview-salt-0123456789");

        m_dir = "/tmp/envsync-snapview-" + std::to_string(::getpid());
        (void)demo::down(m_dir);
        auto state = demo::up({m_dir, 500});
        QVERIFY2(state.has_value(), state ? "" : state.error().describe().c_str());
        m_up = true;
        m_configPath = state->configPath.string();
        auto config = config::loadConfigFile(m_configPath);
        QVERIFY2(config.has_value(), config ? "" : config.error().front().format().c_str());
        m_config = std::make_shared<const config::Config>(*config);

        // eu's last refresh used golden_v1 (which the test creates): "in use by eu".
        auto control = db::ControlDb::open(*m_config, {});
        QVERIFY2(control.has_value(), control ? "" : control.error().describe().c_str());
        db::RefreshRecord record;
        record.region = "eu";
        record.snapshot = "golden_v1";
        record.finishedAt = QDateTime::currentDateTimeUtc();
        record.startedAt = record.finishedAt.addSecs(-60);
        record.sourceAsOf = record.startedAt;
        record.actor = "tst_snapshotsview";
        QVERIFY(control->recordRefresh(record).has_value());

        db::registerGuiThread(); // from here on, any DB call on this thread is refused
    }

    void cleanupTestCase()
    {
        db::unregisterGuiThread();
        if (m_up)
            (void)demo::down(m_dir);
    }

    void createVerifyCancelRefuse()
    {
        MainWindow window;
        SnapshotsView &view = *window.snapshotsView();
        QAbstractItemModelTester listTester(view.listModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester tablesTester(
                view.tableProgressModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester checksTester(
                view.checksModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy probed(window.controller(), &StatusController::probeFinished);
        window.openConfig(QString::fromStdString(m_configPath));
        QVERIFY(probed.wait(jobTimeoutMs));
        QCOMPARE(view.listModel()->rowCount(), 0);
        QVERIFY(!view.controller()->isLoading()); // nothing read before anyone looks

        // Ctrl+3 shows the tab, which reads the catalogue.
        QSignalSpy listed(&view, &SnapshotsView::listChanged);
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), &view);
        QVERIFY(listed.wait(jobTimeoutMs));
        QCOMPARE(view.listModel()->rowCount(), 0);
        QVERIFY(!view.errorBanner()->isVisible());
        QVERIFY(!view.verifyAction()->isEnabled()); // nothing to verify yet
        // No job has run: no 0 % bar, no figures, no Cancel.
        QVERIFY(!view.overallProgress()->isVisible());
        QVERIFY(!view.statsLabel()->isVisible());
        QVERIFY(!view.jobPanel()->cancelButton()->isVisible());

        createFirst(view);
        verifyFirst(view);
        cancelSecond(window, view);
        refuseUnclassified(view);
        view.setConfig(window.controller()->config());
    }

private:
    void createFirst(SnapshotsView &view)
    {
        SnapshotController *controller = view.controller();
        controller->setJobs(2);
        QSignalSpy progress(controller, &SnapshotController::createProgress);
        QSignalSpy steps(controller, &SnapshotController::createStep);
        QSignalSpy finished(controller, &SnapshotController::createFinished);
        QSignalSpy listed(&view, &SnapshotsView::listChanged);
        view.newSnapshotAction()->trigger();
        QVERIFY(controller->isCreating());
        QVERIFY(!view.newSnapshotAction()->isEnabled()); // one create at a time
        QVERIFY(view.cancelAction()->isEnabled());
        QVERIFY(view.overallProgress()->isVisible());
        QVERIFY(view.jobPanel()->cancelButton()->isVisible());
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<SnapshotCreateOutcome>();
        QVERIFY2(outcome.created.has_value(), qPrintable(outcome.error));
        QCOMPARE(outcome.created->name, std::string("golden_v1"));

        // Progress reached the widgets: steps, overall bar, one finished row per table.
        QVERIFY(!steps.isEmpty());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(view.overallProgress()->value(), 100);
        QVERIFY(view.overallProgress()->isVisible()); // the last result stays
        QVERIFY(!view.jobPanel()->cancelButton()->isVisible());
        QVERIFY2(view.stepLabel()->text().startsWith(u"golden_v1 is ready"),
                 qPrintable(view.stepLabel()->text()));
        TableProgressModel *tables = view.tableProgressModel();
        QVERIFY(tables->rowCount() >= 7); // the demo shop's tables
        QCOMPARE(tables->doneCount(), tables->rowCount());
        std::int64_t rows = 0;
        for (const auto &table : tables->tables())
            rows += table.rowsDone;
        std::int64_t recorded = 0;
        for (const auto &[table, count] : outcome.created->rowCounts)
            recorded += count;
        QCOMPARE(rows, recorded);
        const QModelIndex customers = tables->index(0, 0);
        QVERIFY(customers.isValid());
        QCOMPARE(tables->index(0, TableProgressModel::ProgressColumn)
                         .data(TableProgressModel::PercentRole)
                         .toInt(),
                 100);
        QVERIFY(!view.controller()->isCreating());

        // The list is read again and shows golden_v1, used by eu's last refresh.
        QVERIFY(waitFor([&] { return view.listModel()->rowCount() == 1; }, jobTimeoutMs));
        SnapshotListModel *list = view.listModel();
        auto cell = [&](int column) { return list->index(0, column).data().toString(); };
        QCOMPARE(cell(SnapshotListModel::NameColumn), QStringLiteral("golden_v1"));
        QCOMPARE(cell(SnapshotListModel::StateColumn), QStringLiteral("ready"));
        QCOMPARE(cell(SnapshotListModel::RowsColumn), jobformat::count(recorded));
        QCOMPARE(cell(SnapshotListModel::RulesHashColumn).size(), 12);
        QVERIFY(!cell(SnapshotListModel::SizeColumn).isEmpty());
        QVERIFY(!cell(SnapshotListModel::DurationColumn).isEmpty());
        QVERIFY(!cell(SnapshotListModel::CreatedByColumn).isEmpty());
        QCOMPARE(cell(SnapshotListModel::InUseColumn), QStringLiteral("eu"));
        QVERIFY(view.verifyAction()->isEnabled());
        QCOMPARE(goldenDatabases(m_config->golden.dsn, "golden_v%"),
                 QStringList{QStringLiteral("golden_v1")});
    }

    void verifyFirst(SnapshotsView &view)
    {
        QSignalSpy verified(view.controller(), &SnapshotController::verifyFinished);
        view.listView()->selectRow(0);
        view.verifyAction()->trigger();
        QVERIFY(verified.wait(jobTimeoutMs));
        const auto outcome = verified.first().first().value<SnapshotVerifyOutcome>();
        QVERIFY2(outcome.report.has_value(), qPrintable(outcome.error));
        QCOMPARE(outcome.report->name, std::string("golden_v1"));
        VerifyChecksModel *checks = view.checksModel();
        QVERIFY(checks->rowCount() >= 10);
        QCOMPARE(checks->failedCount(), 0);
        QStringList kinds;
        for (int row = 0; row < checks->rowCount(); ++row)
            kinds << checks->index(row, VerifyChecksModel::CheckColumn).data().toString();
        QVERIFY(kinds.contains(u"row_count"_qs));
        QVERIFY(kinds.contains(u"fk_join"_qs));
        QVERIFY(kinds.contains(u"masked_leak"_qs));
        QVERIFY2(view.verifySummary()->text().contains(u"golden_v1 verified"),
                 qPrintable(view.verifySummary()->text()));
        QCOMPARE(view.detailTabs()->currentIndex(), 1);
        QTest::qWait(150); // let posted layout requests and log records land first
        QVERIFY(view.grab().save(screenshotDir() + QStringLiteral("/snapshots-verify.png")));
    }

    /// A throttled second snapshot, cancelled mid-copy: no golden_v2, no __building database.
    void cancelSecond(MainWindow &window, SnapshotsView &view)
    {
        SnapshotController *controller = view.controller();
        controller->setMaxRowsPerSecond(400); // a 500-order shop then takes several seconds
        QSignalSpy finished(controller, &SnapshotController::createFinished);
        view.newSnapshotAction()->trigger();
        QCOMPARE(view.detailTabs()->currentIndex(), 0);
        // Wait until the data phase is visibly under way: some table started, not all done.
        TableProgressModel *tables = view.tableProgressModel();
        QVERIFY(waitFor(
                [&] {
                    const auto &all = tables->tables();
                    const auto rows = std::accumulate(
                            all.begin(), all.end(), std::int64_t{0},
                            [](std::int64_t sum, const auto &t) { return sum + t.rowsDone; });
                    return rows > 600 && tables->doneCount() < tables->rowCount();
                },
                jobTimeoutMs));
        QVERIFY(view.overallProgress()->value() > 5);
        QVERIFY(view.overallProgress()->value() < 90);
        QVERIFY2(view.statsLabel()->text().contains(u"rows/s"),
                 qPrintable(view.statsLabel()->text()));
        QVERIFY(finished.isEmpty());
        QCOMPARE(goldenDatabases(m_config->golden.dsn, "%__building"),
                 QStringList{QStringLiteral("golden_v2__building")});
        QTest::qWait(150); // let posted layout requests and log records land first
        QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/snapshots-progress.png")));

        view.cancelAction()->trigger();
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<SnapshotCreateOutcome>();
        QVERIFY(!outcome.created);
        QVERIFY2(outcome.cancelled, qPrintable(outcome.error));
        QVERIFY2(view.stepLabel()->text().startsWith(u"Cancelled"),
                 qPrintable(view.stepLabel()->text()));
        QVERIFY(!view.errorBanner()->isVisible()); // a cancel is not an error
        QCOMPARE(goldenDatabases(m_config->golden.dsn, "%__building"), QStringList{});
        QCOMPARE(goldenDatabases(m_config->golden.dsn, "golden_v%"),
                 QStringList{QStringLiteral("golden_v1")});
        QVERIFY(waitFor([&] { return !controller->isLoading(); }, jobTimeoutMs));
        QCOMPARE(view.listModel()->rowCount(), 1);
        controller->setMaxRowsPerSecond(0);
    }

    /// Two columns lose their keep entry: New Snapshot is refused and names both.
    void refuseUnclassified(SnapshotsView &view)
    {
        auto changed = std::make_shared<config::Config>(*m_config);
        std::erase(changed->masking.keep, std::string("public.products.sku"));
        std::erase(changed->masking.keep, std::string("public.orders.status"));
        QCOMPARE(changed->masking.keep.size() + 2, m_config->masking.keep.size());
        QSignalSpy listed(&view, &SnapshotsView::listChanged);
        view.setConfig(changed);
        QVERIFY(listed.wait(jobTimeoutMs));
        QSignalSpy finished(view.controller(), &SnapshotController::createFinished);
        view.newSnapshotAction()->trigger();
        QVERIFY(finished.wait(jobTimeoutMs));
        const auto outcome = finished.first().first().value<SnapshotCreateOutcome>();
        QVERIFY(!outcome.created);
        QVERIFY(!outcome.cancelled);
        QCOMPARE(outcome.unclassified,
                 (QStringList{u"public.orders.status (public.order_status)"_qs,
                              u"public.products.sku (text)"_qs}));
        const QString banner = view.errorBanner()->text();
        QVERIFY(view.errorBanner()->isVisible());
        QVERIFY2(banner.contains(u"refused: 2 unclassified column(s)"), qPrintable(banner));
        QVERIFY2(banner.contains(u"\n   • public.orders.status (public.order_status)"),
                 qPrintable(banner));
        QVERIFY2(banner.contains(u"\n   • public.products.sku (text)"), qPrintable(banner));
        QCOMPARE(goldenDatabases(m_config->golden.dsn, "golden_v%"),
                 QStringList{QStringLiteral("golden_v1")});
    }

    QTemporaryDir m_settingsDir;
    std::string m_dir;
    std::string m_configPath;
    bool m_up = false;
    std::shared_ptr<const config::Config> m_config;
};

QTEST_MAIN(TestSnapshotsView)
#include "tst_snapshotsview.moc"
