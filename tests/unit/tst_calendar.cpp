// The schedule engine without a database: window expansion across DST changes (exact UTC
// instants), blackout cancellation, concurrency steps and every kind of calendar conflict.
#include "core/config/configloader.h"
#include "core/schedule/calendar.h"
#include "core/schedule/calendarformat.h"
#include "core/schedule/conflicts.h"
#include "core/schedule/windowexpander.h"
#include "scheduleyaml.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include <algorithm>

using envsync::config::Config;
using envsync::config::RegionConfig;
using envsync::config::WindowConfig;
using envsync::schedule::Calendar;
using envsync::schedule::Conflict;
using envsync::schedule::ConflictKind;
using envsync::schedule::WindowInterval;
using envsync::test::estateHeader;
using envsync::test::regionYaml;
using namespace std::chrono_literals;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime time = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    return time.toUTC();
}

RegionConfig region(const std::string &name, const std::string &zone, const std::string &rrule,
                    int startMinutes, std::chrono::seconds duration)
{
    RegionConfig out;
    out.name = name;
    out.timezone = zone;
    out.window = WindowConfig{rrule, startMinutes, duration, {}};
    return out;
}

std::vector<WindowInterval> expand(const RegionConfig &config, const char *from, const char *to)
{
    auto windows = envsync::schedule::expandWindow(config, utc(from), utc(to));
    if (!windows)
        qFatal("expandWindow: %s", windows.error().describe().c_str());
    return *windows;
}

/// The occurrence that starts on `localDate` in the region's zone.
std::optional<WindowInterval> onLocalDate(const std::vector<WindowInterval> &windows,
                                          const std::string &zone, const QDate &localDate)
{
    const QTimeZone tz(QByteArray::fromStdString(zone));
    for (const WindowInterval &window : windows) {
        if (window.startUtc.toTimeZone(tz).date() == localDate)
            return window;
    }
    return std::nullopt;
}

Config load(const std::string &yaml)
{
    return envsync::test::loadConfigText(yaml, "calendar.yaml");
}

Calendar build(const Config &config, const char *from, const char *to,
               const envsync::schedule::ExpectedDurations &expected = {})
{
    auto calendar = envsync::schedule::buildCalendar(config, utc(from), utc(to), expected);
    if (!calendar)
        qFatal("buildCalendar: %s", calendar.error().describe().c_str());
    return *calendar;
}

std::vector<Conflict> ofKind(const std::vector<Conflict> &conflicts, ConflictKind kind)
{
    std::vector<Conflict> out;
    std::ranges::copy_if(conflicts, std::back_inserter(out),
                         [kind](const Conflict &c) { return c.kind == kind; });
    return out;
}

} // namespace

class TestCalendar : public QObject
{
    Q_OBJECT
private slots:
    // --- DST --------------------------------------------------------------------------------
    // What is asserted: the start follows the rule of windowexpander.h (a start in a gap moves
    // forward by the gap, a repeated start takes its first occurrence) and every window lasts
    // exactly its duration in real time (3 h = 10800 s), whatever the wall clock does.
    void dstStartsAndDurations_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QDate>("localDate");
        QTest::addColumn<int>("startMinutes");
        QTest::addColumn<QDateTime>("startUtc");
        QTest::addColumn<QString>("localEnd"); // wall clock at the end, with offset

        const auto row = [](const char *name, const char *zone, QDate date, int minutes,
                            const char *start, const char *end) {
            QTest::newRow(name) << QString::fromLatin1(zone) << date << minutes << utc(start)
                                << QString::fromLatin1(end);
        };
        // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
        row("berlin day before spring", "Europe/Berlin", QDate(2026, 3, 28), 150,
            "2026-03-28T01:30:00Z", "2026-03-28T05:30:00+01:00");
        row("berlin 02:30 in the gap", "Europe/Berlin", QDate(2026, 3, 29), 150,
            "2026-03-29T01:30:00Z", "2026-03-29T06:30:00+02:00");
        row("berlin day after spring", "Europe/Berlin", QDate(2026, 3, 30), 150,
            "2026-03-30T00:30:00Z", "2026-03-30T05:30:00+02:00");
        row("berlin 02:30 repeated", "Europe/Berlin", QDate(2026, 10, 25), 150,
            "2026-10-25T00:30:00Z", "2026-10-25T04:30:00+01:00");
        row("berlin day after autumn", "Europe/Berlin", QDate(2026, 10, 26), 150,
            "2026-10-26T01:30:00Z", "2026-10-26T05:30:00+01:00");
        // America/New_York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
        row("new york 02:30 in the gap", "America/New_York", QDate(2026, 3, 8), 150,
            "2026-03-08T07:30:00Z", "2026-03-08T06:30:00-04:00");
        row("new york 01:30 repeated", "America/New_York", QDate(2026, 11, 1), 90,
            "2026-11-01T05:30:00Z", "2026-11-01T03:30:00-05:00");
        row("new york 02:30 after autumn", "America/New_York", QDate(2026, 11, 1), 150,
            "2026-11-01T07:30:00Z", "2026-11-01T05:30:00-05:00");
        // Australia/Sydney: 2026-04-05 03:00 AEDT → 02:00 AEST; 2026-10-04 02:00 AEST → 03:00.
        row("sydney 02:30 repeated", "Australia/Sydney", QDate(2026, 4, 5), 150,
            "2026-04-04T15:30:00Z", "2026-04-05T04:30:00+10:00");
        row("sydney 02:30 in the gap", "Australia/Sydney", QDate(2026, 10, 4), 150,
            "2026-10-03T16:30:00Z", "2026-10-04T06:30:00+11:00");
        // Asia/Tokyo: no DST, JST (+09:00) all year.
        row("tokyo winter", "Asia/Tokyo", QDate(2026, 1, 5), 120, "2026-01-04T17:00:00Z",
            "2026-01-05T05:00:00+09:00");
        row("tokyo summer", "Asia/Tokyo", QDate(2026, 7, 6), 120, "2026-07-05T17:00:00Z",
            "2026-07-06T05:00:00+09:00");
    }
    void dstStartsAndDurations()
    {
        QFETCH(QString, zone);
        QFETCH(QDate, localDate);
        QFETCH(int, startMinutes);
        QFETCH(QDateTime, startUtc);
        QFETCH(QString, localEnd);
        const RegionConfig config = region("r", zone.toStdString(), "FREQ=DAILY", startMinutes, 3h);
        const QDateTime dayBefore(localDate.addDays(-1), QTime(0, 0), Qt::UTC);
        const auto windows
                = envsync::schedule::expandWindow(config, dayBefore, dayBefore.addDays(3));
        QVERIFY(windows);
        const auto window = onLocalDate(*windows, zone.toStdString(), localDate);
        QVERIFY(window);
        QCOMPARE(window->startUtc, startUtc);
        QCOMPARE(window->startUtc.secsTo(window->endUtc), 3 * 3600);
        QCOMPARE(window->endUtc.toTimeZone(QTimeZone(zone.toUtf8())).toString(Qt::ISODate),
                 localEnd);
    }

    void tokyoHasOneOffsetAllYear()
    {
        const auto windows = expand(region("apac", "Asia/Tokyo", "FREQ=DAILY", 120, 3h),
                                    "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        QCOMPARE(windows.size(), std::size_t(365));
        for (const WindowInterval &window : windows) {
            QCOMPARE(window.startUtc.time(), QTime(17, 0));
            QCOMPARE(window.startUtc.secsTo(window.endUtc), 3 * 3600);
        }
    }

    void weeklyWindowWeekIsAnHourShorterOrLongerAcrossDst()
    {
        // Mondays 02:00 Berlin: the week containing 2026-03-29 has 167 h, the one with
        // 2026-10-25 has 169 h; every other week 168 h.
        const auto windows = expand(region("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO", 120, 3h),
                                    "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        QCOMPARE(windows.size(), std::size_t(52));
        std::map<qint64, int> weekLengths;
        for (std::size_t i = 1; i < windows.size(); ++i)
            ++weekLengths[windows[i - 1].startUtc.secsTo(windows[i].startUtc) / 3600];
        QCOMPARE(weekLengths, (std::map<qint64, int>{{167, 1}, {168, 49}, {169, 1}}));
    }

    // --- blackouts and concurrency -------------------------------------------------------------
    void blackoutCancelsWholeLocalDays()
    {
        // Daily at 00:30 Berlin (23:30 UTC the day before): the blackout is the local day
        // 2026-03-10, so the occurrence starting at 2026-03-09T23:30Z is the one cancelled.
        Config config = load(estateHeader(1)
                             + regionYaml("eu", "Europe/Berlin", "FREQ=DAILY", "00:30", "1h")
                             + "blackouts: [ { from: 2026-03-10, to: 2026-03-10, reason: \"db "
                               "upgrade\" } ]\n");
        const Calendar calendar = build(config, "2026-03-08T00:00:00Z", "2026-03-12T00:00:00Z");
        QCOMPARE(calendar.regions.size(), std::size_t(1));
        std::vector<QDateTime> cancelled;
        for (const auto &window : calendar.regions[0].windows) {
            if (window.cancelled()) {
                cancelled.push_back(window.interval.startUtc);
                QCOMPARE(window.blackout->reason, std::string("db upgrade"));
            }
        }
        QCOMPARE(cancelled, std::vector<QDateTime>{utc("2026-03-09T23:30:00Z")});
        // The occurrence of local 2026-03-08 00:30 (03-07T23:30Z) ends inside the range too.
        QCOMPARE(calendar.regions[0].windows.size(), std::size_t(5));
    }

    void concurrencyStepsCountOpenWindows()
    {
        Config config = load(estateHeader(1) + regionYaml("a", "UTC", "FREQ=DAILY", "02:00", "3h")
                             + regionYaml("b", "UTC", "FREQ=DAILY", "03:00", "3h")
                             + regionYaml("c", "UTC", "FREQ=DAILY", "04:00", "3h"));
        const Calendar calendar = build(config, "2026-05-01T00:00:00Z", "2026-05-01T12:00:00Z");
        const std::vector<std::pair<QDateTime, int>> expected
                = {{utc("2026-05-01T00:00:00Z"), 0}, {utc("2026-05-01T02:00:00Z"), 1},
                   {utc("2026-05-01T03:00:00Z"), 2}, {utc("2026-05-01T04:00:00Z"), 3},
                   {utc("2026-05-01T05:00:00Z"), 2}, {utc("2026-05-01T06:00:00Z"), 1},
                   {utc("2026-05-01T07:00:00Z"), 0}};
        QCOMPARE(envsync::schedule::concurrency(calendar), expected);
    }

    void backToBackWindowsDoNotOverlap()
    {
        Config config = load(estateHeader(1) + regionYaml("a", "UTC", "FREQ=DAILY", "02:00", "2h")
                             + regionYaml("b", "UTC", "FREQ=DAILY", "04:00", "2h"));
        const Calendar calendar = build(config, "2026-05-01T00:00:00Z", "2026-05-01T12:00:00Z");
        for (const auto &[at, open] : envsync::schedule::concurrency(calendar))
            QVERIFY2(open <= 1, qPrintable(at.toString(Qt::ISODate)));
        QVERIFY(ofKind(envsync::schedule::findConflicts(config, calendar), ConflictKind::Capacity)
                        .empty());
    }

    // --- conflicts ------------------------------------------------------------------------------
    void capacityMergesStepsAndNamesRegions()
    {
        const std::string regions
                = regionYaml("a", "UTC", "FREQ=DAILY", "02:00", "3h")
                  + regionYaml("b", "Europe/Berlin", "FREQ=DAILY", "05:00", "3h") // 03:00Z (CEST)
                  + regionYaml("c", "UTC", "FREQ=DAILY", "04:00", "3h");
        Config config = load(estateHeader(1) + regions);
        const Calendar calendar = build(config, "2026-05-01T00:00:00Z", "2026-05-01T12:00:00Z");
        const auto capacity = ofKind(envsync::schedule::findConflicts(config, calendar),
                                     ConflictKind::Capacity);
        QCOMPARE(capacity.size(), std::size_t(1));
        QCOMPARE(capacity[0].regions, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(capacity[0].startUtc, utc("2026-05-01T03:00:00Z"));
        QCOMPARE(capacity[0].endUtc, utc("2026-05-01T06:00:00Z"));
        const QString message = QString::fromStdString(capacity[0].message);
        QVERIFY2(message.contains(u"3 windows open at once"), qPrintable(message));
        QVERIFY2(message.contains(u"b Fri 2026-05-01 05:00 CEST"), qPrintable(message));
        // c opened last (04:00): its window is where to look.
        QCOMPARE(capacity[0].location.line, config.regions[2].window->location.line);

        // Room for two: only 04:00–05:00 has three open.
        Config roomier = load(estateHeader(2) + regions);
        const auto two = ofKind(
                envsync::schedule::findConflicts(
                        roomier, build(roomier, "2026-05-01T00:00:00Z", "2026-05-01T12:00:00Z")),
                ConflictKind::Capacity);
        QCOMPARE(two.size(), std::size_t(1));
        QCOMPARE(two[0].startUtc, utc("2026-05-01T04:00:00Z"));
        QCOMPARE(two[0].endUtc, utc("2026-05-01T05:00:00Z"));
        Config enough = load(estateHeader(3) + regions);
        QVERIFY(envsync::schedule::findConflicts(
                        enough, build(enough, "2026-05-01T00:00:00Z", "2026-05-01T12:00:00Z"))
                        .empty());
    }

    void blackoutConflictAndNoCapacityForCancelledWindows()
    {
        Config config = load(estateHeader(1) + regionYaml("eu", "UTC", "FREQ=DAILY", "02:00", "3h")
                             + regionYaml("us", "UTC", "FREQ=DAILY", "02:00", "3h")
                             + "blackouts: [ { from: 2026-05-02, to: 2026-05-02, reason: "
                               "\"release freeze\", regions: [us] } ]\n");
        const Calendar calendar = build(config, "2026-05-01T00:00:00Z", "2026-05-03T00:00:00Z");
        const auto conflicts = envsync::schedule::findConflicts(config, calendar);
        const auto blackout = ofKind(conflicts, ConflictKind::Blackout);
        QCOMPARE(blackout.size(), std::size_t(1));
        QCOMPARE(blackout[0].regions, std::vector<std::string>{"us"});
        QCOMPARE(blackout[0].startUtc, utc("2026-05-02T02:00:00Z"));
        QVERIFY(blackout[0].message.find("release freeze") != std::string::npos);
        QCOMPARE(blackout[0].location.line, config.blackouts[0].location.line);
        // May 1: both open at once; May 2: us is cancelled, so eu alone is no conflict.
        const auto capacity = ofKind(conflicts, ConflictKind::Capacity);
        QCOMPARE(capacity.size(), std::size_t(1));
        QCOMPARE(capacity[0].startUtc, utc("2026-05-01T02:00:00Z"));
    }

    void slaGapsBetweenWindowEndsAndAtTheEdges()
    {
        // Mondays 02:00–05:00 UTC over four weeks; the range ends 6d19h after the last end.
        const char *from = "2026-03-02T00:00:00Z";
        const char *to = "2026-03-30T00:00:00Z";
        Config weekly = load(estateHeader(1)
                             + regionYaml("eu", "UTC", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h"));
        QVERIFY(envsync::schedule::findConflicts(weekly, build(weekly, from, to)).empty());

        Config strict
                = load(estateHeader(1)
                       + regionYaml("eu", "UTC", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h", "3d"));
        const auto gaps = ofKind(envsync::schedule::findConflicts(strict, build(strict, from, to)),
                                 ConflictKind::SlaGap);
        QCOMPARE(gaps.size(), std::size_t(4));
        QCOMPARE(gaps[0].startUtc, utc("2026-03-02T05:00:00Z"));
        QCOMPARE(gaps[0].endUtc, utc("2026-03-09T05:00:00Z"));
        QVERIFY(gaps[0].message.find("7d without a refresh") != std::string::npos);
        QCOMPARE(gaps[3].endUtc, utc(to));
        QVERIFY2(gaps[3].message.find("at least 6d19h") != std::string::npos,
                 gaps[3].message.c_str());
    }

    void slaGapFromACancelledWindow()
    {
        Config config = load(estateHeader(1)
                             + regionYaml("eu", "UTC", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h")
                             + "blackouts: [ { from: 2026-03-16, to: 2026-03-16 } ]\n");
        const auto conflicts = envsync::schedule::findConflicts(
                config, build(config, "2026-03-02T00:00:00Z", "2026-03-30T00:00:00Z"));
        const auto gaps = ofKind(conflicts, ConflictKind::SlaGap);
        QCOMPARE(gaps.size(), std::size_t(1));
        QCOMPARE(gaps[0].startUtc, utc("2026-03-09T05:00:00Z"));
        QCOMPARE(gaps[0].endUtc, utc("2026-03-23T05:00:00Z"));
        QCOMPARE(ofKind(conflicts, ConflictKind::Blackout).size(), std::size_t(1));
    }

    void slaGapOfTheDstWeek()
    {
        // Real time: the autumn week is 7d1h between two Monday refreshes, over a 7d SLA.
        Config config
                = load(estateHeader(1)
                       + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h"));
        const auto gaps = ofKind(
                envsync::schedule::findConflicts(
                        config, build(config, "2026-10-12T00:00:00Z", "2026-11-09T00:00:00Z")),
                ConflictKind::SlaGap);
        QCOMPARE(gaps.size(), std::size_t(1));
        QCOMPARE(gaps[0].startUtc.secsTo(gaps[0].endUtc), 7 * 86400 + 3600);
        QVERIFY2(gaps[0].message.find("7d1h without a refresh, from Mon 2026-10-19 05:00 CEST to "
                                      "Mon 2026-10-26 05:00 CET")
                         != std::string::npos,
                 gaps[0].message.c_str());
    }

    void regionWithoutWindowMissesItsSla()
    {
        Config config = load(estateHeader(1) + "  - name: adhoc\n    dsn: \"service=qa-adhoc\"\n");
        const auto conflicts = envsync::schedule::findConflicts(
                config, build(config, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"));
        QCOMPARE(conflicts.size(), std::size_t(1));
        QCOMPARE(conflicts[0].kind, ConflictKind::SlaGap);
        QCOMPARE(conflicts[0].regions, std::vector<std::string>{"adhoc"});
    }

    void tooShortWindowAgainstHistory()
    {
        Config config = load(estateHeader(1)
                             + regionYaml("eu", "UTC", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h"));
        const char *from = "2026-03-02T00:00:00Z";
        const char *to = "2026-03-09T00:00:00Z";
        QVERIFY(envsync::schedule::findConflicts(config, build(config, from, to, {{"eu", 2h}}))
                        .empty());
        QVERIFY(envsync::schedule::findConflicts(config, build(config, from, to, {{"eu", 3h}}))
                        .empty());
        const auto conflicts
                = envsync::schedule::findConflicts(config, build(config, from, to, {{"eu", 4h}}));
        QCOMPARE(conflicts.size(), std::size_t(1));
        QCOMPARE(conflicts[0].kind, ConflictKind::TooShort);
        QCOMPARE(conflicts[0].startUtc, utc("2026-03-02T02:00:00Z"));
        QVERIFY2(conflicts[0].message.find("take 4h on average, longer than the 3h window")
                         != std::string::npos,
                 conflicts[0].message.c_str());
    }

    // --- config and output
    // ------------------------------------------------------------------------
    void maxParallelRefreshesDefaultsToOne()
    {
        const Config config = load("version: 1\nsource: { dsn: \"service=prod\" }\n"
                                   "golden: { dsn: \"service=golden\" }\n"
                                   "regions: [ { name: eu, dsn: \"service=qa-eu\" } ]\n");
        QCOMPARE(config.golden.maxParallelRefreshes, 1);
    }

    void jsonHasOneEntryPerOccurrence()
    {
        Config config
                = load(estateHeader(1)
                       + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h")
                       + regionYaml("us", "America/New_York", "FREQ=WEEKLY;BYDAY=WE", "02:00", "3h")
                       + "blackouts: [ { from: 2026-03-09, to: 2026-03-09, reason: r } ]\n");
        const Calendar calendar = build(config, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z");
        const auto conflicts = envsync::schedule::findConflicts(config, calendar);
        const QJsonObject json = QJsonDocument::fromJson(
                                         QByteArray::fromStdString(envsync::schedule::calendarJson(
                                                 calendar, conflicts, utc("2026-03-05T00:00:00Z"))))
                                         .object();
        QCOMPARE(json[u"version"].toInt(), 1);
        const QJsonArray occurrences = json[u"occurrences"].toArray();
        QCOMPARE(occurrences.size(), 4);
        QStringList statuses;
        for (const auto &value : occurrences)
            statuses << value[u"region"].toString() + u':' + value[u"status"].toString();
        QCOMPARE(statuses,
                 (QStringList{QStringLiteral("eu:past"), QStringLiteral("us:past"),
                              QStringLiteral("eu:cancelled"), QStringLiteral("us:scheduled")}));
        QCOMPARE(occurrences[0][u"zone"].toString(), QStringLiteral("CET"));
        QCOMPARE(occurrences[1][u"zone"].toString(), QStringLiteral("EST"));
        QCOMPARE(json[u"conflicts"].toArray().size(), int(conflicts.size()));
        const std::string table = envsync::schedule::calendarTable(calendar, conflicts,
                                                                   utc("2026-03-05T00:00:00Z"));
        QVERIFY2(table.find("cancelled: r") != std::string::npos, table.c_str());
        QVERIFY2(table.find("Mon 2026-03-02 02:00 CET") != std::string::npos, table.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCalendar)
#include "tst_calendar.moc"
