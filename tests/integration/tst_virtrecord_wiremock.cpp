// Interop (1) of issue 19: EnvSync's recorder in front of a small upstream of this test's own
// (tests/support/testupstream.h) writes a mappings/ folder that real WireMock 3 serves with the
// answers the upstream gave — masked where the service's mask rules say, the stateful status as a
// scenario in recorded order, a large body from __files/ — and `envsyncctl virt serve` answers
// the same. Learned mappings (two passes, volatile fields) are templates WireMock renders: the
// request id echoed, a fresh UUID and time.

#include "rawhttpclient.h"
#include "testsupport.h"
#include "testupstream.h"
#include "virtserveprocess.h"
#include "wiremockprocess.h"

#include "core/masking/hmackey.h"
#include "core/masking/transform.h"
#include "core/virt/recorder.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUuid>

using namespace envsync;
using envsync::test::RawHttpClient;
using envsync::test::RawReply;

namespace {

const char *const salt = "tst_virtrecord_wiremock salt";

struct Call
{
    QByteArray method;
    QByteArray target; ///< as the recording's client sends it (real values)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

struct Answer
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
};

std::string masked(const std::string &transform, const std::string &value)
{
    auto built = masking::makeTransform(transform, {}, false, masking::HmacKey(salt));
    std::string out;
    if (built)
        (*built)->apply(value, out);
    return out;
}

const QByteArray email = "alice.meyer@example.com";

/// The calls recorded, in order; replayed with masked values where the recording masked them.
QList<Call> calls()
{
    const QList<QPair<QByteArray, QByteArray>> json = {{"Content-Type", "application/json"}};
    return {
            {"GET", "/customers/42", {}, {{"Accept", "application/json"}}},
            {"GET",
             "/customers?email=" + QUrl::toPercentEncoding(QString::fromLatin1(email)),
             {},
             {}},
            {"POST", "/payments", "{\"amount\":25,\"requestId\":\"fixed-1\"}", json},
            {"GET", "/orders/7/status", {}, {}},
            {"GET", "/orders/7/status", {}, {}},
            {"GET", "/orders/7/status", {}, {}},
            {"GET", "/catalog", {}, {}},
            {"GET", "/no/such/thing", {}, {}},
    };
}

Answer viaProxy(QNetworkAccessManager &network, quint16 port, const Call &call)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(port)
                                 + QString::fromLatin1(call.target)));
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = network.sendCustomRequest(request, call.method, call.body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(15000))
        return {};
    Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  reply->readAll(), reply->rawHeader("Content-Type")};
    reply->deleteLater();
    return answer;
}

/// What a replay must answer: the upstream's answer with the masked fields masked.
QByteArray expectedBody(const QByteArray &upstreamBody)
{
    QJsonDocument document = QJsonDocument::fromJson(upstreamBody);
    if (!document.isObject())
        return upstreamBody;
    QJsonObject object = document.object();
    if (!object.contains(u"email"))
        return upstreamBody;
    object[QStringLiteral("email")] = QString::fromStdString(
            masked("email", object.value(u"email").toString().toStdString()));
    object[QStringLiteral("full_name")] = QString::fromStdString(
            masked("person_name", object.value(u"full_name").toString().toStdString()));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/// The call as a client of the masked region sends it (the masked e-mail in the query).
QByteArray replayTarget(const Call &call)
{
    QByteArray target = call.target;
    return target.replace(
            QUrl::toPercentEncoding(QString::fromLatin1(email)),
            QUrl::toPercentEncoding(QString::fromStdString(masked("email", email.toStdString()))));
}

std::optional<RawReply> replayOne(RawHttpClient &client, const Call &call)
{
    return client.request(call.method, replayTarget(call), call.body, call.headers);
}

config::ServiceConfig service(quint16 upstreamPort)
{
    using Target = config::ServiceMaskRule::Target;
    config::ServiceConfig s;
    s.name = "payments-eu";
    s.listen = "127.0.0.1:0";
    s.upstream = "http://127.0.0.1:" + std::to_string(upstreamPort);
    s.mask = {{Target::Json, "$..email", "email", false, {}, {}},
              {Target::Query, "email", "email", false, {}, {}},
              {Target::Json, "$.full_name", "person_name", false, {}, {}}};
    s.recordHeaders = {"Accept", "Content-Type"};
    return s;
}

std::unique_ptr<virt::Recorder> recorder(const config::ServiceConfig &s, const QString &root,
                                         int learn, QString &error)
{
    virt::RecorderOptions options;
    options.service = s;
    options.configPath = "interop.yaml";
    options.root = root.toStdString();
    options.golden = QStringLiteral("golden_v1");
    options.learnPasses = learn;
    auto made = virt::Recorder::create(std::move(options), masking::HmacKey(salt));
    if (!made) {
        error = QString::fromStdString(made.error().describe());
        return nullptr;
    }
    return std::move(*made);
}

QString describe(const RawReply &reply)
{
    return QString::number(reply.status) + u' ' + QString::fromUtf8(reply.body.left(300));
}

} // namespace

class TestVirtRecordWireMock : public QObject
{
    Q_OBJECT
private slots:
    void wireMockServesWhatEnvSyncRecorded()
    {
        test::TestUpstream upstream;
        QVERIFY(upstream.port() != 0);
        QTemporaryDir root;
        QString error;
        auto proxy = recorder(service(upstream.port()), root.path(), 1, error);
        QVERIFY2(proxy, qPrintable(error));
        auto port = proxy->start();
        QVERIFY(port.has_value());
        int refused = 0;
        connect(proxy.get(), &virt::Recorder::exchangeRecorded, this,
                [&refused](const virt::RecordingEvent &event) { refused += event.error ? 1 : 0; });

        // 1. Record through EnvSync's proxy.
        QNetworkAccessManager network;
        QList<Answer> recorded;
        for (const Call &call : calls()) {
            recorded.append(viaProxy(network, *port, call));
            QVERIFY2(recorded.back().status != 0, call.target.constData());
        }
        QCOMPARE(refused, 0);
        QCOMPARE(recorded[3].body, QByteArray("{\"order\":7,\"status\":\"pending\"}"));
        QCOMPARE(recorded[5].body, QByteArray("{\"order\":7,\"status\":\"delivered\"}"));
        QVERIFY2(!QDir(root.path() + QStringLiteral("/__files")).isEmpty(QDir::Files),
                 "the large body stayed inline: __files/ is not exercised");
        for (const QString &name :
             QDir(root.path() + QStringLiteral("/mappings")).entryList(QDir::Files)) {
            QFile file(root.path() + QStringLiteral("/mappings/") + name);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("alice.meyer"), qPrintable(name));
        }

        // 2. Real WireMock serves the folder: the upstream's answers, masked.
        test::WireMockProcess wiremock;
        QVERIFY2(wiremock.start(root.path(), error), qPrintable(error));
        RawHttpClient client;
        QVERIFY(client.connectTo(wiremock.port()));
        const QList<Call> all = calls();
        QList<RawReply> reference;
        for (qsizetype i = 0; i < all.size(); ++i) {
            const auto reply = replayOne(client, all[i]);
            QVERIFY2(reply, all[i].target.constData());
            reference.append(*reply);
            QVERIFY2(reply->status == recorded[i].status
                             && reply->body == expectedBody(recorded[i].body)
                             && reply->header("Content-Type") == recorded[i].contentType,
                     qPrintable(QString::fromLatin1(all[i].target) + QStringLiteral(": WireMock ")
                                + describe(*reply) + QStringLiteral(", expected ")
                                + QString::number(recorded[i].status) + u' '
                                + QString::fromUtf8(expectedBody(recorded[i].body).left(300))));
        }
        // The last state repeats, as WireMock replays a scenario.
        const auto again = replayOne(client, all[5]);
        QVERIFY(again);
        QCOMPARE(again->body, QByteArray("{\"order\":7,\"status\":\"delivered\"}"));
        wiremock.stop();

        // 3. EnvSync's own server answers exactly like WireMock.
        test::VirtServeProcess serve;
        QString serveError;
        QVERIFY2(serve.start(root.path(), serveError), qPrintable(serveError));
        const quint16 servePort = serve.port();
        RawHttpClient envsyncClient;
        QVERIFY(envsyncClient.connectTo(servePort));
        for (qsizetype i = 0; i < all.size(); ++i) {
            const auto reply = replayOne(envsyncClient, all[i]);
            QVERIFY2(reply, all[i].target.constData());
            if (recorded[i].status == 404)
                continue; // unmatched answers differ by design (near-miss report)
            QVERIFY2(reply->status == reference[i].status && reply->body == reference[i].body,
                     qPrintable(QString::fromLatin1(all[i].target) + QStringLiteral(": EnvSync ")
                                + describe(*reply) + QStringLiteral(", WireMock ")
                                + describe(reference[i])));
        }
        QVERIFY(serve.stop() != -1);
    }

    void wireMockRendersLearnedTemplates()
    {
        test::TestUpstream upstream;
        QTemporaryDir root;
        QString error;
        auto proxy = recorder(service(upstream.port()), root.path(), 2, error);
        QVERIFY2(proxy, qPrintable(error));
        auto port = proxy->start();
        QVERIFY(port.has_value());
        QNetworkAccessManager network;
        for (int pass = 0; pass < 2; ++pass) {
            const Call call{"POST",
                            "/payments",
                            "{\"amount\":25,\"requestId\":\"pass-" + QByteArray::number(pass)
                                    + "\"}",
                            {{"Content-Type", "application/json"}}};
            QCOMPARE(viaProxy(network, *port, call).status, 201);
        }
        auto written = proxy->finish();
        QVERIFY2(written.has_value(), written ? "" : written.error().describe().c_str());
        QCOMPARE(written->size(), 1);

        test::WireMockProcess wiremock;
        QVERIFY2(wiremock.start(root.path(), error), qPrintable(error));
        RawHttpClient client;
        QVERIFY(client.connectTo(wiremock.port()));
        const auto reply = client.request("POST", "/payments",
                                          "{\"requestId\":\"brand-new-9\",\"amount\":25}",
                                          {{"Content-Type", "application/json"}});
        QVERIFY(reply);
        QVERIFY2(reply->status == 201, qPrintable(describe(*reply)));
        const QJsonObject answer = QJsonDocument::fromJson(reply->body).object();
        QCOMPARE(answer.value(u"requestId").toString(), QStringLiteral("brand-new-9"));
        QCOMPARE(answer.value(u"amount").toInt(), 25);
        QVERIFY2(!QUuid::fromString(answer.value(u"paymentId").toString()).isNull(),
                 reply->body.constData());
        QVERIFY2(QDateTime::fromString(answer.value(u"at").toString(), Qt::ISODate).isValid(),
                 reply->body.constData());
        // A different amount is a different request: WireMock does not match it either.
        const auto other
                = client.request("POST", "/payments", "{\"requestId\":\"x\",\"amount\":26}",
                                 {{"Content-Type", "application/json"}});
        QVERIFY(other);
        QCOMPARE(other->status, 404);
    }
};

QTEST_GUILESS_MAIN(TestVirtRecordWireMock)
#include "tst_virtrecord_wiremock.moc"
