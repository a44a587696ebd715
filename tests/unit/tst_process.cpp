// util::runProcess and cancellation: a cancelled child gets SIGTERM, then SIGKILL after the
// grace period, together with what it started (pg_dump and initdb run this way).
#include "core/job/canceltoken.h"
#include "core/util/process.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

namespace {

/// The pid a test child wrote to `path` (0 when it never did).
long readPid(const QString &path)
{
    long pid = 0;
    std::ifstream(path.toStdString()) >> pid;
    return pid;
}

/// True while `pid` is a live process (a zombie waiting for its reaper counts as gone).
bool alive(long pid)
{
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
        return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pidField, comm, state;
    stat >> pidField >> comm >> state;
    return state != "Z";
}

} // namespace

class TestProcess : public QObject
{
    Q_OBJECT
private slots:
    void runsToCompletion()
    {
        auto run = envsync::util::runProcess("sh", {"-c", "echo hello; exit 3"}, false);
        QVERIFY(run.has_value());
        QCOMPARE(run->exitCode, 3);
        QCOMPARE(run->output, std::string("hello\n"));
    }

    void cancelStopsAChildThatIgnoresSigterm_data()
    {
        QTest::addColumn<bool>("ignoresTerm");
        QTest::newRow("ends on SIGTERM") << false;
        QTest::newRow("ignores SIGTERM: SIGKILL after the grace") << true;
    }

    void cancelStopsAChildThatIgnoresSigterm()
    {
        QFETCH(bool, ignoresTerm);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString shellPid = dir.filePath(QStringLiteral("shell.pid"));
        const QString sleepPid = dir.filePath(QStringLiteral("sleep.pid"));
        // The shell and its own child (sleep) both ignore SIGTERM when asked to.
        const std::string script = std::string(ignoresTerm ? "trap '' TERM; " : "") + "echo $$ > '"
                                   + shellPid.toStdString() + "'; sleep 60 & echo $! > '"
                                   + sleepPid.toStdString() + "'; wait";
        auto token = std::make_shared<envsync::job::CancelToken>();
        std::thread canceller([&] {
            for (int i = 0; i < 200 && readPid(sleepPid) == 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            token->cancel();
        });
        QElapsedTimer timer;
        timer.start();
        auto run = envsync::util::runProcess("sh", {"-c", script}, false, std::chrono::seconds(120),
                                             token);
        const qint64 elapsed = timer.elapsed();
        canceller.join();
        QVERIFY(!run.has_value());
        QCOMPARE(run.error().code, envsync::ErrorCode::Cancelled);
        QVERIFY2(elapsed < 4000, qPrintable(QStringLiteral("returned after %1 ms").arg(elapsed)));
        if (ignoresTerm)
            QVERIFY2(elapsed >= 1900, "SIGKILL came before the grace period");
        const long shell = readPid(shellPid);
        const long sleeper = readPid(sleepPid);
        QVERIFY(shell > 0 && sleeper > 0);
        QVERIFY(!alive(shell));
        // The grandchild goes too (the whole process group is signalled), possibly a moment
        // after its parent.
        QTRY_VERIFY_WITH_TIMEOUT(!alive(sleeper), 1000);
    }

    void alreadyCancelledStartsNothing()
    {
        QTemporaryDir dir;
        const QString marker = dir.filePath(QStringLiteral("ran"));
        auto token = std::make_shared<envsync::job::CancelToken>();
        token->cancel();
        auto run = envsync::util::runProcess("sh", {"-c", "touch '" + marker.toStdString() + "'"},
                                             false, std::chrono::seconds(10), token);
        QVERIFY(!run.has_value());
        QCOMPARE(run.error().code, envsync::ErrorCode::Cancelled);
        QVERIFY(!QFile::exists(marker));
    }
};

QTEST_GUILESS_MAIN(TestProcess)
#include "tst_process.moc"
