// The Schema Drift view in the real main window against the demo estate (CTest fixture
// `demo`): real config, real probe, real drift check on a worker, real clicks.

#include "uitestsettings.h"
#include "testsupport.h"

#include "core/db/threadguard.h"
#include "ui/drift/driftcontroller.h"
#include "ui/drift/driftdetailpane.h"
#include "ui/drift/driftfilterproxymodel.h"
#include "ui/drift/driftheatmapmodel.h"
#include "ui/drift/driftview.h"
#include "ui/drift/heatmapmapping.h"
#include "ui/common/logview.h"
#include "ui/mainwindow.h"
#include "ui/dashboard/statuscontroller.h"

#include "heatmaprows.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFontInfo>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <fstream>

using namespace envsync;
using namespace envsync::ui;
using drift::Severity;

using envsync::uitest::findRow;
using envsync::uitest::regionColumn;

namespace {

constexpr int checkTimeoutMs = 60000;

QString demoConfig()
{
    return QString::fromStdString(test::demoConfigPath());
}

using envsync::uitest::screenshotDir;

/// "region:object" of every cell with differences of its row's own object, sorted.
QStringList ownCells(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        for (int column = DriftHeatmapModel::FirstRegionColumn; column < model->columnCount();
             ++column) {
            const QModelIndex cell = model->index(row, column, parent);
            if (cell.data(DriftHeatmapModel::OwnCountRole).toInt() > 0)
                out << cell.data(DriftHeatmapModel::RegionRole).toString() + QLatin1Char(':')
                                + index.data(DriftHeatmapModel::QualifiedNameRole).toString();
        }
        out << ownCells(model, index);
    }
    out.sort();
    return out;
}

/// Opens `config` in the window and waits for its drift check (run after the first probe).
bool openAndWaitForDrift(MainWindow &window, const QString &config)
{
    QSignalSpy finished(window.driftView()->controller(), &DriftController::checkFinished);
    window.openConfig(config);
    return finished.wait(checkTimeoutMs);
}

} // namespace

class TestDriftView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_driftview"));
        db::registerGuiThread();
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void heatmapOfTheDemo()
    {
        MainWindow window;
        DriftView *view = window.driftView();
        QAbstractItemModelTester modelTester(
                view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
                view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1440, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QSignalSpy probed(window.controller(), &StatusController::probeFinished);
        QSignalSpy started(view->controller(), &DriftController::checkStarted);
        QVERIFY(openAndWaitForDrift(window, demoConfig()));
        // Checked once, after the probe answered (not in parallel with it).
        QCOMPARE(probed.count(), 1);
        QCOMPARE(started.count(), 1);
        QVERIFY(!view->controller()->isRunning());
        QVERIFY(!view->progressBar()->isVisible());

        // Ctrl+2 shows the Schema Drift tab.
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), view);
        QVERIFY(view->isVisible());

        QVERIFY2(view->referenceLabel()->text()
                         == u"Reference: source prod (no golden snapshot yet)",
                 qPrintable(view->referenceLabel()->text()));
        QVERIFY(!view->errorBanner()->isVisible());

        // The six differences of the demo, each where it belongs, and nothing else.
        const QAbstractItemModel *proxy = view->proxy();
        QCOMPARE(proxy->headerData(DriftHeatmapModel::FirstRegionColumn, Qt::Horizontal).toString(),
                 QStringLiteral("eu"));
        QCOMPARE(proxy->columnCount(), DriftHeatmapModel::FirstRegionColumn + 3);
        struct Expected
        {
            const char *region;
            const char *object;
            const char *kind;
            Severity severity;
        };
        const Expected expected[] = {
                {"eu", "public.customers.country", "column", Severity::Warning},
                {"eu", "public.orders.orders_status_idx", "index", Severity::Warning},
                {"us", "public.customers.birth_date", "column", Severity::Breaking},
                {"us", "public.products.price", "column", Severity::Warning},
                {"apac", "public.support_tickets", "table", Severity::Breaking},
                {"apac", "public.orders.orders_audit", "trigger", Severity::Warning},
        };
        QStringList expectedCells;
        for (const Expected &e : expected) {
            const QString object = QString::fromUtf8(e.object);
            const QString region = QString::fromUtf8(e.region);
            expectedCells << region + QLatin1Char(':') + object;
            const QModelIndex row = findRow(proxy, object);
            QVERIFY2(row.isValid(), e.object);
            QCOMPARE(row.siblingAtColumn(DriftHeatmapModel::KindColumn).data().toString(),
                     QString::fromUtf8(e.kind));
            for (const QString &other : {u"eu"_qs, u"us"_qs, u"apac"_qs}) {
                const QModelIndex cell = row.siblingAtColumn(regionColumn(proxy, other));
                QVERIFY(cell.isValid());
                if (other == region) {
                    QCOMPARE(cell.data(DriftHeatmapModel::SeverityRole).toInt(),
                             static_cast<int>(e.severity));
                    QCOMPARE(cell.data(DriftHeatmapModel::CountRole).toInt(), 1);
                    QCOMPARE(cell.data().toString(), QStringLiteral("1"));
                    QCOMPARE(cell.data(Qt::BackgroundRole).value<QColor>(),
                             HeatmapMapping::severityColor(e.severity));
                } else {
                    // A clean cell: no number, the neutral colour.
                    QCOMPARE(cell.data(DriftHeatmapModel::CountRole).toInt(), 0);
                    QCOMPARE(cell.data().toString(), QString());
                    QCOMPARE(cell.data(DriftHeatmapModel::SeverityRole).toInt(), -1);
                    QCOMPARE(cell.data(Qt::BackgroundRole).value<QColor>(),
                             HeatmapMapping::severityColor(std::nullopt));
                }
            }
        }
        expectedCells.sort();
        QCOMPARE(ownCells(proxy), expectedCells);

        // Group rows sum their children: public × us has two, the worst breaking.
        const QModelIndex pub = findRow(proxy, QStringLiteral("public"));
        const QModelIndex publicUs = pub.siblingAtColumn(regionColumn(proxy, u"us"_qs));
        QCOMPARE(publicUs.data(DriftHeatmapModel::CountRole).toInt(), 2);
        QCOMPARE(publicUs.data(DriftHeatmapModel::SeverityRole).toInt(),
                 static_cast<int>(Severity::Breaking));
        const QModelIndex orders = findRow(proxy, QStringLiteral("public.orders"));
        QCOMPARE(orders.siblingAtColumn(regionColumn(proxy, u"eu"_qs)).data().toString(),
                 QStringLiteral("1"));

        // Breaking only: two cells remain.
        view->severityFilter()->setCurrentIndex(
                view->severityFilter()->findData(static_cast<int>(Severity::Breaking)));
        QCOMPARE(ownCells(proxy), (QStringList{u"apac:public.support_tickets"_qs,
                                               u"us:public.customers.birth_date"_qs}));
        QVERIFY(!findRow(proxy, QStringLiteral("public.orders")).isValid());
        // Kind and schema filters.
        view->severityFilter()->setCurrentIndex(0);
        view->kindFilter()->setCurrentIndex(view->kindFilter()->findText(u"column"_qs));
        QCOMPARE(ownCells(proxy).size(), 3);
        view->kindFilter()->setCurrentIndex(0);
        QCOMPARE(view->schemaFilter()->findText(u"public"_qs), 1);
        view->schemaFilter()->setCurrentIndex(1);
        QCOMPARE(ownCells(proxy), expectedCells);
        view->schemaFilter()->setCurrentIndex(0);
        QCOMPARE(ownCells(proxy), expectedCells);

        // Click us × customers.birth_date: the detail pane compares the definitions.
        QTreeView *heatmap = view->heatmapView();
        const QModelIndex cell = findRow(proxy, QStringLiteral("public.customers.birth_date"))
                                         .siblingAtColumn(regionColumn(proxy, u"us"_qs));
        heatmap->scrollTo(cell);
        const QRect rect = heatmap->visualRect(cell);
        QVERIFY(rect.isValid());
        QTest::mouseClick(heatmap->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(heatmap->currentIndex(), cell);
        DriftDetailPane *detail = view->detailPane();
        QVERIFY2(detail->titleLabel()->text().contains(u"us × public.customers.birth_date"),
                 qPrintable(detail->titleLabel()->text()));
        QVERIFY(detail->summaryLabel()->text().contains(u"missing column"));
        const QString reference = detail->referenceEdit()->toPlainText();
        QVERIFY2(reference.contains(u"birth_date"), qPrintable(reference));
        QVERIFY2(detail->regionEdit()->toPlainText().isEmpty(),
                 qPrintable(detail->regionEdit()->toPlainText()));
        QVERIFY(detail->regionEdit()->placeholderText().contains(u"absent"));
        const QString ddl = detail->ddlEdit()->toPlainText();
        QVERIFY2(ddl.contains(u"ADD COLUMN \"birth_date\""), qPrintable(ddl));
        QVERIFY(detail->referenceEdit()->isReadOnly());
        QVERIFY(detail->ddlEdit()->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(QFontInfo(detail->ddlEdit()->font()).fixedPitch());

        // A table row compares the whole table: customers in eu differs in country's default.
        const QModelIndex customersEu = findRow(proxy, QStringLiteral("public.customers"))
                                                .siblingAtColumn(regionColumn(proxy, u"eu"_qs));
        heatmap->setCurrentIndex(customersEu);
        QVERIFY(detail->referenceEdit()->toPlainText().startsWith(u"CREATE TABLE"));
        QVERIFY(detail->referenceEdit()->toPlainText().contains(u"'US'"));
        QVERIFY(detail->regionEdit()->toPlainText().contains(u"'DE'"));

        // Export PNG.
        const QString png = screenshotDir() + QStringLiteral("/drift-heatmap.png");
        QFile::remove(png);
        QVERIFY(view->exportPng(png));
        QVERIFY(QFileInfo(png).size() > 0);
        QFile file(png);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(8), QByteArray("\x89PNG\r\n\x1a\n", 8));
        QImageReader reader(png);
        QCOMPARE(reader.format(), QByteArray("png"));
        const QImage image = reader.read();
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 200 && image.height() > 100);
        // Whole window too, for humans looking at CI artefacts.
        QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/drift-view.png")));

        // The log dock got the controller's summary.
        QTRY_VERIFY(window.logView()->toPlainText().contains(u"drift checked against"));
    }

    void recheckCancelAndReference()
    {
        MainWindow window;
        DriftView *view = window.driftView();
        QAbstractItemModelTester proxyTester(
                view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(openAndWaitForDrift(window, demoConfig()));
        const int rows = view->proxy()->rowCount();
        QVERIFY(rows > 0);

        // F6 re-checks (from anywhere in the window) and shows the drift tab; Cancel discards.
        QSignalSpy finished(view->controller(), &DriftController::checkFinished);
        QSignalSpy cancelled(view->controller(), &DriftController::checkCancelled);
        QSignalSpy checkStarted(view->controller(), &DriftController::checkStarted);
        QTest::keyClick(&window, Qt::Key_F6);
        QCOMPARE(window.centralTabs()->currentWidget(), view);
        QVERIFY(view->controller()->isRunning());
        QVERIFY(view->progressBar()->isVisible());
        QCOMPARE(view->progressBar()->maximum(), 3);
        view->cancelCheck();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!view->controller()->isRunning());
        QCOMPARE(checkStarted.count(), 1);
        QTest::qWait(2500); // the worker finishes meanwhile; its result must be dropped
        QCOMPARE(finished.count(), 0);
        QCOMPARE(view->proxy()->rowCount(), rows); // the previous results stay

        // Against the source explicitly: no fallback note.
        view->setReference(drift::Reference::Source);
        view->recheck();
        QVERIFY(finished.wait(checkTimeoutMs));
        QVERIFY2(view->referenceLabel()->text() == u"Reference: source prod",
                 qPrintable(view->referenceLabel()->text()));
        QCOMPARE(ownCells(view->proxy()).size(), 6);

        // A superseded check never reports: two in a row give one result.
        view->setReference(drift::Reference::Golden);
        view->recheck();
        view->recheck();
        QVERIFY(finished.wait(checkTimeoutMs));
        QTest::qWait(1000);
        QCOMPARE(finished.count(), 2);
        QVERIFY(view->referenceLabel()->text().contains(u"no golden snapshot yet"));
    }

    void unreadableRegionIsShown()
    {
        // The demo config plus a region whose server does not exist.
        const std::string original = test::readFile(test::demoConfigPath());
        const std::size_t regions = original.find("regions:\n");
        QVERIFY(regions != std::string::npos);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string socketDir = dir.path().toStdString();
        const std::string extra = "  - name: latam\n"
                                  "    dsn: \"dbname='shop' host='"
                                  + socketDir
                                  + "' port='1' user='postgres'\"\n"
                                    "    timezone: America/Sao_Paulo\n"
                                    "    window: { rrule: \"FREQ=WEEKLY;BYDAY=TH\", start: "
                                    "\"02:00\", duration: 3h }\n"
                                    "    freshness_sla: 7d\n"
                                    "    owner: qa-latam@example.com\n";
        const std::string config
                = original.substr(0, regions + 9) + extra + original.substr(regions + 9);
        const QString path = dir.filePath(QStringLiteral("envsync.yaml"));
        std::ofstream(path.toStdString()) << config;

        MainWindow window;
        DriftView *view = window.driftView();
        QAbstractItemModelTester proxyTester(
                view->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1440, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWaitForDrift(window, path));
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);

        QVERIFY(view->errorBanner()->isVisible());
        QVERIFY2(view->errorBanner()->text().contains(u"region latam"),
                 qPrintable(view->errorBanner()->text()));
        const QAbstractItemModel *proxy = view->proxy();
        const int latam = regionColumn(proxy, u"latam"_qs);
        QCOMPARE(latam, DriftHeatmapModel::FirstRegionColumn); // config order
        QVERIFY(proxy->headerData(latam, Qt::Horizontal).toString().contains(u"⚠"));
        const QModelIndex cell = findRow(proxy, QStringLiteral("public")).siblingAtColumn(latam);
        QVERIFY(!cell.data(DriftHeatmapModel::RegionErrorRole).toString().isEmpty());
        QCOMPARE(cell.data(Qt::BackgroundRole).value<QColor>(), HeatmapMapping::errorColor());
        // Clicked, the cell says latam was not compared: never "no drift" or "nothing to
        // reconcile" for a region nobody could read.
        QTreeView *heatmap = view->heatmapView();
        heatmap->scrollTo(cell);
        QTest::mouseClick(heatmap->viewport(), Qt::LeftButton, {},
                          heatmap->visualRect(cell).center());
        QCOMPARE(heatmap->currentIndex(), cell);
        const QString title = view->detailPane()->titleLabel()->text();
        QVERIFY2(title.contains(u"not compared") && !title.contains(u"no drift"),
                 qPrintable(title));
        QVERIFY2(view->detailPane()->summaryLabel()->text().contains(u"latam could not be read"),
                 qPrintable(view->detailPane()->summaryLabel()->text()));
        QVERIFY(view->detailPane()->ddlEdit()->toPlainText().isEmpty());
        QVERIFY2(
                !view->detailPane()->ddlEdit()->placeholderText().contains(u"nothing to reconcile"),
                qPrintable(view->detailPane()->ddlEdit()->placeholderText()));
        // The other regions are still compared.
        QCOMPARE(ownCells(proxy).size(), 6);
        QTRY_VERIFY(window.logView()->toPlainText().contains(u"region latam"));
        QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/drift-unreadable.png")));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestDriftView)
#include "tst_driftview.moc"
