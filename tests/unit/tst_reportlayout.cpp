// Report layout for a large estate, without databases: 30 synthetic regions (long and
// non-ASCII names, unreachable ones, drift and refreshes) through the chart geometry and the
// real PDF painter. Guards against what a 30-region report first showed: names running into
// the bars, value texts past the page edge, the drift chart cut at the bottom of page 2.

#include "core/report/reportcharts.h"
#include "reportpdf/reportpdf.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace envsync;
using namespace envsync::report;

namespace {

constexpr int regionCount = 30;
/// The charts' own estimate of a character at 11 px (reportcharts.cpp).
constexpr double characterWidth = 6.6;

QDateTime utc(int day, int hour)
{
    return QDateTime(QDate(2026, 11, day), QTime(hour, 0), QTimeZone::utc());
}

std::string regionName(int i)
{
    if (i == 7)
        return "eu-north-stockholm-secondary-failover-replica"; // longer than any column
    if (i == 12)
        return "région-été-ñandú-東京"; // multi-byte characters where a cut may fall
    return "region-" + std::to_string(i);
}

FreshnessReport largeEstate()
{
    FreshnessReport report;
    report.generatedAt = utc(26, 9);
    report.period = {utc(1, 0), utc(26, 9)};
    report.driftReference = "golden_v3";
    for (int i = 0; i < regionCount; ++i) {
        RegionReport region;
        region.name = regionName(i);
        region.reachable = i % 11 != 5;
        if (!region.reachable)
            region.error = "region " + region.name + ": connect: no such socket";
        region.sla = std::chrono::hours(24 * 8);
        if (region.reachable) {
            region.age = std::chrono::hours(12 * (i % 20));
            region.freshness = i % 3 == 0 ? status::Freshness::Ok : status::Freshness::Due;
            region.drift = drift::SeverityCounts{i % 2, i % 4, i % 3};
            region.periodRefreshes.push_back({utc(3 + i % 20, 2), utc(3 + i % 20, 3), "golden_v3",
                                              i % 4 ? "success" : "failed", "envsync-agent"});
        } else {
            region.driftError = "not reachable";
        }
        report.regions.push_back(std::move(region));
    }
    report.summary = summarize(report.regions, 2);
    return report;
}

double textWidth(const ChartShape &shape)
{
    return characterWidth * QString::fromStdString(shape.text).toUcs4().size();
}

/// Every shape inside the chart: bars and lines within its width, text (as estimated) too.
void checkInside(const Chart &chart)
{
    for (const ChartShape &shape : chart.shapes) {
        QVERIFY2(shape.x >= 0, shape.text.c_str());
        double right = shape.x + (shape.kind == ChartShape::Kind::Text ? 0 : shape.width);
        if (shape.kind == ChartShape::Kind::Text && shape.anchor == ChartShape::Anchor::Start)
            right += textWidth(shape);
        QVERIFY2(right <= chart.width + 0.5,
                 qPrintable(QStringLiteral("%1 ends at %2 of %3")
                                    .arg(QString::fromStdString(shape.text))
                                    .arg(right)
                                    .arg(chart.width)));
        QVERIFY(shape.y <= chart.height);
    }
}

/// The texts of the shapes that start at x == 0: the region name column.
QStringList nameLabels(const Chart &chart)
{
    QStringList names;
    for (const ChartShape &shape : chart.shapes) {
        if (shape.kind == ChartShape::Kind::Text && shape.x == 0 && !shape.bold)
            names << QString::fromStdString(shape.text);
    }
    return names;
}

} // namespace

class TestReportLayout : public QObject
{
    Q_OBJECT

private slots:
    void chartsKeepEveryTextInside()
    {
        const FreshnessReport report = largeEstate();
        for (const Chart &chart :
             {freshnessChart(report), refreshTimelineChart(report), driftChart(report)}) {
            checkInside(chart);
            if (QTest::currentTestFailed())
                QFAIL(chart.title.c_str());
            const QStringList names = nameLabels(chart);
            QCOMPARE(names.size(), regionCount);
            QCOMPARE(names[3], QStringLiteral("region-3"));
            // Too long for the column: cut, marked, and still valid UTF-8.
            QVERIFY(names[7].endsWith(QStringLiteral("…")));
            QVERIFY(names[7].startsWith(QStringLiteral("eu-north-stockholm")));
            QCOMPARE(names[12], QString::fromUtf8("région-été-ñandú-東京"));
        }
    }

    void columnsGrowWithTheNames()
    {
        FreshnessReport report = largeEstate();
        report.regions.resize(3); // region-0 … region-2: short names
        const Chart narrow = freshnessChart(report);
        report.regions[1].name = "us-west-oregon-2";
        const Chart wide = freshnessChart(report);
        // The bars start after the name column: further right when a name is longer.
        const auto barStart = [](const Chart &chart) {
            for (const ChartShape &shape : chart.shapes) {
                if (shape.kind == ChartShape::Kind::Rect)
                    return shape.x;
            }
            return -1.0;
        };
        QVERIFY(barStart(narrow) > 0);
        QVERIFY(barStart(wide) > barStart(narrow));
        QVERIFY(barStart(wide) >= characterWidth * 16);
    }

    void pdfShowsEveryRegionInEveryChartAndTheTable()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed; install-deps.sh installs it");
        const FreshnessReport report = largeEstate();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("large.pdf"));
        QVERIFY(writePdf(report, path).has_value());
        QProcess pdftotext;
        pdftotext.start(QStringLiteral("pdftotext"), {path, QStringLiteral("-")});
        QVERIFY(pdftotext.waitForFinished(30000));
        const QString text = QString::fromUtf8(pdftotext.readAllStandardOutput());
        // Each name: freshness chart, timeline, drift bars, table (which may wrap it).
        for (int i = 0; i < regionCount; ++i) {
            if (i == 7 || i == 12)
                continue; // cut in the charts, wrapped in the table
            const QString name = QString::fromStdString(regionName(i));
            const QRegularExpression whole(
                    QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(name)));
            QVERIFY2(text.count(whole) >= 4, qPrintable(QStringLiteral("%1 appears %2 times")
                                                                .arg(name)
                                                                .arg(text.count(whole))));
        }
        QVERIFY(text.contains(QStringLiteral("not checked")));
        // Pages (pdftotext ends each with a form feed): summary + freshness, timeline, drift
        // bars (no room left under the timeline), then the table.
        QVERIFY2(text.count(QLatin1Char('\f')) >= 4,
                 qPrintable(QString::number(text.count(QLatin1Char('\f')))));
    }
};

QTEST_MAIN(TestReportLayout)
#include "tst_reportlayout.moc"
