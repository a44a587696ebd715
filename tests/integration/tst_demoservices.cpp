// The demo's sample virtual services (issue 19 "Done when"): `demo up` records one partner API
// per region from the demo's upstream, masked with the golden salt; after eu is refreshed from
// golden, `virt serve --region eu` answers with the masked data eu's database holds.

#include "owndemoestate.h"
#include "testsupport.h"

#include "core/demo/demoservices.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <pqxx/pqxx>

#include <filesystem>

using namespace envsync;
namespace fs = std::filesystem;

class TestDemoServices : public QObject
{
    Q_OBJECT

private:
    test::OwnDemoEstate m_estate{"demoservices"};
    QNetworkAccessManager m_network;

    fs::path serviceDir(const std::string &region) const
    {
        return fs::path(m_estate.config()->path).parent_path() / "virt" / ("payments-" + region);
    }

    test::CliRun cli(QStringList args)
    {
        args << QStringLiteral("-c") << m_estate.configPath();
        return test::runCli(args);
    }

    struct Answer
    {
        int status = 0;
        QByteArray body;
    };

    Answer request(const QByteArray &method, quint16 port, const QString &path,
                   const QByteArray &body = {})
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/json"));
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
        Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                      reply->readAll()};
        reply->deleteLater();
        return answer;
    }

    quint16 servicePort(const std::string &name) const
    {
        for (const auto &service : m_estate.config()->services) {
            if (service.name == name)
                return static_cast<quint16>(
                        QString::fromStdString(service.listen).section(u':', -1).toUInt());
        }
        return 0;
    }

    static bool waitForPort(quint16 port)
    {
        for (int attempt = 0; attempt < 100; ++attempt) {
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), port);
            if (socket.waitForConnected(100))
                return true;
            QTest::qWait(100);
        }
        return false;
    }

    std::string regionValue(const std::string &region, const std::string &column, int id) const
    {
        pqxx::connection connection(m_estate.regionDsn(region, "shop"));
        pqxx::read_transaction tx(connection);
        return tx
                .exec_params1("SELECT " + connection.quote_name(column)
                                      + " FROM customers WHERE id = $1",
                              id)[0]
                .as<std::string>();
    }

private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_demoservices-salt-0123456789");
        const std::string started = m_estate.start(400);
        QVERIFY2(started.empty(), started.c_str());
    }

    /// Every region's service is recorded, with a scenario for the repeated payment.
    void demoUpRecordsOneServicePerRegion()
    {
        for (const std::string region : {"eu", "us", "apac"}) {
            const fs::path mappings = serviceDir(region) / "unversioned" / "mappings";
            int files = 0;
            int scenarioSteps = 0;
            for (const auto &entry : fs::directory_iterator(mappings)) {
                ++files;
                const auto json = QJsonDocument::fromJson(
                        QByteArray::fromStdString(test::readFile(entry.path())));
                if (!json.object().value(u"scenarioName").toString().isEmpty())
                    ++scenarioSteps;
            }
            QVERIFY2(files >= 6, region.c_str());
            QCOMPARE(scenarioSteps, 3);
        }
    }

    /// Nothing of the partner's personal data or its token reaches a file.
    void recordingsHoldNoSourcePiiOrSecret()
    {
        pqxx::connection source(m_estate.config()->source.dsn);
        pqxx::read_transaction tx(source);
        std::vector<std::string> secrets = {"demo-partner-token", "Bearer"};
        for (const auto &row : tx.exec("SELECT email, full_name, iban FROM customers WHERE id IN "
                                       "(1, 2, 3, 4, 5, 6, 7, 8, 10)")) {
            for (const auto &field : row)
                secrets.push_back(field.as<std::string>());
        }
        int files = 0;
        for (const auto &entry : fs::recursive_directory_iterator(serviceDir("eu").parent_path())) {
            if (!entry.is_regular_file())
                continue;
            ++files;
            const std::string text = test::readFile(entry.path());
            for (const std::string &secret : secrets)
                QVERIFY2(text.find(secret) == std::string::npos,
                         (entry.path().string() + " holds a source value").c_str());
        }
        QVERIFY(files >= 18);
    }

    /// `demo up` again records nothing new (the recording is there).
    void demoUpAgainKeepsTheRecording()
    {
        const fs::directory_entry file
                = *fs::directory_iterator(serviceDir("eu") / "unversioned" / "mappings");
        const auto before = fs::last_write_time(file.path());
        auto again = demo::recordDemoServices(*m_estate.config(), {});
        QVERIFY2(again.has_value(), again ? "" : again.error().describe().c_str());
        QVERIFY(again->empty());
        QCOMPARE(fs::last_write_time(file.path()), before);
    }

    /// The Done-when: eu refreshed from golden, `virt serve --region eu` answers with eu's data.
    void servedAnswersMatchTheRefreshedRegion()
    {
        auto refreshed = cli({QStringLiteral("refresh"), QStringLiteral("--region"),
                              QStringLiteral("eu"), QStringLiteral("--force-outside-window"),
                              QStringLiteral("--reason"), QStringLiteral("tst_demoservices")});
        QVERIFY2(refreshed.exitCode == 0, qPrintable(refreshed.err));

        QProcess serve;
        serve.start(QString::fromStdString(test::cliPath()),
                    {QStringLiteral("virt"), QStringLiteral("serve"), QStringLiteral("-c"),
                     m_estate.configPath(), QStringLiteral("--region"), QStringLiteral("eu")});
        QVERIFY(serve.waitForStarted(5000));
        const quint16 port = servicePort("payments-eu");
        // Its own "serving" line, not just an open port: something else may hold that port.
        QByteArray said;
        for (int waited = 0; waited < 100 && !said.contains("serving payments-eu"); ++waited) {
            serve.waitForReadyRead(100);
            said += serve.readAllStandardOutput();
            QVERIFY2(serve.state() == QProcess::Running, serve.readAllStandardError().constData());
        }
        QVERIFY2(said.contains("serving payments-eu"), said.constData());
        QVERIFY(waitForPort(port));

        for (const int id : {1, 2, 10}) {
            const Answer customer
                    = request("GET", port, QStringLiteral("/v1/customers/%1").arg(id));
            QCOMPARE(customer.status, 200);
            const QJsonObject object = QJsonDocument::fromJson(customer.body).object();
            QCOMPARE(object.value(u"email").toString().toStdString(),
                     regionValue("eu", "email", id));
            QCOMPARE(object.value(u"name").toString().toStdString(),
                     regionValue("eu", "full_name", id));
            QCOMPARE(object.value(u"iban").toString().toStdString(), regionValue("eu", "iban", id));
            // learned, not literal: a fresh id on every answer
            QVERIFY(QUuid::fromString(object.value(u"request_id").toString()).isNull() == false);
        }
        // The payment scenario in recorded order; its last step repeats.
        const QByteArray payment = R"({"customer_id": 1, "amount": "19.99"})";
        QStringList ids;
        for (int i = 0; i < 4; ++i) {
            const Answer paid = request("POST", port, QStringLiteral("/v1/payments"), payment);
            QCOMPARE(paid.status, 201);
            ids << QJsonDocument::fromJson(paid.body).object().value(u"payment_id").toString();
        }
        QCOMPARE(ids, QStringList({QStringLiteral("pay_1001"), QStringLiteral("pay_1002"),
                                   QStringLiteral("pay_1003"), QStringLiteral("pay_1003")}));
        // Fail closed: never the real partner, a 404 with the closest stubs.
        const Answer unknown = request("GET", port, QStringLiteral("/v1/customers/77"));
        QCOMPARE(unknown.status, 404);
        QVERIFY2(unknown.body.contains("not matched"), unknown.body.constData());

        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(TestDemoServices)
#include "tst_demoservices.moc"
