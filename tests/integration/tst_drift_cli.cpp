// `envsyncctl drift` and `envsyncctl diff` on the demo estate: output formats and exit codes.
#include "testsupport.h"

#include "core/config/configloader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <set>

using envsync::test::CliRun;
using envsync::test::runCli;

namespace {

QStringList driftArgs(const QStringList &extra)
{
    return QStringList{QStringLiteral("drift"), QStringLiteral("-c"),
                       QString::fromStdString(envsync::test::demoConfigPath())}
            + extra;
}

} // namespace

class TestDriftCli : public QObject
{
    Q_OBJECT
private slots:
    void jsonReportsExactlyTheInjectedDrift()
    {
        const CliRun run = runCli(driftArgs({QStringLiteral("--format"), QStringLiteral("json")}));
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(u"no golden snapshot yet: comparing with the source"));
        std::set<QString> records;
        for (const auto &value : QJsonDocument::fromJson(run.out).array()) {
            const QJsonObject r = value.toObject();
            records.insert(r[QStringLiteral("region")].toString() + u' '
                           + r[QStringLiteral("severity")].toString() + u' '
                           + r[QStringLiteral("object_kind")].toString() + u' '
                           + r[QStringLiteral("change")].toString() + u' '
                           + r[QStringLiteral("schema")].toString() + u'.'
                           + r[QStringLiteral("name")].toString());
            QVERIFY(!r[QStringLiteral("ddl")].toString().isEmpty());
        }
        const std::set<QString> expected = {
                QStringLiteral("eu warning column changed public.customers.country"),
                QStringLiteral("eu warning index extra public.orders.orders_status_idx"),
                QStringLiteral("us breaking column missing public.customers.birth_date"),
                QStringLiteral("us warning column changed public.products.price"),
                QStringLiteral("apac breaking table missing public.support_tickets"),
                QStringLiteral("apac warning trigger extra public.orders.orders_audit"),
        };
        QCOMPARE(records, expected);
    }

    void oneRegionAsSql()
    {
        const CliRun run = runCli(driftArgs({QStringLiteral("--region"), QStringLiteral("us"),
                                             QStringLiteral("--format"), QStringLiteral("sql")}));
        QCOMPARE(run.exitCode, 1);
        const QString sql = QString::fromUtf8(run.out);
        QVERIFY(sql.contains(u"-- region us"));
        QVERIFY(sql.contains(u"ALTER TABLE \"public\".\"customers\" ADD COLUMN \"birth_date\" date;"));
        // Narrowing price back to numeric(10,2) may lose data: commented out by default.
        QVERIFY(sql.contains(u"-- ALTER TABLE \"public\".\"products\" ALTER COLUMN \"price\""));
        QVERIFY(!sql.contains(u"-- region eu"));
    }

    void badInputExits2()
    {
        QCOMPARE(runCli(driftArgs({QStringLiteral("--region"), QStringLiteral("mars")})).exitCode,
                 2);
        QCOMPARE(runCli(driftArgs({QStringLiteral("--against"), QStringLiteral("moon")})).exitCode,
                 2);
        QCOMPARE(runCli(driftArgs({QStringLiteral("--format"), QStringLiteral("xml")})).exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("diff"), QStringLiteral("host=x")}).exitCode, 2);
    }

    void diffBetweenDsns()
    {
        auto config = envsync::config::loadConfigFile(envsync::test::demoConfigPath());
        QVERIFY(config.has_value());
        const QString source = QString::fromStdString(config->source.dsn);
        const QString eu = QString::fromStdString(config->findRegion("eu")->dsn);
        const CliRun same = runCli({QStringLiteral("diff"), source, source});
        QCOMPARE(same.exitCode, 0);
        QVERIFY(same.out.isEmpty());
        const CliRun differs = runCli({QStringLiteral("diff"), eu, source, QStringLiteral("--format"),
                                       QStringLiteral("json")});
        QCOMPARE(differs.exitCode, 1);
        const QJsonArray records = QJsonDocument::fromJson(differs.out).array();
        QCOMPARE(records.size(), 2);
        for (const auto &value : records) {
            const QString change = value[QStringLiteral("change")].toString();
            QVERIFY2(change == u"changed" || change == u"removed", qPrintable(change));
        }
    }

    void unreachableDatabaseExits3()
    {
        const CliRun run = runCli({QStringLiteral("diff"),
                                   QStringLiteral("host=/tmp/envsync-nowhere port=1 dbname=x"),
                                   QStringLiteral("host=/tmp/envsync-nowhere port=1 dbname=y")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.startsWith(u"envsyncctl: FROM: connect: "), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestDriftCli)
#include "tst_drift_cli.moc"
