// Recording virtual services (issue 19 part C): the recorder proxies a small upstream of the
// test's own (tests/support/testupstream.h) and writes WireMock mappings — secrets dropped,
// values masked with the golden keys, unmasked PII refused, stateful answers as a scenario,
// re-recording without duplicates, volatile fields learned from two passes.
#include "testsupport.h"
#include "testupstream.h"

#include "core/config/jsonfieldpath.h"
#include "core/masking/hmackey.h"
#include "core/masking/transform.h"
#include "core/virt/mappingstore.h"
#include "core/virt/recorder.h"
#include "core/virt/stubengine.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUuid>

#include <filesystem>

using namespace envsync;
using namespace envsync::virt;
using config::JsonFieldPath;

namespace {

const char *const salt = "tst_virtrecorder salt";

struct Answer
{
    int status = 0;
    QByteArray body;
};

Answer send(QNetworkAccessManager &network, quint16 port, const QByteArray &method,
            const QString &pathAndQuery, const QByteArray &body = {},
            const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(port) + pathAndQuery));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000))
        return {};
    Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  reply->readAll()};
    reply->deleteLater();
    return answer;
}

/// Every file under root with its content.
std::map<QString, QByteArray> filesUnder(const QString &root)
{
    std::map<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files[QDir(root).relativeFilePath(path)] = file.readAll();
    }
    return files;
}

std::vector<QJsonObject> mappingsUnder(const QString &root)
{
    std::vector<QJsonObject> out;
    for (const auto &[name, content] : filesUnder(root))
        if (name.startsWith(QLatin1String("mappings/")))
            out.push_back(QJsonDocument::fromJson(content).object());
    return out;
}

std::string masked(const std::string &transform, const std::string &value)
{
    const masking::HmacKey key(salt);
    auto built = masking::makeTransform(transform, {}, false, key);
    std::string out;
    if (built)
        (*built)->apply(value, out);
    return out;
}

/// EnvSync's own engine over what was recorded (the replay half, issue 19 part A).
std::unique_ptr<StubEngine> engineFor(const QString &root)
{
    auto loaded = loadMappings(root.toStdString());
    if (!loaded || !loaded->skipped.empty())
        return nullptr;
    return std::make_unique<StubEngine>(std::move(loaded->mappings));
}

HttpRequest request(const QByteArray &method, const QByteArray &url, const QByteArray &body = {})
{
    HttpRequest r = HttpRequest::fromUrl(method, url);
    r.body = body;
    if (!body.isEmpty())
        r.headers.append(HttpHeader{"Content-Type", "application/json"});
    return r;
}

/// A config file with one service recording from `upstreamPort`, for the CLI tests (the
/// databases are never contacted: --golden names the version).
QString writeConfig(const QString &dir, quint16 upstreamPort, quint16 listenPort)
{
    const QString path = dir + QStringLiteral("/envsync.yaml");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("version: 1\n"
               "source: { dsn: \"host=/nonexistent dbname=prod\" }\n"
               "golden: { dsn: \"host=/nonexistent dbname=golden\" }\n"
               "regions: [ { name: eu, dsn: \"host=/nonexistent dbname=eu\" } ]\n"
               "masking: { salt: { env: TST_VIRTRECORDER_SALT } }\n"
               "services:\n"
               "  - name: customers-eu\n"
               "    region: eu\n"
               "    listen: \"127.0.0.1:"
               + QByteArray::number(listenPort)
               + "\"\n"
                 "    upstream: \"http://127.0.0.1:"
               + QByteArray::number(upstreamPort)
               + "\"\n"
                 "    mappings: recorded\n"
                 "    mask: [ { json: \"$..email\", transform: email },\n            { json: "
                 "\"$.full_name\", transform: person_name } ]\n");
    return path;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

config::ServiceConfig service(quint16 upstreamPort)
{
    config::ServiceConfig s;
    s.name = "payments-eu";
    s.region = "eu";
    s.listen = "127.0.0.1:0";
    s.upstream = "http://127.0.0.1:" + std::to_string(upstreamPort);
    s.mask = {config::ServiceMaskRule{
                      config::ServiceMaskRule::Target::Json, "$..email", "email", false, {}, {}},
              config::ServiceMaskRule{
                      config::ServiceMaskRule::Target::Query, "email", "email", false, {}, {}},
              config::ServiceMaskRule{config::ServiceMaskRule::Target::Json,
                                      "$.full_name",
                                      "person_name",
                                      false,
                                      {},
                                      {}}};
    s.recordHeaders = {"Accept"};
    return s;
}

struct Session
{
    std::unique_ptr<Recorder> recorder;
    quint16 port = 0;
    std::vector<RecordingEvent> events;
};

std::unique_ptr<Session> startSession(const config::ServiceConfig &s, const QString &root,
                                      int learn = 1)
{
    auto session = std::make_unique<Session>();
    RecorderOptions options;
    options.service = s;
    options.configPath = "test.yaml";
    options.root = root.toStdString();
    options.golden = QStringLiteral("golden_v1");
    options.learnPasses = learn;
    auto recorder = Recorder::create(std::move(options), masking::HmacKey(salt));
    if (!recorder) {
        qWarning("%s", recorder.error().describe().c_str());
        return nullptr;
    }
    session->recorder = std::move(*recorder);
    auto port = session->recorder->start();
    if (!port)
        return nullptr;
    session->port = *port;
    Session *raw = session.get();
    QObject::connect(session->recorder.get(), &Recorder::exchangeRecorded, session->recorder.get(),
                     [raw](const RecordingEvent &event) { raw->events.push_back(event); });
    return session;
}

} // namespace

class TestVirtRecorder : public QObject
{
    Q_OBJECT
private slots:
    void jsonFieldPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("location");
        QTest::addColumn<bool>("covers");
        QTest::newRow("member") << "$.email"
                                << "$.email" << true;
        QTest::newRow("below a member") << "$.customer"
                                        << "$.customer.email" << true;
        QTest::newRow("other member") << "$.email"
                                      << "$.mail" << false;
        QTest::newRow("every element") << "$.items[*].email"
                                       << "$.items[3].email" << true;
        QTest::newRow("one element") << "$.items[1].email"
                                     << "$.items[3].email" << false;
        QTest::newRow("descendant") << "$..email"
                                    << "$.a[0].b.email" << true;
        QTest::newRow("descendant then member") << "$..card.number"
                                                << "$.x.card.number" << true;
        QTest::newRow("quoted") << "$['odd key']"
                                << "$['odd key']" << true;
        QTest::newRow("wildcard member") << "$.*.email"
                                         << "$.billing.email" << true;
        QTest::newRow("shorter location") << "$.a.b"
                                          << "$.a" << false;
    }

    void jsonFieldPath()
    {
        QFETCH(QString, path);
        QFETCH(QString, location);
        QFETCH(bool, covers);
        const auto parsed = JsonFieldPath::parse(path.toStdString());
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
        const auto concrete = JsonFieldPath::parse(location.toStdString());
        QVERIFY(concrete.has_value());
        std::vector<JsonFieldPath::Step> steps;
        for (const auto &segment : concrete->segments()) {
            if (segment.kind == JsonFieldPath::Segment::Kind::Index)
                steps.emplace_back(segment.index);
            else
                steps.emplace_back(segment.key);
        }
        QCOMPARE(parsed->covers(steps), covers);
        QCOMPARE(QString::fromStdString(JsonFieldPath::format(steps)), location);
    }

    void badTransformParameterNamesTheRule()
    {
        config::ServiceConfig s = service(1);
        config::ServiceMaskRule rule{config::ServiceMaskRule::Target::Json,
                                     "$.id",
                                     "hash",
                                     false,
                                     {{"length", "many"}},
                                     {}};
        rule.location = {12, 9};
        s.mask.push_back(rule);
        RecorderOptions options;
        options.service = s;
        options.configPath = "/etc/envsync/envsync.yaml";
        options.root = "/nonexistent";
        const auto made = Recorder::create(std::move(options), masking::HmacKey(salt));
        QVERIFY(!made.has_value());
        QCOMPARE(made.error().code, ErrorCode::Config);
        QCOMPARE(made.error().context, std::string("/etc/envsync/envsync.yaml:12:9"));
        QVERIFY2(made.error().message.find("length") != std::string::npos,
                 made.error().message.c_str());
    }

    void secretsNeverLandInFiles()
    {
        test::TestUpstream upstream;
        QVERIFY(upstream.port() != 0);
        QTemporaryDir dir;
        config::ServiceConfig s = service(upstream.port());
        // Even listed, a secret header is not recorded.
        s.recordHeaders = {"Accept", "Authorization", "X-Api-Key"};
        auto session = startSession(s, dir.path());
        QVERIFY(session);
        QNetworkAccessManager network;
        const Answer answer
                = send(network, session->port, "GET", QStringLiteral("/customers/42"), {},
                       {{"Authorization", "Bearer s3cr3t-bearer-value"},
                        {"Cookie", "sid=c00kie-request-value"},
                        {"X-Api-Key", "k3y-header-value"},
                        {"Accept", "application/json"}});
        QCOMPARE(answer.status, 200);
        // The client of a recording gets the real answer; the upstream got the credentials.
        QVERIFY(answer.body.contains("alice.meyer@example.com"));
        bool forwarded = false;
        for (const auto &[name, value] : upstream.lastHeaders())
            forwarded = forwarded || value == "Bearer s3cr3t-bearer-value";
        QVERIFY(forwarded);

        QCOMPARE(session->events.size(), std::size_t(1));
        QVERIFY(!session->events[0].error);
        const auto files = filesUnder(dir.path());
        QCOMPARE(files.size(), std::size_t(1));
        for (const auto &[name, content] : files) {
            for (const char *secret :
                 {"s3cr3t-bearer-value", "c00kie-request-value", "k3y-header-value",
                  "upstream-c00kie-value", "t0ps3cret-token-value", "alice.meyer@example.com"})
                QVERIFY2(!content.contains(secret),
                         qPrintable(name + u' ' + QLatin1String(secret)));
        }
        const QJsonObject mapping = mappingsUnder(dir.path()).front();
        const QJsonObject request = mapping.value(u"request").toObject();
        QCOMPARE(request.value(u"method").toString(), QStringLiteral("GET"));
        QCOMPARE(request.value(u"urlPath").toString(), QStringLiteral("/customers/42"));
        QVERIFY(request.value(u"headers").toObject().contains(u"Accept"));
        QVERIFY(!request.value(u"headers").toObject().contains(u"Authorization"));
        const QJsonObject response = mapping.value(u"response").toObject();
        QCOMPARE(response.value(u"status").toInt(), 200);
        QVERIFY(response.value(u"headers").toObject().contains(u"X-Region"));
        const QJsonObject envsync
                = mapping.value(u"metadata").toObject().value(u"envsync").toObject();
        QCOMPARE(envsync.value(u"service").toString(), QStringLiteral("payments-eu"));
        QCOMPARE(envsync.value(u"golden").toString(), QStringLiteral("golden_v1"));
        QCOMPARE(envsync.value(u"saltFingerprint").toString(),
                 QString::fromStdString(masking::HmacKey(salt).fingerprint()));
        QVERIFY(!envsync.value(u"recordedAt").toString().isEmpty());
    }

    void masksWithTheGoldenTransform()
    {
        test::TestUpstream upstream;
        QTemporaryDir dir;
        auto session = startSession(service(upstream.port()), dir.path());
        QVERIFY(session);
        QNetworkAccessManager network;
        QCOMPARE(send(network, session->port, "GET", QStringLiteral("/customers/42")).status, 200);
        QCOMPARE(send(network, session->port, "GET",
                      QStringLiteral("/customers?email=alice.meyer%40example.com"))
                         .status,
                 200);
        const std::string expected = masked("email", "alice.meyer@example.com");
        QVERIFY(!expected.empty());
        QVERIFY(expected != "alice.meyer@example.com");
        const auto mappings = mappingsUnder(dir.path());
        QCOMPARE(mappings.size(), std::size_t(2));
        int withQuery = 0;
        for (const QJsonObject &mapping : mappings) {
            const QByteArray body
                    = mapping.value(u"response").toObject().value(u"body").toString().toUtf8();
            const QJsonObject json = QJsonDocument::fromJson(body).object();
            QCOMPARE(json.value(u"email").toString().toStdString(), expected);
            QCOMPARE(json.value(u"country").toString(), QStringLiteral("DE"));
            const QJsonObject query
                    = mapping.value(u"request").toObject().value(u"queryParameters").toObject();
            if (query.contains(u"email")) {
                ++withQuery;
                QCOMPARE(
                        query.value(u"email").toObject().value(u"equalTo").toString().toStdString(),
                        expected);
            }
        }
        QCOMPARE(withQuery, 1);

        // A client of the masked region asks with the masked e-mail and gets the masked record.
        auto engine = engineFor(dir.path());
        QVERIFY(engine);
        const StubOutcome outcome = engine->respond(request(
                "GET",
                "/customers?email=" + QUrl::toPercentEncoding(QString::fromStdString(expected))));
        QVERIFY(outcome.matched);
        QCOMPARE(QJsonDocument::fromJson(outcome.response.body)
                         .object()
                         .value(u"email")
                         .toString()
                         .toStdString(),
                 expected);
        for (const auto &[name, content] : filesUnder(dir.path()))
            QVERIFY2(!content.contains("alice.meyer"), qPrintable(name));
    }

    void refusesUnmaskedPersonalData()
    {
        test::TestUpstream upstream;
        QTemporaryDir dir;
        auto session = startSession(service(upstream.port()), dir.path());
        QVERIFY(session);
        QNetworkAccessManager network;
        const Answer answer = send(network, session->port, "GET", QStringLiteral("/profile"));
        QCOMPARE(answer.status, 200); // the client is answered; only the recording is refused
        QCOMPARE(session->events.size(), std::size_t(1));
        QVERIFY(session->events[0].error.has_value());
        const Error &error = *session->events[0].error;
        QCOMPARE(error.code, ErrorCode::Refused);
        QVERIFY2(error.message.find("response body $.phone") != std::string::npos,
                 error.message.c_str());
        QVERIFY(error.describe().find("1234567") == std::string::npos);
        QVERIFY(filesUnder(dir.path()).empty());

        // An e-mail in the path cannot be masked (the URL matches literally): refused, and the
        // event's path is redacted.
        QCOMPARE(send(network, session->port, "GET", QStringLiteral("/users/bob%40example.org/x"))
                         .status,
                 404);
        QCOMPARE(session->events.size(), std::size_t(2));
        QVERIFY(session->events[1].error.has_value());
        QVERIFY2(session->events[1].error->message.find("request path segment 2")
                         != std::string::npos,
                 session->events[1].error->message.c_str());
        QCOMPARE(session->events[1].path, QStringLiteral("/users/{redacted}/x"));
        QVERIFY(filesUnder(dir.path()).empty());
        QCOMPARE(session->recorder->refusedCount(), 2);

        // keep: lets it through unmasked, deliberately.
        config::ServiceConfig s = service(upstream.port());
        s.keep = {"$.phone"};
        QTemporaryDir keptDir;
        auto kept = startSession(s, keptDir.path());
        QVERIFY(kept);
        QCOMPARE(send(network, kept->port, "GET", QStringLiteral("/profile")).status, 200);
        QVERIFY(!kept->events.at(0).error);
        QCOMPARE(filesUnder(keptDir.path()).size(), std::size_t(1));
    }

    void repeatedRequestBecomesScenario()
    {
        test::TestUpstream upstream;
        QTemporaryDir dir;
        auto session = startSession(service(upstream.port()), dir.path());
        QVERIFY(session);
        QNetworkAccessManager network;
        for (int i = 0; i < 4; ++i)
            QCOMPARE(send(network, session->port, "GET", QStringLiteral("/orders/7/status")).status,
                     200);
        for (const RecordingEvent &event : session->events)
            QVERIFY2(!event.error, event.error ? event.error->describe().c_str() : "");
        auto mappings = mappingsUnder(dir.path());
        // pending, shipped, delivered (the fourth answer repeats the last state).
        QCOMPARE(mappings.size(), std::size_t(3));
        std::map<QString, QJsonObject> byState;
        QString scenario;
        for (const QJsonObject &mapping : mappings) {
            byState[mapping.value(u"requiredScenarioState").toString()] = mapping;
            scenario = mapping.value(u"scenarioName").toString();
            QCOMPARE(mapping.value(u"scenarioName").toString(), scenario);
        }
        QVERIFY(!scenario.isEmpty());
        auto status = [](const QJsonObject &mapping) {
            return QJsonDocument::fromJson(
                           mapping.value(u"response").toObject().value(u"body").toString().toUtf8())
                    .object()
                    .value(u"status")
                    .toString();
        };
        QCOMPARE(status(byState[QStringLiteral("Started")]), QStringLiteral("pending"));
        QCOMPARE(byState[QStringLiteral("Started")].value(u"newScenarioState").toString(),
                 QStringLiteral("step 2"));
        QCOMPARE(status(byState[QStringLiteral("step 2")]), QStringLiteral("shipped"));
        QCOMPARE(byState[QStringLiteral("step 2")].value(u"newScenarioState").toString(),
                 QStringLiteral("step 3"));
        QCOMPARE(status(byState[QStringLiteral("step 3")]), QStringLiteral("delivered"));
        QVERIFY(!byState[QStringLiteral("step 3")].contains(u"newScenarioState"));

        // Replayed in the recorded order, the last state repeating.
        auto engine = engineFor(dir.path());
        QVERIFY(engine);
        for (const char *expected : {"pending", "shipped", "delivered", "delivered"}) {
            const StubOutcome outcome = engine->respond(request("GET", "/orders/7/status"));
            QVERIFY(outcome.matched);
            QCOMPARE(QJsonDocument::fromJson(outcome.response.body)
                             .object()
                             .value(u"status")
                             .toString(),
                     QLatin1String(expected));
        }
    }

    void reRecordingUpdatesInsteadOfDuplicating()
    {
        test::TestUpstream upstream;
        QTemporaryDir dir;
        QNetworkAccessManager network;
        std::map<QString, QString> firstIds;
        for (int round = 0; round < 2; ++round) {
            upstream.resetState();
            auto session = startSession(service(upstream.port()), dir.path());
            QVERIFY(session);
            QCOMPARE(send(network, session->port, "GET", QStringLiteral("/customers/42")).status,
                     200);
            for (int i = 0; i < 2; ++i)
                QCOMPARE(send(network, session->port, "GET", QStringLiteral("/orders/7/status"))
                                 .status,
                         200);
            std::map<QString, QString> ids;
            for (const auto &[name, content] : filesUnder(dir.path()))
                ids[name] = QJsonDocument::fromJson(content).object().value(u"id").toString();
            QCOMPARE(ids.size(), std::size_t(3)); // customer + two scenario steps
            if (round == 0)
                firstIds = ids;
            else
                QCOMPARE(ids, firstIds);
        }
        // A third recording where the order answers only once: the scenario collapses into
        // one mapping and its step files go.
        upstream.resetState();
        auto session = startSession(service(upstream.port()), dir.path());
        QVERIFY(session);
        QCOMPARE(send(network, session->port, "GET", QStringLiteral("/orders/7/status")).status,
                 200);
        const auto mappings = mappingsUnder(dir.path());
        QCOMPARE(mappings.size(), std::size_t(2));
        for (const QJsonObject &mapping : mappings)
            QVERIFY(mapping.value(u"scenarioName").toString().isEmpty());
    }

    void learnsVolatileFields()
    {
        test::TestUpstream upstream;
        QTemporaryDir dir;
        auto session = startSession(service(upstream.port()), dir.path(), 2);
        QVERIFY(session);
        QNetworkAccessManager network;
        for (int pass = 0; pass < 2; ++pass) {
            upstream.resetState();
            const QByteArray body
                    = "{\"amount\":10,\"requestId\":\"req-" + QByteArray::number(pass) + "-x81\"}";
            QCOMPARE(send(network, session->port, "POST", QStringLiteral("/payments"), body).status,
                     201);
            for (int i = 0; i < 2; ++i)
                QCOMPARE(send(network, session->port, "GET", QStringLiteral("/orders/7/status"))
                                 .status,
                         200);
        }
        QVERIFY(filesUnder(dir.path()).empty()); // learning writes when recording stops
        auto written = session->recorder->finish();
        QVERIFY2(written.has_value(), written ? "" : written.error().describe().c_str());
        QCOMPARE(written->size(), 3);
        const auto mappings = mappingsUnder(dir.path());
        QCOMPARE(mappings.size(), std::size_t(3));
        int payments = 0, steps = 0;
        for (const QJsonObject &mapping : mappings) {
            const QJsonObject request = mapping.value(u"request").toObject();
            const QJsonObject response = mapping.value(u"response").toObject();
            if (request.value(u"method").toString() == QLatin1String("POST")) {
                ++payments;
                const QJsonValue pattern = request.value(u"bodyPatterns")
                                                   .toArray()
                                                   .at(0)
                                                   .toObject()
                                                   .value(u"equalToJson");
                const QJsonObject expected
                        = pattern.isString()
                                  ? QJsonDocument::fromJson(pattern.toString().toUtf8()).object()
                                  : pattern.toObject();
                QCOMPARE(expected.value(u"amount").toInt(), 10);
                QCOMPARE(expected.value(u"requestId").toString(),
                         QStringLiteral("${json-unit.ignore}"));
                QVERIFY(response.value(u"transformers")
                                .toArray()
                                .contains(QStringLiteral("response-template")));
                const QString body = response.value(u"body").toString();
                QVERIFY2(body.contains(
                                 QLatin1String("\"paymentId\":\"{{randomValue type='UUID'}}\"")),
                         qPrintable(body));
                QVERIFY2(body.contains(QLatin1String(
                                 "\"requestId\":\"{{jsonPath request.body '$.requestId'}}\"")),
                         qPrintable(body));
                QVERIFY2(body.contains(QLatin1String("\"at\":\"{{now}}\"")), qPrintable(body));
                QVERIFY2(body.contains(QLatin1String("\"amount\":10")), qPrintable(body));
            } else {
                ++steps; // the order's states are the same in both passes: literal, a scenario
                QVERIFY(!response.contains(u"transformers"));
                QVERIFY(!mapping.value(u"scenarioName").toString().isEmpty());
            }
        }
        QCOMPARE(payments, 1);
        QCOMPARE(steps, 2);

        // A new request id matches and is echoed; the payment id and time are fresh.
        auto engine = engineFor(dir.path());
        QVERIFY(engine);
        const StubOutcome outcome = engine->respond(
                request("POST", "/payments", "{\"requestId\":\"req-new-77\",\"amount\":10}"));
        QVERIFY(outcome.matched);
        QCOMPARE(outcome.response.status, 201);
        const QJsonObject answer = QJsonDocument::fromJson(outcome.response.body).object();
        QCOMPARE(answer.value(u"requestId").toString(), QStringLiteral("req-new-77"));
        QCOMPARE(answer.value(u"amount").toInt(), 10);
        QVERIFY2(!QUuid::fromString(answer.value(u"paymentId").toString()).isNull(),
                 outcome.response.body.constData());
        QVERIFY(QDateTime::fromString(answer.value(u"at").toString(), Qt::ISODate).isValid());
        // Another amount is another request: not matched.
        QVERIFY(!engine->respond(
                               request("POST", "/payments", "{\"requestId\":\"r\",\"amount\":11}"))
                         .matched);
    }

    void cliRejectsBadUsage_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("no service") << QStringList{} << "virt record needs --service NAME";
        QTest::newRow("unknown service")
                << QStringList{QStringLiteral("--service"), QStringLiteral("tax-us")}
                << "no service \"tax-us\"";
        QTest::newRow("learn 1") << QStringList{QStringLiteral("--service"),
                                                QStringLiteral("customers-eu"),
                                                QStringLiteral("--learn"), QStringLiteral("1")}
                                 << "--learn takes a number of runs from 2 to 100";
        QTest::newRow("golden path")
                << QStringList{QStringLiteral("--service"), QStringLiteral("customers-eu"),
                               QStringLiteral("--golden"), QStringLiteral("../../etc")}
                << "--golden takes a snapshot name";
    }

    void cliRejectsBadUsage()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString config = writeConfig(dir.path(), 1, freePort());
        const test::CliRun run
                = test::runCli(QStringList{QStringLiteral("virt"), QStringLiteral("record"),
                                           QStringLiteral("-c"), config}
                               + extra);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(!QFileInfo::exists(dir.path() + QStringLiteral("/recorded")));
    }

    /// The CLI records into DIR/<golden>, prints one line per exchange, and exits 4 when an
    /// exchange was refused for unmasked personal data (named by path, never by value).
    void cliRecordsUntilTerminated()
    {
        test::TestUpstream upstream;
        QTemporaryDir dir;
        const quint16 listen = freePort();
        const QString config = writeConfig(dir.path(), upstream.port(), listen);
        QProcess record;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TST_VIRTRECORDER_SALT"), QString::fromLatin1(salt));
        record.setProcessEnvironment(env);
        record.start(QString::fromStdString(test::cliPath()),
                     {QStringLiteral("virt"), QStringLiteral("record"), QStringLiteral("-c"),
                      config, QStringLiteral("--service"), QStringLiteral("customers-eu"),
                      QStringLiteral("--golden"), QStringLiteral("golden_v7")});
        QVERIFY(record.waitForStarted());
        record.setReadChannel(QProcess::StandardError);
        QByteArray banner;
        while (!banner.contains('\n') && record.waitForReadyRead(15000))
            banner += record.readAllStandardError();
        QVERIFY2(banner.startsWith("recording customers-eu on port"), banner.constData());
        QNetworkAccessManager network;
        QCOMPARE(send(network, listen, "GET", QStringLiteral("/customers/42")).status, 200);
        QCOMPARE(send(network, listen, "GET", QStringLiteral("/profile")).status, 200);
        record.terminate();
        QVERIFY(record.waitForFinished(15000));
        const QByteArray out = record.readAllStandardOutput();
        const QByteArray err = banner + record.readAllStandardError();
        QCOMPARE(record.exitCode(), 4);
        QVERIFY2(out.contains("GET /customers/42 -> 200  mappings/get-customers-42-"),
                 QByteArray(out + "|" + err).constData());
        QVERIFY2(err.contains("GET /profile: not recorded") && err.contains("$.phone"),
                 err.constData());
        QVERIFY2(!err.contains("1234567") && !out.contains("1234567"), err.constData());
        const auto files = filesUnder(dir.path() + QStringLiteral("/recorded/golden_v7"));
        QCOMPARE(files.size(), std::size_t(1));
        QVERIFY(files.begin()->first.startsWith(QLatin1String("mappings/get-customers-42-")));
    }

    void unreachableUpstreamIsNotRecorded()
    {
        quint16 closedPort = 0;
        {
            test::TestUpstream gone;
            closedPort = gone.port();
        }
        QTemporaryDir dir;
        auto session = startSession(service(closedPort), dir.path());
        QVERIFY(session);
        QNetworkAccessManager network;
        QCOMPARE(send(network, session->port, "GET", QStringLiteral("/customers/42")).status, 502);
        QCOMPARE(session->events.size(), std::size_t(1));
        QVERIFY(session->events[0].error.has_value());
        QVERIFY(filesUnder(dir.path()).empty());
    }
};

QTEST_GUILESS_MAIN(TestVirtRecorder)
#include "tst_virtrecorder.moc"
