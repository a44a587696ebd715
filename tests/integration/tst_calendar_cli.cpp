// `envsyncctl calendar` and `calendar check` on the demo estate and on a config built to
// conflict: exit codes, the conflict lines, the JSON document.
#include "testsupport.h"

#include "core/config/configloader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>

using envsync::test::CliRun;
using envsync::test::runCli;

namespace {

QString demoConfig()
{
    return QString::fromStdString(envsync::test::demoConfigPath());
}

QStringList calendarArgs(const QString &config, const QStringList &extra)
{
    return QStringList{QStringLiteral("calendar"), QStringLiteral("-c"), config} + extra;
}

QString describe(const CliRun &run)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3")
            .arg(run.exitCode)
            .arg(QString::fromUtf8(run.out), run.err);
}

} // namespace

class TestCalendarCli : public QObject
{
    Q_OBJECT
private slots:
    void demoCalendarHasNoConflicts()
    {
        // The default range (8 weeks from "today") and a whole year around the demo's release
        // day and both DST changes: the staggered windows, the 8-day SLA and the blackout fit.
        for (const QStringList &range :
             {QStringList{QStringLiteral("--now"), QStringLiteral("2026-11-26T09:00:00Z")},
              QStringList{QStringLiteral("--from"), QStringLiteral("2026-06-01"),
                          QStringLiteral("--to"), QStringLiteral("2027-05-31")}}) {
            const CliRun run = runCli(calendarArgs(demoConfig(), QStringList{QStringLiteral("check")} + range));
            QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
            QCOMPARE(QString::fromUtf8(run.out), QStringLiteral("no conflicts\n"));
            // The refresh history was read from the demo's control database without complaint.
            QVERIFY2(!run.err.contains(u"warning"), qPrintable(run.err));
        }
    }

    void demoBlackoutShowsWithoutCancelling()
    {
        const CliRun run = runCli(
                calendarArgs(demoConfig(), {QStringLiteral("--from"), QStringLiteral("2026-12-21"),
                                            QStringLiteral("--to"), QStringLiteral("2026-12-27")}));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(u"release 2026.12 go-live"), qPrintable(out));
        QVERIFY2(!out.contains(u"cancelled"), qPrintable(out));
        QCOMPARE(out.count(u"scheduled"), 3); // eu Monday, us Wednesday, apac Friday
    }

    void conflictingConfigNamesBothKinds()
    {
        const auto demo = envsync::config::loadConfigFile(envsync::test::demoConfigPath());
        QVERIFY(demo);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(QStringLiteral("conflicts.yaml")).toStdString();
        {
            std::ofstream out(path);
            out << "version: 1\n"
                << "source: { name: prod, dsn: \"" << demo->source.dsn << "\" }\n"
                << "golden: { dsn: \"" << demo->golden.dsn << "\", max_parallel_refreshes: 1 }\n"
                << "regions:\n";
            for (const char *name : {"eu", "us"}) {
                out << "  - name: " << name << "\n    dsn: \"" << demo->findRegion(name)->dsn
                    << "\"\n    timezone: Europe/Berlin\n"
                    << "    window: { rrule: \"FREQ=WEEKLY;BYDAY=TU\", start: \"03:00\", "
                       "duration: 2h }\n"
                    << "    freshness_sla: 14d\n"; // the cancelled Tuesday is no SLA gap here
            }
            out << "blackouts: [ { from: 2026-03-10, to: 2026-03-10, reason: \"db upgrade\", "
                   "regions: [us] } ]\n";
        }
        const CliRun run = runCli(calendarArgs(
                QString::fromStdString(path),
                {QStringLiteral("check"), QStringLiteral("--from"), QStringLiteral("2026-03-02"),
                 QStringLiteral("--to"), QStringLiteral("2026-03-15")}));
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        const QStringList lines = QString::fromUtf8(run.out).split(u'\n', Qt::SkipEmptyParts);
        std::map<QString, int> kinds;
        for (const QString &line : lines) {
            // FILE:LINE:COL: kind: message
            QVERIFY2(line.startsWith(QString::fromStdString(path) + u':'), qPrintable(line));
            ++kinds[line.section(QStringLiteral(": "), 1, 1)];
        }
        // Tuesday 3 March both open at once; Tuesday 10 March us is cancelled (eu alone is fine).
        QCOMPARE(kinds, (std::map<QString, int>{{QStringLiteral("blackout"), 1},
                                                {QStringLiteral("capacity"), 1}}));
        QVERIFY2(lines.join(u'\n').contains(u"eu, us: 2 windows open at once"),
                 qPrintable(lines.join(u'\n')));
        QVERIFY(lines.join(u'\n').contains(u"\"db upgrade\""));

        const CliRun table
                = runCli(calendarArgs(QString::fromStdString(path),
                                      {QStringLiteral("--from"), QStringLiteral("2026-03-02"),
                                       QStringLiteral("--to"), QStringLiteral("2026-03-15")}));
        QVERIFY2(table.exitCode == 0, qPrintable(describe(table)));
        QVERIFY(table.out.contains("cancelled: db upgrade"));
        QVERIFY(table.out.contains("Conflicts (2):"));
    }

    void jsonListsEveryOccurrenceOfTwoWeeks()
    {
        // Three weekly windows (eu Monday, us Wednesday, apac Friday) over 14 days: 6.
        const CliRun run = runCli(calendarArgs(
                demoConfig(), {QStringLiteral("--from"), QStringLiteral("2026-02-02"),
                               QStringLiteral("--to"), QStringLiteral("2026-02-15"),
                               QStringLiteral("--now"), QStringLiteral("2026-02-09T00:00:00Z"),
                               QStringLiteral("--format"), QStringLiteral("json")}));
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QJsonParseError error{};
        const QJsonObject json = QJsonDocument::fromJson(run.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(json[u"version"].toInt(), 1);
        QCOMPARE(json[u"from"].toString(), QStringLiteral("2026-02-02T00:00:00Z"));
        QCOMPARE(json[u"to"].toString(), QStringLiteral("2026-02-16T00:00:00Z"));
        const QJsonArray occurrences = json[u"occurrences"].toArray();
        QCOMPARE(occurrences.size(), 6);
        std::map<QString, int> perRegion;
        int past = 0;
        for (const auto &value : occurrences) {
            ++perRegion[value[u"region"].toString()];
            past += value[u"status"].toString() == u"past" ? 1 : 0;
            QCOMPARE(value[u"duration_seconds"].toInt(), 3 * 3600);
        }
        QCOMPARE(perRegion, (std::map<QString, int>{{QStringLiteral("apac"), 2},
                                                    {QStringLiteral("eu"), 2},
                                                    {QStringLiteral("us"), 2}}));
        QCOMPARE(past, 3); // the first week's three are before --now
        QCOMPARE(json[u"conflicts"].toArray().size(), 0);
    }

    void badInputExits2()
    {
        const CliRun badFrom = runCli(calendarArgs(
                demoConfig(), {QStringLiteral("--from"), QStringLiteral("2026-02-30")}));
        QCOMPARE(badFrom.exitCode, 2);
        QVERIFY2(badFrom.err.contains(u"--from: invalid date \"2026-02-30\""),
                 qPrintable(badFrom.err));
        QVERIFY(badFrom.out.isEmpty());
        const CliRun backwards = runCli(
                calendarArgs(demoConfig(), {QStringLiteral("--from"), QStringLiteral("2026-03-01"),
                                            QStringLiteral("--to"), QStringLiteral("2026-02-01")}));
        QCOMPARE(backwards.exitCode, 2);
        QCOMPARE(runCli(calendarArgs(demoConfig(),
                                     {QStringLiteral("--format"), QStringLiteral("xml")}))
                         .exitCode,
                 2);
        QCOMPARE(runCli(calendarArgs(demoConfig(), {QStringLiteral("publish")})).exitCode, 2);
        const CliRun help = runCli({QStringLiteral("calendar"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("check") && help.out.contains("DST"));
        QVERIFY(!help.out.contains("--now"));
    }
};

QTEST_GUILESS_MAIN(TestCalendarCli)
#include "tst_calendar_cli.moc"
