#pragma once

#include <QProcess>
#include <QString>

namespace envsync::test {

/// WireMock's standalone jar (fetched once by tests/support/wiremock.sh into
/// $ENVSYNC_BUILD_DIR/_deps/wiremock), or an empty path with `error` set: tests FAIL then,
/// never skip.
[[nodiscard]] QString wireMockJar(QString &error);

/// A real WireMock server on a free port over a root folder (mappings/, __files/), run with the
/// Debian JRE; stopped in the destructor.
class WireMockProcess
{
public:
    WireMockProcess() = default;
    ~WireMockProcess();
    WireMockProcess(const WireMockProcess &) = delete;
    WireMockProcess &operator=(const WireMockProcess &) = delete;

    /// Starts it and waits (up to 120 s) until its admin API answers; false with `error` set.
    [[nodiscard]] bool start(const QString &rootDir, QString &error);
    void stop();
    [[nodiscard]] quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace envsync::test
