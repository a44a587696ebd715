#include "core/config/duration.h"

#include <QTest>

using envsync::config::formatDuration;
using envsync::config::parseDuration;
using namespace std::chrono_literals;

class TestDuration : public QObject
{
    Q_OBJECT
private slots:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("milliseconds");
        QTest::newRow("seconds") << "60s" << qint64(60'000);
        QTest::newRow("minutes") << "90m" << qint64(5'400'000);
        QTest::newRow("hours") << "3h" << qint64(10'800'000);
        QTest::newRow("days") << "7d" << qint64(604'800'000);
        QTest::newRow("weeks") << "2w" << qint64(1'209'600'000);
        QTest::newRow("milliseconds") << "500ms" << qint64(500);
        QTest::newRow("combined") << "1h30m" << qint64(5'400'000);
        QTest::newRow("all units")
                << "1w2d3h4m5s6ms" << qint64(((((7 + 2) * 24 + 3) * 60 + 4) * 60 + 5) * 1000 + 6);
        QTest::newRow("zero") << "0s" << qint64(0);
        QTest::newRow("surrounding blanks") << " 5m\t" << qint64(300'000);
        QTest::newRow("leading zeros") << "007s" << qint64(7000);
    }

    void parses()
    {
        QFETCH(QString, text);
        QFETCH(qint64, milliseconds);
        const auto parsed = parseDuration(text.toStdString());
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().c_str());
        QCOMPARE(qint64(parsed->count()), milliseconds);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "empty duration";
        QTest::newRow("blank") << "  "
                               << "empty duration";
        QTest::newRow("bare number") << "60"
                                     << "missing unit after 60";
        QTest::newRow("unknown unit") << "3y"
                                      << "unknown unit \"y\"";
        QTest::newRow("upper case") << "3H"
                                    << "unknown unit \"H\"";
        QTest::newRow("wrong order") << "30m1h"
                                     << "out of order";
        QTest::newRow("unit twice") << "1h1h"
                                    << "out of order";
        QTest::newRow("negative") << "-5s"
                                  << "cannot be negative";
        QTest::newRow("fraction") << "1.5h"
                                  << "fractions are not supported";
        QTest::newRow("inner space") << "1h 30m"
                                     << "expected a number at \" 30m\"";
        QTest::newRow("unit only") << "h"
                                   << "expected a number";
        QTest::newRow("overflow") << "99999999999999999999s"
                                  << "too large";
        QTest::newRow("overflow by unit") << "999999999999w"
                                          << "too large";
        QTest::newRow("overflow by sum") << "15250000w9223372036854ms"
                                         << "too large";
    }

    void rejects()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto parsed = parseDuration(text.toStdString());
        QVERIFY(!parsed.has_value());
        QVERIFY2(QString::fromStdString(parsed.error()).contains(message), parsed.error().c_str());
    }

    void formats_data()
    {
        QTest::addColumn<qint64>("milliseconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << "0s";
        QTest::newRow("ms") << qint64(500) << "500ms";
        QTest::newRow("mixed") << qint64(5'400'000) << "1h30m";
        QTest::newRow("week") << qint64(604'800'000) << "1w";
        QTest::newRow("negative") << qint64(-60'000) << "-1m";
    }

    void formats()
    {
        QFETCH(qint64, milliseconds);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatDuration(std::chrono::milliseconds(milliseconds))),
                 text);
    }

    void roundTrips()
    {
        for (const std::int64_t value : {std::int64_t(1), std::int64_t(999), std::int64_t(61'001),
                                         std::int64_t(86'400'000), std::int64_t(123'456'789'012)}) {
            const auto parsed = parseDuration(formatDuration(std::chrono::milliseconds(value)));
            QVERIFY(parsed.has_value());
            QCOMPARE(parsed->count(), value);
        }
    }
};

QTEST_GUILESS_MAIN(TestDuration)
#include "tst_duration.moc"
