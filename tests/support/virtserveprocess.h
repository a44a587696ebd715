#pragma once

#include <QProcess>
#include <QString>

namespace envsync::test {

/// `envsyncctl virt serve --root DIR --listen 127.0.0.1:0` as a child process: started, its
/// bound port read from its "serving … on HOST:PORT …" line; terminated in the destructor.
class VirtServeProcess
{
public:
    VirtServeProcess() = default;
    ~VirtServeProcess();
    VirtServeProcess(const VirtServeProcess &) = delete;
    VirtServeProcess &operator=(const VirtServeProcess &) = delete;

    /// Starts it and waits (up to 15 s) for its "serving" line; false with `error` set (what it
    /// printed, stderr included).
    [[nodiscard]] bool start(const QString &rootDir, QString &error);
    /// SIGTERM, then its exit code; -1 when it did not end within 10 s or crashed.
    [[nodiscard]] int stop();
    [[nodiscard]] quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace envsync::test
