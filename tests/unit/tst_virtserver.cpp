// The serving half of virtual services (issue 19): VirtServer over real sockets (keep-alive,
// pipelining, concurrent clients, fixed delays that do not block a thread, fail-closed 404 with
// near misses in the journal), WireMock's admin API subset, scenarios, the bounded journal,
// recording-version choice and `envsyncctl virt serve --root`.

#include "rawhttpclient.h"
#include "testsupport.h"

#include "core/virt/recordingversions.h"
#include "core/virt/requestjournal.h"
#include "core/virt/virtserver.h"
#include "core/virt/virtservices.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace envsync;
using namespace envsync::virt;
using envsync::test::RawHttpClient;
using envsync::test::RawReply;

namespace {

/// JSON written with single quotes (readable in C++ source), turned into real JSON.
QByteArray json(const char *singleQuoted)
{
    return QByteArray(singleQuoted).replace('\'', '"');
}

std::vector<StubMapping> stubs(std::initializer_list<const char *> jsons, QString &error)
{
    std::vector<StubMapping> result;
    for (const char *text : jsons) {
        auto mapping = StubMapping::fromJson(QJsonDocument::fromJson(json(text)).object(),
                                             QStringLiteral("test"));
        if (!mapping) {
            error = QString::fromStdString(mapping.error().describe());
            return {};
        }
        result.push_back(std::move(*mapping));
    }
    return result;
}

const char *helloStub = "{'id': '00000000-0000-4000-8000-000000000001', 'request': {'method': "
                        "'GET', 'urlPath': '/hello'}, 'response': {'status': 200, 'body': "
                        "'hi', 'headers': {'Content-Type': 'text/plain'}}}";
const char *slowStub = "{'id': '00000000-0000-4000-8000-000000000002', 'request': {'method': "
                       "'GET', 'urlPath': '/slow'}, 'response': {'status': 200, 'body': 'slow', "
                       "'fixedDelayMilliseconds': 400}}";
const char *paymentStub = "{'id': '00000000-0000-4000-8000-000000000003', 'name': 'pay', "
                          "'request': {'method': 'POST', 'urlPath': '/payments', "
                          "'bodyPatterns': [{'equalToJson': {'amount': 10}}]}, "
                          "'response': {'status': 201, 'jsonBody': {'ok': true}}}";

QJsonObject jsonBody(const std::optional<RawReply> &reply)
{
    return reply ? QJsonDocument::fromJson(reply->body).object() : QJsonObject();
}

/// A port nothing listens on right now.
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestVirtServer : public QObject
{
    Q_OBJECT

private slots:
    void keepAliveServesManyRequestsOnOneConnection()
    {
        QString error;
        VirtServer server(stubs({helloStub}, error), {});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        for (int i = 0; i < 5; ++i) {
            const auto reply = client.request("GET", "/hello");
            QVERIFY2(reply, "no reply on the kept-alive connection");
            QCOMPARE(reply->status, 200);
            QCOMPARE(reply->body, QByteArray("hi"));
            QCOMPARE(reply->header("Content-Type"), QByteArray("text/plain"));
            QCOMPARE(reply->header("Matched-Stub-Id"),
                     QByteArray("00000000-0000-4000-8000-000000000001"));
        }
        QCOMPARE(server.journal().total(), 5u);
    }

    void headAnswersWithoutBody()
    {
        QString error;
        VirtServer server(stubs({"{'request': {'method': 'HEAD', 'urlPath': '/h'}, "
                                 "'response': {'status': 200, 'body': 'abcdef'}}"},
                                error),
                          {});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        client.send("HEAD", "/h");
        const auto reply = client.read(5000, true);
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->header("Content-Length"), QByteArray("6"));
        // The connection stays usable: no stray body bytes in front of the next answer.
        client.send("HEAD", "/h");
        QVERIFY(client.read(5000, true));
    }

    void connectionCloseIsHonoured()
    {
        QString error;
        VirtServer server(stubs({helloStub}, error), {});
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        const auto reply = client.request("GET", "/hello", {}, {{"Connection", "close"}});
        QVERIFY(reply);
        QCOMPARE(reply->header("Connection"), QByteArray("close"));
        QVERIFY(client.waitForClose());
    }

    void concurrentClientsOnSeveralThreads()
    {
        QString error;
        ServerOptions options;
        options.threads = 3;
        VirtServer server(stubs({helloStub}, error), options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        QCOMPARE(server.threadCount(), 3);
        constexpr int clients = 12;
        constexpr int perClient = 40;
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, port = server.port()] {
                RawHttpClient client;
                if (!client.connectTo(port))
                    return;
                for (int i = 0; i < perClient; ++i) {
                    const auto reply = client.request("GET", "/hello");
                    if (reply && reply->status == 200 && reply->body == "hi")
                        ++good;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(good.load(), clients * perClient);
        QCOMPARE(server.journal().total(), std::uint64_t(clients * perClient));
    }

    void fixedDelayDoesNotBlockTheThread()
    {
        QString error;
        ServerOptions options;
        options.threads = 1; // one thread: a blocking delay would hold the other client up
        VirtServer server(stubs({helloStub, slowStub}, error), options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        RawHttpClient slow;
        RawHttpClient fast;
        QVERIFY(slow.connectTo(server.port()));
        QVERIFY(fast.connectTo(server.port()));
        QElapsedTimer clock;
        clock.start();
        slow.send("GET", "/slow");
        QTest::qWait(50);
        const auto quick = fast.request("GET", "/hello");
        QVERIFY(quick);
        QCOMPARE(quick->body, QByteArray("hi"));
        QVERIFY2(clock.elapsed() < 350, "the delayed answer blocked the server thread");
        const auto delayed = slow.read();
        QVERIFY(delayed);
        QCOMPARE(delayed->body, QByteArray("slow"));
        QVERIFY2(clock.elapsed() >= 390, qPrintable(QString::number(clock.elapsed())));
    }

    void pipelinedAnswersKeepRequestOrder()
    {
        QString error;
        VirtServer server(stubs({helloStub, slowStub}, error), {});
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        client.send("GET", "/slow");
        client.send("GET", "/hello");
        const auto first = client.read();
        const auto second = client.read();
        QVERIFY(first && second);
        QCOMPARE(first->body, QByteArray("slow"));
        QCOMPARE(second->body, QByteArray("hi"));
    }

    void unmatchedFailsClosedWithNearMisses()
    {
        QString error;
        VirtServer server(stubs({helloStub, paymentStub}, error), {});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        const auto reply = client.request("POST", "/payments", json("{'amount': 11}"),
                                          {{"Content-Type", "application/json"}});
        QVERIFY(reply);
        QCOMPARE(reply->status, 404);
        QVERIFY2(reply->body.contains("Request was not matched"), reply->body.constData());
        QVERIFY(reply->header("Matched-Stub-Id").isEmpty());

        const auto entries = server.journal().entries();
        QCOMPARE(entries.size(), std::size_t(1));
        QVERIFY(!entries[0].matched);
        QCOMPARE(entries[0].status, 404);
        QVERIFY(!entries[0].nearMisses.empty());
        QCOMPARE(entries[0].nearMisses.front().mappingId,
                 QStringLiteral("00000000-0000-4000-8000-000000000003"));

        const QJsonObject misses
                = jsonBody(client.request("GET", "/__admin/near-misses/unmatched"));
        const QJsonArray list = misses.value(QStringLiteral("nearMisses")).toArray();
        QVERIFY(!list.isEmpty());
        const QJsonObject closest = list.first().toObject();
        QCOMPARE(closest.value(QStringLiteral("stubMapping"))
                         .toObject()
                         .value(QStringLiteral("id"))
                         .toString(),
                 QStringLiteral("00000000-0000-4000-8000-000000000003"));
        QCOMPARE(closest.value(QStringLiteral("request"))
                         .toObject()
                         .value(QStringLiteral("url"))
                         .toString(),
                 QStringLiteral("/payments"));
    }

    void adminApiManagesMappingsAndJournal()
    {
        QString error;
        VirtServer server(stubs({helloStub}, error), {});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));

        QCOMPARE(client.request("GET", "/new")->status, 404);
        const auto created = client.request(
                "POST", "/__admin/mappings",
                json("{'request': {'method': 'GET', 'url': '/new'}, 'response': {'status': 200, "
                     "'body': 'fresh'}}"));
        QVERIFY(created);
        QCOMPARE(created->status, 201);
        const QString id = jsonBody(created).value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(client.request("GET", "/new")->body, QByteArray("fresh"));

        const QJsonObject list = jsonBody(client.request("GET", "/__admin/mappings"));
        QCOMPARE(list.value(QStringLiteral("meta"))
                         .toObject()
                         .value(QStringLiteral("total"))
                         .toInt(),
                 2);
        QCOMPARE(client.request("GET", "/__admin/mappings/" + id.toUtf8())->status, 200);

        const auto edited = client.request(
                "PUT", "/__admin/mappings/" + id.toUtf8(),
                json("{'request': {'method': 'GET', 'url': '/new'}, 'response': {'status': 202, "
                     "'body': 'edited'}}"));
        QCOMPARE(edited->status, 200);
        const auto afterEdit = client.request("GET", "/new");
        QCOMPARE(afterEdit->status, 202);
        QCOMPARE(afterEdit->body, QByteArray("edited"));

        QCOMPARE(client.request("DELETE", "/__admin/mappings/" + id.toUtf8())->status, 200);
        QCOMPARE(client.request("GET", "/new")->status, 404);
        QCOMPARE(client.request("GET", "/__admin/mappings/" + id.toUtf8())->status, 404);

        // A bad stub is refused with WireMock's error document, nothing added.
        const auto bad = client.request("POST", "/__admin/mappings", "not json");
        QCOMPARE(bad->status, 422);
        QVERIFY(jsonBody(bad).contains(QStringLiteral("errors")));

        // The journal: admin calls are not in it; newest first; DELETE clears.
        const QJsonObject requests = jsonBody(client.request("GET", "/__admin/requests"));
        const QJsonArray served = requests.value(QStringLiteral("requests")).toArray();
        QCOMPARE(served.size(), 4);
        QCOMPARE(served.first()
                         .toObject()
                         .value(QStringLiteral("request"))
                         .toObject()
                         .value(QStringLiteral("url"))
                         .toString(),
                 QStringLiteral("/new"));
        QVERIFY(!served.first().toObject().value(QStringLiteral("wasMatched")).toBool());
        QCOMPARE(client.request("DELETE", "/__admin/requests")->status, 200);
        QCOMPARE(server.journal().total(), 0u);

        // Reset restores the mappings loaded at start and drops the rest.
        QCOMPARE(client.request("POST", "/__admin/mappings",
                                json("{'request': {'url': '/extra'}, 'response': {'status': "
                                     "200}}"))
                         ->status,
                 201);
        QCOMPARE(client.request("POST", "/__admin/mappings/reset")->status, 200);
        QCOMPARE(client.request("GET", "/extra")->status, 404);
        QCOMPARE(client.request("GET", "/hello")->body, QByteArray("hi"));
        QCOMPARE(client.request("GET", "/__admin/nothing-here")->status, 404);
    }

    void nearMissesForAGivenRequest()
    {
        QString error;
        VirtServer server(stubs({helloStub, paymentStub}, error), {});
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        const auto reply = client.request(
                "POST", "/__admin/near-misses/request",
                json("{'url': '/payments', 'method': 'POST', 'headers': {'Content-Type': "
                     "'application/json'}, 'body': '{\\'amount\\': 12}'}"));
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        const QJsonArray list = jsonBody(reply).value(QStringLiteral("nearMisses")).toArray();
        QVERIFY2(!list.isEmpty(), reply->body.constData());
        QCOMPARE(list.first()
                         .toObject()
                         .value(QStringLiteral("stubMapping"))
                         .toObject()
                         .value(QStringLiteral("id"))
                         .toString(),
                 QStringLiteral("00000000-0000-4000-8000-000000000003"));
        // Asking is not a request to the service: the journal stays empty.
        QCOMPARE(server.journal().total(), 0u);
    }

    void scenarioStepsInOrderAndResets()
    {
        QString error;
        VirtServer server(
                stubs({"{'scenarioName': 'order', 'requiredScenarioState': 'Started', "
                       "'newScenarioState': 'paid', 'request': {'method': 'GET', 'url': "
                       "'/order'}, 'response': {'status': 200, 'body': 'open'}}",
                       "{'scenarioName': 'order', 'requiredScenarioState': 'paid', "
                       "'newScenarioState': 'shipped', 'request': {'method': 'GET', 'url': "
                       "'/order'}, 'response': {'status': 200, 'body': 'paid'}}",
                       "{'scenarioName': 'order', 'requiredScenarioState': 'shipped', "
                       "'request': {'method': 'GET', 'url': '/order'}, 'response': {'status': "
                       "200, 'body': 'shipped'}}"},
                      error),
                {});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(server.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.port()));
        QCOMPARE(client.request("GET", "/order")->body, QByteArray("open"));
        QCOMPARE(client.request("GET", "/order")->body, QByteArray("paid"));
        QCOMPARE(client.request("GET", "/order")->body, QByteArray("shipped"));
        QCOMPARE(client.request("GET", "/order")->body, QByteArray("shipped"));

        const QJsonArray scenarios = jsonBody(client.request("GET", "/__admin/scenarios"))
                                             .value(QStringLiteral("scenarios"))
                                             .toArray();
        QCOMPARE(scenarios.size(), 1);
        QCOMPARE(scenarios.first().toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("shipped"));

        QCOMPARE(client.request("POST", "/__admin/scenarios/reset")->status, 200);
        QCOMPARE(client.request("GET", "/order")->body, QByteArray("open"));
    }

    void aTakenPortIsRefused()
    {
        QString error;
        VirtServer first(stubs({helloStub}, error), {});
        QVERIFY(first.start());
        ServerOptions options;
        options.port = first.port();
        options.name = QStringLiteral("second");
        VirtServer second(stubs({helloStub}, error), options);
        const auto started = second.start();
        QVERIFY2(!started, "two servers would share one port");
        QCOMPARE(started.error().code, ErrorCode::Io);
        QVERIFY2(QString::fromStdString(started.error().describe()).contains(u"cannot listen"),
                 started.error().describe().c_str());
        // A plain socket holding the port is refused too.
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
        options.port = plain.serverPort();
        VirtServer third(stubs({helloStub}, error), options);
        QVERIFY(!third.start());
    }

    void stopReleasesThePort()
    {
        QString error;
        ServerOptions options;
        options.port = freePort();
        VirtServer server(stubs({helloStub}, error), options);
        QVERIFY(server.start());
        server.stop();
        QVERIFY(!server.isRunning());
        VirtServer again(stubs({helloStub}, error), options);
        QVERIFY(again.start());
        RawHttpClient client;
        QVERIFY(client.connectTo(again.port()));
        QCOMPARE(client.request("GET", "/hello")->status, 200);
    }

    void journalIsBounded()
    {
        RequestJournal journal(3);
        for (int i = 0; i < 5; ++i) {
            JournalEntry entry;
            entry.request = HttpRequest::fromUrl("GET", "/r" + QByteArray::number(i));
            entry.matched = i % 2 == 0;
            journal.record(std::move(entry));
        }
        QCOMPARE(journal.total(), 5u);
        const auto entries = journal.entries();
        QCOMPARE(entries.size(), std::size_t(3));
        QCOMPARE(entries.front().request.url, QByteArray("/r4"));
        QCOMPARE(entries.back().request.url, QByteArray("/r2"));
        QVERIFY(entries.front().id != entries.back().id);
        const auto since = journal.entriesSince(3);
        QCOMPARE(since.size(), std::size_t(2));
        QCOMPARE(since.front().sequence, 4u);
        QCOMPARE(journal.unmatched().size(), std::size_t(1));
        const QJsonObject limited = journal.toJson(2);
        QCOMPARE(limited.value(QStringLiteral("requests")).toArray().size(), 2);
        QCOMPARE(limited.value(QStringLiteral("meta"))
                         .toObject()
                         .value(QStringLiteral("total"))
                         .toInt(),
                 5);
    }

    void journalBoundsTheBodiesItKeeps()
    {
        RequestJournal journal(10000);
        const int large = int(RequestJournal::maxTotalBodyBytes / RequestJournal::maxBodyBytes) * 2;
        for (int i = 0; i < large; ++i) {
            JournalEntry entry;
            entry.request = HttpRequest::fromUrl("POST", "/upload");
            entry.request.body = QByteArray(RequestJournal::maxBodyBytes * 2, 'b');
            journal.record(std::move(entry));
        }
        const auto entries = journal.entries();
        qsizetype kept = 0;
        for (const JournalEntry &entry : entries) {
            QCOMPARE(entry.request.body.size(), RequestJournal::maxBodyBytes); // cut, not dropped
            kept += entry.request.body.size();
        }
        QVERIFY2(kept <= RequestJournal::maxTotalBodyBytes, qPrintable(QString::number(kept)));
        QVERIFY(entries.size() < std::size_t(large));
        QCOMPARE(journal.total(), std::uint64_t(large));
    }

    void choosesTheRecordingOfTheRegionsVersion_data()
    {
        QTest::addColumn<QStringList>("folders");
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("expected"); ///< version served; "error" when none fits
        QTest::addColumn<bool>("warning");
        const QStringList all = {QStringLiteral("golden_v1"), QStringLiteral("golden_v3"),
                                 QStringLiteral("golden_v10"), QStringLiteral("unversioned")};
        QTest::newRow("exact") << all << "golden_v3"
                               << "golden_v3" << false;
        QTest::newRow("older one") << all << "golden_v5"
                                   << "golden_v3" << true;
        QTest::newRow("numeric order") << all << "golden_v11"
                                       << "golden_v10" << true;
        QTest::newRow("only unversioned older") << all << "golden_v0"
                                                << "unversioned" << true;
        QTest::newRow("newest when no version") << all << ""
                                                << "golden_v10" << false;
        QTest::newRow("region not from golden") << all << "demo_seed"
                                                << "golden_v10" << true;
        QTest::newRow("nothing old enough")
                << QStringList{QStringLiteral("golden_v4")} << "golden_v2"
                << "error" << false;
        QTest::newRow("plain WireMock root") << QStringList{QStringLiteral(".")} << ""
                                             << "" << false;
        QTest::newRow("empty") << QStringList{} << ""
                               << "error" << false;
    }

    void choosesTheRecordingOfTheRegionsVersion()
    {
        QFETCH(QStringList, folders);
        QFETCH(QString, golden);
        QFETCH(QString, expected);
        QFETCH(bool, warning);
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        for (const QString &folder : folders)
            std::filesystem::create_directories(root / folder.toStdString() / "mappings");
        std::filesystem::create_directories(root / "golden_v7"); // no mappings/: not a recording
        const auto choice = chooseRecording(root, golden.toStdString());
        if (expected == QLatin1String("error")) {
            QVERIFY(!choice);
            return;
        }
        QVERIFY2(choice, choice ? "" : choice.error().describe().c_str());
        QCOMPARE(QString::fromStdString(choice->version), expected);
        QCOMPARE(choice->warning.has_value(), warning);
        QVERIFY(std::filesystem::is_directory(choice->root / "mappings"));
    }

    void listenAddresses_data()
    {
        QTest::addColumn<QString>("listen");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint16>("port");
        QTest::newRow("v4") << "127.0.0.1:18081" << true << quint16(18081);
        QTest::newRow("localhost") << "localhost:0" << true << quint16(0);
        QTest::newRow("v6") << "[::1]:80" << true << quint16(80);
        QTest::newRow("no port") << "127.0.0.1" << false << quint16(0);
        QTest::newRow("port too big") << "127.0.0.1:70000" << false << quint16(0);
        QTest::newRow("host name") << "example.com:80" << false << quint16(0);
    }

    void listenAddresses()
    {
        QFETCH(QString, listen);
        QFETCH(bool, valid);
        QFETCH(quint16, port);
        const auto parsed = VirtServices::parseListen(listen.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(parsed->second, port);
    }

    void servicesOnePortEach()
    {
        QTemporaryDir dir;
        for (const char *name : {"a", "b"}) {
            const std::filesystem::path mappings
                    = std::filesystem::path(dir.path().toStdString()) / name / "mappings";
            std::filesystem::create_directories(mappings);
            QFile file(QString::fromStdString((mappings / "hello.json").string()));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(
                    json(helloStub).replace("\"hi\"", QByteArray(QByteArray("\"") + name + "\"")));
        }
        VirtServices services;
        for (const char *name : {"a", "b"}) {
            ServiceDefinition definition;
            definition.name = QString::fromLatin1(name);
            definition.root = std::filesystem::path(dir.path().toStdString()) / name;
            QVERIFY(services.add(definition));
        }
        QVERIFY(!services.add(ServiceDefinition{QStringLiteral("a"), {}, {}, {}, {}, 0, 0, false}));
        const auto started = services.startAll();
        QVERIFY2(started, started ? "" : started.error().describe().c_str());
        const auto status = services.status();
        QCOMPARE(status.size(), std::size_t(2));
        QVERIFY(status[0].port != status[1].port);
        for (const ServiceStatus &service : status) {
            QCOMPARE(service.state, ServiceState::Serving);
            QCOMPARE(service.mappings, 1);
            RawHttpClient client;
            QVERIFY(client.connectTo(service.port));
            QCOMPARE(client.request("GET", "/hello")->body, service.definition.name.toUtf8());
        }
        services.stop(QStringLiteral("a"));
        QCOMPARE(services.status()[0].state, ServiceState::Stopped);
        QVERIFY(services.server(QStringLiteral("a")) == nullptr);
        QVERIFY(services.server(QStringLiteral("b")) != nullptr);
    }

    void brokenMappingFileRefusesToServe()
    {
        QTemporaryDir dir;
        const std::filesystem::path mappings
                = std::filesystem::path(dir.path().toStdString()) / "mappings";
        std::filesystem::create_directories(mappings);
        QFile file(QString::fromStdString((mappings / "broken.json").string()));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();
        VirtServices services;
        ServiceDefinition definition;
        definition.name = QStringLiteral("broken");
        definition.root = dir.path().toStdString();
        QVERIFY(services.add(definition));
        const auto started = services.start(definition.name);
        QVERIFY(!started);
        QVERIFY2(started.error().describe().find("broken.json") != std::string::npos,
                 started.error().describe().c_str());
        QCOMPARE(services.status()[0].state, ServiceState::Failed);
    }

    void cliServesARootUntilTerminated()
    {
        QTemporaryDir dir;
        std::filesystem::create_directories(dir.path().toStdString() + "/mappings");
        QFile file(dir.path() + QStringLiteral("/mappings/hello.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json(helloStub));
        file.close();
        QProcess serve;
        serve.start(QString::fromStdString(envsync::test::cliPath()),
                    {QStringLiteral("virt"), QStringLiteral("serve"), QStringLiteral("--root"),
                     dir.path(), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--threads"), QStringLiteral("2")});
        QVERIFY(serve.waitForStarted());
        QByteArray out;
        while (!out.contains('\n') && serve.waitForReadyRead(10000))
            out += serve.readAllStandardOutput();
        QVERIFY2(out.startsWith("serving "),
                 QByteArray(out + serve.readAllStandardError()).constData());
        QVERIFY2(out.contains("1 mappings") && out.contains("2 threads"), out.constData());
        const qsizetype colon = out.indexOf(':');
        const quint16 port
                = quint16(out.mid(colon + 1, out.indexOf(' ', colon) - colon - 1).toUInt());
        QVERIFY(port != 0);
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(port));
            QCOMPARE(client.request("GET", "/hello")->body, QByteArray("hi"));
            QCOMPARE(client.request("GET", "/other")->status, 404);
        }
        // A second serve on the same port is a runtime failure (exit 3), not a silent share.
        const auto taken = envsync::test::runCli(
                {QStringLiteral("virt"), QStringLiteral("serve"), QStringLiteral("--root"),
                 dir.path(), QStringLiteral("--listen"),
                 QStringLiteral("127.0.0.1:") + QString::number(port)});
        QCOMPARE(taken.exitCode, 3);
        QVERIFY2(taken.err.contains(u"cannot listen"), qPrintable(taken.err));

        serve.terminate(); // SIGTERM: a clean stop
        QVERIFY(serve.waitForFinished(10000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

    void cliUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no action") << QStringList{};
        QTest::newRow("unknown action") << QStringList{QStringLiteral("replay")};
        QTest::newRow("no config, no root") << QStringList{QStringLiteral("serve")};
        QTest::newRow("root without listen") << QStringList{
                QStringLiteral("serve"), QStringLiteral("--root"), QStringLiteral("/nonexistent")};
        QTest::newRow("bad threads") << QStringList{QStringLiteral("serve"),
                                                    QStringLiteral("--root"),
                                                    QStringLiteral("/tmp"),
                                                    QStringLiteral("--listen"),
                                                    QStringLiteral("127.0.0.1:0"),
                                                    QStringLiteral("--threads"),
                                                    QStringLiteral("0")};
    }

    void cliUsageErrors()
    {
        QFETCH(QStringList, arguments);
        arguments.prepend(QStringLiteral("virt"));
        const auto run = envsync::test::runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    }
};

QTEST_GUILESS_MAIN(TestVirtServer)
#include "tst_virtserver.moc"
