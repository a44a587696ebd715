// The Reports tab with real widgets against the demo estate (CTest fixture `demo`): the report
// is gathered on a worker when the tab is shown, previewed page by page, gathered again when
// the period changes, exported by extension (PDF, HTML, CSV, JSON; a bad extension writes
// nothing) and printed to a PDF printer.

#include "core/config/configloader.h"
#include "core/db/threadguard.h"
#include "testsupport.h"
#include "ui/mainwindow.h"
#include "ui/reports/reportscontroller.h"
#include "ui/reports/reportsview.h"
#include "uitestsettings.h"

#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPrintPreviewWidget>
#include <QPrinter>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace envsync;
using namespace envsync::ui;

namespace {

constexpr int gatherTimeoutMs = 60000;

using envsync::uitest::screenshotDir;

QByteArray readAll(const QString &path)
{
    return QByteArray::fromStdString(test::readFile(path.toStdString()));
}

std::shared_ptr<const config::Config> demoConfig()
{
    auto loaded = config::loadConfigFile(test::demoConfigPath());
    if (!loaded)
        qFatal("the demo config does not load: %s", loaded.error().front().format().c_str());
    return std::make_shared<const config::Config>(std::move(*loaded));
}

/// Waits for the next gathered report; false on timeout.
bool waitForReport(ReportsView &view)
{
    QSignalSpy loaded(&view, &ReportsView::reportLoaded);
    return loaded.wait(gatherTimeoutMs);
}

ReportExportOutcome exportAndWait(ReportsView &view, const QString &path)
{
    QSignalSpy finished(&view, &ReportsView::exportFinished);
    if (!view.exportTo(path) || !finished.wait(gatherTimeoutMs))
        return {path, QStringLiteral("export did not start or finish")};
    return finished.front().front().value<ReportExportOutcome>();
}

QString pdfText(const QString &path)
{
    QProcess pdftotext;
    pdftotext.start(QStringLiteral("pdftotext"),
                    {QStringLiteral("-layout"), path, QStringLiteral("-")});
    pdftotext.waitForFinished(30000);
    return QString::fromUtf8(pdftotext.readAllStandardOutput());
}

} // namespace

class TestReportsView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_reportsview"));
        QDir().mkpath(screenshotDir());
        qRegisterMetaType<ReportExportOutcome>();
        db::registerGuiThread(); // from here on, any DB call on this thread is refused
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    void gathersWhenShownAndPreviewsPages()
    {
        ReportsView view;
        view.resize(1100, 800);
        const auto config = demoConfig();
        view.setConfig(config);
        QVERIFY(!view.controller()->isLoading()); // lazily: nothing until the tab is shown
        QVERIFY(!view.exportAction()->isEnabled());

        view.show();
        QVERIFY(view.controller()->isLoading());
        QVERIFY(waitForReport(view));
        const auto report = view.report();
        QVERIFY(report);
        QVERIFY(view.errorBanner()->isHidden());
        QCOMPARE(report->regions.size(), config->regions.size());
        for (std::size_t i = 0; i < config->regions.size(); ++i) {
            QCOMPARE(report->regions[i].name, config->regions[i].name);
            QVERIFY2(report->regions[i].reachable, report->regions[i].name.c_str());
        }
        QCOMPARE(view.summaryLabel()->text(), QString::fromStdString(report->summary.text()));
        // Last 30 days by default, whole UTC days, ending now at the latest.
        QCOMPARE(report->period.fromUtc.date(), QDate::currentDate().addDays(-30));
        QVERIFY(report->period.toUtc <= QDateTime::currentDateTimeUtc());
        // Summary + freshness chart, timeline + drift bars, then the region table.
        QTRY_VERIFY(view.preview()->pageCount() >= 3);
        QVERIFY(view.exportAction()->isEnabled());
        QVERIFY(view.printAction()->isEnabled());

        QVERIFY(view.grab().save(screenshotDir() + QStringLiteral("/reports-view.png")));
        view.preview()->setCurrentPage(3);
        QVERIFY(view.grab().save(screenshotDir() + QStringLiteral("/reports-view-table.png")));
    }

    void periodChangeGathersAgain()
    {
        ReportsView view;
        view.setNow(QDateTime(QDate(2026, 11, 20), QTime(12, 0), QTimeZone::utc()));
        view.setConfig(demoConfig());
        view.show();
        QVERIFY(waitForReport(view));

        auto *preset = view.findChild<QComboBox *>(QStringLiteral("reportPeriodPreset"));
        QVERIFY(preset);
        preset->setCurrentIndex(static_cast<int>(ReportsView::Preset::PreviousMonth));
        emit preset->activated(preset->currentIndex());
        QVERIFY(waitForReport(view));
        QCOMPARE(view.report()->period.fromUtc,
                 QDateTime(QDate(2026, 10, 1), QTime(0, 0), QTimeZone::utc()));
        QCOMPARE(view.report()->period.toUtc,
                 QDateTime(QDate(2026, 11, 1), QTime(0, 0), QTimeZone::utc()));

        // Editing a date switches to Custom and gathers once the typing pauses.
        auto *from = view.findChild<QDateEdit *>(QStringLiteral("reportFrom"));
        QVERIFY(from);
        from->setDate(QDate(2026, 10, 15));
        QCOMPARE(preset->currentIndex(), static_cast<int>(ReportsView::Preset::Custom));
        QVERIFY(waitForReport(view));
        QCOMPARE(view.report()->period.fromUtc.date(), QDate(2026, 10, 15));

        // A period that ends before it starts gathers nothing and says why.
        view.setPeriod(QDate(2026, 11, 10), QDate(2026, 11, 1));
        view.reload();
        QVERIFY(!view.errorBanner()->isHidden());
        QVERIFY(view.errorBanner()->text().contains(QStringLiteral("period is empty")));
        QVERIFY(!view.controller()->isLoading());
    }

    void exportsByExtension()
    {
        ReportsView view;
        view.setConfig(demoConfig());
        view.show();
        QVERIFY(waitForReport(view));
        const auto report = view.report();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        for (const QString &name : {QStringLiteral("r.csv"), QStringLiteral("r.json"),
                                    QStringLiteral("r.HTML"), QStringLiteral("r.pdf")}) {
            const QString path = dir.filePath(name);
            const ReportExportOutcome outcome = exportAndWait(view, path);
            QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
            QCOMPARE(outcome.path, path);
            const QByteArray written = readAll(path);
            QVERIFY2(!written.isEmpty(), qPrintable(name));
            if (!name.endsWith(QStringLiteral(".pdf"))) {
                for (const auto &region : report->regions)
                    QVERIFY2(written.contains(QByteArray::fromStdString(region.name)),
                             qPrintable(name));
            }
        }
        QVERIFY(readAll(dir.filePath(QStringLiteral("r.csv"))).startsWith("region,"));
        QVERIFY(readAll(dir.filePath(QStringLiteral("r.json"))).trimmed().startsWith('{'));
        QVERIFY(readAll(dir.filePath(QStringLiteral("r.HTML"))).contains("<svg"));
        QVERIFY(readAll(dir.filePath(QStringLiteral("r.pdf"))).startsWith("%PDF-"));
        QVERIFY(QDir(dir.path())
                        .entryList(QDir::Hidden | QDir::Files, QDir::Name)
                        .filter(QStringLiteral("partial"))
                        .isEmpty());

        // An extension that names no format writes nothing and says which ones work.
        const QString text = dir.filePath(QStringLiteral("r.txt"));
        ReportExportOutcome refused = exportAndWait(view, text);
        QVERIFY(refused.error.contains(QStringLiteral(".pdf, .html, .csv or .json")));
        QVERIFY(!QFile::exists(text));
        QVERIFY(!view.errorBanner()->isHidden());

        // A directory that does not exist: the error names the path.
        const QString nowhere = dir.filePath(QStringLiteral("missing/r.pdf"));
        refused = exportAndWait(view, nowhere);
        QVERIFY2(refused.error.contains(QStringLiteral("missing")), qPrintable(refused.error));
        QVERIFY(!QFile::exists(nowhere));
    }

    void printsThePreviewedPages()
    {
        ReportsView view;
        view.setConfig(demoConfig());
        view.show();
        QVERIFY(waitForReport(view));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("printed.pdf"));
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(path);
        QVERIFY(view.print(printer));
        QVERIFY(readAll(path).startsWith("%PDF-"));
        QFile::remove(screenshotDir() + QStringLiteral("/reports-printed.pdf"));
        QFile::copy(path, screenshotDir() + QStringLiteral("/reports-printed.pdf"));
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            return; // poppler-utils is installed in CI (install-deps.sh); the bytes check stays
        const QString text = pdfText(path);
        QVERIFY2(text.contains(QStringLiteral("freshness report"), Qt::CaseInsensitive),
                 qPrintable(text.left(400)));
        for (const auto &region : view.report()->regions) {
            QVERIFY2(text.contains(QString::fromStdString(region.name)), region.name.c_str());
            QVERIFY2(text.contains(QString::fromStdString(region.statusText())),
                     region.name.c_str());
        }
    }

    void mainWindowHasTheTab()
    {
        MainWindow window;
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("centralTabs"));
        QVERIFY(tabs);
        // Reports, then CDC and Services (Ctrl+8, Ctrl+9, Ctrl+0): the last three tabs.
        QCOMPARE(tabs->indexOf(window.reportsView()), tabs->count() - 3);
        QCOMPARE(tabs->tabText(tabs->indexOf(window.reportsView())), QStringLiteral("Reports"));
        QCOMPARE(window.reportsView()->exportAction()->shortcut(),
                 QKeySequence(Qt::CTRL | Qt::Key_E));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestReportsView)
#include "tst_reportsview.moc"
