#include "virtserveprocess.h"

#include "testsupport.h"

namespace envsync::test {

VirtServeProcess::~VirtServeProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        (void)stop();
}

bool VirtServeProcess::start(const QString &rootDir, QString &error)
{
    m_process.start(QString::fromStdString(cliPath()),
                    {QStringLiteral("virt"), QStringLiteral("serve"), QStringLiteral("--root"),
                     rootDir, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    if (!m_process.waitForStarted()) {
        error = QStringLiteral("cannot start envsyncctl: ") + m_process.errorString();
        return false;
    }
    QByteArray out;
    while (!out.contains('\n') && m_process.waitForReadyRead(15000))
        out += m_process.readAllStandardOutput();
    if (!out.startsWith("serving ")) {
        error = QString::fromUtf8(out + m_process.readAllStandardError());
        return false;
    }
    // "serving NAME on 127.0.0.1:PORT (…)"
    const qsizetype colon = out.indexOf(':');
    m_port = quint16(out.mid(colon + 1, out.indexOf(' ', colon) - colon - 1).toUInt());
    if (m_port == 0) {
        error = QStringLiteral("no port in: ") + QString::fromUtf8(out);
        return false;
    }
    return true;
}

int VirtServeProcess::stop()
{
    m_process.terminate();
    if (!m_process.waitForFinished(10000) || m_process.exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process.exitCode();
}

} // namespace envsync::test
