#include "core/job/canceltoken.h"
#include "core/job/progress.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

using envsync::job::CancelRegistration;
using envsync::job::CancelToken;

class TestCancelToken : public QObject
{
    Q_OBJECT
private slots:
    void runsEveryRegisteredActionOnce()
    {
        CancelToken token;
        int first = 0;
        int second = 0;
        const CancelRegistration a = token.onCancel([&] { ++first; });
        const CancelRegistration b = token.onCancel([&] { ++second; });
        QVERIFY(!token.isCancelled());
        token.cancel();
        token.cancel();
        QVERIFY(token.isCancelled());
        QCOMPARE(first, 1);
        QCOMPARE(second, 1);
    }

    void forgetsAnActionWhenItsRegistrationEnds()
    {
        CancelToken token;
        int calls = 0;
        {
            const CancelRegistration scoped = token.onCancel([&] { ++calls; });
        }
        token.cancel();
        QCOMPARE(calls, 0);
    }

    void runsAnActionAtOnceWhenAlreadyCancelled()
    {
        CancelToken token;
        token.cancel();
        int calls = 0;
        const CancelRegistration late = token.onCancel([&] { ++calls; });
        QCOMPARE(calls, 1);
    }

    void movedRegistrationKeepsTheAction()
    {
        CancelToken token;
        int calls = 0;
        CancelRegistration outer;
        {
            CancelRegistration inner = token.onCancel([&] { ++calls; });
            outer = std::move(inner);
        }
        token.cancel();
        QCOMPARE(calls, 1);
    }

    // The registering scope may free what the action uses right after its registration ends:
    // ending a registration must wait for an action that is running on another thread.
    void endingARegistrationWaitsForARunningAction()
    {
        CancelToken token;
        std::atomic<bool> started{false};
        std::atomic<bool> finished{false};
        std::thread canceller;
        {
            const CancelRegistration registration = token.onCancel([&] {
                started = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                finished = true;
            });
            canceller = std::thread([&] { token.cancel(); });
            while (!started)
                std::this_thread::yield();
        }
        QVERIFY(finished);
        canceller.join();
    }

    void nullTokenIsNeverCancelled()
    {
        QVERIFY(!envsync::job::cancelled(nullptr));
        auto token = std::make_shared<CancelToken>();
        QVERIFY(!envsync::job::cancelled(token));
        token->cancel();
        QVERIFY(envsync::job::cancelled(token));
    }

    void phasesHaveStableNames()
    {
        using envsync::job::Phase;
        QVERIFY(envsync::job::phaseName(Phase::Schema) == std::string_view("schema"));
        QVERIFY(envsync::job::phaseName(Phase::Data) == std::string_view("data"));
        QVERIFY(envsync::job::phaseName(Phase::Done) == std::string_view("done"));
    }
};

QTEST_APPLESS_MAIN(TestCancelToken)
#include "tst_canceltoken.moc"
