#include "core/virt/exchangemasker.h"

#include "core/masking/piidetector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

namespace envsync::virt {

namespace {

using Step = config::JsonFieldPath::Step;
using Target = config::ServiceMaskRule::Target;

std::string numberText(double value)
{
    if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0)
        return std::to_string(static_cast<long long>(value));
    return QString::number(value, 'g', 17).toStdString();
}

/// The member name a value sits under (an array element inherits its array's name).
std::string nameOf(const std::vector<Step> &steps)
{
    for (auto it = steps.rbegin(); it != steps.rend(); ++it)
        if (std::holds_alternative<std::string>(*it))
            return std::get<std::string>(*it);
    return {};
}

bool flagged(const std::string &name, const std::string &type, const std::string &value)
{
    return masking::classifyColumn(name, type, {value}).has_value();
}

std::unexpected<Error> refuse(const std::string &where)
{
    Error error{ErrorCode::Refused,
                where
                        + " looks like personal data and no mask rule covers it (add a mask rule "
                          "or list it under keep)",
                "recording"};
    return std::unexpected(std::move(error));
}

std::string text(const QByteArray &bytes)
{
    return bytes.toStdString();
}

QByteArray encodeQueryPart(const QString &part)
{
    return QUrl::toPercentEncoding(part);
}

} // namespace

QString redactedPath(const QString &path)
{
    QStringList segments = path.split(u'/');
    for (QString &segment : segments)
        if (!segment.isEmpty() && flagged({}, "text", segment.toStdString()))
            segment = QStringLiteral("{redacted}");
    return segments.join(u'/');
}

std::optional<QJsonValue> parseJsonBody(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty() || (trimmed.front() != '{' && trimmed.front() != '['))
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    if (document.isObject())
        return QJsonValue(document.object());
    return QJsonValue(document.array());
}

Result<ExchangeMasker> ExchangeMasker::create(const config::ServiceConfig &service,
                                              const masking::HmacKey &key,
                                              const std::string &configPath)
{
    ExchangeMasker masker;
    for (const config::ServiceMaskRule &rule : service.mask) {
        const std::string where = configPath + ':' + std::to_string(rule.location.line) + ':'
                                  + std::to_string(rule.location.column);
        auto transform = masking::makeTransform(rule.transform, rule.params, rule.unique, key);
        if (!transform)
            return fail(ErrorCode::Config,
                        "services \"" + service.name + "\" mask: " + transform.error().message,
                        where);
        Rule built{rule.target, rule.selector, std::nullopt, std::move(*transform)};
        if (rule.target == Target::Json) {
            auto path = config::JsonFieldPath::parse(rule.selector);
            if (!path)
                return fail(ErrorCode::Config, path.error().message, where);
            built.path = std::move(*path);
        }
        masker.m_rules.push_back(std::move(built));
    }
    for (const std::string &keep : service.keep) {
        auto path = config::JsonFieldPath::parse(keep);
        if (!path)
            return fail(ErrorCode::Config, path.error().message, configPath);
        masker.m_keep.push_back(std::move(*path));
    }
    return masker;
}

const ExchangeMasker::Rule *ExchangeMasker::ruleFor(Target target, const QByteArray &name) const
{
    for (const Rule &rule : m_rules) {
        if (rule.target != target)
            continue;
        const QByteArray selector = QByteArray::fromStdString(rule.selector);
        const bool same = target == Target::Header
                                  ? name.compare(selector, Qt::CaseInsensitive) == 0
                                  : name == selector;
        if (same)
            return &rule;
    }
    return nullptr;
}

Result<QJsonValue> ExchangeMasker::maskJson(const QJsonValue &document,
                                            const std::string &side) const
{
    std::vector<Step> steps;
    return walk(document, steps, side);
}

Result<QJsonValue> ExchangeMasker::walk(const QJsonValue &node, std::vector<Step> &steps,
                                        const std::string &side) const
{
    if (node.isObject()) {
        QJsonObject object = node.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            steps.emplace_back(it.key().toStdString());
            auto masked = walk(it.value(), steps, side);
            steps.pop_back();
            if (!masked)
                return masked;
            it.value() = *masked;
        }
        return object;
    }
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            steps.emplace_back(static_cast<long long>(i));
            auto masked = walk(array[i], steps, side);
            steps.pop_back();
            if (!masked)
                return masked;
            array[i] = *masked;
        }
        return array;
    }
    return leaf(node, steps, side);
}

Result<QJsonValue> ExchangeMasker::leaf(const QJsonValue &node, const std::vector<Step> &steps,
                                        const std::string &side) const
{
    if (!node.isString() && !node.isDouble())
        return node; // booleans and nulls carry no personal data
    const std::string value
            = node.isString() ? node.toString().toStdString() : numberText(node.toDouble());
    for (const Rule &rule : m_rules) {
        if (rule.target != Target::Json || !rule.path->covers(steps))
            continue;
        std::string out;
        if (!rule.transform->apply(value, out))
            return QJsonValue(QJsonValue::Null);
        if (node.isDouble()) {
            bool ok = false;
            const double number = QString::fromStdString(out).toDouble(&ok);
            if (ok)
                return number;
        }
        return QString::fromStdString(out);
    }
    for (const config::JsonFieldPath &keep : m_keep)
        if (keep.covers(steps))
            return node;
    if (flagged(nameOf(steps), node.isString() ? "text" : "numeric", value))
        return refuse(side + " " + config::JsonFieldPath::format(steps));
    return node;
}

Result<QList<HttpHeader>> ExchangeMasker::maskHeaders(const QList<HttpHeader> &headers,
                                                      const std::string &side) const
{
    QList<HttpHeader> masked;
    for (const HttpHeader &header : headers) {
        if (const Rule *rule = ruleFor(Target::Header, header.name)) {
            std::string out;
            if (rule->transform->apply(text(header.value), out))
                masked.append({header.name, QByteArray::fromStdString(out)});
            continue; // a NULL output drops the header
        }
        if (flagged(text(header.name), "text", text(header.value)))
            return refuse(side + " header " + text(header.name));
        masked.append(header);
    }
    return masked;
}

Result<QByteArray> ExchangeMasker::maskBody(const QByteArray &body, const std::string &side) const
{
    const std::optional<QJsonValue> json = parseJsonBody(body);
    if (!json)
        return body;
    auto masked = maskJson(*json, side);
    if (!masked)
        return std::unexpected(masked.error());
    if (*masked == *json)
        return body; // nothing changed: keep the upstream's exact bytes
    const QJsonDocument document = masked->isObject() ? QJsonDocument(masked->toObject())
                                                      : QJsonDocument(masked->toArray());
    return document.toJson(QJsonDocument::Compact);
}

Result<RecordedExchange> ExchangeMasker::apply(const HttpRequest &request,
                                               const HttpResponse &response) const
{
    RecordedExchange out{request, response};
    const QStringList segments = request.path.split(u'/', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < segments.size(); ++i)
        if (flagged({}, "text", segments[i].toStdString()))
            return refuse("request path segment " + std::to_string(i + 1));
    QList<QPair<QString, QString>> query;
    for (const auto &[name, value] : request.query) {
        if (const Rule *rule = ruleFor(Target::Query, name.toUtf8())) {
            std::string masked;
            if (rule->transform->apply(value.toStdString(), masked))
                query.append({name, QString::fromStdString(masked)});
            continue;
        }
        if (flagged(name.toStdString(), "text", value.toStdString()))
            return refuse("request query parameter " + name.toStdString());
        query.append({name, value});
    }
    out.request.query = query;
    // The path as the client sent it (its percent-encoding is what a mapping's urlPath matches).
    const qsizetype queryStart = request.url.indexOf('?');
    QByteArray url = queryStart < 0 ? request.url : request.url.left(queryStart);
    for (qsizetype i = 0; i < query.size(); ++i)
        url += (i == 0 ? "?" : "&") + encodeQueryPart(query[i].first) + '='
               + encodeQueryPart(query[i].second);
    out.request.url = url;

    auto requestHeaders = maskHeaders(request.headers, "request");
    if (!requestHeaders)
        return std::unexpected(requestHeaders.error());
    out.request.headers = std::move(*requestHeaders);
    auto responseHeaders = maskHeaders(response.headers, "response");
    if (!responseHeaders)
        return std::unexpected(responseHeaders.error());
    out.response.headers = std::move(*responseHeaders);

    auto requestBody = maskBody(request.body, "request body");
    if (!requestBody)
        return std::unexpected(requestBody.error());
    out.request.body = std::move(*requestBody);
    auto responseBody = maskBody(response.body, "response body");
    if (!responseBody)
        return std::unexpected(responseBody.error());
    out.response.body = std::move(*responseBody);
    return out;
}

} // namespace envsync::virt
