// Interop (2) of issue 19: mappings written by real WireMock's own recorder
// (/__admin/recordings) in front of a small upstream of this test's own are served by
// `envsyncctl virt serve` with the same answers as the upstream gave and as WireMock itself
// gives when it replays them — scenarios (repeated requests with different answers), bodies
// WireMock moved to __files/, JSON request bodies and query strings included.

#include "rawhttpclient.h"
#include "testsupport.h"
#include "virtserveprocess.h"
#include "wiremockprocess.h"

#include <QAbstractHttpServer>
#include <QDir>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <future>

using envsync::test::RawHttpClient;
using envsync::test::RawReply;

namespace {

/// The regional API being recorded: JSON reads, a JSON POST, a stateful status that changes
/// on every call (WireMock records it as a scenario), a large body and a query string.
class Upstream : public QAbstractHttpServer
{
protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        auto responder = makeResponder(request, socket);
        const QString path = request.url().path();
        if (path == QLatin1String("/customers/42")) {
            responder.write(QByteArray("{\"id\":42,\"name\":\"Ada\",\"tier\":\"gold\"}"),
                            "application/json");
        } else if (path == QLatin1String("/payments")
                   && request.method() == QHttpServerRequest::Method::Post) {
            const QJsonObject body = QJsonDocument::fromJson(request.body()).object();
            const QByteArray answer
                    = QJsonDocument(
                              QJsonObject{{QStringLiteral("status"), QStringLiteral("accepted")},
                                          {QStringLiteral("amount"),
                                           body.value(QStringLiteral("amount"))}})
                              .toJson(QJsonDocument::Compact);
            responder.write(answer, "application/json", QHttpServerResponder::StatusCode::Created);
        } else if (path == QLatin1String("/orders/7/status")) {
            static const char *states[] = {"pending", "shipped", "delivered"};
            const int step = std::min(m_statusCalls++, 2);
            responder.write(QByteArray(states[step]), "text/plain");
        } else if (path == QLatin1String("/big")) {
            responder.write(QByteArray(40000, 'x'), "application/octet-stream");
        } else if (path == QLatin1String("/search")) {
            const QString q = request.query().queryItemValue(QStringLiteral("q"));
            responder.write(QByteArray("results for ") + q.toUtf8(), "text/plain");
        } else {
            responder.write(QByteArray("no such thing"), "text/plain",
                            QHttpServerResponder::StatusCode::NotFound);
        }
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    int m_statusCalls = 0;
};

/// Runs the upstream on a thread of its own (the test thread blocks on sockets and processes).
class UpstreamThread : public QThread
{
public:
    ~UpstreamThread() override
    {
        quit();
        wait();
    }
    quint16 startAndWait()
    {
        start();
        return m_port.get_future().get();
    }

protected:
    void run() override
    {
        Upstream server;
        m_port.set_value(server.listen(QHostAddress::LocalHost, 0));
        exec();
    }

private:
    std::promise<quint16> m_port;
};

struct Call
{
    QByteArray method;
    QByteArray target;
    QByteArray body;
};

/// The requests recorded and replayed, in this order (the status three times: a scenario).
const QList<Call> calls = {
        {"GET", "/customers/42", {}},
        {"POST", "/payments", "{\"amount\":125,\"currency\":\"EUR\"}"},
        {"GET", "/orders/7/status", {}},
        {"GET", "/orders/7/status", {}},
        {"GET", "/orders/7/status", {}},
        {"GET", "/big", {}},
        {"GET", "/search?q=blue%20shoes", {}},
};

QList<RawReply> replay(quint16 port, QString &error)
{
    QList<RawReply> replies;
    RawHttpClient client;
    if (!client.connectTo(port)) {
        error = QStringLiteral("cannot connect to port %1").arg(port);
        return {};
    }
    for (const Call &call : calls) {
        const auto reply
                = client.request(call.method, call.target, call.body,
                                 call.body.isEmpty() ? QList<QPair<QByteArray, QByteArray>>{}
                                                     : QList<QPair<QByteArray, QByteArray>>{
                                                             {"Content-Type", "application/json"}});
        if (!reply) {
            error = QStringLiteral("no reply to ") + QString::fromLatin1(call.target);
            return {};
        }
        replies.append(*reply);
    }
    return replies;
}

QString describe(const RawReply &reply)
{
    return QString::number(reply.status) + QLatin1Char(' ')
           + QString::fromLatin1(reply.header("Content-Type")) + QLatin1Char(' ')
           + QString::fromUtf8(reply.body.left(80));
}

} // namespace

class TestVirtServeWireMock : public QObject
{
    Q_OBJECT

private slots:
    void servesWhatWireMocksRecorderWrote()
    {
        UpstreamThread upstream;
        const quint16 upstreamPort = upstream.startAndWait();
        QVERIFY(upstreamPort != 0);

        QTemporaryDir root;
        QVERIFY(QDir(root.path()).mkpath(QStringLiteral("mappings")));
        QVERIFY(QDir(root.path()).mkpath(QStringLiteral("__files")));

        // 1. WireMock records the upstream through itself.
        QList<RawReply> recorded;
        {
            envsync::test::WireMockProcess wiremock;
            QString error;
            QVERIFY2(wiremock.start(root.path(), error), qPrintable(error));
            RawHttpClient admin;
            QVERIFY(admin.connectTo(wiremock.port()));
            const auto started = admin.request("POST", "/__admin/recordings/start",
                                               "{\"targetBaseUrl\":\"http://127.0.0.1:"
                                                       + QByteArray::number(upstreamPort)
                                                       + "\",\"extractBodyCriteria\":{"
                                                         "\"textSizeThreshold\":\"2 kb\","
                                                         "\"binarySizeThreshold\":\"1 kb\"}}",
                                               {{"Content-Type", "application/json"}});
            QVERIFY(started);
            QCOMPARE(started->status, 200);
            recorded = replay(wiremock.port(), error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            const auto stopped = admin.request("POST", "/__admin/recordings/stop", "{}",
                                               {{"Content-Type", "application/json"}});
            QVERIFY(stopped);
            QCOMPARE(stopped->status, 200);
        }
        QCOMPARE(recorded.size(), calls.size());
        QCOMPARE(recorded[2].body, QByteArray("pending"));
        QCOMPARE(recorded[4].body, QByteArray("delivered"));
        const QStringList files = QDir(root.path() + QStringLiteral("/mappings"))
                                          .entryList({QStringLiteral("*.json")}, QDir::Files);
        QVERIFY2(files.size() >= 5, qPrintable(files.join(u',')));
        QVERIFY2(!QDir(root.path() + QStringLiteral("/__files")).isEmpty(QDir::Files),
                 "WireMock kept every body inline: the __files/ path is not exercised");

        // 2. EnvSync serves the recorder's mappings: the same answers, in the same order.
        envsync::test::VirtServeProcess serve;
        QString error;
        QVERIFY2(serve.start(root.path(), error), qPrintable(error));
        const quint16 port = serve.port();
        const QList<RawReply> served = replay(port, error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (qsizetype i = 0; i < calls.size(); ++i) {
            QVERIFY2(served[i].status == recorded[i].status && served[i].body == recorded[i].body
                             && served[i].header("Content-Type")
                                        == recorded[i].header("Content-Type"),
                     qPrintable(QString::fromLatin1(calls[i].target) + QStringLiteral(": got ")
                                + describe(served[i]) + QStringLiteral(", recorded ")
                                + describe(recorded[i])));
        }
        // Fail closed: a request the recording lacks gets 404, never the real upstream.
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(port));
            const auto unknown = client.request("GET", "/customers/43");
            QVERIFY(unknown);
            QCOMPARE(unknown->status, 404);
            QVERIFY(unknown->body.contains("Request was not matched"));
        }
        QCOMPARE(serve.stop(), 0);

        // 3. WireMock replaying the same folder answers exactly like EnvSync did.
        envsync::test::WireMockProcess wiremock;
        QVERIFY2(wiremock.start(root.path(), error), qPrintable(error));
        const QList<RawReply> reference = replay(wiremock.port(), error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (qsizetype i = 0; i < calls.size(); ++i) {
            QVERIFY2(served[i].status == reference[i].status && served[i].body == reference[i].body,
                     qPrintable(QString::fromLatin1(calls[i].target) + QStringLiteral(": EnvSync ")
                                + describe(served[i]) + QStringLiteral(", WireMock ")
                                + describe(reference[i])));
        }
    }
};

QTEST_GUILESS_MAIN(TestVirtServeWireMock)
#include "tst_virtserve_wiremock.moc"
