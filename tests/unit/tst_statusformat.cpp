#include "core/status/endpointstatus.h"
#include "core/status/statusformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace std::chrono_literals;
using envsync::status::Freshness;

class TestStatusFormat : public QObject
{
    Q_OBJECT
private slots:
    void classifiesFreshness_data()
    {
        QTest::addColumn<qint64>("ageSeconds"); // -1: unknown
        QTest::addColumn<qint64>("slaSeconds");
        QTest::addColumn<int>("expected");
        const qint64 week = 7 * 86400;
        QTest::newRow("fresh") << qint64(0) << week << int(Freshness::Ok);
        QTest::newRow("just under 80%") << week * 4 / 5 - 1 << week << int(Freshness::Ok);
        QTest::newRow("at 80%") << week * 4 / 5 << week << int(Freshness::Due);
        QTest::newRow("at the SLA") << week << week << int(Freshness::Due);
        QTest::newRow("one second over") << week + 1 << week << int(Freshness::Overdue);
        QTest::newRow("never refreshed") << qint64(-1) << week << int(Freshness::Unknown);
        QTest::newRow("no SLA") << qint64(10) << qint64(0) << int(Freshness::Unknown);
    }
    void classifiesFreshness()
    {
        QFETCH(qint64, ageSeconds);
        QFETCH(qint64, slaSeconds);
        QFETCH(int, expected);
        const auto age = ageSeconds < 0 ? std::nullopt
                                        : std::optional(std::chrono::seconds(ageSeconds));
        QCOMPARE(int(envsync::status::classifyFreshness(age, std::chrono::seconds(slaSeconds))),
                 expected);
    }

    void humanUnits()
    {
        QCOMPARE(envsync::status::humanBytes(999), std::string("999 B"));
        QCOMPARE(envsync::status::humanBytes(88'300'000), std::string("88.3 MB"));
        QCOMPARE(envsync::status::humanDuration(42s), std::string("42s"));
        QCOMPARE(envsync::status::humanDuration(3h + 5min), std::string("3h 5m"));
        QCOMPARE(envsync::status::humanDuration(std::chrono::hours(24 * 6 + 5)),
                 std::string("6d 5h"));
    }

    void jsonHasTheDocumentedShape()
    {
        envsync::status::StatusReport report;
        report.checkedAt = QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC);
        envsync::status::EndpointStatus eu;
        eu.name = "eu";
        eu.reachable = true;
        eu.serverVersion = "15.18";
        eu.sizeBytes = 1234;
        eu.lastRefresh = envsync::status::LastRefresh{report.checkedAt.addDays(-1), "golden_v2",
                                                      report.checkedAt.addDays(-1)};
        eu.age = 86400s;
        eu.sla = 7 * 86400s;
        eu.freshness = Freshness::Ok;
        envsync::status::EndpointStatus us;
        us.name = "us";
        us.error = "region us: connect: timeout expired";
        report.endpoints = {eu, us};

        const auto document = QJsonDocument::fromJson(
                QByteArray::fromStdString(envsync::status::toJson(report)));
        const QJsonArray endpoints = document[QStringLiteral("endpoints")].toArray();
        QCOMPARE(endpoints.size(), 2);
        const QJsonObject first = endpoints[0].toObject();
        const QStringList keys = {QStringLiteral("name"),         QStringLiteral("role"),
                                  QStringLiteral("reachable"),    QStringLiteral("server_version"),
                                  QStringLiteral("size_bytes"),   QStringLiteral("last_refresh"),
                                  QStringLiteral("freshness"),    QStringLiteral("error")};
        for (const QString &key : keys)
            QVERIFY2(first.contains(key), qPrintable(key));
        QCOMPARE(first[QStringLiteral("role")].toString(), QStringLiteral("region"));
        QCOMPARE(first[QStringLiteral("last_refresh")][QStringLiteral("snapshot")].toString(),
                 QStringLiteral("golden_v2"));
        QCOMPARE(first[QStringLiteral("last_refresh")][QStringLiteral("finished_at")].toString(),
                 QStringLiteral("2023-11-13T22:13:20Z"));
        const QJsonObject second = endpoints[1].toObject();
        QVERIFY(second[QStringLiteral("server_version")].isNull());
        QVERIFY(second[QStringLiteral("last_refresh")].isNull());
        QCOMPARE(second[QStringLiteral("freshness")].toString(), QStringLiteral("unknown"));
        QCOMPARE(second[QStringLiteral("error")].toString(),
                 QStringLiteral("region us: connect: timeout expired"));
    }

    void tableShowsErrorsOnce()
    {
        envsync::status::StatusReport report;
        envsync::status::EndpointStatus us;
        us.name = "us";
        us.error = "region us: connect: refused";
        report.endpoints = {us};
        const std::string table = envsync::status::toTable(report);
        QVERIFY(table.find("error: region us: connect: refused") != std::string::npos);
        QVERIFY(table.find("region us: region us") == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestStatusFormat)
#include "tst_statusformat.moc"
