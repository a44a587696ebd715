// The Masking Rules view in the real main window against the shared demo estate (read-only:
// it samples the source, never writes): every column listed, the coverage badge, unclassified
// columns flagged red, masked previews only (no source value anywhere), the no-salt note, and
// the View menu shortcuts of the new tabs.

#include "uitestsettings.h"
#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/db/threadguard.h"
#include "core/masking/coverage.h"
#include "ui/masking/maskingcontroller.h"
#include "ui/masking/maskingrulesmodel.h"
#include "ui/masking/maskingview.h"
#include "ui/mainwindow.h"
#include "ui/snapshots/snapshotsview.h"
#include "ui/dashboard/statuscontroller.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <pqxx/pqxx>

#include <memory>

using namespace envsync;
using namespace envsync::ui;

namespace {

constexpr int loadTimeoutMs = 60000;

using envsync::uitest::screenshotDir;

/// Rows of one query on the source as text (raw libpqxx: this thread is the GUI thread).
QStringList sourceValues(const std::string &dsn, const std::string &sql)
{
    QStringList out;
    try {
        pqxx::connection conn(dsn);
        pqxx::nontransaction tx(conn);
        for (const auto &row : tx.exec(sql))
            out << QString::fromStdString(row[0].c_str());
    } catch (const std::exception &e) {
        out << QStringLiteral("<error: %1>").arg(QString::fromUtf8(e.what()));
    }
    return out;
}

/// Every user column of the source, "schema.table.column", in catalog order.
QStringList sourceColumns(const std::string &dsn)
{
    return sourceValues(dsn,
                        "SELECT n.nspname || '.' || c.relname || '.' || a.attname"
                        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                        " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
                        "   AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'envsync',"
                        "                         '_envsync')"
                        "   AND n.nspname NOT LIKE 'pg\\_%'"
                        " ORDER BY 1");
}

QStringList modelColumns(const QAbstractItemModel *model)
{
    QStringList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out << model->index(row, 0).data(MaskingRulesModel::QualifiedNameRole).toString();
    out.sort();
    return out;
}

int rowOf(const QAbstractItemModel *model, const QString &column)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(MaskingRulesModel::QualifiedNameRole).toString() == column)
            return row;
    }
    return -1;
}

/// Loads `config` into the view and waits for the preview.
bool loadInto(MaskingView &view, std::shared_ptr<const config::Config> config)
{
    QSignalSpy changed(&view, &MaskingView::resultsChanged);
    view.setConfig(std::move(config));
    if (!view.isVisible())
        view.reload();
    return changed.wait(loadTimeoutMs);
}

} // namespace

class TestMaskingView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        uitest::isolateSettings(m_settingsDir.path(), QStringLiteral("tst_maskingview"));
        qputenv("ENVSYNC_MASK_SALT", "tst_maskingview-salt-0123456789");
        auto config = config::loadConfigFile(test::demoConfigPath());
        QVERIFY2(config.has_value(), config ? "" : config.error().front().format().c_str());
        m_config = std::make_shared<const config::Config>(*config);
        db::registerGuiThread();
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    /// The window: Ctrl+4 shows the tab, which reads the source once it is shown.
    void windowShortcutsAndFullCoverage()
    {
        auto owned = std::make_unique<MainWindow>();
        MainWindow &window = *owned;
        MaskingView *view = window.maskingView();
        QAbstractItemModelTester tester(view->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy probed(window.controller(), &StatusController::probeFinished);
        window.openConfig(QString::fromStdString(test::demoConfigPath()));
        QVERIFY(probed.wait(loadTimeoutMs));
        QCOMPARE(view->model()->rowCount(), 0); // nothing read before anyone looks

        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), window.snapshotsView());
        QSignalSpy changed(view, &MaskingView::resultsChanged);
        QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
        QCOMPARE(window.centralTabs()->currentWidget(), view);
        QVERIFY(changed.wait(loadTimeoutMs));
        QVERIFY2(!view->errorBanner()->isVisible(), qPrintable(view->errorBanner()->text()));

        // Every column of the source, once; the demo config classifies all of them.
        const QStringList expected = sourceColumns(m_config->source.dsn);
        QVERIFY(expected.size() > 40);
        QCOMPARE(modelColumns(view->model()), expected);
        const QString badge = QStringLiteral("%1/%1 columns classified").arg(expected.size());
        QCOMPARE(view->coverageBadge()->text(), badge);
        QVERIFY(view->coverageBadge()->styleSheet().contains(u"#1b7f3b")); // green

        const QAbstractItemModel *model = view->model();
        auto cell = [&](const char *column, int section) {
            const int row = rowOf(model, QString::fromUtf8(column));
            return model->index(row, section).data().toString();
        };
        QCOMPARE(cell("public.customers.email", MaskingRulesModel::TransformColumn),
                 QStringLiteral("email (unique)"));
        QVERIFY(cell("public.customers.email", MaskingRulesModel::DetectedColumn)
                        .startsWith(u"email"));
        QCOMPARE(cell("public.customers.id", MaskingRulesModel::TransformColumn),
                 QStringLiteral("keep"));
        QVERIFY(cell("public.customers.id", MaskingRulesModel::PreviewColumn)
                        .contains(u"values not shown"));
        // Masked e-mails: three of them, well-formed.
        const QStringList emails = cell("public.customers.email", MaskingRulesModel::PreviewColumn)
                                           .split(QStringLiteral("  ·  "));
        QCOMPARE(emails.size(), 3);
        for (const QString &email : emails)
            QVERIFY2(email.contains(u'@'), qPrintable(email));

        // No source value of a masked column appears anywhere in the table.
        QStringList secrets;
        for (const char *sql : {"SELECT email FROM customers", "SELECT phone FROM customers",
                                "SELECT iban FROM customers", "SELECT card_number FROM customers",
                                "SELECT street FROM customers", "SELECT full_name FROM customers"})
            secrets << sourceValues(m_config->source.dsn, sql);
        QVERIFY(secrets.size() > 100);
        const QSet<QString> secretSet(secrets.begin(), secrets.end());
        for (int row = 0; row < model->rowCount(); ++row) {
            for (int column = 0; column < MaskingRulesModel::ColumnCount; ++column) {
                const QString text = model->index(row, column).data().toString();
                for (const QString &part : text.split(QStringLiteral("  ·  ")))
                    QVERIFY2(!secretSet.contains(part), qPrintable(part));
            }
        }

        QTest::qWait(150); // let posted layout requests and log records land first
        QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/masking-window.png")));
        QVERIFY(view->grab().save(screenshotDir() + QStringLiteral("/masking-view.png")));

        // Remembered column widths: what the window saves on close a new window restores.
        view->tableView()->horizontalHeader()->resizeSection(MaskingRulesModel::TypeColumn, 211);
        window.close();
        owned.reset(); // waits for the settings writer
        MainWindow again;
        QCOMPARE(again.maskingView()->tableView()->horizontalHeader()->sectionSize(
                         MaskingRulesModel::TypeColumn),
                 211);
    }

    /// Two columns lose their keep entry: the badge turns red and both rows say UNCLASSIFIED.
    void unclassifiedFlagged()
    {
        auto changed = std::make_shared<config::Config>(*m_config);
        std::erase(changed->masking.keep, std::string("public.products.sku"));
        std::erase(changed->masking.keep, std::string("public.orders.status"));
        MaskingView view;
        view.resize(1200, 700);
        QVERIFY(loadInto(view, changed));
        const QAbstractItemModel *model = view.model();
        const int total = model->rowCount();
        QCOMPARE(view.coverageBadge()->text(),
                 QStringLiteral("%1/%2 columns classified").arg(total - 2).arg(total));
        QVERIFY(view.coverageBadge()->styleSheet().contains(u"#c62828")); // red
        QStringList unclassified;
        for (int row = 0; row < total; ++row) {
            const QModelIndex index = model->index(row, MaskingRulesModel::TransformColumn);
            if (!index.data(MaskingRulesModel::ClassifiedRole).toBool()) {
                unclassified << index.data(MaskingRulesModel::QualifiedNameRole).toString();
                QCOMPARE(index.data().toString(), QStringLiteral("UNCLASSIFIED"));
                QVERIFY(index.data(Qt::BackgroundRole).value<QBrush>().color().red() > 200);
                QVERIFY(model->index(row, MaskingRulesModel::PreviewColumn)
                                .data()
                                .toString()
                                .contains(u"snapshots are refused"));
            }
        }
        QCOMPARE(unclassified,
                 (QStringList{u"public.orders.status"_qs, u"public.products.sku"_qs}));
        QTest::qWait(150); // let posted layout requests and log records land first
        QVERIFY(view.grab().save(screenshotDir() + QStringLiteral("/masking-unclassified.png")));
        // The filter finds them.
        view.filterEdit()->setText(QStringLiteral("UNCLASSIFIED"));
        QCOMPARE(view.proxy()->rowCount(), 2);
    }

    /// Without a salt nothing is masked, and the view says why instead.
    void noSalt()
    {
        auto changed = std::make_shared<config::Config>(*m_config);
        changed->masking.salt.name = "ENVSYNC_TST_NO_SUCH_SALT";
        MaskingView view;
        QVERIFY(loadInto(view, changed));
        QVERIFY2(view.saltLabel()->text().contains(u"ENVSYNC_TST_NO_SUCH_SALT"),
                 qPrintable(view.saltLabel()->text()));
        const int row = rowOf(view.model(), QStringLiteral("public.customers.email"));
        QVERIFY(row >= 0);
        const QString preview
                = view.model()->index(row, MaskingRulesModel::PreviewColumn).data().toString();
        QVERIFY2(preview.startsWith(u"no preview:"), qPrintable(preview));
        QVERIFY(preview.contains(u"ENVSYNC_TST_NO_SUCH_SALT"));
    }

private:
    QTemporaryDir m_settingsDir;
    std::shared_ptr<const config::Config> m_config;
};

QTEST_MAIN(TestMaskingView)
#include "tst_maskingview.moc"
