// A region CDC streams into is as fresh as its lag (issue 18): the rule that decides when the
// lag replaces the refresh age, and the words the status and report formats use for it.

#include "core/report/reportcsv.h"
#include "core/report/reporthtml.h"
#include "core/report/reportjson.h"
#include "core/status/cdcfreshness.h"
#include "core/status/statusformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace envsync;
using namespace std::chrono_literals;

namespace {

const QDateTime now = QDateTime(QDate(2026, 12, 3), QTime(12, 0, 0), Qt::UTC);

db::CdcRegionState row(const std::string &state, double lagSeconds, qint64 reportedSecondsAgo,
                       bool paused = false)
{
    db::CdcRegionState state_;
    state_.region = "eu";
    state_.state = state;
    state_.lagSeconds = lagSeconds;
    state_.paused = paused;
    state_.updatedAt = now.addSecs(-reportedSecondsAgo);
    return state_;
}

status::EndpointStatus refreshedRegion()
{
    status::EndpointStatus region;
    region.name = "eu";
    region.role = status::EndpointRole::Region;
    region.sla = 100s;
    region.age = 3 * 86400s; // refreshed three days ago: overdue against 100 s
    region.freshness = status::Freshness::Overdue;
    return region;
}

} // namespace

class TestCdcFreshness : public QObject
{
    Q_OBJECT

private slots:
    void streamedDataAge_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<double>("lag");
        QTest::addColumn<qint64>("reportedAgo");
        QTest::addColumn<bool>("paused");
        QTest::addColumn<qint64>("age"); // -1: not streamed, the refresh age holds

        QTest::newRow("streaming, caught up")
                << QStringLiteral("streaming") << 0.0 << qint64(1) << false << qint64(0);
        QTest::newRow("streaming, lag rounded up")
                << QStringLiteral("streaming") << 2.2 << qint64(1) << false << qint64(3);
        QTest::newRow("reported 10 s ago")
                << QStringLiteral("streaming") << 1.0 << qint64(10) << false << qint64(1);
        QTest::newRow("reported 11 s ago: cdc run gone")
                << QStringLiteral("streaming") << 1.0 << qint64(11) << false << qint64(-1);
        QTest::newRow("from the future")
                << QStringLiteral("streaming") << 1.0 << qint64(-60) << false << qint64(-1);
        QTest::newRow("paused") << QStringLiteral("paused") << 5.0 << qint64(1) << true
                                << qint64(-1);
        QTest::newRow("paused flag, state not yet")
                << QStringLiteral("streaming") << 5.0 << qint64(1) << true << qint64(-1);
        QTest::newRow("refreshing")
                << QStringLiteral("refreshing") << 5.0 << qint64(1) << false << qint64(-1);
        QTest::newRow("error") << QStringLiteral("error") << 5.0 << qint64(1) << false
                               << qint64(-1);
        QTest::newRow("stopped") << QStringLiteral("stopped") << 0.0 << qint64(1) << false
                                 << qint64(-1);
        QTest::newRow("lag unknown")
                << QStringLiteral("streaming") << -1.0 << qint64(1) << false << qint64(-1);
    }

    void streamedDataAge()
    {
        QFETCH(QString, state);
        QFETCH(double, lag);
        QFETCH(qint64, reportedAgo);
        QFETCH(bool, paused);
        QFETCH(qint64, age);
        const auto got
                = status::streamedDataAge(row(state.toStdString(), lag, reportedAgo, paused), now);
        QCOMPARE(got ? qint64(got->count()) : qint64(-1), age);
    }

    void invalidReportTimeIsNotStreamed()
    {
        db::CdcRegionState never = row("streaming", 0, 0);
        never.updatedAt = QDateTime();
        QVERIFY(!status::streamedDataAge(never, now));
    }

    void streamedRegionTakesItsLag()
    {
        status::EndpointStatus region = refreshedRegion();
        status::applyCdcFreshness(region, {row("streaming", 85, 2)}, now);
        QCOMPARE(region.freshnessSource, status::FreshnessSource::Cdc);
        QCOMPARE(region.age, std::optional(85s));
        QCOMPARE(region.freshness, status::Freshness::Due); // last 20 % of 100 s
    }

    void notStreamedRegionKeepsItsRefreshAge()
    {
        status::EndpointStatus region = refreshedRegion();
        status::applyCdcFreshness(region, {row("streaming", 1, 30)}, now); // cdc run stopped
        QCOMPARE(region.freshnessSource, status::FreshnessSource::Refresh);
        QCOMPARE(region.age, std::optional(3 * 86400s));
        QCOMPARE(region.freshness, status::Freshness::Overdue);

        db::CdcRegionState other = row("streaming", 1, 1);
        other.region = "us";
        status::applyCdcFreshness(region, {other}, now);
        QCOMPARE(region.freshnessSource, status::FreshnessSource::Refresh);

        status::EndpointStatus source = refreshedRegion();
        source.role = status::EndpointRole::Source;
        status::applyCdcFreshness(source, {row("streaming", 1, 1)}, now);
        QCOMPARE(source.freshnessSource, status::FreshnessSource::Refresh);
    }

    void statusJsonNamesTheSource()
    {
        status::StatusReport report;
        report.checkedAt = now;
        report.endpoints.push_back(refreshedRegion());
        status::applyCdcFreshness(report.endpoints.back(), {row("streaming", 4, 1)}, now);
        report.endpoints.push_back(refreshedRegion());
        report.endpoints.back().name = "us";
        const QJsonArray endpoints
                = QJsonDocument::fromJson(QByteArray::fromStdString(status::toJson(report)))
                          .object()
                          .value(u"endpoints")
                          .toArray();
        QCOMPARE(endpoints.size(), 2);
        QCOMPARE(endpoints[0].toObject().value(u"freshness_source").toString(), u"cdc");
        QCOMPARE(endpoints[0].toObject().value(u"age_seconds").toInt(), 4);
        QCOMPARE(endpoints[1].toObject().value(u"freshness_source").toString(), u"refresh");
        QVERIFY(QString::fromStdString(status::toTable(report)).contains(u"(CDC)"));
    }

    void reportFormatsNameTheSource()
    {
        report::FreshnessReport report;
        report.generatedAt = now;
        report::RegionReport streamed;
        streamed.name = "eu";
        streamed.reachable = true;
        streamed.age = 4s;
        streamed.freshnessSource = status::FreshnessSource::Cdc;
        report::RegionReport refreshed;
        refreshed.name = "us";
        refreshed.reachable = true;
        refreshed.age = 86400s;
        report.regions = {streamed, refreshed};

        const QJsonArray regions
                = QJsonDocument::fromJson(QByteArray::fromStdString(report::toJson(report)))
                          .object()
                          .value(u"regions")
                          .toArray();
        QCOMPARE(regions[0].toObject().value(u"freshness_source").toString(), u"cdc");
        QCOMPARE(regions[1].toObject().value(u"freshness_source").toString(), u"refresh");

        const QStringList lines = QString::fromStdString(report::toCsv(report))
                                          .split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].endsWith(u",freshness_source"), qPrintable(lines[0]));
        QVERIFY2(lines[1].endsWith(u",cdc"), qPrintable(lines[1]));
        QVERIFY2(lines[2].endsWith(u",refresh"), qPrintable(lines[2]));

        const QString html = QString::fromStdString(report::regionTableHtml(report));
        QVERIFY2(html.contains(u"4s (CDC)"), qPrintable(html));
        QCOMPARE(html.count(u"(CDC)"), 1);
    }
};

QTEST_GUILESS_MAIN(TestCdcFreshness)
#include "tst_cdcfreshness.moc"
