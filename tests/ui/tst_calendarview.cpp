// The Calendar tab with real widgets: window rectangles for a week and a month, tooltips in
// the region's own time, a drag that rewrites one window in the config file (and nothing
// else) and its undo and redo (Ctrl+Z / Ctrl+Shift+Z, the file written back), conflict
// outlines and the capacity line. A test config on unreachable databases
// (history then shows as a warning); the demo estate for the screenshots.

#include "uitestsettings.h"
#include "core/config/configloader.h"
#include "core/db/threadguard.h"
#include "core/schedule/conflicts.h"
#include "testsupport.h"
#include "ui/calendar/calendarcontroller.h"
#include "ui/calendar/calendarmovedialog.h"
#include "ui/calendar/calendartimeline.h"
#include "ui/calendar/calendarview.h"
#include "ui/calendar/concurrencychartview.h"
#include "ui/mainwindow.h"
#include "ui/dashboard/statuscontroller.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QAction>
#include <QApplication>
#include <QTest>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace envsync;
using namespace envsync::ui;

namespace {

constexpr int loadTimeoutMs = 30000;

// eu and apac both open Mon 01:00–04:00 UTC: over max_parallel_refreshes 1 every Monday.
// apac's rule has an INTERVAL part, so only the file can change it.
const QByteArray testConfig = R"(# Calendar test estate (databases deliberately unreachable)
version: 1
source: { name: prod, dsn: "host=/nonexistent-envsync port=1 dbname=prod" }
golden: { dsn: "host=/nonexistent-envsync port=1 dbname=golden", max_parallel_refreshes: 1 }
regions:
  - name: eu
    dsn: "host=/nonexistent-envsync port=1 dbname=eu"
    timezone: Europe/Berlin
    # Monday night, before the stand-up
    window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h }
    freshness_sla: 7d
    owner: qa-eu@example.com
  - name: us
    dsn: "host=/nonexistent-envsync port=1 dbname=us"
    timezone: America/New_York
    window:
      rrule: "FREQ=WEEKLY;BYDAY=WE,SA"
      start: "22:00"
      duration: 2h
    freshness_sla: 7d
  - name: apac
    dsn: "host=/nonexistent-envsync port=1 dbname=apac"
    timezone: Asia/Tokyo
    window: { rrule: "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", start: "10:00", duration: 3h }
    freshness_sla: 7d
blackouts:
  - { from: 2026-12-21, to: 2027-01-04, reason: "year-end release freeze" }
)";

QDateTime utc(QDate date, QTime time)
{
    return QDateTime(date, time, QTimeZone::utc());
}

// Just before the week's first window: every window of the week is still ahead.
const QDateTime pinnedNow = utc(QDate(2026, 11, 23), QTime(0, 30));

using envsync::uitest::screenshotDir;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const TimelineWindowItem *firstWindowOf(const CalendarView &view, const std::string &region)
{
    const auto &calendar = view.data()->calendar;
    for (const TimelineWindowItem &item : view.timeline()->timelineLayout().windows()) {
        if (calendar.regions[item.region].region == region)
            return &item;
    }
    return nullptr;
}

std::size_t windowsIn(const schedule::Calendar &calendar)
{
    std::size_t count = 0;
    for (const auto &region : calendar.regions)
        count += region.windows.size();
    return count;
}

} // namespace

class TestCalendarView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_calendarview"));
        QDir().mkpath(screenshotDir());
        db::registerGuiThread(); // from here on, any DB call on this thread is refused
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_configPath = m_dir.filePath(QStringLiteral("envsync.yaml"));
        QFile file(m_configPath);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(file.write(testConfig) == testConfig.size());
    }

    void windowsOfWeekAndMonth()
    {
        CalendarView view;
        showTestCalendar(view);
        // Mon 23 – Mon 30 Nov 2026 (UTC): eu Mon, apac Mon, us Wed + Sat.
        QCOMPARE(view.range().fromUtc(), utc(QDate(2026, 11, 23), QTime(0, 0)));
        QCOMPARE(view.timeline()->timelineLayout().windows().size(), std::size_t(4));
        QCOMPARE(view.timeline()->timelineLayout().rowCount(), std::size_t(3));
        checkRectsInsideRows(view);
        QVERIFY2(view.summaryLabel()->text().contains(u"history unavailable"),
                 qPrintable(view.summaryLabel()->text()));

        // November: five Mondays for eu and apac; us has 8 in November plus Sat 31 Oct 22:00
        // EDT, which is 1 Nov 02:00 UTC.
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        QTest::keyClick(view.timeline(), Qt::Key_M);
        QVERIFY(loaded.wait(loadTimeoutMs));
        QCOMPARE(view.range().span(), CalendarRange::Span::Month);
        QCOMPARE(view.timeline()->timelineLayout().windows().size(), std::size_t(5 + 9 + 5));
        checkRectsInsideRows(view);

        // December: the year-end freeze cancels the windows from the 21st in every zone.
        QTest::keyClick(view.timeline(), Qt::Key_Right);
        QVERIFY(loaded.wait(loadTimeoutMs));
        QCOMPARE(view.range().title(), QStringLiteral("December 2026"));
        const auto &layout = view.timeline()->timelineLayout();
        QCOMPARE(layout.windows().size(), std::size_t(4 + 9 + 4));
        QCOMPARE(layout.windows().size(), windowsIn(view.data()->calendar));
        const auto cancelled = std::ranges::count_if(layout.windows(), [&](const auto &item) {
            return view.data()->calendar.regions[item.region].windows[item.window].cancelled();
        });
        QCOMPARE(cancelled, std::ptrdiff_t(7)); // eu 21, 28; us 23, 26, 30; apac 21, 28
        QCOMPARE(layout.blackouts().size(), std::size_t(3));
        const QString blackoutTip = view.timeline()->toolTipAt(
                layout.blackouts().front().rect.center().toPoint() + QPoint(0, 15));
        QVERIFY2(blackoutTip.contains(u"year-end release freeze"), qPrintable(blackoutTip));

        QTest::keyClick(view.timeline(), Qt::Key_T); // back to this month
        QVERIFY(loaded.wait(loadTimeoutMs));
        QCOMPARE(view.range().title(), QStringLiteral("November 2026"));
        QTest::keyClick(view.timeline(), Qt::Key_W);
        QVERIFY(loaded.wait(loadTimeoutMs));
        QCOMPARE(view.range().span(), CalendarRange::Span::Week);
        QCOMPARE(view.range().title(), QStringLiteral("Week of Mon 23 Nov 2026"));
    }

    void tooltipShowsRegionLocalTime()
    {
        CalendarView view;
        showTestCalendar(view);
        const TimelineWindowItem *eu = firstWindowOf(view, "eu");
        QVERIFY(eu);
        const QString tip = view.timeline()->toolTipAt(eu->rect.center().toPoint());
        QVERIFY2(tip.contains(u"Mon 02:00–05:00 CET (Europe/Berlin)"), qPrintable(tip));
        QVERIFY2(tip.contains(u"Mon 01:00–04:00 UTC your time"), qPrintable(tip));
        QVERIFY2(tip.contains(u"Duration 3 h 00 min"), qPrintable(tip));
        QVERIFY2(tip.contains(u"Drag to move"), qPrintable(tip));

        const TimelineWindowItem *us = firstWindowOf(view, "us");
        QVERIFY(us);
        const QString usTip = view.timeline()->toolTipAt(us->rect.center().toPoint());
        QVERIFY2(usTip.contains(u"Wed 22:00–Thu 00:00 EST (America/New_York)"), qPrintable(usTip));

        const TimelineWindowItem *apac = firstWindowOf(view, "apac");
        QVERIFY(apac);
        const QString apacTip = view.timeline()->toolTipAt(apac->rect.center().toPoint());
        QVERIFY2(apacTip.contains(u"config file only"), qPrintable(apacTip));
        // us has nothing on Monday noon.
        const auto &layout = view.timeline()->timelineLayout();
        const QPointF empty(layout.xFor(utc(QDate(2026, 11, 23), QTime(12, 0))),
                            layout.rowRect(us->region).center().y());
        QVERIFY(view.timeline()->toolTipAt(empty.toPoint()).isEmpty());
    }

    void conflictsAreOutlined()
    {
        CalendarView view;
        showTestCalendar(view);
        const auto &data = *view.data();
        QVERIFY(std::ranges::any_of(data.conflicts, [](const schedule::Conflict &c) {
            return c.kind == schedule::ConflictKind::Capacity;
        }));
        const TimelineWindowItem *eu = firstWindowOf(view, "eu");
        const TimelineWindowItem *apac = firstWindowOf(view, "apac");
        const TimelineWindowItem *us = firstWindowOf(view, "us");
        QVERIFY(eu && apac && us);
        QVERIFY(!eu->conflicts.empty());
        QVERIFY(!apac->conflicts.empty());
        QVERIFY(std::ranges::none_of(us->conflicts, [&](std::size_t c) {
            return data.conflicts[c].kind == schedule::ConflictKind::Capacity;
        }));
        const QString tip = view.timeline()->toolTipAt(eu->rect.center().toPoint());
        QVERIFY2(tip.contains(u"Conflict: "), qPrintable(tip));
        QVERIFY2(
                tip.contains(QString::fromStdString(data.conflicts[eu->conflicts.front()].message)),
                qPrintable(tip));
    }

    void concurrencyChartHasCapacityLine()
    {
        CalendarView view;
        showTestCalendar(view);
        const QList<QPointF> capacity = view.chart()->capacitySeries()->points();
        QCOMPARE(capacity.size(), 2);
        QCOMPARE(capacity.front().y(), 1.0);
        QCOMPARE(capacity.back().y(), 1.0);
        QCOMPARE(capacity.front().x(), double(view.range().fromUtc().toMSecsSinceEpoch()));
        QCOMPARE(capacity.back().x(), double(view.range().toUtc().toMSecsSinceEpoch()));
        const QList<QPointF> open = view.chart()->concurrencySeries()->points();
        const auto peak = std::ranges::max_element(open, {}, &QPointF::y);
        QCOMPARE(peak->y(), 2.0); // eu and apac together on Monday
        QCOMPARE(peak->x(), double(utc(QDate(2026, 11, 23), QTime(1, 0)).toMSecsSinceEpoch()));
        QVERIFY(view.chart()->countAxis()->max() >= 2);
    }

    void dragMovesWindowInConfigFile()
    {
        CalendarView view;
        showTestCalendar(view);
        const QByteArray before = readAll(m_configPath);
        // One day and 90 minutes later: Tue 03:30 in Berlin.
        CalendarMoveDialog *dialog = dragFirstWindow(view, "eu", 86400 + 5400);
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        const QString rule = dialog->ruleLabel()->text();
        QVERIFY2(rule.contains(u"FREQ=WEEKLY;BYDAY=MO at 02:00"), qPrintable(rule));
        QVERIFY2(rule.contains(u"FREQ=WEEKLY;BYDAY=TU at 03:30"), qPrintable(rule));
        QCOMPARE(dialog->newConflictCount(), 0); // eu leaves apac's Monday: fewer conflicts
        QSignalSpy saved(&view, &CalendarView::configSaved);
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QVERIFY(saved.wait(loadTimeoutMs));
        QCOMPARE(saved.front().front().toString(), m_configPath);

        QByteArray expected = before;
        expected.replace(
                R"(window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h })",
                R"(window: { rrule: "FREQ=WEEKLY;BYDAY=TU", start: "03:30", duration: 3h })");
        QVERIFY(expected != before);
        QCOMPARE(readAll(m_configPath), expected);

        // The view reads the file back: eu now opens on Tuesday at 02:30 UTC, alone.
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        const TimelineWindowItem *moved = firstWindowOf(view, "eu");
        QVERIFY(moved);
        QCOMPARE(view.data()
                         ->calendar.regions[moved->region]
                         .windows[moved->window]
                         .interval.startUtc,
                 utc(QDate(2026, 11, 24), QTime(2, 30)));
        QVERIFY(moved->conflicts.empty());
    }

    // Every saved move is an undoable edit: Ctrl+Z writes the window back as it was (through
    // the same save as the move), Ctrl+Shift+Z the moved one again; the actions follow the
    // stack and wait while a save runs.
    void undoAndRedoAMove()
    {
        CalendarView view;
        showTestCalendar(view);
        const QByteArray original = readAll(m_configPath);
        const QDateTime mondayStart = utc(QDate(2026, 11, 23), QTime(1, 0));
        const QDateTime tuesdayStart = utc(QDate(2026, 11, 24), QTime(2, 30));
        QCOMPARE(firstStartOf(view, "eu"), mondayStart);
        QVERIFY(!view.undoAction()->isEnabled());
        QVERIFY(!view.redoAction()->isEnabled());
        QCOMPARE(view.undoAction()->shortcut(), QKeySequence(QKeySequence::Undo));
        QCOMPARE(view.redoAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+Z")));

        CalendarMoveDialog *dialog = dragFirstWindow(view, "eu", 86400 + 5400);
        QVERIFY(dialog);
        QSignalSpy saved(&view, &CalendarView::configSaved);
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QVERIFY(!view.undoAction()->isEnabled()); // the save runs
        QVERIFY(saved.wait(loadTimeoutMs));
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        const QByteArray moved = readAll(m_configPath);
        QVERIFY(moved != original);
        QCOMPARE(firstStartOf(view, "eu"), tuesdayStart);
        QVERIFY(view.undoAction()->isEnabled());
        QCOMPARE(view.undoAction()->text(), QStringLiteral("Undo Move eu window"));
        QVERIFY(!view.redoAction()->isEnabled());

        // Ctrl+Z: the file as it was (comments and all), the view with it.
        refocus(view);
        saved.clear();
        loaded.clear();
        QTest::keyClick(view.timeline(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!view.undoAction()->isEnabled());
        QVERIFY(!view.redoAction()->isEnabled()); // one save at a time
        QVERIFY(saved.wait(loadTimeoutMs));
        QCOMPARE(readAll(m_configPath), original);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        QCOMPARE(firstStartOf(view, "eu"), mondayStart);
        QVERIFY(!view.undoAction()->isEnabled());
        QVERIFY(view.redoAction()->isEnabled());
        QCOMPARE(view.redoAction()->text(), QStringLiteral("Redo Move eu window"));

        // Ctrl+Shift+Z: the move again.
        refocus(view);
        saved.clear();
        loaded.clear();
        QTest::keyClick(view.timeline(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(saved.wait(loadTimeoutMs));
        QCOMPARE(readAll(m_configPath), moved);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        QCOMPARE(firstStartOf(view, "eu"), tuesdayStart);
        QVERIFY(view.undoAction()->isEnabled());
        QVERIFY(!view.redoAction()->isEnabled());

        // The same file read again (as the main window does after a save) keeps the stack;
        // another file drops it.
        auto again = config::loadConfigFile(m_configPath.toStdString());
        QVERIFY(again);
        view.setConfig(std::make_shared<const config::Config>(std::move(*again)));
        QVERIFY(view.undoAction()->isEnabled());
        auto other = *again;
        other.path += ".other";
        view.setConfig(std::make_shared<const config::Config>(std::move(other)));
        QVERIFY(!view.undoAction()->isEnabled());
        QVERIFY(!view.redoAction()->isEnabled());
    }

    // In the main window a save reopens the config file (every view gets the re-read config):
    // the moves stay on the stack, and Ctrl+Z still writes the file back.
    void undoAfterTheWindowReloadsTheConfig()
    {
        MainWindow window;
        window.resize(1500, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        CalendarView &view = *window.calendarView();
        view.setViewerZone(QTimeZone::utc());
        view.setNow(pinnedNow);
        view.showToday();
        QSignalSpy opened(window.controller(), &StatusController::configLoaded);
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        window.openConfig(m_configPath);
        QVERIFY(opened.wait(loadTimeoutMs));
        QTest::keyClick(&window, Qt::Key_7, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), &view);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        const QByteArray original = readAll(m_configPath);

        CalendarMoveDialog *dialog = dragFirstWindow(view, "eu", 86400 + 5400);
        QVERIFY(dialog);
        opened.clear();
        loaded.clear();
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), loadTimeoutMs); // the window reopened it
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        QVERIFY(readAll(m_configPath) != original);
        QVERIFY(view.undoAction()->isEnabled());
        QCOMPARE(view.undoAction()->text(), QStringLiteral("Undo Move eu window"));

        refocus(view);
        opened.clear();
        QTest::keyClick(view.timeline(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), loadTimeoutMs);
        QCOMPARE(readAll(m_configPath), original);
        QVERIFY(view.redoAction()->isEnabled());
    }

    // An undo whose save fails leaves the file alone and the move on the stack, to undo later.
    void failedUndoKeepsTheMove()
    {
        CalendarView view;
        showTestCalendar(view);
        const QByteArray original = readAll(m_configPath);
        CalendarMoveDialog *dialog = dragFirstWindow(view, "eu", 86400 + 5400);
        QVERIFY(dialog);
        QSignalSpy saved(&view, &CalendarView::configSaved);
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QVERIFY(saved.wait(loadTimeoutMs));
        const QByteArray moved = readAll(m_configPath);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        QVERIFY(view.undoAction()->isEnabled());

        QVERIFY(QFile::remove(m_configPath)); // the save cannot read the file now
        refocus(view);
        saved.clear();
        QTest::keyClick(view.timeline(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(view.errorBanner()->isVisible(), loadTimeoutMs);
        QVERIFY2(view.errorBanner()->text().contains(u"was not saved"),
                 qPrintable(view.errorBanner()->text()));
        QVERIFY(saved.isEmpty());
        QVERIFY(!QFile::exists(m_configPath));
        QTRY_VERIFY_WITH_TIMEOUT(view.undoAction()->isEnabled(), loadTimeoutMs);
        QCOMPARE(view.undoAction()->text(), QStringLiteral("Undo Move eu window"));
        QVERIFY(!view.redoAction()->isEnabled());

        QFile file(m_configPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(moved) == moved.size());
        file.close();
        refocus(view);
        QTest::keyClick(view.timeline(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(saved.wait(loadTimeoutMs));
        QCOMPARE(readAll(m_configPath), original);
        QVERIFY(view.redoAction()->isEnabled());
    }

    void nonSimpleRulesAndCancelDoNotWrite()
    {
        CalendarView view;
        showTestCalendar(view);
        const QByteArray before = readAll(m_configPath);
        const TimelineWindowItem *apac = firstWindowOf(view, "apac");
        QVERIFY(apac);
        const QPoint from = apac->rect.center().toPoint();
        QTest::mousePress(view.timeline(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view.timeline(), from + QPoint(120, 0));
        QTest::mouseRelease(view.timeline(), Qt::LeftButton, {}, from + QPoint(120, 0));
        QVERIFY(!view.moveDialog()); // INTERVAL rule: file only

        // us moved from Wed 22:00 onto Monday 01:00 UTC (Sun 20:00 EST): three days earlier
        // for both of its days, and a capacity conflict with eu and apac.
        const TimelineWindowItem *us = firstWindowOf(view, "us");
        QVERIFY(us);
        const auto &layout = view.timeline()->timelineLayout();
        const QDateTime usStart
                = view.data()->calendar.regions[us->region].windows[us->window].interval.startUtc;
        const QDateTime target = utc(QDate(2026, 11, 23), QTime(1, 0));
        const QPoint usFrom = us->rect.center().toPoint();
        const QPoint usTo
                = usFrom + QPoint(int(std::lround(layout.xFor(target) - layout.xFor(usStart))), 0);
        QTest::mousePress(view.timeline(), Qt::LeftButton, {}, usFrom);
        QTest::mouseMove(view.timeline(), usTo);
        QTest::mouseRelease(view.timeline(), Qt::LeftButton, {}, usTo);
        CalendarMoveDialog *dialog = view.moveDialog();
        QVERIFY(dialog);
        QVERIFY2(dialog->ruleLabel()->text().contains(u"FREQ=WEEKLY;BYDAY=WE,SU at 20:00"),
                 qPrintable(dialog->ruleLabel()->text()));
        QVERIFY(dialog->newConflictCount() > 0);
        dialog->reject();
        QTest::qWait(50);
        QCOMPARE(readAll(m_configPath), before);
    }

    void exportsTheShownRangeAsIcs()
    {
        CalendarView view;
        showTestCalendar(view);
        QVERIFY(view.exportIcsAction()->isEnabled());
        const QString path = m_dir.filePath(QStringLiteral("week.ics"));
        std::optional<CalendarExportOutcome> outcome;
        connect(&view, &CalendarView::exportFinished, this,
                [&outcome](const CalendarExportOutcome &finished) { outcome = finished; });
        QVERIFY(view.exportIcs(path));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), loadTimeoutMs);
        QVERIFY2(outcome->error.isEmpty(), qPrintable(outcome->error));
        const QByteArray ics = readAll(path);
        QVERIFY(ics.startsWith("BEGIN:VCALENDAR\r\n"));
        QCOMPARE(qsizetype(ics.count("BEGIN:VEVENT")), qsizetype(windowsIn(view.data()->calendar)));
        QVERIFY(ics.contains("TZID=Europe/Berlin"));
    }

    void pastWindowsStayPut()
    {
        CalendarView view;
        showTestCalendar(view);
        view.setNow(utc(QDate(2026, 11, 26), QTime(12, 0))); // Thursday: Monday's windows are past
        const TimelineWindowItem *eu = firstWindowOf(view, "eu");
        QVERIFY(eu);
        QVERIFY(eu->past);
        QVERIFY(!eu->ran); // the control database is unreachable: nothing known to have run
        const QString tip = view.timeline()->toolTipAt(eu->rect.center().toPoint());
        QVERIFY2(tip.contains(u"No refresh recorded in this window"), qPrintable(tip));
        QVERIFY2(!tip.contains(u"Drag"), qPrintable(tip));
        const QPoint from = eu->rect.center().toPoint();
        QTest::mousePress(view.timeline(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view.timeline(), from + QPoint(150, 0));
        QTest::mouseRelease(view.timeline(), Qt::LeftButton, {}, from + QPoint(150, 0));
        QVERIFY(!view.moveDialog());
    }

    /// History as the worker reads it (newest first), handed to the timeline directly: each
    /// refresh lands in the window it started in; one outside every window becomes a mark.
    void pastWindowsShowTheRefreshThatRan()
    {
        CalendarView view;
        showTestCalendar(view);
        auto data = std::make_shared<CalendarData>(*view.data());
        const auto record
                = [](const char *region, QDateTime start, int minutes, const char *result) {
                      db::RefreshRecord r;
                      r.region = region;
                      r.snapshot = "golden_v3";
                      r.startedAt = start;
                      r.finishedAt = start.addSecs(minutes * 60);
                      r.result = result;
                      return r;
                  };
        const QDateTime monday = utc(QDate(2026, 11, 23), QTime(1, 0));
        data->history["eu"] = {record("eu", utc(QDate(2026, 11, 25), QTime(9, 0)), 12, "success"),
                               record("eu", monday.addSecs(300), 9, "success"),
                               record("eu", monday.addSecs(120), 1, "failed")};
        data->history["apac"] = {record("apac", monday.addSecs(600), 200, "failed")};
        view.timeline()->setNow(utc(QDate(2026, 11, 26), QTime(12, 0)));
        view.timeline()->setData(data, view.range());

        const TimelineWindowItem *eu = firstWindowOf(view, "eu");
        const TimelineWindowItem *apac = firstWindowOf(view, "apac");
        QVERIFY(eu && eu->ran && apac && apac->ran);
        QCOMPARE(eu->ran->result, std::string("success")); // the newest of the two in the window
        QCOMPARE(eu->ran->startedAt, monday.addSecs(300));
        QCOMPARE(apac->ran->result, std::string("failed"));
        const auto &marks = view.timeline()->timelineLayout().refreshMarks();
        QCOMPARE(marks.size(), std::size_t(1));
        QCOMPARE(marks.front().record.startedAt, utc(QDate(2026, 11, 25), QTime(9, 0)));
        const QString tip = view.timeline()->toolTipAt(eu->rect.center().toPoint());
        QVERIFY2(tip.contains(u"Refresh success: Mon 02:05–02:14 CET (9 min 00 s) from golden_v3"),
                 qPrintable(tip));
        const QString markTip = view.timeline()->toolTipAt(marks.front().at.toPoint());
        QVERIFY2(markTip.contains(u"outside its windows"), qPrintable(markTip));
    }

    void screenshotsOfTheDemoEstate()
    {
        MainWindow window;
        window.resize(1500, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        CalendarView &view = *window.calendarView();
        view.setViewerZone(QTimeZone("Europe/Berlin"));
        QSignalSpy opened(window.controller(), &StatusController::configLoaded);
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        window.openConfig(QString::fromStdString(test::demoConfigPath()));
        QVERIFY(opened.wait(loadTimeoutMs));
        QVERIFY(loaded.isEmpty()); // nothing read before anyone looks

        QTest::keyClick(&window, Qt::Key_7, Qt::ControlModifier); // shows the tab: it loads
        QCOMPARE(window.centralTabs()->currentWidget(), &view);
        QVERIFY(loaded.wait(loadTimeoutMs));
        QVERIFY2(!view.errorBanner()->isVisible(), qPrintable(view.errorBanner()->text()));
        QVERIFY2(!view.summaryLabel()->text().contains(u"unavailable"),
                 qPrintable(view.summaryLabel()->text()));
        QCOMPARE(view.data()->calendar.regions.size(), std::size_t(3));
        QVERIFY(!view.data()->history.at("eu").empty());

        // The view alone, as wide as the window: the docks would squeeze the rows.
        view.setParent(nullptr);
        view.resize(1400, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTest::qWait(100);
        QVERIFY(view.grab().save(screenshotDir()
                                 + QStringLiteral("/screenshot-calendar-week.png")));

        view.setSpan(CalendarRange::Span::Month);
        QVERIFY(loaded.wait(loadTimeoutMs));
        view.step(1); // next month: December, with the demo's blackout
        QVERIFY(loaded.wait(loadTimeoutMs));
        QTest::qWait(100);
        QVERIFY(view.grab().save(screenshotDir()
                                 + QStringLiteral("/screenshot-calendar-month.png")));
        view.setParent(&window); // the window deletes it
    }

private:
    /// The start of the region's first window in the shown calendar.
    static QDateTime firstStartOf(const CalendarView &view, const std::string &region)
    {
        const TimelineWindowItem *item = firstWindowOf(view, region);
        if (!item)
            return {};
        return view.data()->calendar.regions[item->region].windows[item->window].interval.startUtc;
    }

    /// Drags the region's first window `seconds` later with the mouse; the preview it opens.
    static CalendarMoveDialog *dragFirstWindow(CalendarView &view, const std::string &region,
                                               int seconds)
    {
        const TimelineWindowItem *item = firstWindowOf(view, region);
        if (!item)
            return nullptr;
        const double pixels = seconds * view.timeline()->timelineLayout().pixelsPerSecond();
        const QPoint from = item->rect.center().toPoint();
        const QPoint to = from + QPoint(int(std::lround(pixels)), 0);
        QTest::mousePress(view.timeline(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= 5; ++i)
            QTest::mouseMove(view.timeline(), from + (to - from) * i / 5);
        QTest::mouseRelease(view.timeline(), Qt::LeftButton, {}, to);
        return view.moveDialog();
    }

    /// Back in the calendar after the preview closed, as a person clicking into it.
    static void refocus(CalendarView &view)
    {
        QTRY_VERIFY(!view.moveDialog()); // the preview is gone (deleted on close)
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.timeline()->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(view.timeline()));
    }

    void showTestCalendar(CalendarView &view)
    {
        auto loadedConfig = config::loadConfigFile(m_configPath.toStdString());
        QVERIFY2(loadedConfig.has_value(), "the test config does not load");
        view.setViewerZone(QTimeZone::utc());
        view.setNow(pinnedNow);
        view.showToday();
        view.resize(1200, 600);
        QSignalSpy loaded(&view, &CalendarView::calendarLoaded);
        view.setConfig(std::make_shared<const config::Config>(std::move(*loadedConfig)));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), loadTimeoutMs);
        QVERIFY2(!view.errorBanner()->isVisible(), qPrintable(view.errorBanner()->text()));
        view.timeline()->setFocus();
    }

    static void checkRectsInsideRows(const CalendarView &view)
    {
        const auto &layout = view.timeline()->timelineLayout();
        QDateTime previous;
        for (const TimelineWindowItem &item : layout.windows()) {
            const QRectF row = layout.rowRect(item.region);
            QVERIFY(row.contains(item.rect.center()));
            QVERIFY(item.rect.left() >= layout.plotRect().left());
            QVERIFY(item.rect.right() <= layout.plotRect().right() + 1);
            const auto &interval
                    = view.data()->calendar.regions[item.region].windows[item.window].interval;
            QVERIFY(std::abs(item.rect.left()
                             - std::max(layout.plotRect().left(), layout.xFor(interval.startUtc)))
                    < 0.5);
        }
    }

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dir;
    QString m_configPath;
};

QTEST_MAIN(TestCalendarView)
#include "tst_calendarview.moc"
