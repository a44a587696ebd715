// The console's shared display rules: one time format with its zone and a UTC toggle, status
// text colours that meet WCAG AA, region colours that are never a status colour.
#include "ui/common/emptystate.h"
#include "ui/common/regionpalette.h"
#include "ui/common/statuspalette.h"
#include "ui/common/timedisplay.h"
#include "ui/common/viewwidgets.h"

#include <QAction>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>

#include <QSignalSpy>
#include <QTest>

using envsync::status::Freshness;
using envsync::ui::EmptyState;
using envsync::ui::RegionPalette;
using envsync::ui::StatusPalette;
using envsync::ui::TimeDisplay;

class DisplayFormatTest : public QObject
{
    Q_OBJECT

private slots:
    void init() { TimeDisplay::instance().setUtc(false); }

    void timesCarryTheirZone()
    {
        const QDateTime time(QDate(2026, 12, 3), QTime(20, 14, 5), Qt::UTC);
        TimeDisplay::instance().setUtc(true);
        QCOMPARE(TimeDisplay::dateTime(time), QStringLiteral("2026-12-03 20:14 UTC"));
        QCOMPARE(TimeDisplay::dateTimeSeconds(time), QStringLiteral("2026-12-03 20:14:05 UTC"));
        QCOMPARE(TimeDisplay::timeOfDay(time), QStringLiteral("20:14 UTC"));
        QCOMPARE(TimeDisplay::zoneName(), QStringLiteral("UTC"));
        QCOMPARE(TimeDisplay::dateTime(QDateTime()), QStringLiteral("—"));
    }

    void viewerLocalByDefault()
    {
        qputenv("TZ", "Europe/Berlin");
        const QDateTime time(QDate(2026, 12, 3), QTime(20, 14), Qt::UTC);
        const QString shown = TimeDisplay::dateTime(time);
        QVERIFY2(shown.startsWith(QStringLiteral("2026-12-03 21:14 ")), qPrintable(shown));
        QVERIFY(!shown.endsWith(QStringLiteral("UTC")));
    }

    void theToggleTellsEveryView()
    {
        QSignalSpy changed(&TimeDisplay::instance(), &TimeDisplay::changed);
        TimeDisplay::instance().setUtc(true);
        TimeDisplay::instance().setUtc(true);
        TimeDisplay::instance().setUtc(false);
        QCOMPARE(changed.count(), 2);
    }

    void regionWindowsInTheRegionsZone()
    {
        const QDateTime time(QDate(2026, 12, 7), QTime(5, 0), Qt::UTC);
        QCOMPARE(TimeDisplay::inZone(time, QTimeZone("America/New_York")),
                 QStringLiteral("Mon 2026-12-07 00:00 EST"));
    }

    void statusTextMeetsWcagAa_data()
    {
        QTest::addColumn<Freshness>("freshness");
        QTest::newRow("ok") << Freshness::Ok;
        QTest::newRow("due") << Freshness::Due;
        QTest::newRow("overdue") << Freshness::Overdue;
        QTest::newRow("unknown") << Freshness::Unknown;
    }

    void statusTextMeetsWcagAa()
    {
        QFETCH(Freshness, freshness);
        const double ratio
                = StatusPalette::contrastRatio(StatusPalette::freshnessTextColor(freshness),
                                               Qt::white);
        QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
    }

    void contrastRatioIsWcags()
    {
        QCOMPARE(qRound(StatusPalette::contrastRatio(Qt::black, Qt::white)), 21);
        QCOMPARE(StatusPalette::contrastRatio(Qt::white, Qt::white), 1.0);
        // The old yellow "due" text: below AA.
        QVERIFY(StatusPalette::contrastRatio(QColor(0xe8, 0xa3, 0x17), Qt::white) < 3.0);
    }

    void regionColoursAreNoStatusColour()
    {
        const std::array statuses = {Freshness::Ok, Freshness::Due, Freshness::Overdue,
                                     Freshness::Unknown};
        for (std::size_t i = 0; i < RegionPalette::size(); ++i) {
            const QColor region = RegionPalette::color(i);
            QVERIFY(region.hsvSaturation() > 60); // not grey: grey means unknown
            for (const Freshness status : statuses) {
                const QColor statusColor = StatusPalette::freshnessColor(status);
                if (statusColor.hsvSaturation() < 40)
                    continue;
                const int distance = std::abs(region.hsvHue() - statusColor.hsvHue());
                QVERIFY2(std::min(distance, 360 - distance) >= 25,
                         qPrintable(region.name() + QStringLiteral(" vs ") + statusColor.name()));
            }
        }
        QCOMPARE(RegionPalette::color(RegionPalette::size()), RegionPalette::color(0));
    }

    void emptyViewsSayWhy()
    {
        QStandardItemModel model(0, 1);
        QTableView view;
        view.setModel(&model);
        view.resize(400, 300);
        QString filter = QStringLiteral("zz");
        EmptyState *state = EmptyState::attach(&view, [&filter] {
            return QStringLiteral("Nothing matches “%1”").arg(filter);
        });
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(state->isVisible());
        QCOMPARE(state->text(), QStringLiteral("Nothing matches “zz”"));
        model.appendRow(new QStandardItem(QStringLiteral("row")));
        QVERIFY(!state->isVisible());
        model.removeRow(0);
        QVERIFY(state->isVisible());
        filter = QStringLiteral("eu");
        state->update();
        QCOMPARE(state->text(), QStringLiteral("Nothing matches “eu”"));
    }

    void destructiveActionsLookDestructive()
    {
        QAction harmless(QStringLiteral("Reload Status"));
        QAction destructive(QStringLiteral("Refresh Region…"));
        destructive.setStatusTip(QStringLiteral("Rebuild the region"));
        envsync::ui::viewwidgets::markDestructive(&destructive);
        QVERIFY(destructive.property("destructive").toBool());
        QVERIFY(!destructive.icon().isNull());
        QVERIFY(destructive.statusTip().startsWith(QStringLiteral("Destructive: ")));
        std::unique_ptr<QToolButton> button(envsync::ui::viewwidgets::toolButton(&destructive));
        QVERIFY(button->styleSheet().contains(QStringLiteral("color")));
        std::unique_ptr<QToolButton> plain(envsync::ui::viewwidgets::toolButton(&harmless));
        QVERIFY(plain->styleSheet().isEmpty());
    }
};

QTEST_MAIN(DisplayFormatTest)
#include "tst_displayformat.moc"
