#include "core/demo/demoupstream.h"

#include <QDateTime>
#include <QEventLoop>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QUuid>

#include <pqxx/pqxx>

#include <atomic>
#include <future>

namespace envsync::demo {

namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse jsonError(Status status, const QString &message)
{
    return {QJsonObject{{QStringLiteral("error"), message}}, status};
}

bool authorised(const QHttpServerRequest &request)
{
    return request.value("Authorization") == QByteArray("Bearer ") + DemoUpstream::token;
}

/// What every answer of a real partner API carries and no two answers share.
void stamp(QJsonObject &object)
{
    object.insert(QStringLiteral("request_id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    object.insert(QStringLiteral("served_at"),
                  QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
}

/// The partner's view of the demo shop, for one region. Lives on the server's thread only.
class PartnerApi
{
public:
    PartnerApi(const std::string &dsn, const std::vector<std::string> &countries)
        : m_connection(dsn)
    {
        // A PostgreSQL array literal of our own fixed country codes (libpqxx 6 binds no arrays).
        m_countries = "{";
        for (const std::string &country : countries)
            m_countries += (m_countries.size() > 1 ? "," : "") + country;
        m_countries += "}";
        m_connection.prepare("customer",
                             "SELECT id, full_name, email, iban, city, country FROM customers "
                             "WHERE id = $1 AND country = ANY($2::text[])");
        m_connection.prepare("payments",
                             "SELECT p.id, p.amount::text, p.method, p.card_last4, p.paid_at::text "
                             "FROM payments p JOIN orders o ON o.id = p.order_id "
                             "WHERE o.customer_id = $1 ORDER BY p.paid_at DESC, p.id LIMIT 20");
    }

    QHttpServerResponse customer(qint64 id)
    {
        const auto row = findCustomer(id);
        if (!row)
            return jsonError(Status::NotFound, QStringLiteral("unknown customer"));
        QJsonObject body = *row;
        stamp(body);
        return {body, Status::Ok};
    }

    QHttpServerResponse payments(qint64 id)
    {
        if (!findCustomer(id))
            return jsonError(Status::NotFound, QStringLiteral("unknown customer"));
        pqxx::read_transaction tx(m_connection);
        QJsonArray list;
        for (const auto &row : tx.exec_prepared("payments", id)) {
            list.append(QJsonObject{
                    {QStringLiteral("id"), row[0].as<qint64>()},
                    {QStringLiteral("amount"), QString::fromStdString(row[1].as<std::string>())},
                    {QStringLiteral("method"), QString::fromStdString(row[2].as<std::string>())},
                    {QStringLiteral("card_last4"),
                     row[3].is_null() ? QJsonValue()
                                      : QJsonValue(QString::fromStdString(row[3].c_str()))},
                    {QStringLiteral("paid_at"), QString::fromStdString(row[4].as<std::string>())},
            });
        }
        QJsonObject body{{QStringLiteral("customer_id"), id}, {QStringLiteral("payments"), list}};
        stamp(body);
        return {body, Status::Ok};
    }

    QHttpServerResponse newPayment(const QByteArray &requestBody)
    {
        const QJsonObject request = QJsonDocument::fromJson(requestBody).object();
        const qint64 customerId = request.value(QStringLiteral("customer_id")).toInteger(-1);
        const QString amount = request.value(QStringLiteral("amount")).toString();
        bool amountOk = false;
        if (amount.toDouble(&amountOk) <= 0 || !amountOk)
            return jsonError(Status::BadRequest, QStringLiteral("amount must be a positive "
                                                                "decimal in a string"));
        const auto customer = findCustomer(customerId);
        if (!customer)
            return jsonError(Status::NotFound, QStringLiteral("unknown customer"));
        QJsonObject body{
                {QStringLiteral("payment_id"),
                 QStringLiteral("pay_%1").arg(m_nextPayment.fetch_add(1))},
                {QStringLiteral("customer_id"), customerId},
                {QStringLiteral("amount"), amount},
                {QStringLiteral("status"), QStringLiteral("accepted")},
                {QStringLiteral("receipt_email"), customer->value(QStringLiteral("email"))},
        };
        stamp(body);
        return {body, Status::Created};
    }

private:
    std::optional<QJsonObject> findCustomer(qint64 id)
    {
        pqxx::read_transaction tx(m_connection);
        const pqxx::result rows = tx.exec_prepared("customer", id, m_countries);
        if (rows.empty())
            return std::nullopt;
        const auto text = [&](int column) {
            const auto &field = rows[0][column];
            return field.is_null() ? QJsonValue() : QJsonValue(QString::fromUtf8(field.c_str()));
        };
        return QJsonObject{{QStringLiteral("id"), rows[0][0].as<qint64>()},
                           {QStringLiteral("name"), text(1)},
                           {QStringLiteral("email"), text(2)},
                           {QStringLiteral("iban"), text(3)},
                           {QStringLiteral("city"), text(4)},
                           {QStringLiteral("country"), text(5)}};
    }

    pqxx::connection m_connection;
    std::string m_countries;
    std::atomic<qint64> m_nextPayment{1001};
};

/// Runs a handler, turning a database failure into a 503 without row values or secrets.
template<typename Handler>
QHttpServerResponse guarded(const QHttpServerRequest &request, Handler &&handler)
{
    if (!authorised(request))
        return jsonError(Status::Unauthorized, QStringLiteral("missing or wrong bearer token"));
    try {
        return handler();
    } catch (const std::exception &) {
        return jsonError(Status::ServiceUnavailable,
                         QStringLiteral("partner database unavailable"));
    }
}

void addRoutes(QHttpServer &server, PartnerApi &api)
{
    server.route(QStringLiteral("/v1/customers/<arg>"), QHttpServerRequest::Method::Get,
                 [&api](qint64 id, const QHttpServerRequest &request) {
                     return guarded(request, [&] { return api.customer(id); });
                 });
    server.route(QStringLiteral("/v1/customers/<arg>/payments"), QHttpServerRequest::Method::Get,
                 [&api](qint64 id, const QHttpServerRequest &request) {
                     return guarded(request, [&] { return api.payments(id); });
                 });
    server.route(QStringLiteral("/v1/payments"), QHttpServerRequest::Method::Post,
                 [&api](const QHttpServerRequest &request) {
                     return guarded(request, [&] { return api.newPayment(request.body()); });
                 });
}

} // namespace

std::vector<std::string> DemoUpstream::regionCountries(const std::string &region)
{
    if (region == "eu")
        return {"DE", "FR", "ES"};
    if (region == "us")
        return {"US"};
    if (region == "apac")
        return {"JP", "AU"};
    return {};
}

Result<std::unique_ptr<DemoUpstream>> DemoUpstream::start(const std::string &sourceDsn,
                                                          const std::string &region, quint16 port)
{
    std::vector<std::string> countries = regionCountries(region);
    if (countries.empty())
        return fail(ErrorCode::Usage, "the demo has no region " + region, "demo upstream");
    std::unique_ptr<DemoUpstream> upstream(new DemoUpstream);
    auto started = std::make_shared<std::promise<Result<quint16>>>();
    std::future<Result<quint16>> startedFuture = started->get_future();
    upstream->m_thread.reset(QThread::create([sourceDsn, countries, port, started] {
        std::unique_ptr<PartnerApi> api;
        try {
            api = std::make_unique<PartnerApi>(sourceDsn, countries);
        } catch (const std::exception &) {
            started->set_value(fail(ErrorCode::Unreachable, "cannot connect to the demo source",
                                    "demo upstream"));
            return;
        }
        QHttpServer server;
        addRoutes(server, *api);
        const quint16 bound = server.listen(QHostAddress::LocalHost, port);
        if (bound == 0) {
            started->set_value(fail(ErrorCode::Io,
                                    "cannot listen on 127.0.0.1:" + std::to_string(port),
                                    "demo upstream"));
            return;
        }
        started->set_value(bound);
        QEventLoop loop; // QThread::quit() ends it
        loop.exec();
    }));
    upstream->m_thread->start();
    Result<quint16> bound = startedFuture.get();
    if (!bound) {
        upstream->m_thread->wait();
        return std::unexpected(bound.error());
    }
    upstream->m_port = *bound;
    return upstream;
}

DemoUpstream::~DemoUpstream()
{
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
    }
}

std::string DemoUpstream::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

} // namespace envsync::demo
