#include "testupstream.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QUuid>

namespace envsync::test {

namespace {

void reply(QHttpServerResponder &responder, int status, const QJsonObject &body,
           const QList<QPair<QByteArray, QByteArray>> &extra = {})
{
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader("Content-Type", "application/json");
    for (const auto &[name, value] : extra)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(bytes.size()));
    responder.writeBody(bytes);
}

QJsonObject customer(const QString &email, const QString &fullName)
{
    return QJsonObject{{QStringLiteral("id"), 42},
                       {QStringLiteral("email"), email},
                       {QStringLiteral("full_name"), fullName},
                       {QStringLiteral("country"), QStringLiteral("DE")},
                       {QStringLiteral("active"), true}};
}

QJsonObject catalog()
{
    QJsonArray items;
    for (int i = 0; i < 800; ++i)
        items.append(QJsonObject{
                {QStringLiteral("sku"), QStringLiteral("SKU-%1").arg(i, 6, 10, QLatin1Char('0'))},
                {QStringLiteral("price"), 10 + i / 4.0}});
    return QJsonObject{{QStringLiteral("items"), items}};
}

} // namespace

TestUpstream::TestUpstream()
{
    m_port = listen(QHostAddress::LocalHost, 0);
}

bool TestUpstream::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ++m_requests;
    m_lastHeaders = request.headers();
    auto responder = makeResponder(request, socket);
    const QString path = request.url().path();
    const bool get = request.method() == QHttpServerRequest::Method::Get;
    if (get && path == QLatin1String("/customers/42")) {
        reply(responder, 200, customer(m_email, m_fullName),
              {{"Set-Cookie", "session=upstream-c00kie-value; HttpOnly"},
               {"X-Upstream-Token", "t0ps3cret-token-value"},
               {"X-Region", "eu"}});
    } else if (get && path == QLatin1String("/customers")) {
        const QString email = QUrlQuery(request.url())
                                      .queryItemValue(QStringLiteral("email"), QUrl::FullyDecoded);
        if (email == m_email)
            reply(responder, 200, customer(m_email, m_fullName));
        else
            reply(responder, 404, QJsonObject{{QStringLiteral("error"), QStringLiteral("none")}});
    } else if (get && path == QLatin1String("/orders/7/status")) {
        static const char *states[] = {"pending", "shipped", "delivered"};
        const int step = std::min(m_statusCalls++, 2);
        reply(responder, 200,
              QJsonObject{{QStringLiteral("order"), 7},
                          {QStringLiteral("status"), QLatin1String(states[step])}});
    } else if (request.method() == QHttpServerRequest::Method::Post
               && path == QLatin1String("/payments")) {
        const QJsonObject in = QJsonDocument::fromJson(request.body()).object();
        reply(responder, 201,
              QJsonObject{{QStringLiteral("paymentId"),
                           QUuid::createUuid().toString(QUuid::WithoutBraces)},
                          {QStringLiteral("amount"), in.value(u"amount")},
                          {QStringLiteral("requestId"), in.value(u"requestId")},
                          {QStringLiteral("at"),
                           QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
    } else if (get && path == QLatin1String("/catalog")) {
        reply(responder, 200, catalog());
    } else if (get && path == QLatin1String("/profile")) {
        reply(responder, 200,
              QJsonObject{{QStringLiteral("nickname"), QStringLiteral("al")},
                          {QStringLiteral("phone"), QStringLiteral("+49 30 1234567")}});
    } else {
        reply(responder, 404, QJsonObject{{QStringLiteral("error"), QStringLiteral("no route")}});
    }
    return true;
}

void TestUpstream::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto responder = makeResponder(request, socket);
    reply(responder, 500, {});
}

} // namespace envsync::test
