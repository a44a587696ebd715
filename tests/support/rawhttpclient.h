#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpSocket>

#include <optional>

namespace envsync::test {

/// One HTTP/1.1 response as read off the wire (tests only: status, headers, body).
struct RawReply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    /// Case-insensitive, first match.
    [[nodiscard]] QByteArray header(const QByteArray &name) const;
};

/// A blocking HTTP/1.1 client over one keep-alive TCP connection, so tests see exactly what
/// travels on it (connection reuse, pipelining, Connection: close). Usable from any thread.
class RawHttpClient
{
public:
    [[nodiscard]] bool connectTo(quint16 port, int timeoutMs = 5000);
    /// Writes one request (Host and Content-Length added).
    void send(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
              const QList<QPair<QByteArray, QByteArray>> &headers = {});
    /// Reads the next response; nullopt on timeout or a malformed reply. `head`: no body follows.
    [[nodiscard]] std::optional<RawReply> read(int timeoutMs = 5000, bool head = false);
    /// send() + read().
    [[nodiscard]] std::optional<RawReply>
    request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
            const QList<QPair<QByteArray, QByteArray>> &headers = {});
    /// True once the server closed the connection (waits up to timeoutMs).
    [[nodiscard]] bool waitForClose(int timeoutMs = 5000);

private:
    bool fill(int timeoutMs);
    QTcpSocket m_socket;
    QByteArray m_buffer;
    quint16 m_port = 0;
};

} // namespace envsync::test
