// `envsyncctl mask --check` and `mask --detect`: against the demo estate (fully classified) and
// a small cluster of our own with an unclassified column (fail-closed).
#include "testsupport.h"

#include "core/config/configloader.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using envsync::test::CliRun;
using envsync::test::runCli;

class TestMaskCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "integration-test-salt");
        m_cluster = std::make_unique<envsync::test::TestCluster>();
        QVERIFY(m_cluster->ok());
        QVERIFY(m_cluster->execute(
                "CREATE TABLE people (id bigint PRIMARY KEY, email text UNIQUE, nickname text);"
                "CREATE TABLE visits (id bigint PRIMARY KEY, person_id bigint REFERENCES "
                "people (id), at timestamptz);"));
        QVERIFY(m_dir.isValid());
    }

    void demoConfigIsFullyClassified()
    {
        const CliRun run = runCli({QStringLiteral("mask"), QStringLiteral("--check"),
                                   QStringLiteral("-c"),
                                   QString::fromStdString(envsync::test::demoConfigPath())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + QString::fromUtf8(run.out)));
        QVERIFY(run.out.isEmpty());
        QVERIFY(run.err.contains(u"rules hash "));
    }

    void unclassifiedColumnFailsClosed()
    {
        // visits.person_id inherits people.id's rule; people.nickname has none.
        const std::string config = writeConfig(
                "    - { column: public.people.id, transform: hash }\n"
                "    - { column: public.people.email, transform: email, unique: true }\n",
                "    - public.visits.id\n    - public.visits.at\n");
        const CliRun run = runCli({QStringLiteral("mask"), QStringLiteral("--check"),
                                   QStringLiteral("-c"), QString::fromStdString(config)});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.out, QByteArray("public.people.nickname (text)\n"));
        QVERIFY(run.err.contains(u"1 unclassified column"));
    }

    void badRuleNamesFileLineColumn()
    {
        const std::string config = writeConfig(
                "    - { column: public.people.id, transform: hash }\n"
                "    - { column: public.people.nope, transform: email }\n",
                "    - public.visits.id\n");
        const CliRun run = runCli({QStringLiteral("mask"), QStringLiteral("--check"),
                                   QStringLiteral("-c"), QString::fromStdString(config)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QString::fromStdString(config) + u":"), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"public.people.nope: no such column"), qPrintable(run.err));
    }

    void detectProposesRules()
    {
        const auto config = envsync::config::loadConfigFile(envsync::test::demoConfigPath());
        QVERIFY(config);
        const CliRun run = runCli({QStringLiteral("mask"), QStringLiteral("--detect"),
                                   QString::fromStdString(config->source.dsn),
                                   QStringLiteral("--sample"), QStringLiteral("100")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString yaml = QString::fromUtf8(run.out);
        QVERIFY(yaml.startsWith(u"masking:\n  rules:\n"));
        for (const char *expected :
             {"column: public.customers.email, transform: email",
              "column: public.customers.phone, transform: phone",
              "column: public.customers.iban, transform: iban",
              "column: public.customers.card_number, transform: credit_card",
              "column: public.customers.full_name, transform: person_name"})
            QVERIFY2(yaml.contains(QLatin1String(expected)), expected);
        QVERIFY(!yaml.contains(u"public.products.price"));
    }

    void usageErrors()
    {
        QCOMPARE(runCli({QStringLiteral("mask")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("mask"), QStringLiteral("--check")}).exitCode, 2);
        const CliRun help = runCli({QStringLiteral("mask"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--detect"));
    }

    void cleanupTestCase() { m_cluster.reset(); }

private:
    std::string writeConfig(const std::string &rules, const std::string &keep)
    {
        const std::string path = m_dir.filePath(QStringLiteral("envsync-%1.yaml").arg(++m_files))
                                         .toStdString();
        const std::string dsn = m_cluster->dsn();
        std::ofstream out(path);
        out << "version: 1\n"
            << "source: { name: src, dsn: \"" << dsn << "\", production: false }\n"
            << "golden: { dsn: \"" << m_cluster->dsn("golden") << "\" }\n"
            << "regions:\n  - name: eu\n    dsn: \"" << m_cluster->dsn("eu") << "\"\n"
            << "masking:\n  salt: { env: ENVSYNC_MASK_SALT }\n  unclassified: fail\n"
            << "  rules:\n"
            << rules << "  keep:\n"
            << keep;
        return path;
    }

    std::unique_ptr<envsync::test::TestCluster> m_cluster;
    QTemporaryDir m_dir;
    int m_files = 0;
};

QTEST_GUILESS_MAIN(TestMaskCli)
#include "tst_mask_cli.moc"
