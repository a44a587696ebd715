// Pure mappings (colours, days, labels, icon kinds) and the item models under
// QAbstractItemModelTester; no database.

#include "uitestsettings.h"
#include "ui/dashboard/agechartmapping.h"
#include "ui/dashboard/agechartview.h"
#include "ui/dashboard/dashboardmodel.h"
#include "ui/dashboard/dashboardproxymodel.h"
#include "ui/common/logsink.h"
#include "ui/common/logview.h"
#include "ui/common/recentfiles.h"
#include "ui/dashboard/regiontreemodel.h"
#include "ui/common/settingswriter.h"
#include "ui/common/statusicons.h"
#include "ui/common/statuspalette.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <spdlog/spdlog.h>

#include <thread>

using namespace envsync;
using namespace envsync::ui;
using namespace std::chrono_literals;
using status::EndpointRole;
using status::EndpointStatus;
using status::Freshness;

Q_DECLARE_METATYPE(envsync::status::Freshness)
Q_DECLARE_METATYPE(envsync::ui::StatusIcons::Kind)

namespace {

EndpointStatus endpoint(std::string name, EndpointRole role, bool reachable = true)
{
    EndpointStatus e;
    e.name = std::move(name);
    e.role = role;
    e.address = "/tmp/sock:5432/" + e.name;
    e.reachable = reachable;
    if (reachable) {
        e.serverVersion = "15.18 (Debian 15.18-0+deb12u1)";
        e.sizeBytes = 12'345'678;
    } else {
        e.error = "connect: connection to server failed: timeout expired";
    }
    return e;
}

EndpointStatus region(std::string name, std::optional<std::chrono::seconds> age,
                      Freshness freshness, std::int64_t size = 10'000'000)
{
    EndpointStatus e = endpoint(std::move(name), EndpointRole::Region);
    e.sla = std::chrono::seconds(7 * 86400);
    e.age = age;
    e.freshness = freshness;
    e.sizeBytes = size;
    if (age) {
        status::LastRefresh last;
        last.finishedAt = QDateTime(QDate(2025, 3, 1), QTime(2, 30), QTimeZone::utc());
        last.sourceAsOf = last.finishedAt.addSecs(-600);
        last.snapshot = "golden_v3";
        e.lastRefresh = last;
    }
    return e;
}

/// source, golden, eu (ok), us (due), apac (overdue): the demo's shape.
std::vector<EndpointStatus> demoEstate()
{
    return {endpoint("prod", EndpointRole::Source), endpoint("golden", EndpointRole::Golden),
            region("eu", 2 * 86400s, Freshness::Ok, 900'000'000),
            region("us", 6 * 86400s, Freshness::Due, 1'500'000'000),
            region("apac", 9 * 86400s, Freshness::Overdue, 95'000'000)};
}

QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role).toString();
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_models"));
        // Keep the flood tests' output out of the test log: the default logger gets no sinks
        // of its own (LogView adds its sink to it).
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("tst_models"));
    }

    // --- pure mappings -----------------------------------------------------------------------

    void freshnessColour_data()
    {
        QTest::addColumn<Freshness>("freshness");
        QTest::addColumn<QString>("hue"); // green | amber | red | grey
        QTest::newRow("ok") << Freshness::Ok << QStringLiteral("green");
        QTest::newRow("due") << Freshness::Due << QStringLiteral("amber");
        QTest::newRow("overdue") << Freshness::Overdue << QStringLiteral("red");
        QTest::newRow("unknown") << Freshness::Unknown << QStringLiteral("grey");
    }

    void freshnessColour()
    {
        QFETCH(Freshness, freshness);
        QFETCH(QString, hue);
        const QColor color = StatusPalette::freshnessColor(freshness);
        QVERIFY(color.isValid());
        if (hue == u"grey") {
            QCOMPARE(color.hsvSaturation(), 0);
        } else {
            QVERIFY(color.hsvSaturation() > 120);
            const int h = color.hsvHue();
            if (hue == u"green")
                QVERIFY2(h >= 90 && h <= 150, qPrintable(QString::number(h)));
            else if (hue == u"amber")
                QVERIFY2(h >= 30 && h <= 50, qPrintable(QString::number(h)));
            else
                QVERIFY2(h <= 10 || h >= 350, qPrintable(QString::number(h)));
        }
        QCOMPARE(StatusPalette::freshnessText(freshness),
                 QString::fromLatin1(status::freshnessName(freshness)));
    }

    void freshnessSeverityOrders()
    {
        QVERIFY(StatusPalette::freshnessSeverity(Freshness::Ok)
                < StatusPalette::freshnessSeverity(Freshness::Unknown));
        QVERIFY(StatusPalette::freshnessSeverity(Freshness::Unknown)
                < StatusPalette::freshnessSeverity(Freshness::Due));
        QVERIFY(StatusPalette::freshnessSeverity(Freshness::Due)
                < StatusPalette::freshnessSeverity(Freshness::Overdue));
    }

    void toDays_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<double>("days");
        QTest::newRow("zero") << qint64(0) << 0.0;
        QTest::newRow("12h") << qint64(12 * 3600) << 0.5;
        QTest::newRow("7d") << qint64(7 * 86400) << 7.0;
        QTest::newRow("9d 6h") << qint64(9 * 86400 + 6 * 3600) << 9.25;
    }

    void toDays()
    {
        QFETCH(qint64, seconds);
        QFETCH(double, days);
        QCOMPARE(AgeChartMapping::toDays(std::chrono::seconds(seconds)), days);
    }

    void formatDays_data()
    {
        QTest::addColumn<double>("days");
        QTest::addColumn<QString>("text");
        QTest::newRow("hours") << 0.75 << QStringLiteral("18 h");
        QTest::newRow("one decimal") << 2.34 << QStringLiteral("2.3 d");
        QTest::newRow("whole days") << 12.4 << QStringLiteral("12 d");
    }

    void formatDays()
    {
        QFETCH(double, days);
        QFETCH(QString, text);
        QCOMPARE(AgeChartMapping::formatDays(days), text);
    }

    void chartBars()
    {
        std::vector<EndpointStatus> estate = demoEstate();
        estate[4].reachable = false; // apac: unreachable now, history still known
        const std::vector<AgeBar> bars = AgeChartMapping::bars(estate);
        QCOMPARE(bars.size(), 3u); // regions only
        QCOMPARE(bars[0].region, QStringLiteral("eu"));
        QCOMPARE(*bars[0].ageDays, 2.0);
        QCOMPARE(*bars[0].slaDays, 7.0);
        QCOMPARE(bars[1].freshness, Freshness::Due);
        QCOMPARE(AgeChartMapping::barSetFor(bars[2]), std::optional(Freshness::Overdue));
        QCOMPARE(AgeChartMapping::axisMaximum(bars), 9.0 * 1.15);
        QCOMPARE(AgeChartMapping::axisMaximum({}), 1.0);
        QCOMPARE(AgeChartMapping::categoryLabel(bars[0]), QStringLiteral("eu · 2.0 d"));
    }

    void chartLabels_data()
    {
        QTest::addColumn<bool>("probed");
        QTest::addColumn<bool>("reachable");
        QTest::addColumn<bool>("hasAge");
        QTest::addColumn<QString>("label");
        QTest::newRow("pending") << false << false << false << QStringLiteral("us · probing…");
        QTest::newRow("unreachable")
                << true << false << false << QStringLiteral("us · unreachable");
        QTest::newRow("never refreshed")
                << true << true << false << QStringLiteral("us · no refresh");
        QTest::newRow("age") << true << true << true << QStringLiteral("us · 18 h");
    }

    void chartLabels()
    {
        QFETCH(bool, probed);
        QFETCH(bool, reachable);
        QFETCH(bool, hasAge);
        QFETCH(QString, label);
        AgeBar bar;
        bar.region = QStringLiteral("us");
        bar.probed = probed;
        bar.reachable = reachable;
        if (hasAge)
            bar.ageDays = 0.75;
        QCOMPARE(AgeChartMapping::categoryLabel(bar), label);
        QCOMPARE(AgeChartMapping::barSetFor(bar).has_value(), hasAge);
    }

    void iconKinds_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<bool>("pending");
        QTest::addColumn<bool>("reachable");
        QTest::addColumn<StatusIcons::Kind>("kind");
        QTest::newRow("pending wins") << 4 << true << true << StatusIcons::Kind::Pending;
        QTest::newRow("unreachable source")
                << 0 << false << false << StatusIcons::Kind::Unreachable;
        QTest::newRow("reachable golden") << 1 << false << true << StatusIcons::Kind::Reachable;
        QTest::newRow("eu ok") << 2 << false << true << StatusIcons::Kind::Ok;
        QTest::newRow("us due") << 3 << false << true << StatusIcons::Kind::Due;
        QTest::newRow("apac overdue") << 4 << false << true << StatusIcons::Kind::Overdue;
        QTest::newRow("unreachable region")
                << 4 << false << false << StatusIcons::Kind::Unreachable;
    }

    void iconKinds()
    {
        QFETCH(int, row);
        QFETCH(bool, pending);
        QFETCH(bool, reachable);
        QFETCH(StatusIcons::Kind, kind);
        EndpointStatus e = demoEstate()[static_cast<std::size_t>(row)];
        e.reachable = reachable;
        QCOMPARE(StatusIcons::kindFor(e, pending), kind);
        const QPixmap pixmap = StatusIcons::pixmap(kind, 32);
        QCOMPARE(pixmap.size(), QSize(32, 32));
        QVERIFY(!StatusIcons::icon(kind).isNull());
        QVERIFY(!StatusIcons::describe(kind).isEmpty());
    }

    void worstKind()
    {
        using K = StatusIcons::Kind;
        QCOMPARE(StatusIcons::worse(K::Ok, K::Due), K::Due);
        QCOMPARE(StatusIcons::worse(K::Overdue, K::Due), K::Overdue);
        QCOMPARE(StatusIcons::worse(K::Overdue, K::Unreachable), K::Unreachable);
        QCOMPARE(StatusIcons::worse(K::Pending, K::Ok), K::Pending);
        QCOMPARE(StatusIcons::colorFor(K::Due), StatusPalette::freshnessColor(Freshness::Due));
    }

    void recentFiles_data()
    {
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QString>("added");
        QTest::addColumn<QStringList>("after");
        QTest::newRow("empty") << QStringList{} << QStringLiteral("/a.yaml")
                               << QStringList{QStringLiteral("/a.yaml")};
        QTest::newRow("moves to front")
                << QStringList{QStringLiteral("/a"), QStringLiteral("/b"), QStringLiteral("/c")}
                << QStringLiteral("/c")
                << QStringList{QStringLiteral("/c"), QStringLiteral("/a"), QStringLiteral("/b")};
        QStringList eight;
        for (int i = 1; i <= 8; ++i)
            eight << QStringLiteral("/%1").arg(i);
        QStringList trimmed = eight.mid(0, 7);
        trimmed.prepend(QStringLiteral("/new"));
        QTest::newRow("max eight") << eight << QStringLiteral("/new") << trimmed;
        QTest::newRow("ignores empty") << eight << QString() << eight;
    }

    void recentFiles()
    {
        QFETCH(QStringList, before);
        QFETCH(QString, added);
        QFETCH(QStringList, after);
        QCOMPARE(RecentFiles::withAdded(before, added), after);
    }

    void recentFilesPersistInTheBackground()
    {
        {
            SettingsWriter writer;
            RecentFiles recent(&writer);
            QVERIFY(recent.files().isEmpty());
            for (int i = 1; i <= 10; ++i)
                recent.add(QStringLiteral("/configs/%1.yaml").arg(i));
            recent.remove(QStringLiteral("/configs/9.yaml"));
            QCOMPARE(recent.files().size(), 7);
            writer.waitForDone();
        }
        const QStringList stored = RecentFiles().files();
        QCOMPARE(stored.size(), 7);
        QCOMPARE(stored.first(), QStringLiteral("/configs/10.yaml"));
        QVERIFY(!stored.contains(QStringLiteral("/configs/9.yaml")));
        {
            SettingsWriter writer;
            RecentFiles(&writer).clear();
        }
        QVERIFY(RecentFiles().files().isEmpty());
    }

    // --- models ------------------------------------------------------------------------------

    void dashboardModel()
    {
        DashboardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(DashboardModel::ColumnCount));

        std::vector<EndpointStatus> planned = demoEstate();
        for (auto &e : planned) { // what plannedEndpoints() gives: nothing probed
            EndpointStatus fresh;
            fresh.name = e.name;
            fresh.role = e.role;
            fresh.address = e.address;
            fresh.sla = e.sla;
            e = fresh;
        }
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.resetData(planned);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.pendingCount(), 5);
        QCOMPARE(cell(model, 2, DashboardModel::ReachableColumn), QStringLiteral("probing…"));
        QCOMPARE(cell(model, 2, DashboardModel::SlaColumn), QStringLiteral("7d 0h"));
        QCOMPARE(cell(model, 2, DashboardModel::FreshnessColumn), QString());

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const std::vector<EndpointStatus> probed = demoEstate();
        for (std::size_t i = 0; i < probed.size(); ++i)
            QVERIFY(model.updateEndpoint(i, probed[i]));
        QVERIFY(!model.updateEndpoint(99, probed[0]));
        QCOMPARE(changed.count(), 5);
        QCOMPARE(model.pendingCount(), 0);
        QCOMPARE(model.reachableCount(), 5);

        QCOMPARE(cell(model, 0, DashboardModel::NameColumn), QStringLiteral("prod"));
        QCOMPARE(cell(model, 0, DashboardModel::RoleColumn), QStringLiteral("Source"));
        QCOMPARE(cell(model, 0, DashboardModel::ReachableColumn), QStringLiteral("yes"));
        QCOMPARE(cell(model, 0, DashboardModel::VersionColumn), QStringLiteral("15.18"));
        QCOMPARE(cell(model, 0, DashboardModel::VersionColumn, Qt::ToolTipRole),
                 QStringLiteral("15.18 (Debian 15.18-0+deb12u1)"));
        QCOMPARE(cell(model, 3, DashboardModel::SizeColumn), QStringLiteral("1.5 GB"));
        QCOMPARE(model.index(3, DashboardModel::SizeColumn).data(DashboardModel::SortRole),
                 QVariant(qlonglong(1'500'000'000)));
        QCOMPARE(cell(model, 2, DashboardModel::AgeColumn), QStringLiteral("2d 0h"));
        QCOMPARE(cell(model, 3, DashboardModel::FreshnessColumn), QStringLiteral("due"));
        QCOMPARE(cell(model, 4, DashboardModel::FreshnessColumn), QStringLiteral("overdue"));
        QVERIFY(cell(model, 2, DashboardModel::LastRefreshColumn).endsWith(u" · golden_v3"));
        QCOMPARE(cell(model, 0, DashboardModel::FreshnessColumn), QString()); // not a region
        QCOMPARE(model.index(4, 0).data(DashboardModel::IconKindRole).toInt(),
                 int(StatusIcons::Kind::Overdue));

        // A failed probe: error in the cell (first line) and the whole text in the tooltip.
        EndpointStatus broken = endpoint("us", EndpointRole::Region, false);
        broken.error = "region us: connect: timeout expired\nsecond line";
        broken.errorInRow = "connect: timeout expired\nsecond line";
        model.updateEndpoint(3, broken);
        QCOMPARE(cell(model, 3, DashboardModel::ReachableColumn), QStringLiteral("no"));
        QCOMPARE(cell(model, 3, DashboardModel::ErrorColumn),
                 QStringLiteral("connect: timeout expired …")); // the row already says "us"
        QVERIFY(cell(model, 3, DashboardModel::ErrorColumn, Qt::ToolTipRole)
                        .contains(u"second line"));
        QCOMPARE(model.reachableCount(), 4);

        // Re-probe: values stay, rows pending.
        model.markAllPending();
        QCOMPARE(model.pendingCount(), 5);
        QCOMPARE(cell(model, 2, DashboardModel::AgeColumn), QStringLiteral("2d 0h"));
        QVERIFY(model.wasProbed(2));

        model.resetData({});
        QCOMPARE(model.rowCount(), 0);
    }

    void proxySortsByBytesAndFilters()
    {
        DashboardModel model;
        DashboardProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester modelTester(
                &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
                &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.resetData(demoEstate());
        const auto estate = demoEstate();
        for (std::size_t i = 0; i < estate.size(); ++i)
            model.updateEndpoint(i, estate[i]);

        // As text "95.0 MB" > "900.0 MB" > "12.3 MB" > "1.5 GB"; by bytes the GB row is last.
        proxy.sort(DashboardModel::SizeColumn, Qt::AscendingOrder);
        QStringList names;
        for (int row = 0; row < proxy.rowCount(); ++row)
            names << cell(proxy, row, DashboardModel::NameColumn);
        QCOMPARE(names,
                 (QStringList{QStringLiteral("prod"), QStringLiteral("golden"),
                              QStringLiteral("apac"), QStringLiteral("eu"), QStringLiteral("us")}));

        proxy.sort(DashboardModel::FreshnessColumn, Qt::DescendingOrder);
        QCOMPARE(cell(proxy, 0, DashboardModel::NameColumn), QStringLiteral("apac"));

        // Live update re-sorts: eu becomes the biggest.
        proxy.sort(DashboardModel::SizeColumn, Qt::DescendingOrder);
        EndpointStatus bigger = estate[2];
        bigger.sizeBytes = 9'000'000'000;
        model.updateEndpoint(2, bigger);
        QCOMPARE(cell(proxy, 0, DashboardModel::NameColumn), QStringLiteral("eu"));

        proxy.setFilterText(QStringLiteral("AP"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText(QString());
        QCOMPARE(proxy.rowCount(), 5);

        proxy.setProblemsOnly(true);
        QCOMPARE(proxy.rowCount(), 2); // us due, apac overdue
        model.updateEndpoint(0, endpoint("prod", EndpointRole::Source, false));
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setProblemsOnly(false);
        QCOMPARE(proxy.rowCount(), 5);
    }

    void regionTree()
    {
        RegionTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto estate = demoEstate();
        model.resetData(estate);

        QCOMPARE(model.rowCount(), 3); // Source, Golden, Regions
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("Source · prod"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Golden"));
        const QModelIndex regions = model.index(2, 0);
        QCOMPARE(regions.data().toString(), QStringLiteral("Regions"));
        QCOMPARE(model.rowCount(regions), 3);
        QCOMPARE(model.index(2, 0, regions).data().toString(), QStringLiteral("apac"));
        QCOMPARE(model.endpointAt(regions), -1);
        for (std::size_t i = 0; i < estate.size(); ++i)
            QCOMPARE(model.endpointAt(model.indexForEndpoint(i)), int(i));
        QCOMPARE(regions.data(RegionTreeModel::IconKindRole).toInt(),
                 int(StatusIcons::Kind::Pending));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (std::size_t i = 0; i < estate.size(); ++i)
            model.updateEndpoint(i, estate[i]);
        QVERIFY(changed.count() >= 5);
        QCOMPARE(model.index(0, RegionTreeModel::StatusColumn).data().toString(),
                 QStringLiteral("reachable"));
        QCOMPARE(model.index(1, 0, regions)
                         .siblingAtColumn(RegionTreeModel::StatusColumn)
                         .data()
                         .toString(),
                 QStringLiteral("due · 6d 0h"));
        // The group shows its worst child and a summary.
        QCOMPARE(regions.data(RegionTreeModel::IconKindRole).toInt(),
                 int(StatusIcons::Kind::Overdue));
        QCOMPARE(regions.siblingAtColumn(RegionTreeModel::StatusColumn).data().toString(),
                 QStringLiteral("1 overdue, 1 due, 1 ok"));

        model.markAllPending();
        QCOMPARE(model.index(0, RegionTreeModel::StatusColumn).data().toString(),
                 QStringLiteral("probing…"));
        model.resetData({});
        QCOMPARE(model.rowCount(), 0);
    }

    void chartView()
    {
        AgeChartView view;
        const auto estate = demoEstate();
        std::vector<bool> probed(estate.size(), false);
        view.setBars(AgeChartMapping::bars(estate, probed));
        QCOMPARE(view.barSets().size(), 4u);
        QCOMPARE(view.slaMarkers().size(), 3u);
        // ok set: only eu has a value.
        QCOMPARE(view.barSets()[0]->count(), 3);
        QCOMPARE(view.barSets()[0]->at(0), 2.0);
        QCOMPARE(view.barSets()[0]->at(1), 0.0);
        QCOMPARE(view.barSets()[2]->at(2), 9.0); // overdue: apac
        QCOMPARE(view.slaMarkers()[1]->at(0).y(), 7.0);

        // In-place update when apac gets fresh.
        auto updated = estate;
        updated[4].age = 1 * 86400s;
        updated[4].freshness = Freshness::Ok;
        QBarSet *okSet = view.barSets()[0];
        view.setBars(AgeChartMapping::bars(updated));
        QCOMPARE(view.barSets()[0], okSet);
        QCOMPARE(okSet->at(2), 1.0);
        QCOMPARE(view.barSets()[2]->at(2), 0.0);
        QVERIFY(!view.grab().isNull());
    }

    // --- log sink ----------------------------------------------------------------------------

    void logSinkBatchesAFlood()
    {
        auto sink = std::make_shared<LogSink>(1000);
        QSignalSpy available(sink.get(), &LogSink::recordsAvailable);
        auto logger = std::make_shared<spdlog::logger>("flood", sink);
        constexpr int perThread = 5000;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&logger, t] {
                for (int i = 0; i < perThread; ++i)
                    logger->info("thread {} message {}", t, i);
            });
        }
        for (auto &thread : threads)
            thread.join();
        QTRY_COMPARE(available.count(), 1); // one notification for the whole flood
        const LogSink::Batch batch = sink->takeRecords();
        QCOMPARE(batch.records.size(), 1000u); // bounded
        QCOMPARE(batch.records.size() + batch.dropped, std::size_t(4 * perThread));
        QVERIFY(batch.records.back().text.contains(u"message 4999"));
        QCOMPARE(batch.records.back().level, spdlog::level::info);

        logger->warn("after");
        QTRY_COMPARE(available.count(), 2); // re-armed by takeRecords()
        QCOMPARE(sink->takeRecords().records.front().text, QStringLiteral("after"));
    }

    void logViewShowsDefaultLoggerRecords()
    {
        LogView view;
        spdlog::warn("disk almost full on {}", "golden");
        spdlog::error("region {} unreachable", "apac");
        QTRY_VERIFY(view.toPlainText().contains(u"region apac unreachable"));
        QVERIFY(view.toPlainText().contains(u"warn  disk almost full on golden"));

        for (int i = 0; i < 3000; ++i)
            spdlog::info("flood {}", i);
        QTRY_VERIFY(view.toPlainText().contains(u"flood 2999"));
        QVERIFY(view.document()->blockCount() <= LogView::maximumLines());
        QVERIFY(view.toPlainText().contains(u"messages skipped"));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
