#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <map>

namespace envsync::test {

/// A small regional API for recording tests (issue 19), on a free local port:
///   GET  /customers/42           customer JSON with PII-like values (e-mail, name, country)
///                                plus Set-Cookie and a token header (secrets in responses)
///   GET  /customers?email=E      the customer found by e-mail (PII in the query)
///   GET  /orders/7/status        stateful: pending, shipped, then delivered for ever
///   POST /payments               {"amount", "requestId"} → a new paymentId (UUID), the
///                                requestId echoed, the time (volatile fields)
///   GET  /profile                a phone number no rule masks (PII refusal)
///   GET  /catalog                a large JSON body (> 16 KiB: written to __files/)
/// Anything else: 404. resetState() restarts the order sequence (a second pass).
class TestUpstream : public QAbstractHttpServer
{
public:
    TestUpstream();
    [[nodiscard]] quint16 port() const { return m_port; }
    void resetState() { m_statusCalls = 0; }
    /// The customer /customers/42 answers with (default: alice.meyer@example.com).
    void setCustomer(const QString &email, const QString &fullName)
    {
        m_email = email;
        m_fullName = fullName;
    }
    /// Headers of the last request received (to check what the proxy forwarded).
    [[nodiscard]] QList<QPair<QByteArray, QByteArray>> lastHeaders() const { return m_lastHeaders; }
    [[nodiscard]] int requestCount() const { return m_requests; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    quint16 m_port = 0;
    int m_statusCalls = 0;
    int m_requests = 0;
    QString m_email = QStringLiteral("alice.meyer@example.com");
    QString m_fullName = QStringLiteral("Alice Meyer");
    QList<QPair<QByteArray, QByteArray>> m_lastHeaders;
};

} // namespace envsync::test
