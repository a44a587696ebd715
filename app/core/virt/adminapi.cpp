#include "core/virt/adminapi.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUuid>

#include <algorithm>

namespace envsync::virt {

namespace {

const QString adminPrefix = QStringLiteral("/__admin");

HttpResponse jsonResponse(int status, const QJsonObject &object)
{
    HttpResponse response;
    response.status = status;
    response.headers.append(HttpHeader{"Content-Type", "application/json"});
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

HttpResponse okResponse()
{
    HttpResponse response;
    response.status = 200;
    return response;
}

/// WireMock's error document: {"errors": [{"code": 10, "title": "..."}]}.
HttpResponse errorResponse(int status, const QString &title)
{
    return jsonResponse(status, {{QStringLiteral("errors"),
                                  QJsonArray{QJsonObject{{QStringLiteral("code"), 10},
                                                         {QStringLiteral("title"), title}}}}});
}

std::optional<QJsonObject> parseObject(const QByteArray &body)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

/// A stub from an admin request body; a missing id gets a fresh one (WireMock does the same).
Result<StubMapping> stubFromBody(const QByteArray &body, const QString &where)
{
    const auto object = parseObject(body);
    if (!object)
        return fail(ErrorCode::Usage, "the body is not a JSON object", where.toStdString());
    auto mapping = StubMapping::fromJson(*object, where);
    if (mapping && mapping->id.isEmpty())
        mapping->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return mapping;
}

} // namespace

AdminApi::AdminApi(StubEngine &engine, RequestJournal &journal, std::vector<StubMapping> defaults)
    : m_engine(engine)
    , m_journal(journal)
    , m_defaults(std::move(defaults))
{
}

bool AdminApi::isAdminPath(const QString &path)
{
    return path == adminPrefix || path.startsWith(adminPrefix + QLatin1Char('/'));
}

HttpResponse AdminApi::handle(const HttpRequest &request, const QString &clientIp)
{
    const QStringList segments
            = request.path.mid(adminPrefix.size() + 1).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QByteArray &method = request.method;
    const QString first = segments.value(0);
    const QString second = segments.value(1);

    if (first == QLatin1String("mappings")) {
        if (segments.size() == 1 && method == "GET")
            return listMappings();
        if (segments.size() == 1 && method == "POST")
            return addMapping(request);
        if (segments.size() == 1 && method == "DELETE") {
            m_engine.resetMappings({});
            return okResponse();
        }
        if (segments.size() == 2 && second == QLatin1String("reset") && method == "POST")
            return resetMappings();
        if (segments.size() == 2 && method == "GET")
            return getMapping(second);
        if (segments.size() == 2 && method == "PUT")
            return editMapping(second, request);
        if (segments.size() == 2 && method == "DELETE")
            return removeMapping(second);
    } else if (first == QLatin1String("requests")) {
        if (segments.size() == 1 && method == "GET")
            return listRequests(request);
        if ((segments.size() == 1 && method == "DELETE")
            || (segments.size() == 2 && second == QLatin1String("reset") && method == "POST")) {
            m_journal.clear();
            return okResponse();
        }
    } else if (first == QLatin1String("scenarios")) {
        if (segments.size() == 1 && method == "GET")
            return jsonResponse(200, {{QStringLiteral("scenarios"), m_engine.scenariosJson()}});
        if (segments.size() == 2 && second == QLatin1String("reset") && method == "POST") {
            m_engine.resetScenarios();
            return okResponse();
        }
    } else if (first == QLatin1String("near-misses") && segments.size() == 2) {
        if (second == QLatin1String("unmatched") && method == "GET")
            return unmatchedNearMisses();
        if (second == QLatin1String("request") && method == "POST")
            return nearMissesFor(request, clientIp);
    } else if (first == QLatin1String("reset") && segments.size() == 1 && method == "POST") {
        resetMappings();
        m_journal.clear();
        m_engine.resetScenarios();
        return okResponse();
    }
    return errorResponse(404, QStringLiteral("No admin endpoint %1 %2")
                                      .arg(QString::fromLatin1(method), request.path));
}

HttpResponse AdminApi::listMappings() const
{
    const std::vector<StubMapping> mappings = m_engine.mappings();
    QJsonArray array;
    // Newest first, as WireMock lists them.
    for (auto it = mappings.rbegin(); it != mappings.rend(); ++it)
        array.append(it->toJson());
    return jsonResponse(
            200, {{QStringLiteral("mappings"), array},
                  {QStringLiteral("meta"), QJsonObject{{QStringLiteral("total"), array.size()}}}});
}

HttpResponse AdminApi::addMapping(const HttpRequest &request)
{
    auto mapping = stubFromBody(request.body, QStringLiteral("POST /__admin/mappings"));
    if (!mapping)
        return errorResponse(422, QString::fromStdString(mapping.error().describe()));
    const QJsonObject json = mapping->toJson();
    m_engine.addMapping(std::move(*mapping));
    return jsonResponse(201, json);
}

HttpResponse AdminApi::getMapping(const QString &id) const
{
    for (const StubMapping &mapping : m_engine.mappings()) {
        if (mapping.id == id)
            return jsonResponse(200, mapping.toJson());
    }
    return errorResponse(404, QStringLiteral("No stub mapping with id %1").arg(id));
}

HttpResponse AdminApi::editMapping(const QString &id, const HttpRequest &request)
{
    auto mapping = stubFromBody(request.body, QStringLiteral("PUT /__admin/mappings/") + id);
    if (!mapping)
        return errorResponse(422, QString::fromStdString(mapping.error().describe()));
    mapping->id = id;
    if (!m_engine.removeMapping(id))
        return errorResponse(404, QStringLiteral("No stub mapping with id %1").arg(id));
    const QJsonObject json = mapping->toJson();
    m_engine.addMapping(std::move(*mapping));
    return jsonResponse(200, json);
}

HttpResponse AdminApi::removeMapping(const QString &id)
{
    if (!m_engine.removeMapping(id))
        return errorResponse(404, QStringLiteral("No stub mapping with id %1").arg(id));
    return okResponse();
}

HttpResponse AdminApi::resetMappings()
{
    std::vector<StubMapping> defaults;
    {
        QMutexLocker lock(&m_defaultsMutex);
        defaults = m_defaults;
    }
    m_engine.resetMappings(std::move(defaults));
    return okResponse();
}

HttpResponse AdminApi::listRequests(const HttpRequest &request) const
{
    bool ok = false;
    const qsizetype limit = request.queryValues(QStringLiteral("limit")).value(0).toLongLong(&ok);
    return jsonResponse(200, m_journal.toJson(ok && limit >= 0 ? limit : -1));
}

HttpResponse AdminApi::unmatchedNearMisses() const
{
    QJsonArray all;
    for (const JournalEntry &entry : m_journal.unmatched()) {
        const QJsonObject misses = RequestJournal::nearMissesJson(entry.request, entry.clientIp,
                                                                  entry.loggedAt, entry.nearMisses);
        for (const QJsonValue &miss : misses.value(QStringLiteral("nearMisses")).toArray())
            all.append(miss);
    }
    return jsonResponse(200, {{QStringLiteral("nearMisses"), all}});
}

HttpResponse AdminApi::nearMissesFor(const HttpRequest &request, const QString &clientIp) const
{
    // The body is a WireMock LoggedRequest: {"url", "method", "headers", "body"}.
    const auto object = parseObject(request.body);
    if (!object)
        return errorResponse(422, QStringLiteral("the body is not a JSON object"));
    const QByteArray url = object->value(QStringLiteral("url")).toString().toUtf8();
    const QByteArray method = object->value(QStringLiteral("method")).toString().toUtf8();
    if (url.isEmpty() || method.isEmpty())
        return errorResponse(422, QStringLiteral("a logged request needs \"url\" and \"method\""));
    HttpRequest logged = HttpRequest::fromUrl(method, url);
    const QJsonObject headers = object->value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        const QJsonArray values = it->isArray() ? it->toArray() : QJsonArray{*it};
        for (const QJsonValue &value : values)
            logged.headers.append(HttpHeader{it.key().toLatin1(), value.toString().toUtf8()});
    }
    logged.body = object->value(QStringLiteral("body")).toString().toUtf8();
    return jsonResponse(200, RequestJournal::nearMissesJson(logged, clientIp,
                                                            QDateTime::currentDateTimeUtc(),
                                                            m_engine.nearMisses(logged, 3)));
}

} // namespace envsync::virt
