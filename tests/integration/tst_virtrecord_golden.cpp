// Interop (3) of issue 19: `envsyncctl virt record` against an upstream of this test's own that
// answers with a real customer of the demo source database. The customer's e-mail and name never
// reach the mapping files; the recorded e-mail is the very value golden_v1 holds for that
// customer (same rule, same HMAC key); the recording lands in the folder of the newest golden
// version the control database lists (issue 19 "Versions").

#include "owndemoestate.h"
#include "testsupport.h"
#include "testupstream.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace envsync;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestVirtRecordGolden : public QObject
{
    Q_OBJECT
private slots:
    void recordedEmailEqualsGoldens()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_virtrecord_golden-salt-0123456789");
        test::OwnDemoEstate estate("virtrecord");
        const std::string started = estate.start(200);
        QVERIFY2(started.empty(), started.c_str());
        const config::Config &config = *estate.config();
        const std::string sourceDsn = config.source.dsn;
        const std::string id = test::OwnDemoEstate::scalar(
                sourceDsn, "SELECT id FROM public.customers ORDER BY id LIMIT 1");
        const std::string where = " FROM public.customers WHERE id = " + id;
        const std::string sourceEmail
                = test::OwnDemoEstate::scalar(sourceDsn, "SELECT email" + where);
        const std::string sourceName
                = test::OwnDemoEstate::scalar(sourceDsn, "SELECT full_name" + where);
        const std::string goldenEmail = test::OwnDemoEstate::scalar(estate.goldenDsn("golden_v1"),
                                                                    "SELECT email" + where);
        QVERIFY2(sourceEmail.find('@') != std::string::npos, sourceEmail.c_str());
        QVERIFY2(goldenEmail.find('@') != std::string::npos, goldenEmail.c_str());
        QVERIFY(goldenEmail != sourceEmail);

        test::TestUpstream upstream;
        upstream.setCustomer(QString::fromStdString(sourceEmail),
                             QString::fromStdString(sourceName));
        QTemporaryDir recordings;
        const quint16 listen = freePort();
        // The demo's config plus one service whose rules match golden's for these columns.
        const QString configPath
                = QFileInfo(estate.configPath()).dir().filePath(QStringLiteral("virtrecord.yaml"));
        {
            QFile out(configPath);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            // The demo's own sample services (its last section) give way to this one.
            const QByteArray demo = readAll(estate.configPath());
            const qsizetype services = demo.indexOf("\nservices:\n");
            out.write(services < 0 ? demo : demo.left(services + 1));
            out.write("services:\n  - name: customers-eu\n    region: eu\n    listen: \"127.0.0.1:"
                      + QByteArray::number(listen) + "\"\n    upstream: \"http://127.0.0.1:"
                      + QByteArray::number(upstream.port()) + "\"\n    mappings: \""
                      + recordings.path().toUtf8()
                      + "\"\n    mask:\n"
                        "      - { json: \"$.email\", transform: email, unique: true }\n"
                        "      - { json: \"$.full_name\", transform: person_name }\n");
        }

        QProcess record;
        record.start(QString::fromStdString(test::cliPath()),
                     {QStringLiteral("virt"), QStringLiteral("record"), QStringLiteral("-c"),
                      configPath, QStringLiteral("--service"), QStringLiteral("customers-eu")});
        QVERIFY(record.waitForStarted());
        record.setReadChannel(QProcess::StandardError); // the banner goes to stderr
        QByteArray banner;
        while (!banner.contains('\n') && record.waitForReadyRead(30000))
            banner += record.readAllStandardError();
        QVERIFY2(banner.startsWith("recording customers-eu"), banner.constData());
        QVERIFY2(banner.contains("(golden_v1)"), banner.constData());

        QNetworkAccessManager network;
        QNetworkReply *reply = network.get(QNetworkRequest(
                QUrl(QStringLiteral("http://127.0.0.1:%1/customers/42").arg(listen))));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || finished.wait(15000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->readAll().contains(QByteArray::fromStdString(sourceEmail)));
        reply->deleteLater();

        record.terminate(); // SIGTERM: the recorder stops cleanly
        QVERIFY(record.waitForFinished(15000));
        const QByteArray output = record.readAllStandardOutput() + record.readAllStandardError();
        QVERIFY2(record.exitStatus() == QProcess::NormalExit && record.exitCode() == 0,
                 output.constData());
        QVERIFY2(output.contains("GET /customers/42 -> 200"), output.constData());

        // Written into the golden_v1 folder; nothing personal in any file.
        const QString root = recordings.path() + QStringLiteral("/golden_v1");
        QStringList files;
        QDirIterator it(recordings.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            files.append(path);
            const QByteArray content = readAll(path);
            QVERIFY2(!content.contains(QByteArray::fromStdString(sourceEmail)), qPrintable(path));
            QVERIFY2(!content.contains(QByteArray::fromStdString(sourceName)), qPrintable(path));
        }
        QCOMPARE(files.size(), 1);
        QVERIFY2(files.front().startsWith(root + QStringLiteral("/mappings/")),
                 qPrintable(files.front()));
        const QJsonObject mapping = QJsonDocument::fromJson(readAll(files.front())).object();
        const QJsonObject body
                = QJsonDocument::fromJson(
                          mapping.value(u"response").toObject().value(u"body").toString().toUtf8())
                          .object();
        QCOMPARE(body.value(u"email").toString().toStdString(), goldenEmail);
        QCOMPARE(
                mapping.value(u"metadata").toObject().value(u"envsync").toObject().value(u"golden"),
                QJsonValue(QStringLiteral("golden_v1")));
        QFile::remove(configPath);
    }
};

QTEST_GUILESS_MAIN(TestVirtRecordGolden)
#include "tst_virtrecord_golden.moc"
