// The Services tab with real widgets, real servers and real HTTP: a person opens a config with
// virtual services, selects one, clicks Start, sends requests to the bound port and sees them
// in the journal (matched / unmatched, status, latency), clicks the unmatched one to see the
// closest mapping and why it differs, opens the matched mapping (its JSON and file), stops it;
// starts a whole region (one service serves, one has nothing recorded and says so); records a
// service through the test's own upstream with Record… and then serves what it recorded.
// No database: the control database is unreachable, so the newest recording is served with a
// warning, as `virt serve` does.

#include "uitestsettings.h"

#include "core/config/configloader.h"
#include "core/db/threadguard.h"
#include "core/virt/mappingstore.h"
#include "ui/mainwindow.h"
#include "ui/services/journalmodel.h"
#include "ui/services/mappingdialog.h"
#include "ui/services/recorddialog.h"
#include "ui/services/servicescontroller.h"
#include "ui/services/servicestreemodel.h"
#include "ui/services/servicesview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace envsync;
using namespace envsync::ui;

namespace {

constexpr int stateTimeoutMs = 20000;
const QString customerId = QStringLiteral("6f1c2a52-3c41-4d7e-9d0b-2b8f1d1e0a42");
const QString paymentId = QStringLiteral("0b7d7a55-9d7c-4c53-9a55-0c8e5f0e0003");

using envsync::uitest::screenshotDir;

struct Reply
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
};

/// One real HTTP request to 127.0.0.1:port, waiting with the event loop running.
Reply send(quint16 port, const QByteArray &method, const QString &path, const QByteArray &body = {})
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(10000);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(15000);
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.error = reply->error();
    reply->deleteLater();
    return out;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

virt::StubMapping stub(const QString &id, const QString &name, const QByteArray &method,
                       const QString &path, int status, const QByteArray &body)
{
    virt::StubMapping mapping;
    mapping.id = id;
    mapping.name = name;
    mapping.request.method = method;
    mapping.request.urlKind = virt::RequestPattern::UrlKind::UrlPath;
    mapping.request.url = path;
    mapping.response.status = status;
    mapping.response.headers.append(virt::HttpHeader{"Content-Type", "application/json"});
    mapping.response.body = body;
    return mapping;
}

QString cellText(const ServicesView &view, const QString &service, int column)
{
    const QModelIndex index = view.servicesModel()->indexOfService(service);
    return index.isValid() ? index.siblingAtColumn(column).data().toString()
                           : QStringLiteral("<no row>");
}

QString stateOf(const ServicesView &view, const QString &service)
{
    return cellText(view, service, ServicesTreeModel::State);
}

void clickRow(QTreeView *tree, const QModelIndex &index)
{
    tree->scrollTo(index);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(index).center());
}

QString journalCell(const ServicesView &view, int row, int column)
{
    return view.journalModel()->index(row, column).data().toString();
}

} // namespace

class TestServicesView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_configPath;
    QString m_emptyConfigPath;
    quint16 m_paymentsPort = 0;
    quint16 m_recordPort = 0;
    QHttpServer m_upstream;
    quint16 m_upstreamPort = 0;
    int m_upstreamHits = 0;

    [[nodiscard]] QString path(const QString &relative) const { return m_dir.filePath(relative); }

    std::shared_ptr<const config::Config> loadConfig(const QString &file)
    {
        auto loaded = config::loadConfigFile(file.toStdString());
        if (!loaded) {
            QString problems;
            for (const auto &diagnostic : loaded.error())
                problems += QString::fromStdString(diagnostic.format()) + u'\n';
            qWarning("%s", qPrintable(problems));
            return nullptr;
        }
        return std::make_shared<const config::Config>(std::move(*loaded));
    }

    void writeFile(const QString &file, const QByteArray &text)
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(out.write(text), text.size());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("settings")),
                                QStringLiteral("tst_servicesview"));
        qputenv("ENVSYNC_TEST_VIRT_SALT", "services-view-test-salt-0123456789");

        // Two recordings of payments-eu: golden_v2 is the newest, so it is served.
        const std::filesystem::path payments
                = path(QStringLiteral("virt/payments-eu")).toStdString();
        QVERIFY(virt::writeMapping(payments / "golden_v1",
                                   stub(QStringLiteral("0b7d7a55-9d7c-4c53-9a55-0c8e5f0e0001"),
                                        QStringLiteral("customer 42 (v1)"), "GET",
                                        QStringLiteral("/customers/42"), 200,
                                        R"({"id":42,"from":"v1"})"),
                                   QStringLiteral("customer-42"))
                        .has_value());
        QVERIFY(virt::writeMapping(payments / "golden_v2",
                                   stub(customerId, QStringLiteral("customer 42"), "GET",
                                        QStringLiteral("/customers/42"), 200,
                                        R"({"id":42,"from":"v2"})"),
                                   QStringLiteral("customer-42"))
                        .has_value());
        QVERIFY(virt::writeMapping(payments / "golden_v2",
                                   stub(paymentId, QStringLiteral("create payment"), "POST",
                                        QStringLiteral("/payments"), 201, R"({"ok":true})"),
                                   QStringLiteral("payment"))
                        .has_value());

        m_upstream.route(QStringLiteral("/hello"), [this] {
            ++m_upstreamHits;
            return QHttpServerResponse(QJsonObject{
                    {QStringLiteral("greeting"), QStringLiteral("hello from upstream")}});
        });
        m_upstreamPort = m_upstream.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_upstreamPort != 0);

        m_paymentsPort = freePort();
        m_recordPort = freePort();
        QVERIFY(m_paymentsPort != 0 && m_recordPort != 0 && m_paymentsPort != m_recordPort);
        // Port 1: nothing listens, so the control database is unreachable at once.
        const QByteArray head = "version: 1\n"
                                "source: { name: prod, dsn: \"host=127.0.0.1 port=1 "
                                "dbname=prod connect_timeout=2\" }\n"
                                "golden: { dsn: \"host=127.0.0.1 port=1 dbname=golden "
                                "connect_timeout=2\" }\n"
                                "regions:\n"
                                "  - { name: eu, dsn: \"host=127.0.0.1 port=1 dbname=eu "
                                "connect_timeout=2\" }\n"
                                "  - { name: us, dsn: \"host=127.0.0.1 port=1 dbname=us "
                                "connect_timeout=2\" }\n"
                                "masking: { salt: { env: ENVSYNC_TEST_VIRT_SALT } }\n";
        m_configPath = path(QStringLiteral("envsync.yaml"));
        writeFile(m_configPath,
                  head
                          + "services:\n"
                            "  - { name: payments-eu, region: eu, listen: \"127.0.0.1:"
                          + QByteArray::number(m_paymentsPort)
                          + "\", mappings: virt/payments-eu }\n"
                            "  - { name: tax-eu, region: eu, listen: \"127.0.0.1:"
                          + QByteArray::number(freePort()) + "\", mappings: virt/tax-eu }\n"
                          + "  - { name: hello-us, region: us, listen: \"127.0.0.1:"
                          + QByteArray::number(m_recordPort) + "\", upstream: \"http://127.0.0.1:"
                          + QByteArray::number(m_upstreamPort) + "\", mappings: virt/hello-us }\n");
        m_emptyConfigPath = path(QStringLiteral("noservices.yaml"));
        writeFile(m_emptyConfigPath, head);
        QVERIFY(loadConfig(m_configPath));
        // As the console does: a database call on this thread is refused (and would show).
        db::registerGuiThread();
    }

    void cleanupTestCase() { db::unregisterGuiThread(); }

    /// Without a config, and with one that lists no services, the tab says what to do.
    void emptyStatesSayWhatToDo()
    {
        ServicesView view;
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.emptyLabel()->isVisible());
        QVERIFY(view.emptyLabel()->text().contains(u"Open a configuration"));
        view.setConfig(loadConfig(m_emptyConfigPath));
        QTRY_VERIFY(view.emptyLabel()->text().contains(u"lists no virtual services"));
        QVERIFY(view.emptyLabel()->isVisible());
        QVERIFY(view.emptyLabel()->text().contains(u"services:"));
        QVERIFY(view.emptyLabel()->text().contains(u"envsyncctl virt record -c "));
        QVERIFY(!view.servicesTree()->isVisible());
    }

    /// Ctrl+0 → Services; Start, real requests, journal rows, near misses, Open mapping, Stop.
    void serveAndInspectRequests()
    {
        MainWindow window;
        window.resize(1280, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openConfig(m_configPath);
        QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
        ServicesView &view = *window.servicesView();
        QCOMPARE(window.centralTabs()->currentWidget(), &view);
        QCOMPARE(window.centralTabs()->tabText(window.centralTabs()->currentIndex()),
                 QStringLiteral("Services"));
        QAbstractItemModelTester treeTester(view.servicesModel());
        QAbstractItemModelTester journalTester(view.journalModel());

        // Regions in config order, their services below them.
        ServicesTreeModel &model = *view.servicesModel();
        QTRY_VERIFY_WITH_TIMEOUT(model.indexOfService(QStringLiteral("payments-eu")).isValid(),
                                 stateTimeoutMs);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("eu"));
        QCOMPARE(model.rowCount(model.index(0, 0)), 2);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("us"));
        QCOMPARE(model.index(0, ServicesTreeModel::State).data().toString(),
                 QStringLiteral("0 of 2 serving"));

        clickRow(view.servicesTree(), model.indexOfService(QStringLiteral("payments-eu")));
        QCOMPARE(view.selectedService(), QStringLiteral("payments-eu"));
        QCOMPARE(stateOf(view, QStringLiteral("payments-eu")), QStringLiteral("Stopped"));
        QVERIFY(view.journalPlaceholder()->isVisible());
        QVERIFY2(view.journalPlaceholder()->text().contains(u"is stopped"),
                 qPrintable(view.journalPlaceholder()->text()));
        QVERIFY(!view.stopButton()->isEnabled());
        QVERIFY(view.startButton()->isEnabled());

        QTest::mouseClick(view.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("payments-eu")),
                                  QStringLiteral("Serving"), stateTimeoutMs);
        const QString address = QStringLiteral("127.0.0.1:%1").arg(m_paymentsPort);
        QCOMPARE(cellText(view, QStringLiteral("payments-eu"), ServicesTreeModel::Address),
                 address);
        // The control database cannot say what eu holds: the newest recording, with a warning.
        QVERIFY2(cellText(view, QStringLiteral("payments-eu"), ServicesTreeModel::Version)
                         .startsWith(u"golden_v2"),
                 qPrintable(cellText(view, QStringLiteral("payments-eu"),
                                     ServicesTreeModel::Version)));
        QVERIFY(view.noticeBanner()->isVisible());
        // Asked on the worker: the database itself refused, not the GUI-thread guard.
        QVERIFY2(view.noticeBanner()->text().contains(u"port 1 failed")
                         && !view.noticeBanner()->text().contains(u"GUI thread"),
                 qPrintable(view.noticeBanner()->text()));
        QVERIFY2(view.noticeBanner()->text().contains(
                         u"serving the newest recording: which golden version eu holds is unknown"),
                 qPrintable(view.noticeBanner()->text()));
        QCOMPARE(cellText(view, QStringLiteral("payments-eu"), ServicesTreeModel::Mappings),
                 QStringLiteral("2"));
        QVERIFY(view.journalPlaceholder()->text().contains(u"No requests yet"));
        QVERIFY(view.journalPlaceholder()->text().contains(address));
        QVERIFY(view.stopButton()->isEnabled());
        QVERIFY(!view.startButton()->isEnabled());
        QVERIFY(!view.recordButton()->isEnabled()); // serving, and no upstream

        const Reply matched = send(m_paymentsPort, "GET", QStringLiteral("/customers/42"));
        QCOMPARE(matched.status, 200);
        QCOMPARE(QJsonDocument::fromJson(matched.body).object().value(u"from").toString(),
                 QStringLiteral("v2"));
        const Reply unmatched = send(m_paymentsPort, "GET", QStringLiteral("/customers/43"));
        QCOMPARE(unmatched.status, 404);

        QTRY_COMPARE_WITH_TIMEOUT(view.journalModel()->rowCount(), 2, stateTimeoutMs);
        QVERIFY(view.journalTable()->isVisible());
        // Newest first.
        QCOMPARE(journalCell(view, 0, JournalModel::Path), QStringLiteral("/customers/43"));
        QCOMPARE(journalCell(view, 0, JournalModel::Result), QStringLiteral("unmatched"));
        QCOMPARE(journalCell(view, 0, JournalModel::Status), QStringLiteral("404"));
        QCOMPARE(journalCell(view, 1, JournalModel::Method), QStringLiteral("GET"));
        QCOMPARE(journalCell(view, 1, JournalModel::Path), QStringLiteral("/customers/42"));
        QCOMPARE(journalCell(view, 1, JournalModel::Result), QStringLiteral("matched"));
        QCOMPARE(journalCell(view, 1, JournalModel::Status), QStringLiteral("200"));
        QVERIFY(journalCell(view, 1, JournalModel::Latency).endsWith(u" ms"));
        QTRY_COMPARE(cellText(view, QStringLiteral("payments-eu"), ServicesTreeModel::Requests),
                     QStringLiteral("2"));
        QCOMPARE(cellText(view, QStringLiteral("payments-eu"), ServicesTreeModel::Unmatched),
                 QStringLiteral("1"));

        // The unmatched request: the closest mapping and why it differs.
        QVERIFY(view.nearMissLabel()->text().contains(u"Select an unmatched request"));
        clickRow(view.journalTable(), view.journalModel()->index(0, JournalModel::Path));
        QCOMPARE(view.nearMissTree()->topLevelItemCount(), 2);
        const QTreeWidgetItem *closest = view.nearMissTree()->topLevelItem(0);
        QVERIFY2(closest->text(0).contains(u"customer 42"), qPrintable(closest->text(0)));
        QVERIFY(closest->childCount() >= 1);
        QString why;
        for (int i = 0; i < closest->childCount(); ++i)
            why += closest->child(i)->text(0) + u'\n';
        QVERIFY2(why.contains(u"/customers/42") && why.contains(u"/customers/43"), qPrintable(why));
        QVERIFY(view.nearMissLabel()->text().contains(u"matched nothing"));

        // The screenshot shows the near misses, with the bottom docks (age chart, log) closed
        // as a person reading the journal would.
        for (QDockWidget *dock : window.findChildren<QDockWidget *>())
            if (dock->isVisible() && dock->widget() && !dock->widget()->inherits("QTreeView"))
                dock->close();
        QTest::qWait(50);
        QVERIFY(window.grab().save(screenshotDir() + QStringLiteral("/services.png")));

        // A near miss opens too: the mapping the request nearly matched.
        QVERIFY(!view.openMappingButton()->isEnabled());
        QTreeWidget *misses = view.nearMissTree();
        QTreeWidgetItem *payment = misses->topLevelItem(1);
        QCOMPARE(payment->text(0), QStringLiteral("create payment"));
        QTest::mouseClick(misses->viewport(), Qt::LeftButton, {},
                          misses->visualItemRect(payment).center());
        QVERIFY(view.openMappingButton()->isEnabled());
        QTest::mouseClick(view.openMappingButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view.mappingDialog() != nullptr, stateTimeoutMs);
        QCOMPARE(QJsonDocument::fromJson(view.mappingDialog()->jsonView()->toPlainText().toUtf8())
                         .object()
                         .value(u"id")
                         .toString(),
                 paymentId);
        QCOMPARE(QDir::fromNativeSeparators(view.mappingDialog()->fileLabel()->text()),
                 path(QStringLiteral("virt/payments-eu/golden_v2/mappings/payment.json")));
        view.mappingDialog()->close();
        QTRY_VERIFY(view.mappingDialog() == nullptr);

        // The matched request: Open mapping shows its JSON and file.
        clickRow(view.journalTable(), view.journalModel()->index(1, JournalModel::Path));
        QCOMPARE(view.nearMissTree()->topLevelItemCount(), 0);
        QVERIFY(view.nearMissLabel()->text().contains(customerId));
        QVERIFY(view.openMappingButton()->isEnabled());
        QTest::mouseClick(view.openMappingButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view.mappingDialog() != nullptr, stateTimeoutMs);
        MappingDialog *dialog = view.mappingDialog();
        const QJsonObject json
                = QJsonDocument::fromJson(dialog->jsonView()->toPlainText().toUtf8()).object();
        QCOMPARE(json.value(u"id").toString(), customerId);
        QCOMPARE(json.value(u"request").toObject().value(u"urlPath").toString(),
                 QStringLiteral("/customers/42"));
        QVERIFY(dialog->jsonView()->isReadOnly());
        QCOMPARE(QDir::fromNativeSeparators(dialog->fileLabel()->text()),
                 path(QStringLiteral("virt/payments-eu/golden_v2/mappings/customer-42.json")));
        QVERIFY(dialog->showFileButton()->isEnabled());
        dialog->close();
        QTRY_VERIFY(view.mappingDialog() == nullptr);

        // A request with a body: listed, matched; the view keeps no request bodies.
        const Reply created = send(m_paymentsPort, "POST", QStringLiteral("/payments"),
                                   QByteArrayLiteral("{\"amount\": 10}"));
        QCOMPARE(created.status, 201);
        QTRY_COMPARE_WITH_TIMEOUT(view.journalModel()->rowCount(), 3, stateTimeoutMs);
        QCOMPARE(journalCell(view, 0, JournalModel::Method), QStringLiteral("POST"));
        QCOMPARE(journalCell(view, 0, JournalModel::Result), QStringLiteral("matched"));
        QCOMPARE(journalCell(view, 0, JournalModel::Status), QStringLiteral("201"));
        const auto &kept = view.controller()->journal(QStringLiteral("payments-eu"));
        QCOMPARE(kept.size(), std::size_t(3));
        QCOMPARE(kept.back().request.method, QByteArray("POST"));
        QVERIFY(kept.back().request.body.isEmpty());

        // Stop: the port closes.
        QTest::mouseClick(view.stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("payments-eu")),
                                  QStringLiteral("Stopped"), stateTimeoutMs);
        QCOMPARE(cellText(view, QStringLiteral("payments-eu"), ServicesTreeModel::Address),
                 address); // the configured one, greyed
        const Reply closed = send(m_paymentsPort, "GET", QStringLiteral("/customers/42"));
        QCOMPARE(closed.error, QNetworkReply::ConnectionRefusedError);
        QCOMPARE(view.journalModel()->rowCount(), 3); // what it served stays readable
        QVERIFY(!view.openMappingButton()->isEnabled());
    }

    /// A region row starts all of its services: one serves, one has nothing recorded.
    void startAndStopARegion()
    {
        ServicesView view;
        view.resize(1280, 720);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setConfig(loadConfig(m_configPath));
        ServicesTreeModel &model = *view.servicesModel();
        QTRY_VERIFY(model.indexOfRegion(QStringLiteral("eu")).isValid());
        clickRow(view.servicesTree(), model.indexOfRegion(QStringLiteral("eu")));
        QVERIFY(view.selectedService().isEmpty());
        QCOMPARE(view.startButton()->text(), QStringLiteral("&Start region"));
        QTest::mouseClick(view.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("payments-eu")),
                                  QStringLiteral("Serving"), stateTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(view, QStringLiteral("tax-eu")).startsWith(u"Failed: "),
                                 stateTimeoutMs);
        QVERIFY2(stateOf(view, QStringLiteral("tax-eu")).contains(u"nothing recorded"),
                 qPrintable(stateOf(view, QStringLiteral("tax-eu"))));
        QCOMPARE(stateOf(view, QStringLiteral("hello-us")), QStringLiteral("Stopped"));
        QCOMPARE(model.indexOfRegion(QStringLiteral("eu"))
                         .siblingAtColumn(ServicesTreeModel::State)
                         .data()
                         .toString(),
                 QStringLiteral("1 of 2 serving, 1 failed"));

        clickRow(view.servicesTree(), model.indexOfService(QStringLiteral("tax-eu")));
        QVERIFY(view.errorBanner()->isVisible());
        QVERIFY2(view.errorBanner()->text().startsWith(u"tax-eu failed: "),
                 qPrintable(view.errorBanner()->text()));
        QVERIFY(view.journalPlaceholder()->text().contains(u"record it first"));
        QVERIFY(view.startButton()->isEnabled()); // try again after fixing it

        clickRow(view.servicesTree(), model.indexOfRegion(QStringLiteral("eu")));
        QCOMPARE(view.stopButton()->text(), QStringLiteral("S&top region"));
        QVERIFY(view.stopButton()->isEnabled());
        QTest::mouseClick(view.stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("payments-eu")),
                                  QStringLiteral("Stopped"), stateTimeoutMs);
        QVERIFY(!view.stopButton()->isEnabled());
    }

    /// Reopening the config keeps a service serving (a config change cancels no running work);
    /// a config without it, or closing the view, stops it: no server is left on the port.
    void configChangeAndClosing()
    {
        auto view = std::make_unique<ServicesView>();
        view->resize(1280, 720);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        view->setConfig(loadConfig(m_configPath));
        QTRY_VERIFY(view->servicesModel()->indexOfService(QStringLiteral("payments-eu")).isValid());
        view->controller()->start({QStringLiteral("payments-eu")});
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*view, QStringLiteral("payments-eu")),
                                  QStringLiteral("Serving"), stateTimeoutMs);
        QCOMPARE(send(m_paymentsPort, "GET", QStringLiteral("/customers/42")).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(view->journalModel()->rowCount(), 1, stateTimeoutMs);

        QSignalSpy reset(view->controller(), &ServicesController::servicesReset);
        view->setConfig(loadConfig(m_configPath));
        QVERIFY(reset.wait(stateTimeoutMs));
        QCOMPARE(stateOf(*view, QStringLiteral("payments-eu")), QStringLiteral("Serving"));
        QCOMPARE(send(m_paymentsPort, "GET", QStringLiteral("/customers/42")).status, 200);
        QVERIFY(view->selectService(QStringLiteral("payments-eu")));
        QTRY_COMPARE_WITH_TIMEOUT(view->journalModel()->rowCount(), 2, stateTimeoutMs);

        view->setConfig(loadConfig(m_emptyConfigPath));
        QTRY_VERIFY_WITH_TIMEOUT(view->emptyLabel()->text().contains(u"lists no virtual services"),
                                 stateTimeoutMs);
        QCOMPARE(send(m_paymentsPort, "GET", QStringLiteral("/customers/42")).error,
                 QNetworkReply::ConnectionRefusedError);

        view->setConfig(loadConfig(m_configPath));
        QTRY_VERIFY(view->servicesModel()->indexOfService(QStringLiteral("payments-eu")).isValid());
        QCOMPARE(stateOf(*view, QStringLiteral("payments-eu")), QStringLiteral("Stopped"));
        view->controller()->start({QStringLiteral("payments-eu")});
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*view, QStringLiteral("payments-eu")),
                                  QStringLiteral("Serving"), stateTimeoutMs);
        view.reset();
        QCOMPARE(send(m_paymentsPort, "GET", QStringLiteral("/customers/42")).error,
                 QNetworkReply::ConnectionRefusedError);
    }

    /// Record… proxies to the upstream and shows each exchange live; Stop, then Start serves
    /// what was recorded without the upstream.
    void recordThenServe()
    {
        ServicesView view;
        view.resize(1280, 720);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setConfig(loadConfig(m_configPath));
        ServicesTreeModel &model = *view.servicesModel();
        QTRY_VERIFY(model.indexOfService(QStringLiteral("hello-us")).isValid());
        clickRow(view.servicesTree(), model.indexOfService(QStringLiteral("hello-us")));
        QVERIFY(view.recordButton()->isEnabled());

        bool dialogSeen = false;
        QTimer::singleShot(0, this, [&dialogSeen] {
            auto *dialog = qobject_cast<RecordDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            dialogSeen = true;
            QTest::keyClicks(dialog->goldenEdit(), QStringLiteral("golden_v3"));
            dialog->accept();
        });
        QTest::mouseClick(view.recordButton(), Qt::LeftButton);
        QVERIFY(dialogSeen);
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(view, QStringLiteral("hello-us")).startsWith(u"Recording"),
                                 stateTimeoutMs);
        QCOMPARE(view.detailTabs()->currentWidget(), view.recordedTree());
        QCOMPARE(cellText(view, QStringLiteral("hello-us"), ServicesTreeModel::Version),
                 QStringLiteral("golden_v3"));

        const int hitsBefore = m_upstreamHits;
        const Reply proxied = send(m_recordPort, "GET", QStringLiteral("/hello"));
        QCOMPARE(proxied.status, 200);
        QCOMPARE(QJsonDocument::fromJson(proxied.body).object().value(u"greeting").toString(),
                 QStringLiteral("hello from upstream"));
        QCOMPARE(m_upstreamHits, hitsBefore + 1);
        QTRY_COMPARE_WITH_TIMEOUT(view.recordedTree()->topLevelItemCount(), 1, stateTimeoutMs);
        const QTreeWidgetItem *row = view.recordedTree()->topLevelItem(0);
        QCOMPARE(row->text(0), QStringLiteral("GET"));
        QCOMPARE(row->text(1), QStringLiteral("/hello"));
        QCOMPARE(row->text(2), QStringLiteral("200"));
        QVERIFY2(row->text(3).endsWith(u".json"), qPrintable(row->text(3)));
        QTRY_COMPARE(stateOf(view, QStringLiteral("hello-us")),
                     QStringLiteral("Recording (1 recorded)"));

        QTest::mouseClick(view.stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("hello-us")),
                                  QStringLiteral("Stopped"), stateTimeoutMs);
        QVERIFY2(view.noticeBanner()->text().contains(u"Recording of hello-us stopped"),
                 qPrintable(view.noticeBanner()->text()));
        const QString written = path(QStringLiteral("virt/hello-us/golden_v3/")) + row->text(3);
        QVERIFY2(QFile::exists(written), qPrintable(written));

        // Served from the recording: the upstream is not asked again.
        QTest::mouseClick(view.startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("hello-us")),
                                  QStringLiteral("Serving"), stateTimeoutMs);
        QVERIFY(cellText(view, QStringLiteral("hello-us"), ServicesTreeModel::Version)
                        .startsWith(u"golden_v3"));
        QCOMPARE(view.detailTabs()->currentIndex(), 0);
        const Reply replayed = send(m_recordPort, "GET", QStringLiteral("/hello"));
        QCOMPARE(replayed.status, 200);
        QCOMPARE(QJsonDocument::fromJson(replayed.body).object().value(u"greeting").toString(),
                 QStringLiteral("hello from upstream"));
        QCOMPARE(m_upstreamHits, hitsBefore + 1);
        QTRY_COMPARE_WITH_TIMEOUT(view.journalModel()->rowCount(), 1, stateTimeoutMs);
        QCOMPARE(journalCell(view, 0, JournalModel::Result), QStringLiteral("matched"));
        QTest::mouseClick(view.stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(view, QStringLiteral("hello-us")),
                                  QStringLiteral("Stopped"), stateTimeoutMs);
    }
};

QTEST_MAIN(TestServicesView)
#include "tst_servicesview.moc"
