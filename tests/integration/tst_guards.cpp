// Safety guards on a demo estate of its own (issue 16, items 3 and 7): golden.dsn on the source's
// cluster is refused before envsync_control is created there, and validate names it; an
// unreachable source is refused on its own and lifted only by its own override; `env gc` drops
// only databases carrying the environment marker; refusals and failed forced runs are audited.
#include "owndemoestate.h"
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/config/formats.h"
#include "core/db/dsn.h"
#include "core/refresh/refresh.h"

#include <QDate>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using envsync::test::CliRun;
using envsync::test::OwnDemoEstate;

namespace {

/// Replaces the whole line that starts with `prefix` (the first one after `from`).
std::string replaceLine(std::string yaml, const std::string &prefix, const std::string &line,
                        std::size_t from = 0)
{
    const auto at = yaml.find(prefix, from);
    if (at == std::string::npos)
        qFatal("the demo config has no line starting \"%s\"", prefix.c_str());
    const auto end = yaml.find('\n', at);
    return yaml.replace(at, end - at, line);
}

const char *const kWeekdays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

} // namespace

class TestGuards : public QObject
{
    Q_OBJECT

    OwnDemoEstate m_estate{"guards"};
    QTemporaryDir m_copies;

    [[nodiscard]] std::string demoYaml() const
    {
        return envsync::test::readFile(m_estate.configPath().toStdString());
    }
    [[nodiscard]] QString writeCopy(const QString &name, const std::string &yaml) const
    {
        const QString path = m_copies.filePath(name);
        std::ofstream(path.toStdString()) << yaml;
        return path;
    }
    /// The estate's config with golden.dsn pointing at `dsn`.
    [[nodiscard]] QString goldenAt(const QString &name, const std::string &dsn,
                                   const std::string &sourceDsn = {}) const
    {
        std::string yaml = replaceLine(demoYaml(), "golden: {",
                                       "golden: { dsn: " + envsync::config::yamlDoubleQuoted(dsn)
                                               + ", keep: 5, max_parallel_refreshes: 1 }");
        if (!sourceDsn.empty())
            yaml = replaceLine(yaml, "source: {",
                               "source: { name: prod, dsn: " + envsync::config::yamlDoubleQuoted(sourceDsn)
                                       + ", production: true, max_parallel_reads: 1 }");
        return writeCopy(name, yaml);
    }
    /// The source's DSN with a port nothing listens on.
    [[nodiscard]] std::string deadSourceDsn() const
    {
        return envsync::db::Dsn::parse(m_estate.config()->source.dsn)
                ->with("port", "1")
                .toConnectionString();
    }
    [[nodiscard]] std::string control(const std::string &sql) const
    {
        return OwnDemoEstate::scalar(m_estate.goldenDsn("envsync_control"), sql);
    }
    [[nodiscard]] static std::string controlDatabases(const std::string &clusterDsn)
    {
        return OwnDemoEstate::scalar(
                OwnDemoEstate::on(clusterDsn, "postgres"),
                "SELECT count(*) FROM pg_database WHERE datname = 'envsync_control'");
    }
    [[nodiscard]] static CliRun cli(const QStringList &arguments)
    {
        return envsync::test::runCli(arguments);
    }

private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_guards-salt-0123456789");
        const std::string failed = m_estate.start(200);
        QVERIFY2(failed.empty(), failed.c_str());
        QVERIFY(m_copies.isValid());
        QCOMPARE(controlDatabases(m_estate.config()->source.dsn), std::string("0"));
    }

    // --- item 3: golden.dsn on the production cluster ---------------------------------------

    void goldenOnTheSourceClusterIsRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("env list") << QStringList{QStringLiteral("env"), QStringLiteral("list")};
        QTest::newRow("env gc") << QStringList{QStringLiteral("env"), QStringLiteral("gc")};
        QTest::newRow("report") << QStringList{QStringLiteral("report"), QStringLiteral("--format"),
                                               QStringLiteral("json")};
        QTest::newRow("agent --once")
                << QStringList{QStringLiteral("agent"), QStringLiteral("--once")};
        QTest::newRow("snapshot create")
                << QStringList{QStringLiteral("snapshot"), QStringLiteral("create")};
    }
    void goldenOnTheSourceClusterIsRefused()
    {
        QFETCH(QStringList, arguments);
        const std::string source = m_estate.config()->source.dsn;
        // Another database name on the same cluster: only system_identifier can tell.
        const QString config = goldenAt(QStringLiteral("golden-on-source.yaml"),
                                        OwnDemoEstate::on(source, "postgres"));
        arguments << QStringLiteral("-c") << config;
        const CliRun run = cli(arguments);
        QVERIFY2(run.exitCode == 4, qPrintable(QString::number(run.exitCode) + u' ' + run.err));
        QVERIFY2(run.err.contains(u"source's own cluster"), qPrintable(run.err));
        QCOMPARE(controlDatabases(source), std::string("0"));
    }

    void goldenOnAProductionRegionsClusterIsRefused()
    {
        const std::string apac = m_estate.config()->findRegion("apac")->dsn;
        std::string yaml = demoYaml();
        const auto at = yaml.find("  - name: apac\n");
        QVERIFY(at != std::string::npos);
        yaml.insert(at + std::string("  - name: apac\n").size(), "    production: true\n");
        yaml = replaceLine(yaml, "golden: {",
                           "golden: { dsn: " + envsync::config::yamlDoubleQuoted(OwnDemoEstate::on(apac, "postgres"))
                                   + ", keep: 5, max_parallel_refreshes: 1 }");
        const QString config = writeCopy(QStringLiteral("golden-on-production-region.yaml"), yaml);
        const CliRun run = cli(
                {QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("-c"), config});
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"region apac") && run.err.contains(u"production: true"),
                 qPrintable(run.err));
        QCOMPARE(controlDatabases(apac), std::string("0"));
    }

    void validateNamesGoldenOnTheSourceCluster()
    {
        const QString config
                = goldenAt(QStringLiteral("validate-golden-on-source.yaml"),
                           OwnDemoEstate::on(m_estate.config()->source.dsn, "postgres"));
        const CliRun run = cli({QStringLiteral("validate"), QStringLiteral("-c"), config});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(config + u":") && run.err.contains(u"golden.dsn")
                         && run.err.contains(u"system_identifier"),
                 qPrintable(run.err));
        QVERIFY(!run.out.contains("valid"));
        QCOMPARE(controlDatabases(m_estate.config()->source.dsn), std::string("0"));

        const CliRun good
                = cli({QStringLiteral("validate"), QStringLiteral("-c"), m_estate.configPath()});
        QVERIFY2(good.exitCode == 0, qPrintable(good.err));
        QVERIFY2(good.err.isEmpty(), qPrintable(good.err)); // both reachable and compared
    }

    void controlDatabaseIsNotCreatedWhileTheSourceIsUnreachable()
    {
        // apac's cluster has no envsync_control: with the source down nothing proves that
        // cluster is not production, so it must not be created there.
        const std::string apac = m_estate.config()->findRegion("apac")->dsn;
        QCOMPARE(controlDatabases(apac), std::string("0"));
        const QString config = goldenAt(QStringLiteral("golden-on-apac.yaml"),
                                        OwnDemoEstate::on(apac, "postgres"), deadSourceDsn());
        const CliRun run = cli(
                {QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("-c"), config});
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"source is unreachable"), qPrintable(run.err));
        QCOMPARE(controlDatabases(apac), std::string("0"));
    }

    // --- item 7: separate overrides, env gc, audit -----------------------------------------

    void unreachableSourceHasItsOwnOverride()
    {
        const QString config = goldenAt(QStringLiteral("source-down.yaml"),
                                        m_estate.config()->golden.dsn, deadSourceDsn());
        const std::string refusals
                = "SELECT count(*) FROM envsync.audit_log WHERE action = 'region.refresh.plan'"
                  " AND target = 'eu' AND result = 'refused'"
                  " AND detail->>'reason' LIKE '%source is unreachable%'";
        const int before = std::stoi(control(refusals));
        const QStringList dryRun{
                QStringLiteral("refresh"),  QStringLiteral("-c"), config,
                QStringLiteral("--region"), QStringLiteral("eu"), QStringLiteral("--dry-run")};

        CliRun run = cli(dryRun);
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"--source-unreachable-ok"), qPrintable(run.err));
        // Typing the region's name says "this is eu's database", not "this is not production".
        run = cli(dryRun + QStringList{QStringLiteral("--i-know-this-is"), QStringLiteral("eu")});
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"source is unreachable"), qPrintable(run.err));
        QCOMPARE(std::stoi(control(refusals)), before + 2);

        run = cli(dryRun + QStringList{QStringLiteral("--source-unreachable-ok")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err)); // eu carries its EnvSync marker
        QVERIFY(run.out.contains("golden_v1"));

        const CliRun help = cli({QStringLiteral("refresh"), QStringLiteral("--help")});
        QVERIFY(help.out.contains("--source-unreachable-ok"));
    }

    /// Core speaks no CLI: the production guard's refusal is a structured verdict (which
    /// confirmation lifts it, the name to type) and its message names no flag and no command;
    /// the CLI alone words `--i-know-this-is NAME`, `--source-unreachable-ok` and
    /// `envsyncctl snapshot …`.
    void guardVerdictIsStructuredAndTheCliWordsIt()
    {
        const std::string euAdmin = m_estate.regionDsn("eu", "postgres");
        QCOMPARE(OwnDemoEstate::scalar(euAdmin, "ALTER DATABASE shop RESET envsync.region"),
                 std::string("<null>"));
        const auto restore = qScopeGuard([&] {
            (void)OwnDemoEstate::scalar(euAdmin, "ALTER DATABASE shop SET envsync.region = 'eu'");
        });
        const auto noCliWords = [](const envsync::Error &error) {
            return error.message.find("--") == std::string::npos
                   && error.message.find("envsyncctl") == std::string::npos;
        };

        envsync::refresh::RefreshOptions options;
        options.region = "eu";
        auto plan = envsync::refresh::planRefresh(*m_estate.config(), options);
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, envsync::ErrorCode::RefusedUnlessConfirmed);
        QCOMPARE(plan.error().refusal, envsync::Refusal::UnmarkedTarget);
        QCOMPARE(plan.error().confirmName, std::string("eu"));
        QVERIFY2(noCliWords(plan.error()), plan.error().message.c_str());
        options.iKnowThisIs = plan.error().confirmName; // what the verdict asks for lifts it
        plan = envsync::refresh::planRefresh(*m_estate.config(), options);
        QVERIFY2(plan.has_value(), plan ? "" : plan.error().describe().c_str());

        const QStringList dryRun{QStringLiteral("refresh"), QStringLiteral("-c"),
                                 m_estate.configPath(),     QStringLiteral("--region"),
                                 QStringLiteral("eu"),      QStringLiteral("--dry-run")};
        CliRun run = cli(dryRun);
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"carries no EnvSync marker"), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"; pass --i-know-this-is eu if it really is this region's"),
                 qPrintable(run.err));
        QCOMPARE(run.err.count(u'\n'), 1); // one line
        run = cli(dryRun + QStringList{QStringLiteral("--i-know-this-is"), QStringLiteral("eu")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        // The unreachable source: its own refusal kind, its own flag.
        const QString down = goldenAt(QStringLiteral("verdict-source-down.yaml"),
                                      m_estate.config()->golden.dsn, deadSourceDsn());
        auto loaded = envsync::config::loadConfigFile(down.toStdString());
        QVERIFY(loaded.has_value());
        options.iKnowThisIs.clear();
        plan = envsync::refresh::planRefresh(*loaded, options);
        QVERIFY(!plan);
        QCOMPARE(plan.error().refusal, envsync::Refusal::SourceUnreachable);
        QVERIFY2(noCliWords(plan.error()), plan.error().message.c_str());

        // A snapshot that is not there: core says what is missing, the CLI how to see them.
        options.iKnowThisIs = "eu";
        options.snapshot = "golden_v99";
        plan = envsync::refresh::planRefresh(*m_estate.config(), options);
        QVERIFY(!plan);
        QCOMPARE(plan.error().missing, envsync::Missing::NamedSnapshot);
        QVERIFY2(noCliWords(plan.error()), plan.error().message.c_str());
        run = cli(dryRun
                  + QStringList{QStringLiteral("--i-know-this-is"), QStringLiteral("eu"),
                                QStringLiteral("--snapshot"), QStringLiteral("golden_v99")});
        QVERIFY2(run.exitCode == 2, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"no ready snapshot named \"golden_v99\" (see `envsyncctl "
                                  u"snapshot list`)"),
                 qPrintable(run.err));
    }

    void snapshotRefusalIsAudited()
    {
        const std::string refusals
                = "SELECT count(*) FROM envsync.audit_log WHERE action = 'snapshot.create'"
                  " AND result = 'refused' AND detail->>'reason' LIKE '%salt%'";
        QCOMPARE(control(refusals), std::string("0"));
        const QByteArray salt = qgetenv("ENVSYNC_MASK_SALT");
        qunsetenv("ENVSYNC_MASK_SALT");
        const CliRun run = cli({QStringLiteral("snapshot"), QStringLiteral("create"),
                                QStringLiteral("-c"), m_estate.configPath()});
        qputenv("ENVSYNC_MASK_SALT", salt);
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"salt"), qPrintable(run.err));
        QCOMPARE(control(refusals), std::string("1"));
    }

    void maintenanceDatabaseRefusalIsAudited()
    {
        // us pointed at its cluster's maintenance database: refused before anything else.
        std::string yaml = demoYaml();
        const auto us = yaml.find("  - name: us\n");
        QVERIFY(us != std::string::npos);
        const std::string usDsn
                = OwnDemoEstate::on(m_estate.config()->findRegion("us")->dsn, "postgres");
        yaml = replaceLine(yaml, "    dsn: ", "    dsn: " + envsync::config::yamlDoubleQuoted(usDsn), us);
        const QString config = writeCopy(QStringLiteral("us-on-postgres.yaml"), yaml);
        const CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("-c"), config,
                                QStringLiteral("--region"), QStringLiteral("us"),
                                QStringLiteral("--dry-run")});
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"maintenance database"), qPrintable(run.err));
        QCOMPARE(control("SELECT count(*) FROM envsync.audit_log WHERE action = "
                         "'region.refresh.plan' AND target = 'us' AND result = 'refused'"
                         " AND detail->>'reason' LIKE '%maintenance database%'"),
                 std::string("1"));
    }

    void gcDropsOnlyMarkedEnvironments()
    {
        CliRun run = cli({QStringLiteral("env"), QStringLiteral("create"), QStringLiteral("-c"),
                          m_estate.configPath(), QStringLiteral("pr-7"), QStringLiteral("--ttl"),
                          QStringLiteral("1h")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // Hand-edited (or hostile) catalogue rows naming the golden snapshot and a database
        // someone else made on the golden cluster, both expired.
        const std::string golden = m_estate.goldenDsn("postgres");
        QCOMPARE(OwnDemoEstate::scalar(golden, "CREATE DATABASE keepme"), std::string("<null>"));
        QCOMPARE(control("INSERT INTO envsync.environments (name, snapshot, owner, expires_at,"
                         " created_by) VALUES ('golden_v1', 'golden_v1', 'mallory',"
                         " now() - interval '1 hour', 'mallory'), ('keepme', 'golden_v1',"
                         " 'mallory', now() - interval '2 hours', 'mallory') RETURNING 'ok'"),
                 std::string("ok"));
        QCOMPARE(control("UPDATE envsync.environments SET expires_at = now() - interval '1 minute'"
                         " WHERE name = 'pr-7' RETURNING 'ok'"),
                 std::string("ok"));
        const auto exists = [&](const char *name) {
            return OwnDemoEstate::scalar(golden, std::string("SELECT count(*) FROM pg_database"
                                                             " WHERE datname = '")
                                                         + name + '\'');
        };

        run = cli({QStringLiteral("env"), QStringLiteral("gc"), QStringLiteral("-c"),
                   m_estate.configPath()});
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QVERIFY2(run.out.contains("dropped expired pr-7"), run.out.constData());
        QVERIFY2(run.err.contains(u"golden_v1") && run.err.contains(u"marker"),
                 qPrintable(run.err));
        QVERIFY2(run.err.contains(u"keepme"), qPrintable(run.err));
        QCOMPARE(exists("golden_v1"), std::string("1"));
        QCOMPARE(exists("keepme"), std::string("1"));
        QCOMPARE(exists("pr-7"), std::string("0"));

        run = cli({QStringLiteral("env"), QStringLiteral("drop"), QStringLiteral("-c"),
                   m_estate.configPath(), QStringLiteral("golden_v1")});
        QVERIFY2(run.exitCode == 4, qPrintable(run.err));
        QCOMPARE(exists("golden_v1"), std::string("1"));
        QCOMPARE(control("SELECT count(*) FROM envsync.audit_log WHERE action = 'env.drop'"
                         " AND target = 'golden_v1' AND result = 'refused'"),
                 std::string("2"));
        QCOMPARE(control("SELECT count(*) FROM envsync.audit_log WHERE action = 'env.drop'"
                         " AND target = 'keepme' AND result = 'refused'"),
                 std::string("1"));
        QCOMPARE(control("DELETE FROM envsync.environments WHERE owner = 'mallory'"
                         " RETURNING 'ok'"),
                 std::string("ok"));
    }

    void failedForcedRunIsAudited()
    {
        // eu's window moved three days ahead (certainly closed now), and a pre hook that fails.
        const QDate inThreeDays = QDate::currentDate().addDays(3);
        std::string yaml = demoYaml();
        const auto eu = yaml.find("  - name: eu\n");
        QVERIFY(eu != std::string::npos);
        yaml = replaceLine(yaml, "    window: {",
                           std::string("    window: { rrule: \"FREQ=WEEKLY;BYDAY=")
                                   + kWeekdays[inThreeDays.dayOfWeek() - 1]
                                   + "\", start: \"02:00\", duration: 3h }\n"
                                     "    hooks: { pre: [\"SELECT 1/0\"] }",
                           eu);
        const QString config = writeCopy(QStringLiteral("forced.yaml"), yaml);
        const std::string audited
                = "SELECT count(*) FROM envsync.audit_log WHERE action = 'region.refresh'"
                  " AND target = 'eu' AND result = 'failed'"
                  " AND detail->>'forced_outside_window' = 'true'"
                  " AND detail->>'reason' = 'guards test'"
                  " AND detail->>'error' LIKE '%division by zero%'";
        QCOMPARE(control(audited), std::string("0"));
        const CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("-c"), config,
                                QStringLiteral("--region"), QStringLiteral("eu"),
                                QStringLiteral("--force-outside-window"),
                                QStringLiteral("--reason"), QStringLiteral("guards test"),
                                QStringLiteral("--jobs"), QStringLiteral("2")});
        QVERIFY2(run.exitCode == 3, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"division by zero"), qPrintable(run.err));
        QCOMPARE(control(audited), std::string("1"));
    }
};

QTEST_GUILESS_MAIN(TestGuards)
#include "tst_guards.moc"
