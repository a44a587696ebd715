#include "testsupport.h"

#include "core/demo/demo.h"
#include "core/demo/localcluster.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <pqxx/pqxx>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace fs = std::filesystem;

namespace {

/// Command lines of every running process that mentions `needle` (postgres shows its -D dir).
int processesMentioning(const std::string &needle)
{
    int count = 0;
    for (const auto &entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::string cmdline = envsync::test::readFile(entry.path() / "cmdline");
        std::ranges::replace(cmdline, '\0', ' ');
        if (cmdline.find(needle) != std::string::npos)
            ++count;
    }
    return count;
}

void plant(const fs::path &path, const std::string &text = "the user's own file\n")
{
    std::ofstream(path) << text;
}

/// `demo up` with initdb missing: it fails after making the directory and writing its marker,
/// like an `up` killed half-way, in milliseconds.
envsync::Result<envsync::demo::DemoState> failingUp(const fs::path &dir)
{
    qputenv("ENVSYNC_PG_BINDIR", "/nonexistent/envsync-test-bin");
    auto state = envsync::demo::up({dir, 200});
    qunsetenv("ENVSYNC_PG_BINDIR");
    return state;
}

} // namespace

class TestDemoLifecycle : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // A space in the name: the printed next steps must quote it for the shell.
        m_dir = "/tmp/envsync lc-" + std::to_string(::getpid());
        (void)envsync::demo::down(m_dir);
    }

    // --- what EnvSync may delete (no clusters needed) ------------------------------------------

    void refusesADirectoryWithFilesButNoMarker()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const fs::path dir = scratch.path().toStdString();
        plant(dir / "precious.txt");
        fs::create_directory(dir / "source"); // even a name the demo uses
        plant(dir / "source" / "PG_VERSION", "15\n");

        auto down = envsync::demo::down(dir);
        QVERIFY(!down.has_value());
        QCOMPARE(down.error().code, envsync::ErrorCode::Usage);
        auto up = envsync::demo::up({dir, 200});
        QVERIFY(!up.has_value());
        QCOMPARE(up.error().code, envsync::ErrorCode::Usage);
        QVERIFY2(up.error().describe().find("not an EnvSync demo directory") != std::string::npos,
                 up.error().describe().c_str());
        QVERIFY(fs::exists(dir / "precious.txt"));
        QVERIFY(fs::exists(dir / "source" / "PG_VERSION"));
        QVERIFY(!fs::exists(dir / ".envsync-demo"));

        // The CLI contract: exit 2, one line, nothing deleted (`demo down --dir ~` as root).
        for (const char *action : {"down", "up"}) {
            const auto run
                    = envsync::test::runCli({QStringLiteral("demo"), QString::fromLatin1(action),
                                             QStringLiteral("--dir"), scratch.path()});
            QCOMPARE(run.exitCode, 2);
            QCOMPARE(run.err.count(u'\n'), 1);
            QVERIFY2(run.err.contains(u"not an EnvSync demo directory"), qPrintable(run.err));
        }
        QVERIFY(fs::exists(dir / "precious.txt"));

        // A demo of an EnvSync before the marker: refused too, with a hint what to do.
        plant(dir / "demo.state", "source 55432\n");
        const auto legacy = envsync::demo::down(dir);
        QVERIFY(!legacy.has_value());
        QVERIFY2(legacy.error().describe().find("older EnvSync") != std::string::npos,
                 legacy.error().describe().c_str());
        QVERIFY(fs::exists(dir / "demo.state"));
    }

    void refusesSymlinksAndForeignMarkers()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const fs::path root = scratch.path().toStdString();
        // A link to a directory: never act on whatever it points to.
        fs::create_directory(root / "target");
        plant(root / "target" / "precious.txt");
        fs::create_directory_symlink(root / "target", root / "link");
        QCOMPARE(envsync::demo::down(root / "link").error().code, envsync::ErrorCode::Usage);
        QCOMPARE(envsync::demo::up({root / "link", 200}).error().code, envsync::ErrorCode::Usage);
        QVERIFY(fs::exists(root / "target" / "precious.txt"));

        // A marker that is a link (or not ours) does not make a directory a demo.
        fs::create_directory(root / "fake");
        plant(root / "fake" / "precious.txt");
        fs::create_symlink(root / "target" / "precious.txt", root / "fake" / ".envsync-demo");
        QCOMPARE(envsync::demo::down(root / "fake").error().code, envsync::ErrorCode::Usage);
        QVERIFY(fs::exists(root / "fake" / "precious.txt"));

        // A file where the directory should be.
        plant(root / "file");
        QCOMPARE(envsync::demo::up({root / "file", 200}).error().code, envsync::ErrorCode::Usage);
        QCOMPARE(envsync::test::readFile(root / "file"), std::string("the user's own file\n"));
    }

    void missingOrEmptyDirectoryIsANoOpForDown()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const fs::path dir = scratch.path().toStdString();
        QVERIFY(envsync::demo::down(dir / "never-made").has_value());
        QVERIFY(!fs::exists(dir / "never-made"));
        // Empty and without a marker: not ours, so it stays.
        QVERIFY(envsync::demo::down(dir).has_value());
        QVERIFY(fs::exists(dir));
    }

    void downDeletesOnlyWhatUpCreated()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        // A directory `up` creates (and marks) is removed by `down` ...
        const fs::path made = fs::path(scratch.path().toStdString()) / "made";
        QVERIFY(!failingUp(made).has_value());
        QVERIFY(fs::exists(made / ".envsync-demo"));
        QVERIFY(envsync::demo::down(made).has_value());
        QVERIFY(!fs::exists(made));

        // ... but not what the user put in it meanwhile, nor a directory that existed before.
        QVERIFY(!failingUp(made).has_value());
        plant(made / "notes.txt");
        QVERIFY(envsync::demo::down(made).has_value());
        QCOMPARE(QDir(QString::fromStdString(made.string()))
                         .entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                    | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("notes.txt")});

        const fs::path existing = scratch.path().toStdString();
        fs::remove_all(made);
        QVERIFY(!failingUp(existing).has_value()); // empty and ours: up may use it
        QVERIFY(envsync::demo::down(existing).has_value());
        QVERIFY(fs::exists(existing));
        QVERIFY(fs::is_empty(existing));
    }

    // --- a real estate ---------------------------------------------------------------------------

    void seedTimeIsSaidInWords()
    {
        using std::chrono::seconds;
        QCOMPARE(envsync::demo::durationText(seconds(45)), std::string("45 s"));
        QCOMPARE(envsync::demo::durationText(seconds(200)), std::string("3 min 20 s"));
        QCOMPARE(envsync::demo::durationText(seconds(3900)), std::string("1 h 05 min"));
        // Grows with the rows; 20M orders is hours, and says so.
        QVERIFY(envsync::demo::seedEstimate(2000) < envsync::demo::seedEstimate(100000));
        QVERIFY(envsync::demo::seedEstimate(20'000'000) > std::chrono::hours(1));
    }

    void upCreatesFiveRunningClustersAndConfig()
    {
        std::vector<std::string> steps;
        auto state = envsync::demo::up(
                {m_dir, 200}, [&steps](const std::string &step) { steps.push_back(step); });
        // How long seeding takes: an estimate before, the elapsed time after.
        const auto seeding = std::ranges::find_if(
                steps, [](const std::string &step) { return step.starts_with("seeding "); });
        QVERIFY(seeding != steps.end());
        QVERIFY2(seeding->find("; expect about ") != std::string::npos, seeding->c_str());
        QVERIFY(std::ranges::any_of(
                steps, [](const std::string &step) { return step.starts_with("seeded in "); }));
        QVERIFY2(state.has_value(), state ? "" : state.error().describe().c_str());
        QCOMPARE(state->clusters.size(), std::size_t(5));
        for (const auto &cluster : state->clusters)
            QVERIFY2(cluster.running, cluster.name.c_str());
        QVERIFY(fs::exists(state->configPath));
        m_ports.clear();
        for (const auto &cluster : state->clusters)
            m_ports.push_back(cluster.port);
    }

    void upAgainIsIdempotent()
    {
        auto state = envsync::demo::up({m_dir, 200});
        QVERIFY(state.has_value());
        std::vector<int> ports;
        for (const auto &cluster : state->clusters)
            ports.push_back(cluster.port);
        QCOMPARE(ports, m_ports);
    }

    void cliPrintsNextStepsForItsDirectory()
    {
        // Idempotent up of the running estate: only the printed commands matter here.
        const auto run = envsync::test::runCli({QStringLiteral("demo"), QStringLiteral("up"),
                                                QStringLiteral("--dir"),
                                                QString::fromStdString(m_dir.string())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString quoted = u'\'' + QString::fromStdString(m_dir.string()) + u'\'';
        const QStringList expected
                = {QStringLiteral("demo: next: envsyncctl status -c ") + quoted.chopped(1)
                           + QStringLiteral("/envsync.yaml'\n"),
                   QStringLiteral("envsync --demo --demo-dir ") + quoted + QStringLiteral("   "),
                   QStringLiteral("xvfb-run -a envsync --demo --demo-dir ") + quoted + u')',
                   QStringLiteral("demo: stop everything: envsyncctl demo down --dir ") + quoted
                           + u'\n'};
        for (const QString &line : expected)
            QVERIFY2(run.err.contains(line), qPrintable(line + u'\n' + run.err));
        // The config it wrote is not writable by others (the loader refuses that).
        struct stat info
        {
        };
        QVERIFY(::stat((m_dir / "envsync.yaml").c_str(), &info) == 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0644));
    }

    void seedArithmeticHoldsPastTwoToThe31()
    {
        // 20,000,000 orders (5,000,000 customers) overflowed integer in the seed; ids shifted
        // past 2^31 run the same expressions on bigger numbers with only 400 orders.
        auto state = envsync::demo::status(m_dir);
        QVERIFY(state.has_value());
        const auto &source = state->clusters.at(0);
        const envsync::demo::LocalCluster cluster(m_dir / source.name, m_dir / "sock", source.port);
        QFile seedFile(QStringLiteral(":/envsync/demo/seed.sql"));
        QVERIFY(seedFile.open(QIODevice::ReadOnly));
        const std::string seed = seedFile.readAll().toStdString();
        constexpr long long base = 2147483000; // customers and orders cross 2^31 - 1
        try {
            {
                pqxx::connection admin(cluster.dsn("postgres"));
                pqxx::nontransaction tx(admin);
                tx.exec0("DROP DATABASE IF EXISTS seed_bigint");
                tx.exec0("CREATE DATABASE seed_bigint");
            }
            {
                pqxx::connection db(cluster.dsn("seed_bigint"));
                pqxx::nontransaction tx(db);
                tx.exec0("SET envsync.demo_rows = 4000; SET envsync.demo_first_id = "
                         + std::to_string(base) + ";\n" + seed);
                const auto row = tx.exec1(
                        "SELECT (SELECT count(*) FROM customers), (SELECT max(id) FROM customers),"
                        " (SELECT count(*) FROM orders), (SELECT max(id) FROM orders),"
                        " (SELECT count(*) FROM order_items),"
                        " (SELECT count(*) FROM orders o JOIN customers c"
                        "  ON c.id = o.customer_id),"
                        " (SELECT phone FROM customers WHERE id = 2147483648),"
                        " (SELECT birth_date::text FROM customers WHERE id = 2147483648)");
                QCOMPARE(row[0].as<long long>(), 1000LL);
                QCOMPARE(row[1].as<long long>(), base + 1000);
                QCOMPARE(row[2].as<long long>(), 4000LL);
                QCOMPARE(row[3].as<long long>(), base + 4000);
                QCOMPARE(row[4].as<long long>(), 8000LL);
                QCOMPARE(row[5].as<long long>(), 4000LL); // every order has its customer
                // The same arithmetic in C++ (64-bit): i * 7919 and i * 37 past 2^31.
                const long long i = 2147483648LL;
                char phone[32];
                std::snprintf(phone, sizeof phone, "+1-555-%07lld", (i * 7919) % 10000000);
                QCOMPARE(row[6].as<std::string>(), std::string(phone));
                const QDate birth = QDate(1950, 1, 1).addDays((i * 37) % 18000);
                QCOMPARE(QString::fromStdString(row[7].as<std::string>()),
                         birth.toString(Qt::ISODate));
            }
            pqxx::connection admin(cluster.dsn("postgres"));
            pqxx::nontransaction tx(admin);
            tx.exec0("DROP DATABASE seed_bigint");
        } catch (const std::exception &error) {
            QFAIL(error.what());
        }
    }

    void upRestartsAStoppedCluster()
    {
        auto before = envsync::demo::status(m_dir);
        QVERIFY(before.has_value());
        const auto &eu = before->clusters.at(2);
        envsync::demo::LocalCluster cluster(m_dir / eu.name, m_dir / "sock", eu.port);
        QVERIFY(cluster.stop().has_value());
        QVERIFY(!envsync::demo::status(m_dir)->clusters.at(2).running);
        QVERIFY(envsync::demo::up({m_dir, 200}).has_value());
        QVERIFY(envsync::demo::status(m_dir)->clusters.at(2).running);
    }

    void downLeavesNoProcessAndNoFiles()
    {
        QVERIFY(processesMentioning(m_dir.string()) >= 5);
        // What `cdc run` leaves in the demo (its config puts the spool there) goes too.
        fs::create_directory(m_dir / "cdc-spool");
        plant(m_dir / "cdc-spool" / "0000000001000000.seg");
        QVERIFY(envsync::demo::down(m_dir).has_value());
        QCOMPARE(processesMentioning(m_dir.string()), 0);
        QVERIFY(!fs::exists(m_dir));
        // Down twice is fine.
        QVERIFY(envsync::demo::down(m_dir).has_value());
    }

    void cleanupTestCase() { (void)envsync::demo::down(m_dir); }

private:
    fs::path m_dir;
    std::vector<int> m_ports;
};

QTEST_GUILESS_MAIN(TestDemoLifecycle)
#include "tst_demo_lifecycle.moc"
