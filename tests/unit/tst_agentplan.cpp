// The agent's decision table, without a database: windows, blackouts, "holds the newest",
// backoff from the failures in refresh_log, giving up, and when to look again.
#include "core/agent/dueplan.h"
#include "core/config/configloader.h"

#include <QtTest>

using namespace envsync;
using namespace envsync::agent;
using namespace std::chrono_literals;

namespace {

// eu: Mondays 02:00–05:00 Europe/Berlin (01:00–04:00 UTC in winter); us has no window.
constexpr const char *kConfig = R"(version: 1
source: { name: prod, dsn: "service=prod", production: true }
golden: { dsn: "service=golden" }
regions:
  - name: eu
    dsn: "service=qa-eu"
    timezone: Europe/Berlin
    window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h }
  - name: us
    dsn: "service=qa-us"
    timezone: America/New_York
blackouts:
  - { from: 2026-12-21, to: 2027-01-04, reason: "year-end freeze" }
  - { from: 2026-12-07, to: 2026-12-07, reason: "us only", regions: [us] }
masking:
  salt: { env: ENVSYNC_MASK_SALT }
)";

QDateTime utc(int year, int month, int day, int hour, int minute, int second = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC);
}

// Monday 2026-11-30: eu's window is open 01:00–04:00 UTC.
const QDateTime kWindowStart = utc(2026, 11, 30, 1, 0);
const QDateTime kWindowEnd = utc(2026, 11, 30, 4, 0);

db::RefreshRecord attempt(const QDateTime &started, int seconds, const std::string &result,
                          const std::string &actor = "envsync-agent")
{
    db::RefreshRecord record;
    record.region = "eu";
    record.snapshot = "golden_v2";
    record.startedAt = started;
    record.finishedAt = started.addSecs(seconds);
    record.result = result;
    record.actor = actor;
    return record;
}

FailedAttempt failure(const QDateTime &at, int seconds)
{
    return {at, at.addSecs(seconds)};
}

} // namespace

class TestAgentPlan : public QObject
{
    Q_OBJECT

    config::Config m_config;

    [[nodiscard]] RegionDecision decide(const QDateTime &now, const RegionFacts &facts,
                                        const std::optional<std::string> &newest = "golden_v2",
                                        const std::string &region = "eu") const
    {
        auto decision = decideRegion(m_config, *m_config.findRegion(region), now, newest, facts);
        if (!decision)
            qFatal("decideRegion: %s", decision.error().describe().c_str());
        return *decision;
    }

private slots:
    void initTestCase()
    {
        auto parsed = config::parseConfig(kConfig, "agent.yaml");
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().front().format().c_str());
        m_config = *parsed;
    }

    void outsideTheWindowNamesTheNextOpening()
    {
        const auto decision = decide(utc(2026, 11, 24, 12, 0), {});
        QCOMPARE(decision.state, RegionState::OutsideWindow);
        QCOMPARE(decision.until, kWindowStart);
        QVERIFY(!decision.window);
    }

    void aRegionWithoutWindowIsNeverDue()
    {
        const auto decision = decide(kWindowStart, {}, "golden_v2", "us");
        QCOMPARE(decision.state, RegionState::OutsideWindow);
        QVERIFY(!decision.until.isValid());
    }

    void windowBoundsAreHalfOpen_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<bool>("due");
        QTest::newRow("a second before") << kWindowStart.addSecs(-1) << false;
        QTest::newRow("at the start") << kWindowStart << true;
        QTest::newRow("a second before the end") << kWindowEnd.addSecs(-1) << true;
        QTest::newRow("at the end") << kWindowEnd << false;
        // Summer time: the same local 02:00 is 00:00 UTC.
        QTest::newRow("summer, local 02:00") << utc(2026, 6, 1, 0, 0) << true;
        QTest::newRow("summer, 03:30 UTC") << utc(2026, 6, 1, 3, 30) << false;
    }

    void windowBoundsAreHalfOpen()
    {
        QFETCH(QDateTime, now);
        QFETCH(bool, due);
        const auto decision = decide(now, {});
        QCOMPARE(decision.state, due ? RegionState::Due : RegionState::OutsideWindow);
        QCOMPARE(decision.window.has_value(), due);
    }

    void aBlackoutCancelsTheWindow()
    {
        const auto decision = decide(utc(2026, 12, 28, 1, 30), {});
        QCOMPARE(decision.state, RegionState::BlackedOut);
        QVERIFY2(decision.reason.find("year-end freeze") != std::string::npos,
                 decision.reason.c_str());
        QCOMPARE(decision.until, utc(2027, 1, 4, 1, 0)); // the next window, itself blacked out
    }

    void anotherRegionsBlackoutDoesNotApply()
    {
        QCOMPARE(decide(utc(2026, 12, 7, 1, 30), {}).state, RegionState::Due);
    }

    void noSnapshotMeansNothingToDo()
    {
        QCOMPARE(decide(kWindowStart, {}, std::nullopt).state, RegionState::NoSnapshot);
    }

    void holdingTheNewestIsSkipped()
    {
        QCOMPARE(decide(kWindowStart, {"golden_v2", {}, {}}).state, RegionState::HoldsNewest);
        const auto older = decide(kWindowStart, {"golden_v1", {}, {}});
        QCOMPARE(older.state, RegionState::Due);
        QCOMPARE(older.snapshot, std::string("golden_v2"));
        QVERIFY2(older.reason.find("holds golden_v1") != std::string::npos, older.reason.c_str());
    }

    void holdingTheNewestWinsOverFailures()
    {
        RegionFacts facts{"golden_v2", {}, {}};
        for (int i = 0; i < 5; ++i)
            facts.failures.push_back(failure(kWindowStart.addSecs(60 * i), 10));
        QCOMPARE(decide(kWindowStart.addSecs(600), facts).state, RegionState::HoldsNewest);
    }

    void backoffDoublesAndIsCapped_data()
    {
        QTest::addColumn<int>("failures");
        QTest::addColumn<int>("seconds");
        QTest::newRow("1") << 1 << 60;
        QTest::newRow("2") << 2 << 120;
        QTest::newRow("3") << 3 << 240;
        QTest::newRow("5") << 5 << 960;
        QTest::newRow("6 (capped)") << 6 << 1800;
        QTest::newRow("100 (no overflow)") << 100 << 1800;
    }

    void backoffDoublesAndIsCapped()
    {
        QFETCH(int, failures);
        QFETCH(int, seconds);
        QCOMPARE(backoffAfter(failures, {}).count(), seconds);
    }

    void aFailureBacksOffFromItsEnd()
    {
        // Failed at 01:00, ended 01:00:30: retry at 01:01:30; two failures: 2 min after the last.
        RegionFacts facts{"golden_v1", {}, {failure(kWindowStart, 30)}};
        auto decision = decide(kWindowStart.addSecs(60), facts);
        QCOMPARE(decision.state, RegionState::BackingOff);
        QCOMPARE(decision.until, kWindowStart.addSecs(90));
        QCOMPARE(decision.failedAttempts, 1);
        QCOMPARE(decide(kWindowStart.addSecs(90), facts).state, RegionState::Due);

        facts.failures.push_back(failure(kWindowStart.addSecs(90), 30));
        decision = decide(kWindowStart.addSecs(200), facts);
        QCOMPARE(decision.state, RegionState::BackingOff);
        QCOMPARE(decision.until, kWindowStart.addSecs(120 + 120));
        QCOMPARE(decision.failedAttempts, 2);
    }

    void onlyFailuresMadeInThisWindowCount()
    {
        // Last week's, and one decided a moment before the window opened (it ended inside).
        const RegionFacts facts{"golden_v1",
                                {},
                                {failure(kWindowStart.addDays(-7).addSecs(60), 30),
                                 failure(kWindowStart.addSecs(-10), 30)}};
        const auto decision = decide(kWindowStart.addSecs(40), facts);
        QCOMPARE(decision.state, RegionState::Due);
        QCOMPARE(decision.failedAttempts, 0);
    }

    void refreshLogFailuresAreNotTheAgentsAttempts()
    {
        // The agent counts its attempts from its own audit records; refresh_log rows (a
        // person's failed refresh, or the agent's own, which its audit also has) do not add up.
        const QDateTime inside = kWindowStart.addSecs(60);
        const RegionFacts facts{"golden_v1",
                                {attempt(inside, 30, "failed", "dba"),
                                 attempt(inside, 30, "failed"), attempt(inside, 30, "cancelled"),
                                 attempt(inside, 30, "running")},
                                {}};
        const auto decision = decide(kWindowStart.addSecs(120), facts);
        QCOMPARE(decision.state, RegionState::Due);
        QCOMPARE(decision.failedAttempts, 0);
    }

    void givesUpAfterTheLastAttempt()
    {
        RegionFacts facts{"golden_v1", {}, {}};
        for (int i = 0; i < 5; ++i)
            facts.failures.push_back(failure(kWindowStart.addSecs(60 * i), 1));
        const auto decision = decide(kWindowStart.addSecs(3600), facts);
        QCOMPARE(decision.state, RegionState::GaveUp);
        QCOMPARE(decision.failedAttempts, 5);
        AgentPolicy patient;
        patient.maxAttempts = 6;
        auto more = decideRegion(m_config, *m_config.findRegion("eu"), kWindowStart.addSecs(3600),
                                 "golden_v2", facts, patient);
        QVERIFY(more.has_value());
        QCOMPARE(more->state, RegionState::Due);
    }

    void givesUpWhenTheWindowClosesBeforeTheRetry()
    {
        const RegionFacts late{"golden_v1", {}, {failure(kWindowEnd.addSecs(-40), 10)}};
        const auto decision = decide(kWindowEnd.addSecs(-20), late);
        QCOMPARE(decision.state, RegionState::GaveUp);
        QVERIFY2(decision.reason.find("closes") != std::string::npos, decision.reason.c_str());
        const RegionFacts early{"golden_v1", {}, {failure(kWindowEnd.addSecs(-100), 10)}};
        QCOMPARE(decide(kWindowEnd.addSecs(-80), early).state, RegionState::BackingOff);
    }

    void aRollbackInTheWindowIsRespected()
    {
        const RegionFacts facts{
                "golden_v1", {attempt(kWindowStart.addSecs(60), 30, "rolled_back")}, {}};
        QCOMPARE(decide(kWindowStart.addSecs(600), facts).state, RegionState::RolledBack);
        const RegionFacts lastWeek{
                "golden_v1", {attempt(kWindowStart.addDays(-7), 30, "rolled_back")}, {}};
        QCOMPARE(decide(kWindowStart.addSecs(600), lastWeek).state, RegionState::Due);
    }

    void nextLookIsTheEarliestFutureInstantWithinTheCap()
    {
        const QDateTime now = kWindowStart;
        RegionDecision soon;
        soon.until = now.addSecs(45);
        RegionDecision later;
        later.until = now.addSecs(50);
        RegionDecision past;
        past.until = now.addSecs(-10);
        RegionDecision unscheduled;
        QCOMPARE(nextLook({later, soon, past, unscheduled}, now, 60s), 45s);
        QCOMPARE(nextLook({unscheduled}, now, 60s), 60s);
        later.until = now.addSecs(3600);
        QCOMPARE(nextLook({later}, now, 60s), 60s);
        soon.until = now.addMSecs(200);
        QCOMPARE(nextLook({soon}, now, 60s), 1s); // rounded up, never a busy loop
        soon.until = now.addMSecs(1500);
        QCOMPARE(nextLook({soon}, now, 60s), 2s);
    }

    void stateNamesAreStable()
    {
        QCOMPARE(QString::fromLatin1(stateName(RegionState::Due)), QStringLiteral("due"));
        QCOMPARE(QString::fromLatin1(stateName(RegionState::HoldsNewest)),
                 QStringLiteral("holds-newest"));
        QCOMPARE(QString::fromLatin1(stateName(RegionState::BackingOff)),
                 QStringLiteral("backing-off"));
    }
};

QTEST_GUILESS_MAIN(TestAgentPlan)
#include "tst_agentplan.moc"
