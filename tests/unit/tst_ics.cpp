#include "core/schedule/calendar.h"
#include "core/schedule/icsexport.h"
#include "core/schedule/icsparse.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

#include <map>
#include <set>

using namespace envsync;
using namespace std::chrono_literals;

namespace {

const std::string trickyOwner =
        "QA, Berlin; team \\ night-shift\nsecond line <qa-eu@example.com> — Grüße, ünïcødé "
        "and a long tail so the DESCRIPTION line must be folded ✓✓✓";

config::RegionConfig region(const std::string &name, const std::string &zone,
                            const std::string &rule, int startMinutes,
                            std::chrono::seconds duration, const std::string &owner)
{
    config::RegionConfig out;
    out.name = name;
    out.timezone = zone;
    out.owner = owner;
    out.window = config::WindowConfig{rule, startMinutes, duration, {}};
    return out;
}

/// Four zones over March..November 2026: every DST change of Berlin, New York and Sydney. The
/// daily 02:30 Berlin window hits the spring gap (29 Mar) and the autumn repeat (25 Oct).
config::Config fourZoneConfig()
{
    config::Config config;
    config.regions = {
            region("eu", "Europe/Berlin", "FREQ=DAILY", 2 * 60 + 30, 3h, trickyOwner),
            region("us", "America/New_York", "FREQ=WEEKLY;BYDAY=SU,WE", 60, 4h,
                   "qa-us@example.com"),
            region("apac", "Asia/Tokyo", "FREQ=WEEKLY;BYDAY=MO", 22 * 60, 5h, "qa;apac"),
            region("au", "Australia/Sydney", "FREQ=WEEKLY;BYDAY=SU", 2 * 60 + 30, 2h,
                   "qa-au@example.com"),
    };
    config.blackouts = {{"2026-04-01", "2026-04-07", "Easter, freeze; \"really\"", {}, {}}};
    return config;
}

QDateTime utc(int year, int month, int day)
{
    return QDateTime(QDate(year, month, day), QTime(0, 0), QTimeZone::utc());
}

QDateTime fixedClock()
{
    return QDateTime(QDate(2026, 2, 1), QTime(12, 0, 5), QTimeZone::utc());
}

schedule::IcsOptions deterministicOptions()
{
    schedule::IcsOptions options;
    options.now = fixedClock;
    return options;
}

std::vector<std::string> physicalLines(const std::string &text)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find("\r\n", pos);
        if (end == std::string::npos) {
            lines.push_back(text.substr(pos));
            break;
        }
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 2;
    }
    return lines;
}

std::string unfold(const std::string &text)
{
    std::string out = text;
    for (std::size_t at = out.find("\r\n "); at != std::string::npos; at = out.find("\r\n ", at))
        out.erase(at, 3);
    return out;
}

struct Exported
{
    schedule::Calendar calendar;
    std::string text;
};

Exported exportRange(const config::Config &config, const QDateTime &from, const QDateTime &to)
{
    auto calendar = schedule::buildCalendar(config, from, to);
    if (!calendar)
        qFatal("buildCalendar: %s", calendar.error().describe().c_str());
    return {*calendar, schedule::calendarToIcs(*calendar, config, deterministicOptions())};
}

} // namespace

class TestIcs : public QObject
{
    Q_OBJECT
private slots:
    void roundTripsEveryOccurrenceAcrossDstChanges()
    {
        const config::Config config = fourZoneConfig();
        const Exported exported = exportRange(config, utc(2026, 3, 1), utc(2026, 11, 15));
        auto parsed = schedule::parseIcs(exported.text);
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().describe().c_str());

        std::map<std::string, schedule::ParsedEvent> byUid;
        for (const auto &event : *parsed)
            byUid.emplace(event.uid, event);
        QCOMPARE(byUid.size(), parsed->size()); // UIDs are unique

        std::size_t expectedCount = 0;
        int cancelled = 0;
        for (const auto &regionCalendar : exported.calendar.regions) {
            for (const auto &window : regionCalendar.windows) {
                ++expectedCount;
                const auto found = std::ranges::find_if(*parsed, [&](const auto &event) {
                    return event.startUtc == window.interval.startUtc
                            && event.description.find("Region: " + regionCalendar.region + '\n')
                            != std::string::npos;
                });
                const std::string occurrence = regionCalendar.region + " at "
                        + window.interval.startUtc.toString(Qt::ISODate).toStdString();
                QVERIFY2(found != parsed->end(), occurrence.c_str());
                QCOMPARE(found->endUtc, window.interval.endUtc);
                QCOMPARE(found->cancelled, window.cancelled());
                QCOMPARE(found->summary, "EnvSync refresh: " + regionCalendar.region);
                QVERIFY(found->description.find("Owner: " + regionCalendar.owner + '\n')
                        != std::string::npos);
                cancelled += window.cancelled() ? 1 : 0;
            }
        }
        QCOMPARE(parsed->size(), expectedCount);
        QVERIFY(expectedCount > 300); // eu alone is daily for 259 days
        QVERIFY(cancelled >= 7 + 2 + 1 + 1);
    }

    void dstEdgesKeepTheirInstants()
    {
        const config::Config config = fourZoneConfig();
        const Exported exported = exportRange(config, utc(2026, 3, 28), utc(2026, 3, 30));
        auto parsed = schedule::parseIcs(exported.text);
        QVERIFY(parsed.has_value());
        // 29 March: 02:30 does not exist in Berlin; the window starts at 03:30 CEST = 01:30Z.
        const QDateTime gapStart(QDate(2026, 3, 29), QTime(1, 30), QTimeZone::utc());
        QVERIFY(std::ranges::any_of(*parsed, [&](const auto &e) { return e.startUtc == gapStart; }));
        QVERIFY(exported.text.find("DTSTART;TZID=Europe/Berlin:20260329T033000\r\n")
                != std::string::npos);

        const Exported autumn = exportRange(config, utc(2026, 10, 24), utc(2026, 10, 26));
        auto autumnParsed = schedule::parseIcs(autumn.text);
        QVERIFY(autumnParsed.has_value());
        // 25 October: 02:30 happens twice; the window takes the first (CEST) = 00:30Z, written
        // in UTC because readers disagree on which occurrence a repeated local time means.
        const QDateTime repeated(QDate(2026, 10, 25), QTime(0, 30), QTimeZone::utc());
        QVERIFY(std::ranges::any_of(*autumnParsed,
                                    [&](const auto &e) { return e.startUtc == repeated; }));
        QVERIFY(autumn.text.find("DTSTART:20261025T003000Z\r\n") != std::string::npos);
    }

    void isWellFormedRfc5545()
    {
        const Exported exported = exportRange(fourZoneConfig(), utc(2026, 3, 1), utc(2026, 5, 1));
        const std::string &text = exported.text;
        QVERIFY(text.starts_with("BEGIN:VCALENDAR\r\n"));
        QVERIFY(text.ends_with("END:VCALENDAR\r\n"));
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n')
                QVERIFY2(i > 0 && text[i - 1] == '\r', "bare LF");
            if (text[i] == '\r')
                QVERIFY2(i + 1 < text.size() && text[i + 1] == '\n', "bare CR");
        }
        bool folded = false;
        for (const std::string &line : physicalLines(text)) {
            QVERIFY2(line.size() <= 75, line.c_str());
            folded = folded || line.starts_with(' ');
            QVERIFY(QString::fromUtf8(line.data(), qsizetype(line.size())).toUtf8().toStdString()
                    == line); // no UTF-8 sequence split by folding
        }
        QVERIFY(folded);
        const std::string logical = unfold(text);
        for (const char *required : {"\r\nVERSION:2.0\r\n", "\r\nPRODID:", "\r\nCALSCALE:GREGORIAN\r\n",
                                     "\r\nDTSTAMP:20260201T120005Z\r\n"}) {
            QVERIFY2(logical.find(required) != std::string::npos, required);
        }
        QVERIFY(logical.find("Owner: QA\\, Berlin\\; team \\\\ night-shift\\nsecond line")
                != std::string::npos);
        QVERIFY(logical.find("STATUS:CANCELLED\r\n") != std::string::npos);
    }

    void everyTzidHasOneVtimezone()
    {
        const std::string logical =
                unfold(exportRange(fourZoneConfig(), utc(2026, 3, 1), utc(2026, 5, 1)).text);
        const QString text = QString::fromStdString(logical);
        std::set<QString> referenced;
        auto uses = QRegularExpression(QStringLiteral(";TZID=([^:;]+)[:;]")).globalMatch(text);
        while (uses.hasNext())
            referenced.insert(uses.next().captured(1));
        std::multiset<QString> defined;
        auto definitions = QRegularExpression(QStringLiteral("BEGIN:VTIMEZONE\r\nTZID:([^\r]+)\r\n")).globalMatch(text);
        while (definitions.hasNext())
            defined.insert(definitions.next().captured(1));
        const std::set<QString> expected{QStringLiteral("Europe/Berlin"),
                                         QStringLiteral("America/New_York"),
                                         QStringLiteral("Asia/Tokyo"),
                                         QStringLiteral("Australia/Sydney")};
        QCOMPARE(referenced, expected);
        for (const QString &zone : expected)
            QCOMPARE(int(defined.count(zone)), 1);
    }

    void uidsAreStableAcrossExports()
    {
        const config::Config config = fourZoneConfig();
        auto wide = schedule::parseIcs(exportRange(config, utc(2026, 3, 1), utc(2026, 6, 1)).text);
        auto narrow = schedule::parseIcs(exportRange(config, utc(2026, 5, 1), utc(2026, 5, 20)).text);
        QVERIFY(wide && narrow);
        std::map<std::string, QDateTime> wideStarts;
        for (const auto &event : *wide)
            wideStarts[event.uid] = event.startUtc;
        QVERIFY(!narrow->empty());
        for (const auto &event : *narrow) {
            QVERIFY2(wideStarts.contains(event.uid), event.uid.c_str());
            QCOMPARE(wideStarts[event.uid], event.startUtc);
        }
        QCOMPARE(exportRange(config, utc(2026, 5, 1), utc(2026, 5, 20)).text,
                 exportRange(config, utc(2026, 5, 1), utc(2026, 5, 20)).text);
    }

    void utcRegionsNeedNoVtimezone()
    {
        config::Config config;
        config.regions = {region("ci", "UTC", "FREQ=WEEKLY;BYDAY=TU", 0, 1h, "ci")};
        const Exported exported = exportRange(config, utc(2026, 3, 1), utc(2026, 3, 15));
        QVERIFY(exported.text.find("BEGIN:VTIMEZONE") == std::string::npos);
        QVERIFY(exported.text.find("DTSTART:20260303T000000Z\r\n") != std::string::npos);
        auto parsed = schedule::parseIcs(exported.text);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->size(), std::size_t(2));
    }

    void rejectsTzidWithoutVtimezone()
    {
        std::string text =
                exportRange(fourZoneConfig(), utc(2026, 3, 1), utc(2026, 3, 10)).text;
        const std::size_t begin = text.find("BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo");
        QVERIFY(begin != std::string::npos);
        const std::string endMarker = "END:VTIMEZONE\r\n";
        const std::size_t end = text.find(endMarker, begin);
        text.erase(begin, end + endMarker.size() - begin);
        auto parsed = schedule::parseIcs(text);
        QVERIFY(!parsed.has_value());
        QVERIFY2(parsed.error().message.find("Asia/Tokyo") != std::string::npos,
                 parsed.error().describe().c_str());
        QVERIFY(!schedule::parseIcs("not a calendar").has_value());
    }
};

QTEST_GUILESS_MAIN(TestIcs)
#include "tst_ics.moc"
