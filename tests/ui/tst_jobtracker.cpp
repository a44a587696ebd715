// The console's one job tracker with real worker threads (no database): a superseded job's
// token is cancelled and its result dropped, progress reaches the UI thread at most 10 times a
// second under a flood while the last figures and every phase change arrive, and destroying
// the tracker cancels and waits for its workers.

#include "ui/common/jobtracker.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace envsync;
using namespace envsync::ui;

namespace {

using namespace std::chrono_literals;

/// Blocks the worker until its token is cancelled (or `limit` passes); true if cancelled.
bool waitForCancel(const JobContext &context, std::chrono::milliseconds limit = 10s)
{
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (job::cancelled(context.cancel))
            return true;
        std::this_thread::sleep_for(2ms);
    }
    return false;
}

job::Progress progressAt(job::Phase phase, std::int64_t rows)
{
    job::Progress progress;
    progress.phase = phase;
    progress.rowsDone = rows;
    return progress;
}

} // namespace

class TestJobTracker : public QObject
{
    Q_OBJECT

private slots:
    void deliversResultOnTheUiThread();
    void supersedeCancelsAndDropsTheOldResult();
    void cancelKeepsTheJobBusyUntilItsResult();
    void discardDropsAtOnce();
    void progressIsCoalescedButKeepsPhasesAndTheLast();
    void postedEventsArriveInOrder();
    void throwingWorkReportsFailure();
    void destructionCancelsAndWaits();
};

void TestJobTracker::deliversResultOnTheUiThread()
{
    JobTracker tracker(2, QStringLiteral("test"));
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    QThread *workerThread = nullptr;
    QThread *resultThread = nullptr;
    int result = 0;
    tracker.start<int>(
            QStringLiteral("k"),
            [&workerThread](const JobContext &) {
                workerThread = QThread::currentThread();
                return 42;
            },
            [&](int value) {
                resultThread = QThread::currentThread();
                result = value;
            });
    QVERIFY(tracker.busy(QStringLiteral("k")));
    QVERIFY(tracker.busy());
    QTRY_COMPARE(result, 42);
    QCOMPARE(resultThread, QThread::currentThread());
    QVERIFY(workerThread != QThread::currentThread());
    QVERIFY(!tracker.busy(QStringLiteral("k")));
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.at(0).at(1).toBool(), true);
    QCOMPARE(busy.at(1).at(1).toBool(), false);
}

void TestJobTracker::supersedeCancelsAndDropsTheOldResult()
{
    JobTracker tracker(4, QStringLiteral("test"));
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    std::vector<int> results;
    auto firstToken = std::make_shared<std::shared_ptr<job::CancelToken>>();
    std::atomic<bool> firstStarted = false;
    std::atomic<bool> firstSawCancel = false;
    tracker.start<int>(
            QStringLiteral("load"),
            [&, firstToken](const JobContext &context) {
                *firstToken = context.cancel;
                firstStarted = true;
                firstSawCancel = waitForCancel(context);
                return 1;
            },
            [&](int value) { results.push_back(value); });
    QTRY_VERIFY(firstStarted.load());
    tracker.start<int>(
            QStringLiteral("load"), [](const JobContext &) { return 2; },
            [&](int value) { results.push_back(value); });
    QTRY_VERIFY(firstSawCancel.load());
    QVERIFY((*firstToken)->isCancelled());
    QTRY_COMPARE(results, std::vector<int>{2});
    QTRY_COMPARE(tracker.runningWorkers(), 0);
    QTest::qWait(50); // nothing late from the superseded job
    QCOMPARE(results, std::vector<int>{2});
    // busy once on, once off: superseding is no busy gap
    QCOMPARE(busy.count(), 2);
}

void TestJobTracker::cancelKeepsTheJobBusyUntilItsResult()
{
    JobTracker tracker(2, QStringLiteral("test"));
    std::atomic<bool> started = false;
    QString outcome;
    tracker.start<QString>(
            QStringLiteral("create"),
            [&started](const JobContext &context) {
                started = true;
                return waitForCancel(context) ? QStringLiteral("cancelled")
                                              : QStringLiteral("done");
            },
            [&](QString value) { outcome = value; });
    QTRY_VERIFY(started.load());
    QVERIFY(tracker.cancel(QStringLiteral("create")));
    QVERIFY(tracker.busy(QStringLiteral("create")));
    QTRY_COMPARE(outcome, QStringLiteral("cancelled"));
    QVERIFY(!tracker.busy(QStringLiteral("create")));
    QVERIFY(!tracker.cancel(QStringLiteral("create")));
}

void TestJobTracker::discardDropsAtOnce()
{
    JobTracker tracker(2, QStringLiteral("test"));
    std::atomic<bool> started = false;
    std::atomic<bool> sawCancel = false;
    bool delivered = false;
    tracker.start<int>(
            QStringLiteral("probe"),
            [&](const JobContext &context) {
                started = true;
                sawCancel = waitForCancel(context);
                return 1;
            },
            [&](int) { delivered = true; });
    QTRY_VERIFY(started.load());
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    QVERIFY(tracker.discard(QStringLiteral("probe")));
    QVERIFY(!tracker.busy(QStringLiteral("probe")));
    QCOMPARE(busy.count(), 1);
    QTRY_VERIFY(sawCancel.load());
    QTRY_COMPARE(tracker.runningWorkers(), 0);
    QVERIFY(!delivered);
}

void TestJobTracker::progressIsCoalescedButKeepsPhasesAndTheLast()
{
    // 10k updates spread over ~1.5 s, with one lone update in each of Schema and Indexes
    // between floods of Data: the lone ones must arrive although newer ones follow at once.
    constexpr int updates = 10000;
    JobTracker tracker(2, QStringLiteral("test"));
    std::vector<job::Progress> delivered;
    std::vector<qint64> deliveredAt;
    QElapsedTimer clock;
    clock.start();
    bool finished = false;
    tracker.start<int>(
            QStringLiteral("copy"),
            [](const JobContext &context) {
                context.progress(progressAt(job::Phase::Preparing, 0));
                context.progress(progressAt(job::Phase::Schema, 0));
                for (int i = 1; i <= updates - 4; ++i) {
                    context.progress(progressAt(job::Phase::Data, i));
                    if (i == updates / 2)
                        context.progress(progressAt(job::Phase::Indexes, i));
                    if (i % 10 == 0)
                        std::this_thread::sleep_for(1500us);
                }
                context.progress(progressAt(job::Phase::Done, updates));
                return 0;
            },
            [&](int) { finished = true; },
            [&](const job::Progress &progress) {
                delivered.push_back(progress);
                deliveredAt.push_back(clock.elapsed());
            });
    QTRY_VERIFY_WITH_TIMEOUT(finished, 30000);
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= 1000, "the flood should have lasted over a second");

    // Every phase, in order; the last figures last.
    std::vector<job::Phase> phases;
    for (const auto &progress : delivered) {
        if (phases.empty() || phases.back() != progress.phase)
            phases.push_back(progress.phase);
    }
    const std::vector<job::Phase> expected{job::Phase::Preparing, job::Phase::Schema,
                                           job::Phase::Data,      job::Phase::Indexes,
                                           job::Phase::Data,      job::Phase::Done};
    QCOMPARE(phases, expected);
    QCOMPARE(delivered.back().rowsDone, updates);
    QCOMPARE(delivered.back().phase, job::Phase::Done);

    // At most 10 deliveries a second: count distinct delivery moments (a batch delivers one
    // entry per phase in it at once), each at least ~100 ms after the one before, but the
    // final flush before the result.
    std::vector<qint64> moments;
    for (qint64 at : deliveredAt) {
        if (moments.empty() || at - moments.back() > 5)
            moments.push_back(at);
    }
    int tooSoon = 0;
    for (std::size_t i = 1; i + 1 < moments.size(); ++i) {
        if (moments[i] - moments[i - 1] < JobTracker::progressIntervalMs - 5)
            ++tooSoon;
    }
    QCOMPARE(tooSoon, 0);
    QVERIFY2(static_cast<qint64>(moments.size()) <= elapsed / JobTracker::progressIntervalMs + 2,
             qPrintable(QStringLiteral("%1 deliveries in %2 ms").arg(moments.size()).arg(elapsed)));
    QVERIFY2(moments.size() >= 5, "progress must keep flowing while the job runs");
    QVERIFY(delivered.size() < 100);
}

void TestJobTracker::postedEventsArriveInOrder()
{
    JobTracker tracker(2, QStringLiteral("test"));
    QStringList steps;
    bool finished = false;
    qsizetype stepsAtResult = 0;
    tracker.start<int>(
            QStringLiteral("steps"),
            [&steps](const JobContext &context) {
                for (int i = 0; i < 200; ++i)
                    context.post([&steps, i] { steps << QString::number(i); });
                return 0;
            },
            [&](int) {
                finished = true;
                stepsAtResult = steps.size();
            });
    QTRY_VERIFY(finished);
    QCOMPARE(stepsAtResult, 200); // every step before the result
    for (int i = 0; i < 200; ++i)
        QCOMPARE(steps.at(i), QString::number(i));
}

void TestJobTracker::throwingWorkReportsFailure()
{
    JobTracker tracker(1, QStringLiteral("test"));
    QSignalSpy failed(&tracker, &JobTracker::jobFailed);
    bool delivered = false;
    tracker.start<int>(
            QStringLiteral("bad"),
            [](const JobContext &) -> int { throw std::runtime_error("boom"); },
            [&](int) { delivered = true; });
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("bad"));
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("boom"));
    QVERIFY(!delivered);
    QVERIFY(!tracker.busy());
}

void TestJobTracker::destructionCancelsAndWaits()
{
    auto tracker = std::make_unique<JobTracker>(4, QStringLiteral("test"));
    std::atomic<int> started = 0;
    std::atomic<int> stopped = 0;
    std::atomic<int> sawCancel = 0;
    bool delivered = false;
    auto work = [&](const JobContext &context) {
        ++started;
        if (waitForCancel(context))
            ++sawCancel;
        std::this_thread::sleep_for(200ms); // still cleaning up when the tracker goes
        ++stopped;
        return 0;
    };
    tracker->start<int>(QStringLiteral("a"), work, [&](int) { delivered = true; });
    tracker->start<int>(QStringLiteral("b"), work, [&](int) { delivered = true; });
    QTRY_COMPARE(started.load(), 2);
    tracker->start<int>(QStringLiteral("a"), work, [&](int) { delivered = true; }); // supersedes
    QTRY_COMPARE(started.load(), 3);
    tracker.reset();
    QCOMPARE(stopped.load(), 3); // every worker, the superseded one too, ended before
    QCOMPARE(sawCancel.load(), 3);
    QTest::qWait(50);
    QVERIFY(!delivered);
}

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_jobtracker.moc"
