#include "core/virt/stubmapping.h"

#include "core/virt/jsonpath.h"
#include "core/virt/regexcache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <array>

namespace envsync::virt {

namespace {

using Op = ValuePattern::Op;

struct OpName
{
    Op op;
    QLatin1StringView name;
};

constexpr std::array opNames{
        OpName{Op::EqualTo, QLatin1StringView("equalTo")},
        OpName{Op::Contains, QLatin1StringView("contains")},
        OpName{Op::DoesNotContain, QLatin1StringView("doesNotContain")},
        OpName{Op::Matches, QLatin1StringView("matches")},
        OpName{Op::DoesNotMatch, QLatin1StringView("doesNotMatch")},
        OpName{Op::Absent, QLatin1StringView("absent")},
        OpName{Op::EqualToJson, QLatin1StringView("equalToJson")},
        OpName{Op::MatchesJsonPath, QLatin1StringView("matchesJsonPath")},
        OpName{Op::BinaryEqualTo, QLatin1StringView("binaryEqualTo")},
        OpName{Op::HasExactly, QLatin1StringView("hasExactly")},
        OpName{Op::Includes, QLatin1StringView("includes")},
};

const QStringList patternOptions{QStringLiteral("caseInsensitive"),
                                 QStringLiteral("ignoreArrayOrder"),
                                 QStringLiteral("ignoreExtraElements")};

QLatin1StringView opName(Op op)
{
    for (const OpName &entry : opNames) {
        if (entry.op == op)
            return entry.name;
    }
    return QLatin1StringView("equalTo");
}

std::unexpected<Error> invalid(const QString &where, const QString &member, const char *what)
{
    return fail(ErrorCode::Config, member.toStdString() + " " + what, where.toStdString());
}

QString compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return jsonValueText(value);
}

QJsonValue parseJsonText(const QString &text)
{
    return parseJsonValue(text.toUtf8());
}

Result<void> checkOperand(ValuePattern &pattern, const QJsonValue &value, const QString &where,
                          const QString &member)
{
    switch (pattern.op) {
    case Op::Absent:
        if (value != QJsonValue(true))
            return invalid(where, member, "must be true");
        return {};
    case Op::EqualToJson:
        if (value.isString()) {
            if (parseJsonText(value.toString()).isUndefined())
                return invalid(where, member, "must hold JSON");
            pattern.jsonAsText = true;
            pattern.operand = compactJson(parseJsonText(value.toString()));
        } else {
            pattern.operand = compactJson(value);
        }
        return {};
    default:
        break;
    }
    if (!value.isString())
        return invalid(where, member, "must be a string");
    pattern.operand = value.toString();
    if (pattern.op == Op::Matches || pattern.op == Op::DoesNotMatch) {
        const QRegularExpression regex = fullMatchRegex(pattern.operand);
        if (!regex.isValid())
            return invalid(where, member,
                           QString(QStringLiteral("is not a valid regular expression: ")
                                   + regex.errorString())
                                   .toUtf8()
                                   .constData());
    }
    if (pattern.op == Op::BinaryEqualTo
        && QByteArray::fromBase64Encoding(pattern.operand.toLatin1(),
                                          QByteArray::AbortOnBase64DecodingErrors)
                           .decodingStatus
                   != QByteArray::Base64DecodingStatus::Ok)
        return invalid(where, member, "must be base64");
    return {};
}

/// matchesJsonPath: "$.x" or {"expression": "$.x", <value pattern>}.
Result<void> parseJsonPathOperand(ValuePattern &pattern, const QJsonValue &value,
                                  const QString &where, const QString &member)
{
    QJsonValue expression = value;
    if (value.isObject()) {
        QJsonObject rest = value.toObject();
        expression = rest.take(QStringLiteral("expression"));
        if (!rest.isEmpty()) {
            auto sub = ValuePattern::fromJson(rest, where + QStringLiteral(" ") + member);
            if (!sub)
                return std::unexpected(sub.error());
            pattern.subPattern = std::make_shared<const ValuePattern>(std::move(*sub));
        }
    }
    if (!expression.isString())
        return invalid(where, member, "must be a JSONPath string or {\"expression\": ...}");
    auto path = JsonPath::compile(expression.toString());
    if (!path)
        return invalid(where, member, path.error().message.c_str());
    pattern.operand = expression.toString();
    return {};
}

/// hasExactly / includes: a non-empty array of single-value patterns.
Result<void> parseItems(ValuePattern &pattern, const QJsonValue &value, const QString &where,
                        const QString &member)
{
    if (!value.isArray() || value.toArray().isEmpty())
        return invalid(where, member, "must be a non-empty array of patterns");
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto item = ValuePattern::fromJson(array.at(i), where + QStringLiteral(" ") + member
                                                                + QStringLiteral("[%1]").arg(i));
        if (!item)
            return std::unexpected(item.error());
        if (item->op == Op::HasExactly || item->op == Op::Includes)
            return invalid(where, member, "cannot nest hasExactly or includes");
        pattern.items.push_back(std::move(*item));
    }
    return {};
}

Result<void> parseOperand(ValuePattern &pattern, const QJsonValue &value, const QString &where,
                          const QString &member)
{
    switch (pattern.op) {
    case Op::MatchesJsonPath:
        return parseJsonPathOperand(pattern, value, where, member);
    case Op::HasExactly:
    case Op::Includes:
        return parseItems(pattern, value, where, member);
    default:
        return checkOperand(pattern, value, where, member);
    }
}

std::optional<Op> findOp(const QJsonObject &json, QString *key)
{
    for (const OpName &entry : opNames) {
        if (json.contains(entry.name)) {
            *key = entry.name;
            return entry.op;
        }
    }
    return std::nullopt;
}

Result<bool> readBool(const QJsonObject &json, const QString &key, const QString &where)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined())
        return false;
    if (!value.isBool())
        return invalid(where, key, "must be true or false");
    return value.toBool();
}

// ---- request -------------------------------------------------------------------------------

struct UrlKey
{
    RequestPattern::UrlKind kind;
    QLatin1StringView name;
};

constexpr std::array urlKeys{
        UrlKey{RequestPattern::UrlKind::Url, QLatin1StringView("url")},
        UrlKey{RequestPattern::UrlKind::UrlPath, QLatin1StringView("urlPath")},
        UrlKey{RequestPattern::UrlKind::UrlPattern, QLatin1StringView("urlPattern")},
        UrlKey{RequestPattern::UrlKind::UrlPathPattern, QLatin1StringView("urlPathPattern")},
};

Result<QList<QPair<QString, ValuePattern>>>
parseNamedPatterns(const QJsonValue &value, const QString &where, const QString &member)
{
    QList<QPair<QString, ValuePattern>> patterns;
    if (value.isUndefined())
        return patterns;
    if (!value.isObject())
        return invalid(where, member, "must be an object");
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        auto pattern = ValuePattern::fromJson(it.value(), where + QStringLiteral(": ") + member
                                                                  + u'.' + it.key());
        if (!pattern)
            return std::unexpected(pattern.error());
        patterns.append({it.key(), std::move(*pattern)});
    }
    return patterns;
}

Result<void> parseUrl(RequestPattern &request, const QJsonObject &json, const QString &where)
{
    int found = 0;
    for (const UrlKey &key : urlKeys) {
        const QJsonValue value = json.value(key.name);
        if (value.isUndefined())
            continue;
        if (++found > 1)
            return invalid(where, QStringLiteral("request"),
                           "must have only one of url, urlPath, urlPattern, urlPathPattern");
        if (!value.isString())
            return invalid(where, QStringLiteral("request.") + key.name, "must be a string");
        request.urlKind = key.kind;
        request.url = value.toString();
        const bool regex = key.kind == RequestPattern::UrlKind::UrlPattern
                           || key.kind == RequestPattern::UrlKind::UrlPathPattern;
        if (regex && !fullMatchRegex(request.url).isValid())
            return invalid(where, QStringLiteral("request.") + key.name,
                           "is not a valid regular expression");
    }
    return {};
}

const QStringList requestKeys{QStringLiteral("method"),         QStringLiteral("url"),
                              QStringLiteral("urlPath"),        QStringLiteral("urlPattern"),
                              QStringLiteral("urlPathPattern"), QStringLiteral("queryParameters"),
                              QStringLiteral("headers"),        QStringLiteral("cookies"),
                              QStringLiteral("bodyPatterns")};

Result<void> parseBodyPatterns(RequestPattern &request, const QJsonValue &value,
                               const QString &where)
{
    if (value.isUndefined())
        return {};
    if (!value.isArray())
        return invalid(where, QStringLiteral("request.bodyPatterns"), "must be an array");
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto pattern = ValuePattern::fromJson(
                array.at(i), where + QStringLiteral(": request.bodyPatterns[%1]").arg(i));
        if (!pattern)
            return std::unexpected(pattern.error());
        request.bodyPatterns.append(std::move(*pattern));
    }
    return {};
}

Result<RequestPattern> parseRequest(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return invalid(where, QStringLiteral("request"), "must be an object");
    const QJsonObject json = value.toObject();
    for (auto it = json.begin(); it != json.end(); ++it) {
        // Fail closed: a matcher EnvSync does not know would otherwise match too much.
        if (!requestKeys.contains(it.key()))
            return invalid(where, QStringLiteral("request.") + it.key(), "is not supported");
    }
    RequestPattern request;
    const QJsonValue method = json.value(QStringLiteral("method"));
    if (!method.isUndefined() && !method.isString())
        return invalid(where, QStringLiteral("request.method"), "must be a string");
    if (method.isString())
        request.method = method.toString().toUpper().toLatin1();
    if (auto url = parseUrl(request, json, where); !url)
        return std::unexpected(url.error());
    auto query = parseNamedPatterns(json.value(QStringLiteral("queryParameters")), where,
                                    QStringLiteral("request.queryParameters"));
    auto headers = parseNamedPatterns(json.value(QStringLiteral("headers")), where,
                                      QStringLiteral("request.headers"));
    auto cookies = parseNamedPatterns(json.value(QStringLiteral("cookies")), where,
                                      QStringLiteral("request.cookies"));
    for (const auto *part : {&query, &headers, &cookies}) {
        if (!*part)
            return std::unexpected(part->error());
    }
    request.queryParameters = std::move(*query);
    request.headers = std::move(*headers);
    request.cookies = std::move(*cookies);
    if (auto body = parseBodyPatterns(request, json.value(QStringLiteral("bodyPatterns")), where);
        !body)
        return std::unexpected(body.error());
    return request;
}

QJsonObject namedPatternsJson(const QList<QPair<QString, ValuePattern>> &patterns)
{
    QJsonObject json;
    for (const auto &[name, pattern] : patterns)
        json.insert(name, pattern.toJson());
    return json;
}

QJsonObject requestJson(const RequestPattern &request)
{
    QJsonObject json;
    for (const UrlKey &key : urlKeys) {
        if (key.kind == request.urlKind)
            json.insert(key.name, request.url);
    }
    json.insert(QStringLiteral("method"), QString::fromLatin1(request.method));
    if (!request.queryParameters.isEmpty())
        json.insert(QStringLiteral("queryParameters"), namedPatternsJson(request.queryParameters));
    if (!request.headers.isEmpty())
        json.insert(QStringLiteral("headers"), namedPatternsJson(request.headers));
    if (!request.cookies.isEmpty())
        json.insert(QStringLiteral("cookies"), namedPatternsJson(request.cookies));
    if (!request.bodyPatterns.isEmpty()) {
        QJsonArray body;
        for (const ValuePattern &pattern : request.bodyPatterns)
            body.append(pattern.toJson());
        json.insert(QStringLiteral("bodyPatterns"), body);
    }
    return json;
}

// ---- response ------------------------------------------------------------------------------

const QStringList responseKeys{
        QStringLiteral("status"),       QStringLiteral("statusMessage"),
        QStringLiteral("headers"),      QStringLiteral("body"),
        QStringLiteral("base64Body"),   QStringLiteral("jsonBody"),
        QStringLiteral("bodyFileName"), QStringLiteral("fixedDelayMilliseconds"),
        QStringLiteral("transformers"), QStringLiteral("transformerParameters")};

Result<QList<HttpHeader>> parseResponseHeaders(const QJsonValue &value, const QString &where)
{
    QList<HttpHeader> headers;
    if (value.isUndefined())
        return headers;
    if (!value.isObject())
        return invalid(where, QStringLiteral("response.headers"), "must be an object");
    const QJsonObject json = value.toObject();
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonArray values
                = it.value().isArray() ? it.value().toArray() : QJsonArray{it.value()};
        for (const QJsonValue &one : values) {
            if (!one.isString())
                return invalid(where, QStringLiteral("response.headers.") + it.key(),
                               "must be a string or an array of strings");
            headers.append({it.key().toUtf8(), one.toString().toUtf8()});
        }
    }
    return headers;
}

Result<void> parseBody(ResponseDefinition &response, const QJsonObject &json, const QString &where)
{
    using Kind = ResponseDefinition::BodyKind;
    int kinds = 0;
    if (const QJsonValue body = json.value(QStringLiteral("body")); !body.isUndefined()) {
        if (!body.isString())
            return invalid(where, QStringLiteral("response.body"), "must be a string");
        response.body = body.toString().toUtf8();
        response.bodyKind = Kind::Text;
        ++kinds;
    }
    if (const QJsonValue body = json.value(QStringLiteral("base64Body")); !body.isUndefined()) {
        auto decoded = QByteArray::fromBase64Encoding(body.toString().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!body.isString() || decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
            return invalid(where, QStringLiteral("response.base64Body"), "must be base64");
        response.body = std::move(decoded.decoded);
        response.bodyKind = Kind::Base64;
        ++kinds;
    }
    if (const QJsonValue body = json.value(QStringLiteral("jsonBody")); !body.isUndefined()) {
        response.body = compactJson(body).toUtf8();
        response.bodyKind = Kind::Json;
        ++kinds;
    }
    if (const QJsonValue file = json.value(QStringLiteral("bodyFileName")); !file.isUndefined()) {
        if (!file.isString() || file.toString().isEmpty())
            return invalid(where, QStringLiteral("response.bodyFileName"), "must be a file name");
        response.bodyFileName = file.toString();
        ++kinds;
    }
    if (kinds > 1)
        return invalid(where, QStringLiteral("response"),
                       "must have only one of body, base64Body, jsonBody, bodyFileName");
    return {};
}

Result<void> parseTransformers(ResponseDefinition &response, const QJsonValue &value,
                               const QString &where)
{
    if (value.isUndefined())
        return {};
    if (!value.isArray())
        return invalid(where, QStringLiteral("response.transformers"), "must be an array");
    for (const QJsonValue &name : value.toArray()) {
        if (name.toString() != QLatin1StringView("response-template"))
            return invalid(where, QStringLiteral("response.transformers"),
                           "supports only \"response-template\"");
        response.templated = true;
    }
    return {};
}

Result<ResponseDefinition> parseResponse(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return invalid(where, QStringLiteral("response"), "must be an object");
    const QJsonObject json = value.toObject();
    for (auto it = json.begin(); it != json.end(); ++it) {
        // Fail closed: faults, proxying and delays EnvSync cannot honour are refused, not ignored.
        if (!responseKeys.contains(it.key()))
            return invalid(where, QStringLiteral("response.") + it.key(), "is not supported");
    }
    ResponseDefinition response;
    const QJsonValue status = json.value(QStringLiteral("status"));
    if (!status.isUndefined()
        && (!status.isDouble() || status.toInt() < 100 || status.toInt() > 599))
        return invalid(where, QStringLiteral("response.status"), "must be an HTTP status code");
    response.status = status.toInt(200);
    response.statusMessage = json.value(QStringLiteral("statusMessage")).toString();
    auto headers = parseResponseHeaders(json.value(QStringLiteral("headers")), where);
    if (!headers)
        return std::unexpected(headers.error());
    response.headers = std::move(*headers);
    if (auto body = parseBody(response, json, where); !body)
        return std::unexpected(body.error());
    const QJsonValue delay = json.value(QStringLiteral("fixedDelayMilliseconds"));
    if (!delay.isUndefined() && (!delay.isDouble() || delay.toInt(-1) < 0))
        return invalid(where, QStringLiteral("response.fixedDelayMilliseconds"),
                       "must be a non-negative integer");
    response.fixedDelayMilliseconds = delay.toInt(0);
    if (auto transformers
        = parseTransformers(response, json.value(QStringLiteral("transformers")), where);
        !transformers)
        return std::unexpected(transformers.error());
    return response;
}

QJsonValue headersJson(const QList<HttpHeader> &headers)
{
    QJsonObject json;
    for (const HttpHeader &header : headers) {
        const QString name = QString::fromUtf8(header.name);
        const QString value = QString::fromUtf8(header.value);
        const QJsonValue existing = json.value(name);
        if (existing.isUndefined()) {
            json.insert(name, value);
        } else {
            QJsonArray values = existing.isArray() ? existing.toArray() : QJsonArray{existing};
            values.append(value);
            json.insert(name, values);
        }
    }
    return json;
}

void insertBody(QJsonObject &json, const ResponseDefinition &response)
{
    using Kind = ResponseDefinition::BodyKind;
    if (!response.bodyFileName.isEmpty()) {
        json.insert(QStringLiteral("bodyFileName"), response.bodyFileName);
        return;
    }
    if (!response.body)
        return;
    switch (response.bodyKind) {
    case Kind::Text:
        json.insert(QStringLiteral("body"), QString::fromUtf8(*response.body));
        break;
    case Kind::Base64:
        json.insert(QStringLiteral("base64Body"), QString::fromLatin1(response.body->toBase64()));
        break;
    case Kind::Json:
        json.insert(QStringLiteral("jsonBody"), parseJsonText(QString::fromUtf8(*response.body)));
        break;
    }
}

QJsonObject responseJson(const ResponseDefinition &response)
{
    QJsonObject json;
    json.insert(QStringLiteral("status"), response.status);
    if (!response.statusMessage.isEmpty())
        json.insert(QStringLiteral("statusMessage"), response.statusMessage);
    if (!response.headers.isEmpty())
        json.insert(QStringLiteral("headers"), headersJson(response.headers));
    insertBody(json, response);
    if (response.fixedDelayMilliseconds > 0)
        json.insert(QStringLiteral("fixedDelayMilliseconds"), response.fixedDelayMilliseconds);
    if (response.templated)
        json.insert(QStringLiteral("transformers"),
                    QJsonArray{QStringLiteral("response-template")});
    return json;
}

// ---- mapping -------------------------------------------------------------------------------

const QStringList mappingKeys{QStringLiteral("id"),
                              QStringLiteral("uuid"),
                              QStringLiteral("name"),
                              QStringLiteral("priority"),
                              QStringLiteral("request"),
                              QStringLiteral("response"),
                              QStringLiteral("scenarioName"),
                              QStringLiteral("requiredScenarioState"),
                              QStringLiteral("newScenarioState"),
                              QStringLiteral("metadata"),
                              QStringLiteral("persistent"),
                              QStringLiteral("insertionIndex")};

Result<QString> optionalString(const QJsonObject &json, const QString &key, const QString &where)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return QString();
    if (!value.isString())
        return invalid(where, key, "must be a string");
    return value.toString();
}

Result<void> parseIdentity(StubMapping &mapping, const QJsonObject &json, const QString &where)
{
    auto id = optionalString(json, QStringLiteral("id"), where);
    auto uuid = optionalString(json, QStringLiteral("uuid"), where);
    auto name = optionalString(json, QStringLiteral("name"), where);
    for (const auto *part : {&id, &uuid, &name}) {
        if (!*part)
            return std::unexpected(part->error());
    }
    mapping.id = !id->isEmpty() ? *id : *uuid;
    if (mapping.id.isEmpty())
        mapping.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    mapping.name = *name;
    const QJsonValue priority = json.value(QStringLiteral("priority"));
    if (!priority.isUndefined() && !priority.isNull() && !priority.isDouble())
        return invalid(where, QStringLiteral("priority"), "must be an integer");
    mapping.priority = priority.toInt(5);
    return {};
}

Result<void> parseScenario(StubMapping &mapping, const QJsonObject &json, const QString &where)
{
    auto scenario = optionalString(json, QStringLiteral("scenarioName"), where);
    auto required = optionalString(json, QStringLiteral("requiredScenarioState"), where);
    auto next = optionalString(json, QStringLiteral("newScenarioState"), where);
    for (const auto *part : {&scenario, &required, &next}) {
        if (!*part)
            return std::unexpected(part->error());
    }
    if (scenario->isEmpty() && (!required->isEmpty() || !next->isEmpty()))
        return invalid(where, QStringLiteral("scenarioName"),
                       "is required with requiredScenarioState or newScenarioState");
    mapping.scenarioName = *scenario;
    mapping.requiredScenarioState = *required;
    mapping.newScenarioState = *next;
    return {};
}

Result<void> parseBookkeeping(StubMapping &mapping, const QJsonObject &json, const QString &where)
{
    const QJsonValue metadata = json.value(QStringLiteral("metadata"));
    if (!metadata.isUndefined() && !metadata.isObject())
        return invalid(where, QStringLiteral("metadata"), "must be an object");
    mapping.metadata = metadata.toObject();
    const QJsonValue persistent = json.value(QStringLiteral("persistent"));
    if (persistent.isBool())
        mapping.persistent = persistent.toBool();
    const QJsonValue index = json.value(QStringLiteral("insertionIndex"));
    if (index.isDouble())
        mapping.insertionIndex = qint64(index.toDouble());
    return {};
}

} // namespace

QJsonObject ValuePattern::toJson() const
{
    QJsonObject json;
    switch (op) {
    case Op::Absent:
        json.insert(opName(op), true);
        break;
    case Op::EqualToJson:
        json.insert(opName(op), jsonAsText ? QJsonValue(operand) : parseJsonText(operand));
        if (ignoreArrayOrder)
            json.insert(QStringLiteral("ignoreArrayOrder"), true);
        if (ignoreExtraElements)
            json.insert(QStringLiteral("ignoreExtraElements"), true);
        break;
    case Op::MatchesJsonPath:
        if (subPattern) {
            QJsonObject inner = subPattern->toJson();
            inner.insert(QStringLiteral("expression"), operand);
            json.insert(opName(op), inner);
        } else {
            json.insert(opName(op), operand);
        }
        break;
    case Op::HasExactly:
    case Op::Includes: {
        QJsonArray array;
        for (const ValuePattern &item : items)
            array.append(item.toJson());
        json.insert(opName(op), array);
        break;
    }
    default:
        json.insert(opName(op), operand);
        break;
    }
    if (caseInsensitive)
        json.insert(QStringLiteral("caseInsensitive"), true);
    return json;
}

Result<ValuePattern> ValuePattern::fromJson(const QJsonValue &json, const QString &where)
{
    if (!json.isObject())
        return invalid(where, QStringLiteral("pattern"), "must be an object");
    const QJsonObject object = json.toObject();
    QString key;
    const std::optional<Op> op = findOp(object, &key);
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != key && !patternOptions.contains(it.key()))
            return invalid(where, it.key(), "is not a supported matcher");
    }
    if (!op)
        return invalid(where, QStringLiteral("pattern"), "has no matcher");
    ValuePattern pattern;
    pattern.op = *op;
    auto operand = parseOperand(pattern, object.value(key), where, key);
    if (!operand)
        return std::unexpected(operand.error());
    auto caseInsensitive = readBool(object, QStringLiteral("caseInsensitive"), where);
    auto arrayOrder = readBool(object, QStringLiteral("ignoreArrayOrder"), where);
    auto extra = readBool(object, QStringLiteral("ignoreExtraElements"), where);
    for (const auto *flag : {&caseInsensitive, &arrayOrder, &extra}) {
        if (!*flag)
            return std::unexpected(flag->error());
    }
    pattern.caseInsensitive = *caseInsensitive;
    pattern.ignoreArrayOrder = *arrayOrder;
    pattern.ignoreExtraElements = *extra;
    return pattern;
}

QJsonObject StubMapping::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("id"), id);
    json.insert(QStringLiteral("uuid"), id);
    if (!name.isEmpty())
        json.insert(QStringLiteral("name"), name);
    if (priority != 5)
        json.insert(QStringLiteral("priority"), priority);
    json.insert(QStringLiteral("request"), requestJson(request));
    json.insert(QStringLiteral("response"), responseJson(response));
    if (!scenarioName.isEmpty())
        json.insert(QStringLiteral("scenarioName"), scenarioName);
    if (!requiredScenarioState.isEmpty())
        json.insert(QStringLiteral("requiredScenarioState"), requiredScenarioState);
    if (!newScenarioState.isEmpty())
        json.insert(QStringLiteral("newScenarioState"), newScenarioState);
    if (!metadata.isEmpty())
        json.insert(QStringLiteral("metadata"), metadata);
    if (persistent)
        json.insert(QStringLiteral("persistent"), *persistent);
    if (insertionIndex)
        json.insert(QStringLiteral("insertionIndex"), double(*insertionIndex));
    return json;
}

Result<StubMapping> StubMapping::fromJson(const QJsonObject &json, const QString &where)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!mappingKeys.contains(it.key()))
            return invalid(where, it.key(), "is not supported");
    }
    StubMapping mapping;
    if (auto identity = parseIdentity(mapping, json, where); !identity)
        return std::unexpected(identity.error());
    auto request = parseRequest(json.value(QStringLiteral("request")), where);
    if (!request)
        return std::unexpected(request.error());
    mapping.request = std::move(*request);
    auto response = parseResponse(json.value(QStringLiteral("response")), where);
    if (!response)
        return std::unexpected(response.error());
    mapping.response = std::move(*response);
    if (auto scenario = parseScenario(mapping, json, where); !scenario)
        return std::unexpected(scenario.error());
    if (auto bookkeeping = parseBookkeeping(mapping, json, where); !bookkeeping)
        return std::unexpected(bookkeeping.error());
    return mapping;
}

} // namespace envsync::virt
