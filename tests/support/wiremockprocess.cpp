#include "wiremockprocess.h"

#include "rawhttpclient.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QThread>

namespace envsync::test {

QString wireMockJar(QString &error)
{
    const QByteArray source = qgetenv("ENVSYNC_SOURCE_DIR");
    const QByteArray build = qgetenv("ENVSYNC_BUILD_DIR");
    if (source.isEmpty() || build.isEmpty()) {
        error = QStringLiteral(
                "ENVSYNC_SOURCE_DIR / ENVSYNC_BUILD_DIR not set (run through ctest)");
        return {};
    }
    QProcess fetch;
    fetch.start(QStringLiteral("sh"),
                {QString::fromLocal8Bit(source) + QStringLiteral("/tests/support/wiremock.sh"),
                 QString::fromLocal8Bit(build) + QStringLiteral("/_deps/wiremock")});
    if (!fetch.waitForFinished(300000) || fetch.exitCode() != 0) {
        error = QStringLiteral("cannot get WireMock: ")
                + QString::fromLocal8Bit(fetch.readAllStandardError()).trimmed();
        return {};
    }
    return QString::fromLocal8Bit(fetch.readAllStandardOutput()).trimmed();
}

WireMockProcess::~WireMockProcess()
{
    stop();
}

bool WireMockProcess::start(const QString &rootDir, QString &error)
{
    const QString jar = wireMockJar(error);
    if (jar.isEmpty())
        return false;
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // Quick start-up on two busy cores (tests only; the benchmark runs java with its defaults):
    // the client compiler only and one GC thread.
    m_process.start(QStringLiteral("java"),
                    {QStringLiteral("-XX:TieredStopAtLevel=1"), QStringLiteral("-XX:+UseSerialGC"),
                     QStringLiteral("-jar"), jar, QStringLiteral("--port"), QString::number(m_port),
                     QStringLiteral("--bind-address"), QStringLiteral("127.0.0.1"),
                     QStringLiteral("--root-dir"), rootDir, QStringLiteral("--disable-banner")});
    if (!m_process.waitForStarted(10000)) {
        error = QStringLiteral("cannot start java: ") + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(120000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            error = QStringLiteral("WireMock exited: ")
                    + QString::fromLocal8Bit(m_process.readAll()).right(500);
            return false;
        }
        RawHttpClient client;
        if (client.connectTo(m_port, 500)) {
            const auto reply = client.request("GET", "/__admin/mappings");
            if (reply && reply->status == 200)
                return true;
        }
        QThread::msleep(200);
    }
    error = QStringLiteral("WireMock did not answer within 120 s");
    return false;
}

void WireMockProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace envsync::test
