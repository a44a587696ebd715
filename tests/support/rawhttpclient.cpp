#include "rawhttpclient.h"

#include <QDeadlineTimer>

namespace envsync::test {

QByteArray RawReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool RawHttpClient::connectTo(quint16 port, int timeoutMs)
{
    m_port = port;
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return m_socket.waitForConnected(timeoutMs);
}

void RawHttpClient::send(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                         const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray out = method + ' ' + target
                     + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    m_socket.write(out);
    m_socket.flush();
}

bool RawHttpClient::fill(int timeoutMs)
{
    if (!m_socket.waitForReadyRead(timeoutMs))
        return false;
    m_buffer += m_socket.readAll();
    return true;
}

std::optional<RawReply> RawHttpClient::read(int timeoutMs, bool head)
{
    const QDeadlineTimer deadline(timeoutMs);
    qsizetype end = -1;
    while ((end = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (deadline.hasExpired() || !fill(int(deadline.remainingTime())))
            return std::nullopt;
    }
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    RawReply reply;
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine[0].startsWith("HTTP/1."))
        return std::nullopt;
    reply.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            reply.headers.append(
                    {lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    m_buffer.remove(0, end + 4);
    if (!head && reply.header("Transfer-Encoding").toLower().contains("chunked")) {
        // size CRLF data CRLF … 0 CRLF CRLF
        for (;;) {
            qsizetype lineEnd = -1;
            while ((lineEnd = m_buffer.indexOf("\r\n")) < 0) {
                if (deadline.hasExpired() || !fill(int(deadline.remainingTime())))
                    return std::nullopt;
            }
            bool ok = false;
            const qsizetype size
                    = m_buffer.left(lineEnd).split(';').value(0).trimmed().toLongLong(&ok, 16);
            if (!ok)
                return std::nullopt;
            while (m_buffer.size() < lineEnd + 2 + size + 2) {
                if (deadline.hasExpired() || !fill(int(deadline.remainingTime())))
                    return std::nullopt;
            }
            reply.body += m_buffer.mid(lineEnd + 2, size);
            m_buffer.remove(0, lineEnd + 2 + size + 2);
            if (size == 0)
                return reply;
        }
    }
    const qsizetype length = head ? 0 : reply.header("Content-Length").toLongLong();
    while (m_buffer.size() < length) {
        if (deadline.hasExpired() || !fill(int(deadline.remainingTime())))
            return std::nullopt;
    }
    reply.body = m_buffer.left(length);
    m_buffer.remove(0, length);
    return reply;
}

std::optional<RawReply> RawHttpClient::request(const QByteArray &method, const QByteArray &target,
                                               const QByteArray &body,
                                               const QList<QPair<QByteArray, QByteArray>> &headers)
{
    send(method, target, body, headers);
    return read();
}

bool RawHttpClient::waitForClose(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    return m_socket.waitForDisconnected(timeoutMs);
}

} // namespace envsync::test
