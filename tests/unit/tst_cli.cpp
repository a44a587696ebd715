// The command-line contract: exit codes, one-line errors on stderr, --help that teaches.
#include "testsupport.h"

#include "core/demo/demo.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <fstream>

using envsync::test::CliRun;
using envsync::test::runCli;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const std::string &text)
{
    const QString path = dir.filePath(name);
    std::ofstream(path.toStdString()) << text;
    return path;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrContains");
        QTest::newRow("no command") << QStringList{} << 2 << "Usage: envsyncctl";
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                         << "envsyncctl: unknown command \"frobnicate\"";
        QTest::newRow("unknown option")
                << QStringList{QStringLiteral("status"), QStringLiteral("--bogus")} << 2
                << "envsyncctl: Unknown option 'bogus'";
        QTest::newRow("status without config") << QStringList{QStringLiteral("status")} << 2
                                               << "envsyncctl: missing -c FILE";
        QTest::newRow("bad format")
                << QStringList{QStringLiteral("status"), QStringLiteral("-c"),
                               QStringLiteral("x.yaml"), QStringLiteral("--format"),
                               QStringLiteral("xml")}
                << 2 << "--format must be table or json";
        QTest::newRow("bad drift format")
                << QStringList{QStringLiteral("drift"), QStringLiteral("-c"),
                               QStringLiteral("x.yaml"), QStringLiteral("--format"),
                               QStringLiteral("xml")}
                << 2 << "envsyncctl: --format must be table, json or sql, not \"xml\"";
        QTest::newRow("bad agent format")
                << QStringList{QStringLiteral("agent"), QStringLiteral("-c"),
                               QStringLiteral("x.yaml"), QStringLiteral("--format"),
                               QStringLiteral("table")}
                << 2 << "envsyncctl: --format must be text or json, not \"table\"";
        QTest::newRow("missing file")
                << QStringList{QStringLiteral("validate"), QStringLiteral("-c"),
                               QStringLiteral("/nonexistent/envsync.yaml")}
                << 2 << "envsyncctl: /nonexistent/envsync.yaml: cannot read";
        QTest::newRow("demo without action") << QStringList{QStringLiteral("demo")} << 2
                                             << "demo takes one action";
        QTest::newRow("demo status without a demo")
                << QStringList{QStringLiteral("demo"), QStringLiteral("status"),
                               QStringLiteral("--dir"), QStringLiteral("/nonexistent/envsync-demo")}
                << 3
                << "envsyncctl: /nonexistent/envsync-demo: no demo here (run 'envsyncctl demo up')";
        QTest::newRow("demo bad rows")
                << QStringList{QStringLiteral("demo"), QStringLiteral("up"), QStringLiteral("--rows"),
                               QStringLiteral("lots")}
                << 2 << "--rows must be a number";
    }
    void exitCodes()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrContains);
        const CliRun run = runCli(arguments);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(stderrContains), qPrintable(run.err));
        QVERIFY2(run.out.isEmpty(), run.out.constData());
    }

    /// Core names no command: what is missing is a field the CLI (above) and the GUI word.
    void coreNamesNoCommand()
    {
        const auto state = envsync::demo::status("/nonexistent/envsync-demo");
        QVERIFY(!state);
        QCOMPARE(state.error().missing, envsync::Missing::Demo);
        QVERIFY2(state.error().message.find("envsyncctl") == std::string::npos,
                 state.error().message.c_str());
    }

    void helpTeaches()
    {
        const CliRun run = runCli({QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        for (const char *word : {"validate", "status", "demo", "Exit codes", "envsyncctl demo up"})
            QVERIFY2(QString::fromUtf8(run.out).contains(QString::fromLatin1(word)), word);
        const CliRun status = runCli({QStringLiteral("status"), QStringLiteral("--help")});
        QCOMPARE(status.exitCode, 0);
        QVERIFY(QString::fromUtf8(status.out).contains(u"--format"));
        QVERIFY(QString::fromUtf8(status.out).contains(u"overdue"));
    }

    void versionPrints()
    {
        const CliRun run = runCli({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("envsyncctl "));
        // The suite's build has the crash tests' kill points, and says so; a build without tests
        // has neither (its link step greps the binary, app/cli/CMakeLists.txt).
        QVERIFY2(run.out.contains("kill points compiled in"), run.out.constData());
    }

    void validateAcceptsTheExample()
    {
        const QString example = QString::fromStdString(
                (envsync::test::sourceDir() / "resources/envsync.example.yaml").string());
        const CliRun run = runCli({QStringLiteral("validate"), QStringLiteral("-c"), example});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains("valid"));
    }

    void validateListsEveryErrorWithLocation()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("bad.yaml"),
                                       "version: 1\n"
                                       "source: { dsn: \"host=a dbname=p\" }\n"
                                       "golden: { dsn: \"host=b dbname=g\" }\n"
                                       "regions:\n"
                                       "  - name: eu\n"
                                       "    dsn: \"host=c dbname=x password=hunter2\"\n"
                                       "    timezne: Europe/Berlin\n");
        const CliRun run = runCli({QStringLiteral("validate"), QStringLiteral("-c"), path});
        QCOMPARE(run.exitCode, 2);
        const QStringList lines = run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(QStringLiteral("envsyncctl: ") + path + u":6:"),
                 qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(QStringLiteral("envsyncctl: ") + path + u":7:5: "),
                 qPrintable(lines[1]));
        QVERIFY(lines[1].contains(u"did you mean \"timezone\""));
        // The secret itself never reaches the terminal.
        QVERIFY(!run.err.contains(u"hunter2"));
    }

    void refusesAFifoAsConfig_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const auto row = [](const char *name, QStringList arguments) {
            QTest::newRow(name) << arguments;
        };
        row("validate", {QStringLiteral("validate")});
        row("status", {QStringLiteral("status")});
        row("report",
            {QStringLiteral("report"), QStringLiteral("--format"), QStringLiteral("csv")});
        row("drift", {QStringLiteral("drift")});
        row("mask", {QStringLiteral("mask"), QStringLiteral("--check")});
        row("calendar", {QStringLiteral("calendar"), QStringLiteral("check")});
        row("env", {QStringLiteral("env"), QStringLiteral("list")});
        row("snapshot", {QStringLiteral("snapshot"), QStringLiteral("list")});
        row("refresh",
            {QStringLiteral("refresh"), QStringLiteral("--region"), QStringLiteral("eu")});
        row("agent", {QStringLiteral("agent"), QStringLiteral("--once")});
    }
    void refusesAFifoAsConfig()
    {
        // Nothing ever writes to the FIFO: a command that opened it for reading would wait
        // forever; it must refuse it at once, like any other file that is not a config.
        QFETCH(QStringList, arguments);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fifo = dir.filePath(QStringLiteral("envsync.yaml"));
        QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
        QProcess process;
        process.start(QString::fromStdString(envsync::test::cliPath()),
                      arguments << QStringLiteral("-c") << fifo);
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished();
            QFAIL("envsyncctl waited on the FIFO");
        }
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitCode(), 2);
        QCOMPARE(err, QStringLiteral("envsyncctl: ") + fifo
                              + u": cannot read: not a regular file (a pipe); a config is a YAML "
                                u"file\n");
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
