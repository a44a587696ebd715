// `envsyncctl agent` on a demo estate of its own (it replaces eu's database): with injected
// time it refreshes a region inside its window once, then leaves it alone; nothing runs outside
// a window, in a blackout, or while someone else holds the region; the loop reaches a window
// start through an injected clock without sleeping.
#include "owndemoestate.h"
#include "testsupport.h"

#include "core/agent/agent.h"
#include "core/refresh/refreshlocks.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <map>

using envsync::test::OwnDemoEstate;

namespace {

// Monday 2026-11-30 02:30 Europe/Berlin: inside eu's demo window (Mondays 02:00–05:00 local);
// us (Wednesdays) and apac (Fridays) are closed.
const QDateTime kInEuWindow(QDate(2026, 11, 30), QTime(1, 30), Qt::UTC);

QString iso(const QDateTime &time)
{
    return time.toString(Qt::ISODate);
}

/// The agent's JSON lines by region.
std::map<QString, QJsonObject> byRegion(const QByteArray &out)
{
    std::map<QString, QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        lines[object.value(QStringLiteral("region")).toString()] = object;
    }
    return lines;
}

/// Injected time: sleeping moves it forward at once and stops the loop past `stopAt`.
class ManualClock : public envsync::agent::AgentClock
{
public:
    ManualClock(QDateTime start, QDateTime stopAt, std::shared_ptr<envsync::job::CancelToken> stop)
        : m_now(std::move(start))
        , m_stopAt(std::move(stopAt))
        , m_stop(std::move(stop))
    {
    }

    [[nodiscard]] QDateTime now() const override { return m_now; }
    bool sleepFor(std::chrono::seconds duration, const envsync::job::CancelToken &) override
    {
        sleeps.push_back(duration);
        m_now = m_now.addSecs(duration.count());
        if (m_now >= m_stopAt)
            m_stop->cancel();
        return !m_stop->isCancelled();
    }

    std::vector<std::chrono::seconds> sleeps;

private:
    QDateTime m_now;
    QDateTime m_stopAt;
    std::shared_ptr<envsync::job::CancelToken> m_stop;
};

} // namespace

class TestAgent : public QObject
{
    Q_OBJECT

    OwnDemoEstate m_estate{"agent"};
    QTemporaryDir m_copies;         ///< edited copies of the estate's config
    std::string m_refreshesAtStart; ///< the demo seeds a refresh history
    int m_euRefreshesAtStart = 0;

    [[nodiscard]] envsync::test::CliRun agent(const QDateTime &now,
                                              const QString &configPath = {}) const
    {
        return envsync::test::runCli({QStringLiteral("agent"), QStringLiteral("-c"),
                                      configPath.isEmpty() ? m_estate.configPath() : configPath,
                                      QStringLiteral("--once"), QStringLiteral("--format"),
                                      QStringLiteral("json"), QStringLiteral("--now"), iso(now)});
    }
    /// A copy of the estate's config with `text` inserted after the line `afterLine`.
    [[nodiscard]] QString configCopy(const QString &name, const std::string &afterLine,
                                     const std::string &text) const
    {
        std::string yaml = envsync::test::readFile(m_estate.configPath().toStdString());
        const auto at = yaml.find(afterLine + '\n');
        if (at == std::string::npos)
            qFatal("the demo config has no line \"%s\"", afterLine.c_str());
        yaml.insert(at + afterLine.size() + 1, text);
        const QString copy = m_copies.filePath(name);
        std::ofstream(copy.toStdString()) << yaml;
        return copy;
    }
    [[nodiscard]] std::string control(const std::string &sql) const
    {
        return OwnDemoEstate::scalar(m_estate.goldenDsn("envsync_control"), sql);
    }
    [[nodiscard]] std::string eu(const std::string &sql) const
    {
        return OwnDemoEstate::scalar(m_estate.regionDsn("eu", "shop"), sql);
    }
    [[nodiscard]] std::string euMarker() const
    {
        return OwnDemoEstate::scalar(
                m_estate.regionDsn("eu", "postgres"),
                "SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s"
                " JOIN pg_database d ON d.oid = s.setdatabase"
                " WHERE d.datname = 'shop' AND s.setrole = 0");
    }
    [[nodiscard]] std::string allRefreshes() const
    {
        return control("SELECT count(*) FROM envsync.refresh_log");
    }
    /// eu's refresh_log rows beyond the seeded ones.
    [[nodiscard]] std::string newEuRefreshes() const
    {
        return std::to_string(
                std::stoi(control("SELECT count(*) FROM envsync.refresh_log WHERE region = 'eu'"))
                - m_euRefreshesAtStart);
    }
    [[nodiscard]] std::string agentAudits(const std::string &action, const std::string &result,
                                          const std::string &region = "eu") const
    {
        return control("SELECT count(*) FROM envsync.audit_log WHERE actor = 'envsync-agent'"
                       " AND action = '"
                       + action + "' AND result = '" + result + "' AND target = '" + region + "'");
    }

private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_agent-salt-0123456789");
        const std::string failed = m_estate.start(300);
        QVERIFY2(failed.empty(), failed.c_str());
        m_refreshesAtStart = allRefreshes();
        m_euRefreshesAtStart = std::stoi(
                control("SELECT count(*) FROM envsync.refresh_log WHERE region = 'eu'"));
    }

    void rejectsABadNow()
    {
        const auto run = envsync::test::runCli(
                {QStringLiteral("agent"), QStringLiteral("-c"), m_estate.configPath(),
                 QStringLiteral("--once"), QStringLiteral("--now"), QStringLiteral("next monday")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("--now")), qPrintable(run.err));
    }

    void nothingRunsOutsideAWindow()
    {
        const auto run = agent(QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto lines = byRegion(run.out);
        QCOMPARE(lines.size(), std::size_t(3));
        for (const auto &[region, line] : lines) {
            QCOMPARE(line.value(QStringLiteral("state")).toString(),
                     QStringLiteral("outside-window"));
            QCOMPARE(line.value(QStringLiteral("action")).toString(), QStringLiteral("none"));
        }
        QCOMPARE(lines.at(QStringLiteral("eu")).value(QStringLiteral("until")).toString(),
                 QStringLiteral("2026-11-30T01:00:00Z"));
        QCOMPARE(allRefreshes(), m_refreshesAtStart);
    }

    void nothingRunsDuringABlackout()
    {
        // The same instant that is due below, with a blackout over that day.
        const QString copy = configCopy(
                QStringLiteral("blackout.yaml"), "blackouts:",
                "  - { from: 2026-11-30, to: 2026-11-30, reason: \"agent test freeze\" }\n");
        const auto run = agent(kInEuWindow, copy);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject eu = byRegion(run.out)[QStringLiteral("eu")];
        QCOMPARE(eu.value(QStringLiteral("state")).toString(), QStringLiteral("blacked-out"));
        QVERIFY2(eu.value(QStringLiteral("reason"))
                         .toString()
                         .contains(QStringLiteral("agent test freeze")),
                 qPrintable(eu.value(QStringLiteral("reason")).toString()));
        QCOMPARE(allRefreshes(), m_refreshesAtStart);
    }

    void refreshesTheDueRegion()
    {
        QCOMPARE(eu("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 std::string("1")); // eu's injected drift: it does not hold golden_v1 yet
        const auto run = agent(kInEuWindow);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const auto lines = byRegion(run.out);
        QCOMPARE(lines.at(QStringLiteral("eu")).value(QStringLiteral("action")).toString(),
                 QStringLiteral("refreshed"));
        QCOMPARE(lines.at(QStringLiteral("us")).value(QStringLiteral("state")).toString(),
                 QStringLiteral("outside-window"));
        QCOMPARE(lines.at(QStringLiteral("apac")).value(QStringLiteral("state")).toString(),
                 QStringLiteral("outside-window"));
        QVERIFY2(run.err.contains(QStringLiteral("region eu [due]: ")), qPrintable(run.err));

        QCOMPARE(control("SELECT string_agg(concat_ws(' ', region, result, snapshot), ';')"
                         " FROM envsync.refresh_log WHERE actor = 'envsync-agent'"),
                 std::string("eu success golden_v1"));
        QCOMPARE(newEuRefreshes(), std::string("1"));
        QCOMPARE(eu("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_status_idx'"),
                 std::string("0"));
        const std::string emails = "SELECT string_agg(email, ',' ORDER BY id) FROM customers";
        QCOMPARE(eu(emails), OwnDemoEstate::scalar(m_estate.goldenDsn("golden_v1"), emails));
        QVERIFY2(euMarker().find("envsync.snapshot=golden_v1") != std::string::npos,
                 euMarker().c_str());
        QCOMPARE(agentAudits("agent.refresh", "started"), std::string("1"));
        QCOMPARE(agentAudits("agent.refresh", "refreshed"), std::string("1"));
    }

    void holdingTheNewestIsSkippedAndAuditedOncePerWindow()
    {
        for (const int minutes : {5, 10}) {
            const auto run = agent(kInEuWindow.addSecs(60 * minutes));
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            const QJsonObject eu = byRegion(run.out)[QStringLiteral("eu")];
            QCOMPARE(eu.value(QStringLiteral("state")).toString(), QStringLiteral("holds-newest"));
            QCOMPARE(eu.value(QStringLiteral("action")).toString(), QStringLiteral("none"));
            QCOMPARE(newEuRefreshes(), std::string("1"));
            QCOMPARE(agentAudits("agent.skip", "holds-newest"), std::string("1"));
        }
    }

    void aLockedRegionIsLeftToItsHolder()
    {
        // A new snapshot makes eu due again; a refresh holding its lock makes it someone else's.
        const std::string rename = "UPDATE products SET name = 'agent v2' WHERE id = 1";
        QCOMPARE(OwnDemoEstate::scalar(m_estate.config()->source.dsn, rename),
                 std::string("<null>"));
        envsync::snapshot::CreateOptions options;
        options.jobs = 2;
        auto golden = envsync::snapshot::createSnapshot(*m_estate.config(), options);
        QVERIFY2(golden.has_value(), golden ? "" : golden.error().describe().c_str());
        QCOMPARE(golden->name, std::string("golden_v2"));

        auto lockConnection = envsync::db::ControlDb::open(*m_estate.config(), {});
        QVERIFY(lockConnection.has_value());
        envsync::refresh::RefreshLocks locks(std::move(*lockConnection));
        QVERIFY(locks.lockRegion("eu").has_value());
        const auto run = agent(kInEuWindow.addSecs(60 * 15));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject eu = byRegion(run.out)[QStringLiteral("eu")];
        QCOMPARE(eu.value(QStringLiteral("state")).toString(), QStringLiteral("due"));
        QCOMPARE(eu.value(QStringLiteral("action")).toString(), QStringLiteral("busy"));
        QCOMPARE(newEuRefreshes(), std::string("1"));
        QVERIFY2(euMarker().find("envsync.snapshot=golden_v1") != std::string::npos,
                 euMarker().c_str());
    }

    void failuresBackOffAndTheAgentGivesUpAtTheWindowEnd()
    {
        // us (Wednesdays 07:00–10:00 UTC) with a pre hook that always fails.
        const QString failing
                = configCopy(QStringLiteral("failing-us.yaml"), "    owner: qa-us@example.com",
                             "    hooks: { pre: [\"SELECT 1/0\"] }\n");
        const QDateTime opened(QDate(2026, 12, 2), QTime(7, 30), Qt::UTC);
        const auto state = [&](const QDateTime &now, int exitCode) {
            const auto run = agent(now, failing);
            if (run.exitCode != exitCode)
                qWarning("exit %d: %s", run.exitCode, qPrintable(run.err));
            return run.exitCode == exitCode ? byRegion(run.out)[QStringLiteral("us")]
                                            : QJsonObject();
        };
        const auto usFailures = [&] {
            return control("SELECT count(*) FROM envsync.refresh_log WHERE region = 'us'"
                           " AND actor = 'envsync-agent' AND result = 'failed'");
        };

        QJsonObject us = state(opened, 3);
        QCOMPARE(us.value(QStringLiteral("action")).toString(), QStringLiteral("failed"));
        QVERIFY2(us.value(QStringLiteral("error"))
                         .toString()
                         .contains(QStringLiteral("division by zero")),
                 qPrintable(us.value(QStringLiteral("error")).toString()));
        QCOMPARE(usFailures(), std::string("1"));

        us = state(opened.addSecs(30), 0); // 1 min after the failure ended
        QCOMPARE(us.value(QStringLiteral("state")).toString(), QStringLiteral("backing-off"));
        QCOMPARE(us.value(QStringLiteral("failed_attempts")).toInt(), 1);
        const QDateTime retry
                = QDateTime::fromString(us.value(QStringLiteral("until")).toString(), Qt::ISODate);
        QVERIFY2(retry >= opened.addSecs(60) && retry <= opened.addSecs(120),
                 qPrintable(retry.toString(Qt::ISODate)));
        QCOMPARE(usFailures(), std::string("1"));

        us = state(opened.addSecs(300), 3); // the backoff is over: a second attempt
        QCOMPARE(us.value(QStringLiteral("failed_attempts")).toInt(), 1);
        QCOMPARE(usFailures(), std::string("2"));
        us = state(opened.addSecs(360), 0); // now 2 min after the second failure
        QCOMPARE(us.value(QStringLiteral("state")).toString(), QStringLiteral("backing-off"));
        QCOMPARE(us.value(QStringLiteral("failed_attempts")).toInt(), 2);

        // A third failure 90 s before the window closes: the 4 min backoff would end after it.
        const QDateTime closes(QDate(2026, 12, 2), QTime(10, 0), Qt::UTC);
        us = state(closes.addSecs(-90), 3);
        QCOMPARE(usFailures(), std::string("3"));
        for (const int secondsLeft : {60, 30}) {
            us = state(closes.addSecs(-secondsLeft), 0);
            QCOMPARE(us.value(QStringLiteral("state")).toString(), QStringLiteral("gave-up"));
            QCOMPARE(agentAudits("agent.give_up", "gave-up", "us"), std::string("1"));
        }
        QCOMPARE(usFailures(), std::string("3"));
        QCOMPARE(state(closes, 0).value(QStringLiteral("state")).toString(),
                 QStringLiteral("outside-window"));
    }

    void theLoopWakesAtTheWindowStartWithoutSleeping()
    {
        // From midnight UTC the next thing of interest is eu's window at 01:00: one sleep of an
        // hour (the cap is larger), then the refresh to golden_v2 at exactly 01:00.
        const QDateTime midnight(QDate(2026, 11, 30), QTime(0, 0), Qt::UTC);
        const QDateTime windowStart = midnight.addSecs(3600);
        auto stop = std::make_shared<envsync::job::CancelToken>();
        ManualClock clock(midnight, windowStart.addSecs(1800), stop);
        std::vector<envsync::agent::AgentOutcome> outcomes;
        envsync::agent::AgentOptions options;
        options.cancel = stop;
        options.maxSleep = std::chrono::hours(2);
        options.onOutcome = [&](const envsync::agent::AgentOutcome &outcome) {
            outcomes.push_back(outcome);
        };
        envsync::agent::runLoop(*m_estate.config(), clock, options);

        QCOMPARE(clock.sleeps.size(), std::size_t(2));
        QCOMPARE(clock.sleeps[0].count(), 3600);
        std::vector<QDateTime> refreshedAt;
        for (const auto &outcome : outcomes) {
            QVERIFY2(!outcome.error, outcome.error ? outcome.error->describe().c_str() : "");
            if (outcome.action == envsync::agent::AgentAction::Refreshed)
                refreshedAt.push_back(outcome.decidedAt);
        }
        QCOMPARE(refreshedAt.size(), std::size_t(1));
        QCOMPARE(refreshedAt.front(), windowStart);
        QCOMPARE(control("SELECT result || ' ' || snapshot FROM envsync.refresh_log"
                         " WHERE region = 'eu' ORDER BY id DESC LIMIT 1"),
                 std::string("success golden_v2"));
        QCOMPARE(eu("SELECT name FROM products WHERE id = 1"), std::string("agent v2"));
    }
};

QTEST_GUILESS_MAIN(TestAgent)
#include "tst_agent.moc"
