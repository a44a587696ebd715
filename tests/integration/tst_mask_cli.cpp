// `envsyncctl mask --check` and `mask --detect`: against the demo estate (fully classified) and
// a small cluster of our own with an unclassified column (fail-closed).
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/config/formats.h"
#include "core/drift/driftcheck.h"
#include "core/masking/coverage.h"
#include "core/masking/hmackey.h"
#include "core/masking/transform.h"
#include "core/snapshot/maskingsupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <set>

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

    // `mask --check`'s verdict, the console's coverage and the plan `snapshot create` builds
    // (snapshot::buildPlan on the source schema as it reads it) agree column for column.
    void demoCoverageAgreesWithSnapshotPlan()
    {
        const QString configPath = QString::fromStdString(envsync::test::demoConfigPath());
        const CliRun check = runCli({QStringLiteral("mask"), QStringLiteral("--check"),
                                     QStringLiteral("-c"), configPath});
        QVERIFY2(check.exitCode == 0 || check.exitCode == 1, qPrintable(check.err));
        const auto config = envsync::config::loadConfigFile(configPath.toStdString());
        QVERIFY(config);
        const auto schema
                = envsync::drift::snapshotDatabase(config->source.dsn, "source", config->timeouts);
        QVERIFY2(schema, schema ? "" : schema.error().describe().c_str());
        const auto plan = envsync::snapshot::buildPlan(config->masking, *schema);
        QVERIFY2(plan, plan ? "" : plan.error().describe().c_str());
        const auto coverage = envsync::masking::resolveCoverage(config->masking, *schema);
        QVERIFY(coverage.problems.empty());
        QVERIFY(coverage.total() > 20);

        QVERIFY2(check.err.contains(u"rules hash " + QString::fromStdString((*plan)->rulesHash())),
                 qPrintable(check.err));
        QByteArray planUnclassified;
        std::set<std::string> unclassified;
        for (const auto &column : (*plan)->unclassified()) {
            const std::string name = envsync::config::formatQualifiedName(
                    {column.schema, column.table, column.column});
            unclassified.insert(name);
            planUnclassified += QByteArray::fromStdString(name + " (" + column.type + ")\n");
        }
        QCOMPARE(check.out, planUnclassified);

        const envsync::masking::HmacKey key(qgetenv("ENVSYNC_MASK_SALT").toStdString());
        int masked = 0;
        for (const auto &column : coverage.columns) {
            const std::string where = column.display() + " ("
                                      + envsync::masking::coverageKindName(column.kind) + ')';
            QVERIFY2(unclassified.contains(column.display()) == !column.classified(),
                     where.c_str());
            const auto masker = (*plan)->forTable(column.schema, column.table, {column.column});
            if (column.kind == envsync::masking::CoverageKind::Keep) {
                QVERIFY2(!masker, where.c_str());
                continue;
            }
            if (!column.classified() || column.generated)
                continue;
            // The plan masks the column exactly as the rule the coverage names.
            QVERIFY2(masker, where.c_str());
            const auto transform = envsync::masking::makeTransform(column.transform, column.params,
                                                                   column.unique, key);
            QVERIFY2(transform, where.c_str());
            std::string row = "Probe 42";
            std::string expected;
            masker->maskRow(row);
            if (!(*transform)->apply("Probe 42", expected))
                expected = "\\N";
            QVERIFY2(row == expected, where.c_str());
            ++masked;
        }
        QVERIFY(masked > 0);
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

    // Issue 16 item 4: a table and columns named with quotes, dots, spaces, mixed case and
    // unicode go from --detect to the config, --check and a masked snapshot.
    void quotedNamesEndToEnd()
    {
        QVERIFY(m_cluster->execute("CREATE DATABASE weird"));
        std::string sql = "CREATE SCHEMA \"Sales Dept\";"
                          "CREATE TABLE \"Sales Dept\".\"Kunden \"\"VIP\"\".2024\" ("
                          " id bigint PRIMARY KEY, \"E-Mail Adresse\" text UNIQUE,"
                          " \"Ünïcödé Card\" text, \"a.b Phone\" text);";
        for (int i = 1; i <= 20; ++i) {
            const std::string n = std::to_string(i);
            sql += "INSERT INTO \"Sales Dept\".\"Kunden \"\"VIP\"\".2024\" VALUES (" + n
                   + ", 'kunde" + n + "@firma-geheim.de', '4111111111111111', '+49 30 "
                   + std::to_string(5550000 + i) + "');";
        }
        QVERIFY(m_cluster->execute(sql, "weird"));

        const CliRun detect = runCli({QStringLiteral("mask"), QStringLiteral("--detect"),
                                      QString::fromStdString(m_cluster->dsn("weird"))});
        QVERIFY2(detect.exitCode == 0, qPrintable(detect.err));
        // The references as written by hand in SQL; the snippet holds them YAML-double-quoted.
        const std::string table = "\"Sales Dept\".\"Kunden \"\"VIP\"\".2024\"";
        for (const auto &[column, rule] :
             {std::pair<std::string, std::string>{"\"E-Mail Adresse\"",
                                                  "transform: email, unique: true"},
              {"\"Ünïcödé Card\"", "transform: credit_card"},
              {"\"a.b Phone\"", "transform: phone"}}) {
            std::string yaml = "column: \"";
            for (const char c : table + '.' + column)
                yaml += c == '"' ? std::string("\\\"") : std::string(1, c);
            yaml += "\", " + rule + " }";
            QVERIFY2(detect.out.contains(QByteArray::fromStdString(yaml)),
                     qPrintable(QString::fromUtf8(detect.out) + u"\nmissing: "
                                + QString::fromStdString(yaml)));
        }

        // Golden must be another cluster than the source (the production guard).
        envsync::test::TestCluster goldenCluster;
        QVERIFY(goldenCluster.ok());
        const std::string path = m_dir.filePath(QStringLiteral("weird.yaml")).toStdString();
        {
            std::ofstream out(path);
            out << "version: 1\n"
                << "source: { name: src, dsn: \"" << m_cluster->dsn("weird")
                << "\", production: false }\n"
                << "golden: { dsn: \"" << goldenCluster.dsn() << "\" }\n"
                << "regions:\n  - name: eu\n    dsn: \"" << m_cluster->dsn("eu") << "\"\n"
                << detect.out.toStdString()
                << "  salt: { env: ENVSYNC_MASK_SALT }\n  unclassified: fail\n"
                << "  keep: [ '\"Sales Dept\".\"Kunden \"\"VIP\"\".2024\".ID' ]\n";
        }
        const QString config = QString::fromStdString(path);
        const CliRun validate = runCli({QStringLiteral("validate"), QStringLiteral("-c"), config});
        QVERIFY2(validate.exitCode == 0,
                 qPrintable(validate.err + QString::fromUtf8(validate.out)));
        const CliRun check = runCli(
                {QStringLiteral("mask"), QStringLiteral("--check"), QStringLiteral("-c"), config});
        QVERIFY2(check.exitCode == 0, qPrintable(check.err + QString::fromUtf8(check.out)));

        const CliRun create = runCli({QStringLiteral("snapshot"), QStringLiteral("create"),
                                      QStringLiteral("-c"), config});
        QVERIFY2(create.exitCode == 0, qPrintable(create.err + QString::fromUtf8(create.out)));
        const std::string golden
                = goldenCluster.queryValue("SELECT max(datname) FROM pg_database WHERE datname "
                                           "~ '^golden_v[0-9]+$'");
        QVERIFY(!golden.empty());
        const std::string qualified = "\"Sales Dept\".\"Kunden \"\"VIP\"\".2024\"";
        QCOMPARE(goldenCluster.queryValue("SELECT count(*) FROM " + qualified, golden),
                 std::string("20"));
        QCOMPARE(goldenCluster.queryValue("SELECT count(DISTINCT \"E-Mail Adresse\") FROM "
                                                  + qualified
                                                  + " WHERE \"E-Mail Adresse\" NOT LIKE "
                                                    "'%firma-geheim%'",
                                          golden),
                 std::string("20"));
        QCOMPARE(goldenCluster.queryValue("SELECT count(*) FROM " + qualified
                                                  + " WHERE \"Ünïcödé Card\" = '4111111111111111'"
                                                    " OR \"a.b Phone\" LIKE '+49 30 555%'",
                                          golden),
                 std::string("0"));
    }

    // Issue 16 items 5 and 6: JSON keys no path names are masked by default (rest: keep is
    // what leaks, and verify now finds source values inside JSON and longer texts); comments
    // on masked columns and their tables do not reach golden, and verify checks them.
    void jsonRestCommentsAndVerify()
    {
        QVERIFY(m_cluster->execute("CREATE DATABASE docs"));
        std::string sql = "CREATE TABLE profiles (id bigint PRIMARY KEY, email text UNIQUE,"
                          " doc jsonb, bio text);"
                          "COMMENT ON TABLE profiles IS 'VIP list, e.g. vip.kunde@firma-geheim.de';"
                          "COMMENT ON COLUMN profiles.email IS 'e.g. vip.kunde@firma-geheim.de';";
        for (int i = 1; i <= 30; ++i) {
            const std::string n = std::to_string(i);
            sql += "INSERT INTO profiles VALUES (" + n + ", 'k" + n + "@firma-geheim.de', '"
                   + "{\"email\": \"k" + n + "@firma-geheim.de\", \"name\": \"Alexandra Beispiel"
                   + n + "\", \"card\": {\"number\": \"4111111111" + std::to_string(100000 + i)
                   + "\"}, \"vip\": true}', 'Lebenslauf von Alexandra Beispiel" + n + "');";
        }
        QVERIFY(m_cluster->execute(sql, "docs"));
        envsync::test::TestCluster goldenCluster;
        QVERIFY(goldenCluster.ok());

        auto configWith = [&](const std::string &name, const std::string &rules) {
            const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
            std::ofstream out(path);
            out << "version: 1\n"
                << "source: { name: src, dsn: \"" << m_cluster->dsn("docs")
                << "\", production: false }\n"
                << "golden: { dsn: \"" << goldenCluster.dsn() << "\" }\n"
                << "regions:\n  - name: eu\n    dsn: \"" << m_cluster->dsn("eu") << "\"\n"
                << "masking:\n  salt: { env: ENVSYNC_MASK_SALT }\n  unclassified: fail\n"
                << "  keep: [ public.profiles.id ]\n  rules:\n"
                << "    - { column: public.profiles.email, transform: email, unique: true }\n"
                << rules;
            return QString::fromStdString(path);
        };
        auto golden = [&](const std::string &query) {
            const std::string db = goldenCluster.queryValue(
                    "SELECT max(datname) FROM pg_database WHERE datname ~ '^golden_v[0-9]+$'");
            return goldenCluster.queryValue(query, db);
        };

        // Default: the name and card next to the masked e-mail are masked too.
        const QString safe = configWith(
                "safe.yaml", "    - { column: public.profiles.doc, transform: json, paths: "
                             "\"$.email=email\" }\n"
                             "    - { column: public.profiles.bio, transform: hash }\n");
        CliRun run = runCli(
                {QStringLiteral("snapshot"), QStringLiteral("create"), QStringLiteral("-c"), safe});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(golden("SELECT count(*) FROM profiles WHERE doc::text LIKE '%Alexandra%' OR "
                        "doc::text LIKE '%4111111111%' OR doc::text LIKE '%firma-geheim%'"),
                 std::string("0"));
        QCOMPARE(golden("SELECT count(*) FROM profiles WHERE (doc->>'vip')::boolean"),
                 std::string("30"));
        QCOMPARE(golden("SELECT count(*) FROM pg_description d JOIN pg_class c ON c.oid ="
                        " d.objoid WHERE c.relname = 'profiles'"),
                 std::string("0"));
        // unique e-mails: fixed length whatever the input's length.
        QCOMPARE(golden("SELECT count(DISTINCT length(split_part(email, '@', 1)) - "
                        "length(split_part(split_part(email, '@', 1), '.', 1))) FROM profiles"),
                 std::string("1"));
        run = runCli(
                {QStringLiteral("snapshot"), QStringLiteral("verify"), QStringLiteral("-c"), safe});
        QVERIFY2(run.exitCode == 0, qPrintable(QString::fromUtf8(run.out) + run.err));
        QVERIFY(run.out.contains("masked_comment"));
        QVERIFY(run.out.contains("masked_leak_inside"));

        // A comment that reaches golden anyway is a verify failure.
        const std::string name = goldenCluster.queryValue(
                "SELECT max(datname) FROM pg_database WHERE datname ~ '^golden_v[0-9]+$'");
        QVERIFY(goldenCluster.execute(
                "BEGIN READ WRITE; COMMENT ON COLUMN profiles.email IS 'x'; COMMIT", name));
        run = runCli(
                {QStringLiteral("snapshot"), QStringLiteral("verify"), QStringLiteral("-c"), safe});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.contains("FAIL   masked_comment"));
        QVERIFY(goldenCluster.execute(
                "BEGIN READ WRITE; COMMENT ON COLUMN profiles.email IS NULL; COMMIT", name));

        // rest: keep copies the rest of the document, and a prefix keeps the whole bio: verify
        // finds both inside the golden values (the whole-value check cannot).
        const QString leaky = configWith(
                "leaky.yaml", "    - { column: public.profiles.doc, transform: json, paths: "
                              "\"$.email=email\", rest: keep }\n"
                              "    - { column: public.profiles.bio, transform: regex_replace, "
                              "pattern: \"^\", replacement: \"Note: \" }\n");
        run = runCli({QStringLiteral("snapshot"), QStringLiteral("create"), QStringLiteral("-c"),
                      leaky});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        run = runCli({QStringLiteral("snapshot"), QStringLiteral("verify"), QStringLiteral("-c"),
                      leaky});
        QCOMPARE(run.exitCode, 1);
        for (const QByteArray &object :
             {QByteArray("public.profiles.doc"), QByteArray("public.profiles.bio")}) {
            bool failed = false;
            for (const QByteArray &line : run.out.split('\n'))
                failed |= line.startsWith("FAIL   masked_leak_inside") && line.contains(object);
            QVERIFY2(failed, qPrintable(QString::fromUtf8(run.out)));
        }
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
