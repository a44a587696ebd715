#include "testsupport.h"

#include "core/config/configloader.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <set>

using envsync::test::runCli;
using envsync::test::CliRun;

namespace {

QJsonObject endpointNamed(const QJsonArray &endpoints, const QString &name)
{
    for (const auto &value : endpoints) {
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return value.toObject();
    }
    return {};
}

/// Writes a copy of the demo config in which region `region` points at `dsn`.
QString configWithRegionDsn(const QTemporaryDir &dir, const std::string &region,
                            const std::string &dsn, const std::string &connectTimeout)
{
    const std::string demoPath = envsync::test::demoConfigPath();
    auto config = envsync::config::loadConfigFile(demoPath);
    if (!config)
        qFatal("demo config does not load");
    std::string text = envsync::test::readFile(demoPath);
    const std::string oldDsn = config->findRegion(region)->dsn;
    std::string quotedOld = oldDsn;
    const auto at = text.find(oldDsn);
    if (at == std::string::npos)
        qFatal("region dsn not found in the demo config text");
    text.replace(at, quotedOld.size(), dsn);
    const auto timeouts = text.find("timeouts: { connect: 5s");
    if (timeouts != std::string::npos)
        text.replace(timeouts, 23, "timeouts: { connect: " + connectTimeout);
    const QString path = dir.filePath(QStringLiteral("envsync.yaml"));
    std::ofstream(path.toStdString()) << text;
    return path;
}

} // namespace

class TestStatus : public QObject
{
    Q_OBJECT
private slots:
    void jsonReportsFiveReachableAndFreshnessStates()
    {
        const CliRun run = runCli({QStringLiteral("status"), QStringLiteral("-c"),
                                   QString::fromStdString(envsync::test::demoConfigPath()),
                                   QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(run.out, &parseError);
        QVERIFY2(!document.isNull(), qPrintable(parseError.errorString()));
        const QJsonArray endpoints = document[QStringLiteral("endpoints")].toArray();
        QCOMPARE(endpoints.size(), 5);
        std::set<QString> roles;
        for (const auto &value : endpoints) {
            const QJsonObject endpoint = value.toObject();
            QVERIFY(endpoint[QStringLiteral("reachable")].toBool());
            QVERIFY(endpoint[QStringLiteral("server_version")].toString().startsWith(u"15."));
            QVERIFY(endpoint[QStringLiteral("size_bytes")].toDouble() > 1e6);
            QVERIFY(endpoint[QStringLiteral("error")].isNull());
            roles.insert(endpoint[QStringLiteral("role")].toString());
        }
        QCOMPARE(roles, (std::set<QString>{QStringLiteral("source"), QStringLiteral("golden"),
                                           QStringLiteral("region")}));

        // The demo's history makes eu fresh, us due and apac overdue against an 8-day SLA.
        const std::pair<const char *, const char *> expected[] = {
                {"eu", "ok"}, {"us", "due"}, {"apac", "overdue"}};
        for (const auto &[name, freshness] : expected) {
            const QJsonObject region = endpointNamed(endpoints, QString::fromLatin1(name));
            QCOMPARE(region[QStringLiteral("freshness")].toString(), QString::fromLatin1(freshness));
            const QJsonObject last = region[QStringLiteral("last_refresh")].toObject();
            QCOMPARE(last[QStringLiteral("snapshot")].toString(), QStringLiteral("demo_seed"));
            QVERIFY(QDateTime::fromString(last[QStringLiteral("finished_at")].toString(),
                                          Qt::ISODate)
                            .isValid());
        }
        QVERIFY(endpointNamed(endpoints, QStringLiteral("prod"))[QStringLiteral("last_refresh")]
                        .isNull());
    }

    void tableListsEveryEndpoint()
    {
        const CliRun run = runCli({QStringLiteral("status"), QStringLiteral("-c"),
                                   QString::fromStdString(envsync::test::demoConfigPath())});
        QCOMPARE(run.exitCode, 0);
        const QString table = QString::fromUtf8(run.out);
        QVERIFY(table.startsWith(QStringLiteral("NAME")));
        for (const char *name : {"prod", "golden", "eu", "us", "apac", "overdue", "due"})
            QVERIFY2(table.contains(QString::fromLatin1(name)), name);
    }

    void deadSocketReportsOthersAndExits3()
    {
        QTemporaryDir dir;
        const QString config = configWithRegionDsn(
                dir, "us", "host=/tmp/envsync-nothing-here port=1 dbname=shop", "2s");
        const CliRun run = runCli({QStringLiteral("status"), QStringLiteral("-c"), config,
                                   QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.elapsedMs < 3000);
        const QJsonArray endpoints = QJsonDocument::fromJson(run.out)[QStringLiteral("endpoints")]
                                             .toArray();
        QCOMPARE(endpoints.size(), 5);
        const QJsonObject us = endpointNamed(endpoints, QStringLiteral("us"));
        QVERIFY(!us[QStringLiteral("reachable")].toBool());
        QVERIFY(us[QStringLiteral("error")].toString().startsWith(u"region us: connect: "));
        for (const char *name : {"prod", "golden", "eu", "apac"}) {
            QVERIFY2(endpointNamed(endpoints, QString::fromLatin1(name))[QStringLiteral("reachable")]
                             .toBool(),
                     name);
        }
        QVERIFY(run.err.contains(u"envsyncctl: region us: connect: "));
    }

    void silentHostCostsOnlyItsConnectTimeout()
    {
        // Accepts TCP connections (the kernel's backlog) but never answers the startup packet.
        QTcpServer blackHole;
        QVERIFY(blackHole.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        const QString config = configWithRegionDsn(
                dir, "eu",
                "host=127.0.0.1 port=" + std::to_string(blackHole.serverPort()) + " dbname=shop",
                "2s");
        const CliRun run = runCli({QStringLiteral("status"), QStringLiteral("-c"), config,
                                   QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(run.exitCode, 3);
        // libpq counts connect_timeout in whole seconds of time(): it ends at the second tick
        // that is 2 s after the one the attempt started in, so 1 to 2 s of real time.
        QVERIFY2(run.elapsedMs >= 900, qPrintable(QString::number(run.elapsedMs)));
        QVERIFY2(run.elapsedMs < 3000, qPrintable(QString::number(run.elapsedMs)));
        const QJsonArray endpoints = QJsonDocument::fromJson(run.out)[QStringLiteral("endpoints")]
                                             .toArray();
        QVERIFY(!endpointNamed(endpoints, QStringLiteral("eu"))[QStringLiteral("reachable")].toBool());
        QVERIFY(endpointNamed(endpoints, QStringLiteral("us"))[QStringLiteral("reachable")].toBool());
        QCOMPARE(endpointNamed(endpoints, QStringLiteral("us"))[QStringLiteral("freshness")]
                         .toString(),
                 QStringLiteral("due"));
    }

    void invalidConfigExits2WithLocation()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.yaml"));
        std::ofstream(path.toStdString()) << "version: 1\nsource: [\n";
        const CliRun run = runCli({QStringLiteral("status"), QStringLiteral("-c"), path});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.startsWith(QStringLiteral("envsyncctl: ") + path + QLatin1Char(':')),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestStatus)
#include "tst_status.moc"
