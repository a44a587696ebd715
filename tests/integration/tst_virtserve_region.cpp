// `virt serve --region R` follows the golden version R was last refreshed from (issue 19,
// "Versions"): the version comes from the control database of the shared demo estate, and a
// region, golden or service that is not there is a clear error, never a silent default.

#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/virt/recordingversions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using envsync::test::runCli;

class TestVirtServeRegion : public QObject
{
    Q_OBJECT

private slots:
    void regionVersionIsTheLastRefreshsSnapshot()
    {
        const auto config = envsync::config::loadConfigFile(envsync::test::demoConfigPath());
        QVERIFY(config);
        // What `status` reports as each region's last refresh is what serve follows.
        const auto status = runCli({QStringLiteral("status"), QStringLiteral("-c"),
                                    QString::fromStdString(envsync::test::demoConfigPath()),
                                    QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonArray endpoints
                = QJsonDocument::fromJson(status.out)[QStringLiteral("endpoints")].toArray();
        int regions = 0;
        for (const QJsonValue &value : endpoints) {
            const QJsonObject endpoint = value.toObject();
            if (endpoint[QStringLiteral("role")].toString() != QLatin1String("region"))
                continue;
            ++regions;
            const std::string name = endpoint[QStringLiteral("name")].toString().toStdString();
            const auto version = envsync::virt::regionGoldenVersion(*config, name);
            QVERIFY2(version, version ? "" : version.error().describe().c_str());
            QVERIFY2(version->has_value(), name.c_str());
            QCOMPARE(QString::fromStdString(**version),
                     endpoint[QStringLiteral("last_refresh")]
                             .toObject()[QStringLiteral("snapshot")]
                             .toString());
        }
        QCOMPARE(regions, 3);
        const auto none = envsync::virt::regionGoldenVersion(*config, "nowhere");
        QVERIFY(none);
        QVERIFY(!none->has_value());
    }

    void unreachableGoldenIsAnError()
    {
        auto config = envsync::config::loadConfigFile(envsync::test::demoConfigPath());
        QVERIFY(config);
        config->golden.dsn = "host=/nonexistent-envsync-socket-dir port=1 dbname=golden";
        config->timeouts.connect = std::chrono::seconds(2);
        const auto version = envsync::virt::regionGoldenVersion(*config, "eu");
        QVERIFY(!version);
    }

    void unknownRegionIsAUsageError()
    {
        const auto run
                = runCli({QStringLiteral("virt"), QStringLiteral("serve"), QStringLiteral("-c"),
                          QString::fromStdString(envsync::test::demoConfigPath()),
                          QStringLiteral("--region"), QStringLiteral("nowhere")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"no region \"nowhere\""), qPrintable(run.err));
    }

    void serviceAndRegionTogetherIsAUsageError()
    {
        const auto run
                = runCli({QStringLiteral("virt"), QStringLiteral("serve"), QStringLiteral("-c"),
                          QString::fromStdString(envsync::test::demoConfigPath()),
                          QStringLiteral("--region"), QStringLiteral("eu"),
                          QStringLiteral("--service"), QStringLiteral("x")});
        QCOMPARE(run.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestVirtServeRegion)
#include "tst_virtserve_region.moc"
