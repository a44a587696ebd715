// The calendar planner: hand-made cases with known answers, and a property test over random
// configs (every plan that claims success leaves no conflict; every failure says why).
#include "core/config/configloader.h"
#include "core/schedule/calendar.h"
#include "core/schedule/conflicts.h"
#include "core/schedule/icsparse.h"
#include "core/schedule/planner.h"
#include "core/schedule/planpatch.h"
#include "scheduleyaml.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <algorithm>
#include <array>

using namespace envsync;
using namespace std::chrono_literals;
using test::estateHeader;
using test::regionYaml;

namespace {

const std::array<const char *, 4> zones{"Europe/Berlin", "America/New_York", "Asia/Tokyo",
                                        "Australia/Sydney"};
const std::array<const char *, 7> dayCodes{"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

QDateTime utc(int year, int month, int day)
{
    return QDateTime(QDate(year, month, day), QTime(0, 0), Qt::UTC);
}

config::Config load(const std::string &yaml)
{
    return test::loadConfigText(yaml, "plan.yaml");
}

schedule::PlanResult plan(const config::Config &config, const QDateTime &from, const QDateTime &to,
                          const schedule::ExpectedDurations &expected = {})
{
    auto result = schedule::planCalendar(config, from, to, expected);
    if (!result)
        qFatal("planCalendar: %s", result.error().describe().c_str());
    return *result;
}

std::vector<schedule::Conflict> plannableConflictsOf(const config::Config &config,
                                                     const QDateTime &from, const QDateTime &to,
                                                     const schedule::ExpectedDurations &expected)
{
    auto calendar = schedule::buildCalendar(config, from, to, expected);
    if (!calendar)
        qFatal("buildCalendar: %s", calendar.error().describe().c_str());
    return schedule::plannableConflicts(schedule::findConflicts(config, *calendar));
}

/// A random but valid config: 1-8 regions over the four zones, weekly rules of 1-3 days (some
/// daily), any start, 1-6 h, SLA 1-14 d, capacity 1-3, up to two blackouts.
struct RandomCase
{
    config::Config config;
    schedule::ExpectedDurations expected;
    QDateTime from;
    QDateTime to;
};

std::string randomRule(QRandomGenerator &random)
{
    if (random.bounded(10) == 0)
        return "FREQ=DAILY";
    std::string days;
    const int count = 1 + random.bounded(3);
    std::vector<int> chosen;
    while (int(chosen.size()) < count) {
        const int day = random.bounded(7);
        if (std::ranges::find(chosen, day) == chosen.end())
            chosen.push_back(day);
    }
    std::ranges::sort(chosen);
    for (const int day : chosen)
        days += std::string(days.empty() ? "" : ",") + dayCodes[std::size_t(day)];
    return "FREQ=WEEKLY;BYDAY=" + days;
}

RandomCase randomCase(QRandomGenerator &random)
{
    RandomCase out;
    // Early 2024, right after the rules' anchor (2024-01-01): libical expands every occurrence
    // from the anchor on, so later ranges only make the checks slower, not stronger.
    out.from = utc(2024, 1, 8).addDays(random.bounded(330));
    out.to = out.from.addDays(28);
    out.config.golden.maxParallelRefreshes = 1 + random.bounded(3);
    const int regions = 1 + random.bounded(8);
    for (int i = 0; i < regions; ++i) {
        config::RegionConfig region;
        region.name = "r" + std::to_string(i);
        region.timezone = zones[std::size_t(random.bounded(4))];
        region.window = config::WindowConfig{randomRule(random), random.bounded(48) * 30,
                                             std::chrono::hours(1 + random.bounded(6)), {}};
        region.freshnessSla = std::chrono::days(1 + random.bounded(14));
        if (random.bounded(2) == 0)
            out.expected[region.name] = std::chrono::minutes(30 + random.bounded(7 * 60));
        out.config.regions.push_back(region);
    }
    for (int blackouts = random.bounded(3); blackouts > 0; --blackouts) {
        const QDate from = out.from.date().addDays(random.bounded(28));
        config::BlackoutConfig blackout;
        blackout.from = from.toString(Qt::ISODate).toStdString();
        blackout.to = from.addDays(random.bounded(10)).toString(Qt::ISODate).toStdString();
        blackout.reason = "freeze";
        if (random.bounded(2) == 0)
            blackout.regions = {"r" + std::to_string(random.bounded(regions))};
        out.config.blackouts.push_back(blackout);
    }
    return out;
}

bool changesOnlyConflictingRegions(const schedule::PlanResult &result,
                                   const std::vector<schedule::Conflict> &baseline)
{
    return std::ranges::all_of(result.changes, [&](const schedule::WindowChange &change) {
        return std::ranges::any_of(baseline, [&](const schedule::Conflict &conflict) {
            return std::ranges::find(conflict.regions, change.region) != conflict.regions.end();
        });
    });
}

} // namespace

class TestPlanner : public QObject
{
    Q_OBJECT
private slots:
    void leavesAFineCalendarAlone()
    {
        const config::Config config = load(
                estateHeader(1)
                + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO,TH", "02:00", "3h")
                + regionYaml("us", "America/New_York", "FREQ=WEEKLY;BYDAY=MO,TH", "02:00", "3h"));
        const auto result = plan(config, utc(2026, 5, 4), utc(2026, 6, 29));
        QVERIFY(result.satisfied());
        QVERIFY(result.changes.empty());
        QVERIFY(result.remaining.empty());
        auto diff = schedule::planDiff(result, "unused", "plan.yaml");
        QVERIFY(diff && diff->empty());
    }

    void movesExactlyOneOfTwoRegionsOnTheSameSlot()
    {
        const std::string yaml
                = estateHeader(1)
                  + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO,TH", "02:00", "3h")
                  + regionYaml("fr", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO,TH", "02:00", "3h");
        const config::Config config = load(yaml);
        const QDateTime from = utc(2026, 5, 4);
        const QDateTime to = utc(2026, 6, 29);
        QVERIFY(!plannableConflictsOf(config, from, to, {}).empty());
        const auto result = plan(config, from, to);
        QVERIFY2(result.satisfied(), result.unsatisfied.empty() ? "" : result.unsatisfied[0].c_str());
        QCOMPARE(result.changes.size(), std::size_t(1));
        const schedule::WindowChange &change = result.changes.front();
        QCOMPARE(change.region, std::string("fr")); // the later one moves
        // The start time changes before the days, into the local night after eu's window.
        QCOMPARE(change.after.rrule, std::string("FREQ=WEEKLY;BYDAY=MO,TH"));
        QVERIFY(change.after.startMinutes >= 5 * 60 || change.after.startMinutes + 180 <= 2 * 60);
        QVERIFY(change.reason.starts_with("capacity: "));
        QVERIFY(plannableConflictsOf(schedule::applyPlan(config, result), from, to, {}).empty());

        auto diff = schedule::planDiff(result, yaml, "plan.yaml");
        QVERIFY2(diff.has_value(), diff ? "" : diff.error().describe().c_str());
        QVERIFY(diff->starts_with("--- plan.yaml\n+++ plan.yaml\n@@ "));
        const std::string removed = "-    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO,TH\", start: "
                                    "\"02:00\", duration: 3h }\n";
        QCOMPARE(std::ranges::count(*diff, '\n'), 2 + 1 + 3 + 2 + 1); // headers, @@, ctx, -/+, ctx
        QVERIFY(diff->find(removed) != std::string::npos);
        QVERIFY(diff->find("+    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO,TH\", start: \"")
                != std::string::npos);
        QVERIFY(schedule::planSnippet(result).find("regions[name=fr]:\n  window: {")
                != std::string::npos);

        // A FIFO where the config was (swapped after loading): the YAML snippet instead of a
        // patch, at once, not a read that waits for a writer forever.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string fifo = dir.filePath(QStringLiteral("envsync.yaml")).toStdString();
        QVERIFY(::mkfifo(fifo.c_str(), 0600) == 0);
        const std::string patch = schedule::planPatchForFile(result, fifo);
        QVERIFY2(patch.starts_with("# cannot read " + fifo + " (cannot read: not a regular file"),
                 patch.c_str());
        QVERIFY(patch.find("regions[name=fr]:\n  window: {") != std::string::npos);
    }

    void growsATooShortWindowOnly()
    {
        const config::Config config = load(
                estateHeader(1)
                + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO,TH", "01:00", "3h"));
        const schedule::ExpectedDurations expected{{"eu", 4h}};
        const auto result = plan(config, utc(2026, 5, 4), utc(2026, 6, 29), expected);
        QVERIFY(result.satisfied());
        QCOMPARE(result.changes.size(), std::size_t(1));
        const auto &after = result.changes.front().after;
        QCOMPARE(after.rrule, std::string("FREQ=WEEKLY;BYDAY=MO,TH"));
        QCOMPARE(after.startMinutes, 60);
        QCOMPARE(after.duration, std::chrono::seconds(5h)); // 4h + 25 % margin, rounded to 30m
        QVERIFY(result.changes.front().reason.starts_with("too-short: "));
    }

    void addsADayWhenDstBreaksAWeeklySla()
    {
        // Berlin leaves DST on 25 Oct 2026: a weekly window is 7d1h after the previous one.
        const config::Config config
                = load(estateHeader(1)
                       + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO", "02:00", "3h"));
        const auto result = plan(config, utc(2026, 10, 5), utc(2026, 11, 9));
        QVERIFY(result.satisfied());
        QCOMPARE(result.changes.size(), std::size_t(1));
        QCOMPARE(std::ranges::count(result.changes.front().after.rrule, ','), 1); // two days
    }

    void explainsABlackoutLongerThanTheSla()
    {
        const config::Config config
                = load(estateHeader(1)
                       + regionYaml("eu", "Europe/Berlin", "FREQ=DAILY", "02:00", "1h", "3d")
                       + "blackouts: [ { from: 2026-05-11, to: 2026-05-17, reason: freeze } ]\n");
        const auto result = plan(config, utc(2026, 5, 4), utc(2026, 5, 25));
        QVERIFY(!result.satisfied());
        QCOMPARE(result.unsatisfied.size(), std::size_t(1));
        QVERIFY(result.unsatisfied.front().starts_with("eu: cannot be satisfied: blackout \"freeze\""));
        QVERIFY(result.changes.empty()); // nothing helps, so nothing changes
    }

    void cliPrintsAPatchAndAnIcsCalendar()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("envsync.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(
                estateHeader(1)
                + regionYaml("eu", "Europe/Berlin", "FREQ=WEEKLY;BYDAY=MO,TH", "02:00", "3h")
                + regionYaml("fr", "Europe/Paris", "FREQ=WEEKLY;BYDAY=MO,TH", "02:00", "3h")));
        file.close();
        const QStringList range{QStringLiteral("--from"), QStringLiteral("2026-05-04"),
                                QStringLiteral("--to"), QStringLiteral("2026-05-31")};
        const auto plan = test::runCli(QStringList{QStringLiteral("calendar"), QStringLiteral("plan"),
                                                   QStringLiteral("-c"), path} + range);
        QVERIFY2(plan.exitCode == 0, qPrintable(plan.err));
        const std::string name = QDir::current().relativeFilePath(path).toStdString();
        QVERIFY(plan.out.startsWith(QByteArray::fromStdString("--- " + name + "\n+++ " + name + "\n")));
        QVERIFY(plan.out.contains("-    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO,TH\", start: \"02:00\""));
        QCOMPARE(plan.out.count("\n+    window: "), 1);
        QVERIFY(plan.err.contains(QStringLiteral("plan: fr: FREQ=WEEKLY;BYDAY=MO,TH 02:00 3h -> ")));

        const auto ics = test::runCli(QStringList{QStringLiteral("calendar"), QStringLiteral("-c"),
                                                  path, QStringLiteral("--format"),
                                                  QStringLiteral("ics")} + range);
        QCOMPARE(ics.exitCode, 0);
        auto events = schedule::parseIcs(ics.out.toStdString());
        QVERIFY2(events.has_value(), events ? "" : events.error().describe().c_str());
        QCOMPARE(events->size(), std::size_t(2 * 8)); // 4 weeks of MO and TH, two regions
    }

    void plansHoldOnRandomConfigs()
    {
        const quint32 seed = qEnvironmentVariableIsSet("ENVSYNC_PLANNER_SEED")
                ? quint32(qEnvironmentVariableIntValue("ENVSYNC_PLANNER_SEED"))
                : QRandomGenerator::global()->generate();
        QRandomGenerator random(seed);
        QElapsedTimer timer;
        timer.start();
        int satisfied = 0;
        int changed = 0;
        for (int round = 0; round < 200; ++round) {
            const RandomCase c = randomCase(random);
            const std::string where = "seed " + std::to_string(seed) + " (ENVSYNC_PLANNER_SEED), round "
                    + std::to_string(round);
            const auto baseline = plannableConflictsOf(c.config, c.from, c.to, c.expected);
            const auto result = schedule::planCalendar(c.config, c.from, c.to, c.expected);
            QVERIFY2(result.has_value(), where.c_str());
            QVERIFY2(changesOnlyConflictingRegions(*result, baseline), where.c_str());
            if (baseline.empty())
                QVERIFY2(result->changes.empty() && result->satisfied(), where.c_str());
            for (const auto &change : result->changes) {
                if (const auto e = c.expected.find(change.region); e != c.expected.end())
                    QVERIFY2(change.after.duration >= e->second, where.c_str());
            }
            const auto after = plannableConflictsOf(schedule::applyPlan(c.config, *result), c.from,
                                                    c.to, c.expected);
            if (result->satisfied()) {
                const std::string left = after.empty() ? "" : where + ": " + after.front().message;
                QVERIFY2(after.empty(), left.c_str());
                ++satisfied;
            } else {
                QVERIFY2(!after.empty(), where.c_str());
                QVERIFY2(std::ranges::none_of(result->unsatisfied,
                                              [](const std::string &line) { return line.empty(); }),
                         where.c_str());
            }
            changed += result->changes.empty() ? 0 : 1;
        }
        qInfo("seed %u: %d of 200 plans satisfied, %d changed something, %lld ms", seed, satisfied,
              changed, timer.elapsed());
        QVERIFY(satisfied > 0 && changed > 0); // the generator exercises both outcomes
    }
};

QTEST_GUILESS_MAIN(TestPlanner)
#include "tst_planner.moc"
