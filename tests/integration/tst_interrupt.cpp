// Ctrl-C of `envsyncctl snapshot create`, `refresh` and `drift` at different moments (issue 17,
// bug 3): exit 3 with one "cancelled" line (or the normal exit when the command finished
// first), no EnvSync session left on any cluster of the estate 2 s after the SIGINT, and no
// __building / __envsync_next / half-built golden database left behind.
#include "owndemoestate.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <pqxx/pqxx>

#include <csignal>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using envsync::test::OwnDemoEstate;

namespace {

constexpr int hookSeconds = 30;

/// Holds an ACCESS EXCLUSIVE lock on a table of one database while alive: a drift check's
/// catalog read or a verify's count waits on it on the server.
class TableLock
{
public:
    TableLock(const std::string &dsn, const std::string &table)
        : m_connection(dsn)
    {
        // Golden snapshots default to read-only transactions, which may not take this lock.
        pqxx::nontransaction(m_connection).exec0("SET default_transaction_read_only = off");
        m_tx = std::make_unique<pqxx::work>(m_connection);
        m_tx->exec0("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }

private:
    pqxx::connection m_connection;
    std::unique_ptr<pqxx::work> m_tx;
};

} // namespace

class TestInterrupt : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_interrupt-salt-0123456789");
        const std::string failed = m_estate.start(2000);
        QVERIFY2(failed.empty(), failed.c_str());
        // eu gets a slow pre hook: a refresh stays a while in a statement only the server
        // can stop.
        std::string text = envsync::test::readFile(m_estate.configPath().toStdString());
        const std::string eu = "  - name: eu\n";
        const auto at = text.find(eu);
        QVERIFY(at != std::string::npos);
        text.insert(at + eu.size(), "    hooks: { pre: [\"DO $$ BEGIN PERFORM pg_sleep("
                                            + std::to_string(hookSeconds) + "); END $$\"] }\n");
        QVERIFY(m_configDir.isValid());
        m_configPath = m_configDir.filePath(QStringLiteral("envsync.yaml"));
        std::ofstream(m_configPath.toStdString()) << text;
        QFile::setPermissions(m_configPath, QFile::ReadOwner | QFile::WriteOwner);
        const auto &config = *m_estate.config();
        m_clusters = {config.source.dsn, config.golden.dsn};
        for (const auto &region : config.regions)
            m_clusters.push_back(region.dsn);
    }

    void ctrlC_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("whenText");
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<QString>("locked");   ///< "drift" or "verify": what waits on a lock
        QTest::addColumn<int>("finishedExit"); ///< the exit code when it ended before the SIGINT

        const QStringList create = {QStringLiteral("snapshot"),
                                    QStringLiteral("create"),
                                    QStringLiteral("--jobs"),
                                    QStringLiteral("2"),
                                    QStringLiteral("--max-rows-per-second"),
                                    QStringLiteral("1500")};
        QTest::newRow("snapshot create: connecting") << create << QString() << 0 << QString() << 0;
        QTest::newRow("snapshot create: schema (pg_dump)")
                << create << QStringLiteral("copying the source") << 0 << QString() << 0;
        QTest::newRow("snapshot create: data")
                << create << QStringLiteral("copy data") << 500 << QString() << 0;
        QTest::newRow("snapshot create: late data")
                << create << QStringLiteral("copy data") << 3000 << QString() << 0;

        const QStringList refresh
                = {QStringLiteral("refresh"),  QStringLiteral("--region"),
                   QStringLiteral("eu"),       QStringLiteral("--jobs"),
                   QStringLiteral("2"),        QStringLiteral("--force-outside-window"),
                   QStringLiteral("--reason"), QStringLiteral("tst_interrupt")};
        QTest::newRow("refresh: connecting") << refresh << QString() << 0 << QString() << 0;
        QTest::newRow("refresh: copy")
                << refresh << QStringLiteral("copying golden") << 100 << QString() << 0;
        QTest::newRow("refresh: pre hook")
                << refresh << QStringLiteral("running pre hooks") << 500 << QString() << 0;

        const QStringList drift = {QStringLiteral("drift")};
        QTest::newRow("drift: connecting") << drift << QString() << 0 << QString() << 1;
        QTest::newRow("drift: catalog read waiting on a lock")
                << drift << QString() << 1000 << QStringLiteral("drift") << 1;

        const QStringList verify = {QStringLiteral("snapshot"), QStringLiteral("verify"),
                                    QStringLiteral("--name"), QStringLiteral("golden_v1")};
        QTest::newRow("snapshot verify: count waiting on a lock")
                << verify << QString() << 1000 << QStringLiteral("verify") << 0;

        // --detect reads the DSN given (SOURCE: the estate's source), not the config.
        QTest::newRow("mask --detect: sample waiting on a lock")
                << QStringList{QStringLiteral("mask"), QStringLiteral("--detect"),
                               QStringLiteral("SOURCE")}
                << QString() << 1000 << QStringLiteral("source") << 0;
        QTest::newRow("env create: connecting")
                << QStringList{QStringLiteral("env"), QStringLiteral("create"),
                               QStringLiteral("ctrlc-env"), QStringLiteral("--ttl"),
                               QStringLiteral("1h")}
                << QString() << 0 << QString() << 0;
        QTest::newRow("report: drift read waiting on a lock")
                << QStringList{QStringLiteral("report"), QStringLiteral("--format"),
                               QStringLiteral("json")}
                << QString() << 1000 << QStringLiteral("drift") << 1;
    }

    void ctrlC()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, whenText);
        QFETCH(int, delayMs);
        QFETCH(QString, locked);
        QFETCH(int, finishedExit);

        std::unique_ptr<TableLock> lock;
        try {
            if (locked == QLatin1String("drift"))
                lock = std::make_unique<TableLock>(m_estate.config()->findRegion("us")->dsn,
                                                   "pg_catalog.pg_policy");
            else if (locked == QLatin1String("source"))
                lock = std::make_unique<TableLock>(m_estate.config()->source.dsn,
                                                   "public.customers");
            else if (locked == QLatin1String("verify"))
                lock = std::make_unique<TableLock>(m_estate.goldenDsn("golden_v1"),
                                                   "public.customers");
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        arguments.replaceInStrings(QStringLiteral("SOURCE"),
                                   QString::fromStdString(m_estate.config()->source.dsn));
        QProcess process;
        process.start(QString::fromStdString(envsync::test::cliPath()),
                      arguments + QStringList{QStringLiteral("-c"), m_configPath});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        QElapsedTimer timer;
        timer.start();
        bool reached = false;
        while (process.state() == QProcess::Running && timer.elapsed() < 60000) {
            QTest::qWait(20);
            err += process.readAllStandardError();
            if (!whenText.isEmpty() ? err.contains(whenText.toUtf8()) : sessionsOpen() > 0) {
                reached = true;
                break;
            }
        }
        QVERIFY2(reached || process.state() != QProcess::Running,
                 "the moment never came within 60 s");
        bool interrupted = false;
        QElapsedTimer sinceInterrupt;
        if (reached) {
            QTest::qWait(delayMs);
            if (process.state() == QProcess::Running) {
                ::kill(static_cast<pid_t>(process.processId()), SIGINT);
                sinceInterrupt.start();
                interrupted = true;
            }
        }
        // Sessions are watched from the SIGINT on, while envsyncctl may still be ending.
        QStringList problems;
        if (interrupted) {
            while (sessionsOpen() > 0 && sinceInterrupt.elapsed() < 2000)
                QTest::qWait(20);
            if (sessionsOpen() > 0)
                problems << QStringLiteral("EnvSync sessions 2 s after the SIGINT: ")
                                    + QString::fromStdString(sessionList());
        }
        // (waitForFinished is false for a process that already ended while the test waited)
        const bool finished
                = process.state() == QProcess::NotRunning || process.waitForFinished(30000);
        lock.reset();
        if (!finished) {
            process.kill();
            process.waitForFinished();
            problems << QStringLiteral("envsyncctl did not end within 30 s of the SIGINT");
        }
        err += process.readAllStandardError();
        const QStringList lines = QString::fromUtf8(err).split(u'\n', Qt::SkipEmptyParts);
        if (process.exitStatus() != QProcess::NormalExit) {
            problems << QStringLiteral("killed by the signal instead of exiting");
        } else if (process.exitCode() == 3 && interrupted) {
            if (lines.count(QStringLiteral("envsyncctl: cancelled")) != 1
                || lines.last() != QStringLiteral("envsyncctl: cancelled"))
                problems << QStringLiteral("not one line \"envsyncctl: cancelled\" last: ")
                                    + lines.value(lines.size() - 1);
        } else if (process.exitCode() == finishedExit) {
            // It ended before the SIGINT could stop it: the normal outcome.
            qInfo("finished before the interrupt took effect (exit %d)", process.exitCode());
        } else {
            problems << QStringLiteral("exit %1: ").arg(process.exitCode())
                                + lines.value(lines.size() - 1);
        }
        const std::string leftovers = leftoverDatabases();
        if (!leftovers.empty())
            problems << QStringLiteral("left behind: ") + QString::fromStdString(leftovers);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral(" | "))));
    }

private:
    /// EnvSync sessions (application_name envsync…) on every cluster of the estate.
    int sessionsOpen() const
    {
        int open = 0;
        for (const auto &dsn : m_clusters) {
            const std::string count = OwnDemoEstate::scalar(
                    OwnDemoEstate::on(dsn, "postgres"),
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'envsync%'");
            open += count.starts_with("<") ? 1 : std::stoi(count);
        }
        return open;
    }

    std::string sessionList() const
    {
        std::string out;
        for (const auto &dsn : m_clusters) {
            out += OwnDemoEstate::scalar(
                           OwnDemoEstate::on(dsn, "postgres"),
                           "SELECT string_agg(datname || ' ' || application_name || ' ' || state"
                           " || ' ' || left(query, 60), '; ') FROM pg_stat_activity"
                           " WHERE application_name LIKE 'envsync%'")
                   + " | ";
        }
        return out;
    }

    /// Databases a cancelled job must not leave: golden_vN__building, <db>__envsync_next, and
    /// golden_vN without a 'ready' catalogue row (or 'building' rows). Empty when clean.
    std::string leftoverDatabases() const
    {
        std::string out;
        for (const auto &dsn : m_clusters) {
            const std::string found
                    = OwnDemoEstate::scalar(OwnDemoEstate::on(dsn, "postgres"),
                                            "SELECT string_agg(datname, ',') FROM pg_database"
                                            " WHERE datname LIKE '%\\_\\_building' OR datname LIKE "
                                            "'%\\_\\_envsync\\_next'");
            if (found != "<null>")
                out += found + ' ';
        }
        const std::string golden = m_estate.config()->golden.dsn;
        const std::string databases = OwnDemoEstate::scalar(
                OwnDemoEstate::on(golden, "postgres"),
                "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"
                " WHERE datname ~ '^golden_v[0-9]+$'");
        const std::string ready = OwnDemoEstate::scalar(
                OwnDemoEstate::on(golden, "envsync_control"),
                "SELECT string_agg(name, ',' ORDER BY name) FROM envsync.snapshots"
                " WHERE state = 'ready'");
        if (databases != ready)
            out += "golden databases " + databases + " vs ready " + ready + ' ';
        const std::string building = OwnDemoEstate::scalar(
                OwnDemoEstate::on(golden, "envsync_control"),
                "SELECT count(*) FROM envsync.snapshots WHERE state = 'building'");
        if (building != "0")
            out += building + " building catalogue rows";
        return out;
    }

    OwnDemoEstate m_estate{"interrupt"};
    QTemporaryDir m_configDir; ///< the estate's config with eu's slow hook
    QString m_configPath;
    std::vector<std::string> m_clusters;
};

QTEST_GUILESS_MAIN(TestInterrupt)
#include "tst_interrupt.moc"
