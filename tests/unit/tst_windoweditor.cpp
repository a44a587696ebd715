// Rewriting one region's window in the config text: only its values change, every other byte
// (comments, quoting, order, other regions, non-ASCII text) stays as it was.
#include "core/config/configloader.h"
#include "core/config/windoweditor.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using envsync::ErrorCode;
using envsync::config::WindowConfig;
using namespace std::chrono_literals;

namespace {

const std::string flowConfig = R"(# EnvSync config — Überblick: staggered windows
version: 1
source: { name: prod, dsn: "service=prod" }
golden: { dsn: "service=golden", max_parallel_refreshes: 1 }
regions:
  - name: eu
    dsn: "service=qa-eu"
    timezone: Europe/Berlin
    # Montag früh, vor dem Stand-up
    window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h }
    owner: qa-eu@example.com
  - name: apac
    dsn: "service=qa-apac"
    timezone: Asia/Tokyo
    window: { rrule: "FREQ=WEEKLY;BYDAY=FR", start: "02:00", duration: 3h }  # 金曜日
    owner: "チーム <qa-apac@example.com>"
)";

const std::string blockConfig = R"(version: 1
source: { name: prod, dsn: "service=prod" }
golden: { dsn: "service=golden" }
regions:
  - name: us
    dsn: "service=qa-us"
    timezone: America/New_York
    window:
      rrule: FREQ=WEEKLY;BYDAY=WE   # Wednesdays
      start: '02:00'
      # long enough for the big tables
      duration: 180m
    freshness_sla: 7d
  - name: eu
    dsn: "service=qa-eu"
    window:
      rrule: "FREQ=DAILY"
      start: "01:00"
      duration: 1h
)";

/// eu's window as flowConfig writes it.
const std::string euWindow
        = R"(window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h })";

WindowConfig window(const std::string &rrule, int startMinutes, std::chrono::seconds duration)
{
    return WindowConfig{rrule, startMinutes, duration, {}};
}

/// `text` with the one occurrence of `from` replaced by `to`.
std::string replaced(const std::string &text, const std::string &from, const std::string &to)
{
    const std::size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos)
        qFatal("test text must contain \"%s\" exactly once", from.c_str());
    return std::string(text).replace(at, from.size(), to);
}

} // namespace

class TestWindowEditor : public QObject
{
    Q_OBJECT
private slots:
    void flowStyleChangesOnlyThatRegion()
    {
        const auto edited = envsync::config::replaceRegionWindow(
                flowConfig, "eu", window("FREQ=WEEKLY;BYDAY=TU", 4 * 60 + 30, 2h));
        QVERIFY2(edited, edited ? "" : edited.error().describe().c_str());
        const std::string expected = replaced(
                flowConfig, euWindow,
                R"(window: { rrule: "FREQ=WEEKLY;BYDAY=TU", start: "04:30", duration: 2h })");
        QCOMPARE(*edited, expected);
    }

    void flowStyleAfterNonAsciiOnTheSameLine()
    {
        // apac's window follows a multi-byte comment line and has one after it; its line holds
        // a comment in Japanese after the value.
        const auto edited = envsync::config::replaceRegionWindow(
                flowConfig, "apac", window("FREQ=WEEKLY;BYDAY=TH", 23 * 60, 3h));
        QVERIFY2(edited, edited ? "" : edited.error().describe().c_str());
        QCOMPARE(*edited, replaced(flowConfig, R"("FREQ=WEEKLY;BYDAY=FR", start: "02:00")",
                                   R"("FREQ=WEEKLY;BYDAY=TH", start: "23:00")"));

        const std::string oneLine = replaced(
                flowConfig,
                "  - name: apac\n    dsn: \"service=qa-apac\"\n    timezone: Asia/Tokyo\n"
                "    window: { rrule: \"FREQ=WEEKLY;BYDAY=FR\", start: \"02:00\", duration: 3h }"
                "  # 金曜日\n    owner: \"チーム <qa-apac@example.com>\"\n",
                "  - { name: apac, owner: \"Zoë Ωmega 東京\", dsn: \"service=qa-apac\", window: { "
                "rrule: FREQ=DAILY, start: \"02:00\", duration: 3h } }\n");
        const auto inline_ = envsync::config::replaceRegionWindow(
                oneLine, "apac", window("FREQ=WEEKLY;BYDAY=MO,TH", 2 * 60, 3h));
        QVERIFY2(inline_, inline_ ? "" : inline_.error().describe().c_str());
        // A plain value with a comma would end the flow entry: it is quoted now.
        QCOMPARE(*inline_,
                 replaced(oneLine, "rrule: FREQ=DAILY,", "rrule: \"FREQ=WEEKLY;BYDAY=MO,TH\","));
    }

    void blockStyleKeepsCommentsAndQuoting()
    {
        const auto edited = envsync::config::replaceRegionWindow(
                blockConfig, "us", window("FREQ=WEEKLY;BYDAY=MO,TH", 5 * 60 + 15, 90min));
        QVERIFY2(edited, edited ? "" : edited.error().describe().c_str());
        std::string expected = replaced(blockConfig, "rrule: FREQ=WEEKLY;BYDAY=WE   # Wednesdays",
                                        "rrule: FREQ=WEEKLY;BYDAY=MO,TH   # Wednesdays");
        expected = replaced(expected, "start: '02:00'", "start: '05:15'");
        expected = replaced(expected, "duration: 180m", "duration: 1h30m");
        QCOMPARE(*edited, expected);
    }

    void valuesThatMeanTheSameStayAsWritten()
    {
        // 180m is 3h: only the start changes.
        const auto edited = envsync::config::replaceRegionWindow(
                blockConfig, "us", window("rrule:freq=weekly;byday=we", 6 * 60, 3h));
        QVERIFY2(edited, edited ? "" : edited.error().describe().c_str());
        QCOMPARE(*edited, replaced(blockConfig, "start: '02:00'", "start: '06:00'"));
        const auto same = envsync::config::replaceRegionWindow(
                blockConfig, "us", window("FREQ=WEEKLY;BYDAY=WE", 2 * 60, 3h));
        QVERIFY(same);
        QCOMPARE(*same, blockConfig);
    }

    void refusesWhatItCannotEditSafely_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("rrule");
        QTest::addColumn<int>("code");
        const QString flow = QString::fromStdString(flowConfig);
        const QString day = QStringLiteral("FREQ=DAILY");
        const QString eu = QStringLiteral("eu");
        QTest::newRow("unknown region")
                << flow << QStringLiteral("mars") << day << int(ErrorCode::Usage);
        QTest::newRow("bad new rule")
                << flow << eu << QStringLiteral("FREQ=WEEKLY;BYDAY=XX") << int(ErrorCode::Usage);
        QTest::newRow("config does not load")
                << QString::fromStdString(replaced(flowConfig, "version: 1", "version: 7")) << eu
                << day << int(ErrorCode::Config);
        const QString noWindow = QString::fromStdString(replaced(
                flowConfig,
                "    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO\", start: \"02:00\", duration: 3h }\n",
                ""));
        QTest::newRow("no window") << noWindow << eu << day << int(ErrorCode::Usage);
        // A shared window: changing it through one region would move the other one too.
        const QString shared = QString::fromStdString(replaced(
                replaced(flowConfig, "window: { rrule: \"FREQ=WEEKLY;BYDAY=MO\"",
                         "window: &shared { rrule: \"FREQ=WEEKLY;BYDAY=MO\""),
                "window: { rrule: \"FREQ=WEEKLY;BYDAY=FR\", start: \"02:00\", duration: 3h }",
                "window: *shared"));
        QTest::newRow("alias user")
                << shared << QStringLiteral("apac") << day << int(ErrorCode::Usage);
        QTest::newRow("anchor owner") << shared << eu << day << int(ErrorCode::Usage);
    }
    void refusesWhatItCannotEditSafely()
    {
        QFETCH(QString, text);
        QFETCH(QString, region);
        QFETCH(QString, rrule);
        QFETCH(int, code);
        const auto edited = envsync::config::replaceRegionWindow(
                text.toStdString(), region.toStdString(), window(rrule.toStdString(), 60, 1h));
        QVERIFY(!edited);
        QCOMPARE(int(edited.error().code), code);
        QVERIFY(!edited.error().describe().empty());
    }

    void savesAtomicallyAndOnlyOnSuccess()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("envsync.yaml"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(flowConfig.data(), static_cast<qint64>(flowConfig.size()));
        }
        const auto readBack = [&] {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
        };
        const auto saved = envsync::config::saveRegionWindow(path.toStdString(), "eu",
                                                             window("FREQ=DAILY", 0, 1h));
        QVERIFY2(saved, saved ? "" : saved.error().describe().c_str());
        QCOMPARE(readBack(),
                 replaced(flowConfig, euWindow,
                          R"(window: { rrule: "FREQ=DAILY", start: "00:00", duration: 1h })"));
        const auto loaded = envsync::config::loadConfigFile(path.toStdString());
        QVERIFY(loaded);
        QCOMPARE(loaded->findRegion("eu")->window->duration, std::chrono::seconds(1h));

        const std::string before = readBack();
        QVERIFY(!envsync::config::saveRegionWindow(path.toStdString(), "mars",
                                                   window("FREQ=DAILY", 0, 1h)));
        QCOMPARE(readBack(), before);
        // No temporary file left next to it.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("envsync.yaml")});
        QCOMPARE(int(envsync::config::saveRegionWindow(
                             dir.filePath(QStringLiteral("missing.yaml")).toStdString(), "eu",
                             window("FREQ=DAILY", 0, 1h))
                             .error()
                             .code),
                 int(ErrorCode::Io));
    }
};

QTEST_GUILESS_MAIN(TestWindowEditor)
#include "tst_windoweditor.moc"
