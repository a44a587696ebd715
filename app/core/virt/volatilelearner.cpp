#include "core/virt/volatilelearner.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringDecoder>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

namespace envsync::virt {

namespace {

/// A leaf location inside a JSON document: member names and array indexes.
using LeafPath = QList<QVariant>;

QByteArray lower(const QByteArray &text)
{
    return text.toLower();
}

QString shapeOf(const QJsonValue &value)
{
    if (value.isObject()) {
        QStringList members;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            members.append(it.key() + u':' + shapeOf(it.value()));
        return u'{' + members.join(u',') + u'}';
    }
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items.append(shapeOf(item));
        return u'[' + items.join(u',') + u']';
    }
    if (value.isString())
        return QStringLiteral("s");
    if (value.isDouble())
        return QStringLiteral("n");
    if (value.isBool())
        return QStringLiteral("b");
    return QStringLiteral("z");
}

/// Every string/number/bool/null leaf with its location.
void collectLeaves(const QJsonValue &value, LeafPath &path,
                   std::vector<std::pair<LeafPath, QJsonValue>> &out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            path.append(it.key());
            collectLeaves(it.value(), path, out);
            path.removeLast();
        }
        return;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            path.append(i);
            collectLeaves(array[i], path, out);
            path.removeLast();
        }
        return;
    }
    out.emplace_back(path, value);
}

std::vector<std::pair<LeafPath, QJsonValue>> leavesOf(const QJsonValue &value)
{
    std::vector<std::pair<LeafPath, QJsonValue>> out;
    LeafPath path;
    collectLeaves(value, path, out);
    return out;
}

QJsonValue replaceAt(const QJsonValue &node, const LeafPath &path, qsizetype depth,
                     const QJsonValue &replacement)
{
    if (depth == path.size())
        return replacement;
    if (node.isObject()) {
        QJsonObject object = node.toObject();
        const QString key = path[depth].toString();
        object[key] = replaceAt(object.value(key), path, depth + 1, replacement);
        return object;
    }
    QJsonArray array = node.toArray();
    const qsizetype index = path[depth].toLongLong();
    array[index] = replaceAt(array[index], path, depth + 1, replacement);
    return array;
}

QByteArray compact(const QJsonValue &value)
{
    return value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
}

/// JSON path text for jsonPath helpers: $.a['b c'][0]
QString jsonPathText(const LeafPath &path)
{
    QString out = QStringLiteral("$");
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (const QVariant &step : path) {
        if (step.typeId() == QMetaType::QString) {
            const QString key = step.toString();
            if (plain.match(key).hasMatch())
                out += u'.' + key;
            else
                out += QStringLiteral("['") + QString(key).replace(u'\'', QStringLiteral("\\'"))
                       + QStringLiteral("']");
        } else {
            out += u'[' + QString::number(step.toLongLong()) + u']';
        }
    }
    return out;
}

QString leafText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    return QString::fromUtf8(compact(QJsonArray{value})).mid(1).chopped(1);
}

/// A template expression producing a value of the same shape as `sample`.
QString randomLike(const QJsonValue &sample)
{
    static const QRegularExpression uuid(QStringLiteral(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    static const QRegularExpression timestamp(
            QStringLiteral("^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?"
                           "(Z|[+-]\\d{2}:?\\d{2})?$"));
    static const QRegularExpression date(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]+$"));
    const QString text = leafText(sample);
    if (sample.isDouble()) {
        const QString digits = QString::number(std::max<qsizetype>(1, text.size() - 1));
        // A leading 1 keeps the number valid JSON (no leading zero).
        return QStringLiteral("1{{randomValue length=") + digits
               + QStringLiteral(" type='NUMERIC'}}");
    }
    if (uuid.match(text).hasMatch())
        return QStringLiteral("{{randomValue type='UUID'}}");
    if (timestamp.match(text).hasMatch())
        return QStringLiteral("{{now}}");
    if (date.match(text).hasMatch())
        return QStringLiteral("{{now format='yyyy-MM-dd'}}");
    const QString length = QString::number(std::max<qsizetype>(1, text.size()));
    if (hex.match(text).hasMatch())
        return QStringLiteral("{{randomValue length=") + length
               + QStringLiteral(" type='HEXADECIMAL'}}");
    return QStringLiteral("{{randomValue length=") + length
           + QStringLiteral(" type='ALPHANUMERIC'}}");
}

/// Request values a volatile response value may echo: (template expression, value per
/// observation).
struct EchoSource
{
    QString expression;
    std::vector<QString> values;
};

std::vector<EchoSource> echoSources(const std::vector<RecordedExchange> &observations)
{
    std::vector<EchoSource> sources;
    const RecordedExchange &first = observations.front();
    const QStringList segments = first.request.path.split(u'/', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < segments.size(); ++i) {
        EchoSource source{QStringLiteral("{{request.pathSegments.[") + QString::number(i)
                                  + QStringLiteral("]}}"),
                          {}};
        for (const RecordedExchange &o : observations)
            source.values.push_back(o.request.path.split(u'/', Qt::SkipEmptyParts).value(i));
        sources.push_back(std::move(source));
    }
    for (const auto &[name, value] : first.request.query) {
        EchoSource source{QStringLiteral("{{request.query.") + name + QStringLiteral("}}"), {}};
        for (const RecordedExchange &o : observations)
            source.values.push_back(o.request.queryValues(name).value(0));
        sources.push_back(std::move(source));
    }
    if (const auto body = parseJsonBody(first.request.body)) {
        for (const auto &[path, value] : leavesOf(*body)) {
            (void)value;
            EchoSource source{QStringLiteral("{{jsonPath request.body '") + jsonPathText(path)
                                      + QStringLiteral("'}}"),
                              {}};
            for (const RecordedExchange &o : observations) {
                const auto other = parseJsonBody(o.request.body);
                QString text;
                if (other) {
                    for (const auto &[p, v] : leavesOf(*other))
                        if (p == path)
                            text = leafText(v);
                }
                source.values.push_back(text);
            }
            sources.push_back(std::move(source));
        }
    }
    return sources;
}

/// The expression for a volatile value that takes `values` in the observations.
QString templateFor(const std::vector<QString> &values, const QJsonValue &sample,
                    const std::vector<EchoSource> &sources)
{
    for (const EchoSource &source : sources) {
        if (source.values == values && !values.front().isEmpty())
            return source.expression;
    }
    return randomLike(sample);
}

bool validUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(bytes);
    return !decoder.hasError();
}

ValuePattern literal(ValuePattern::Op op, QString operand)
{
    ValuePattern pattern;
    pattern.op = op;
    pattern.operand = std::move(operand);
    return pattern;
}

RequestPattern learnRequest(const std::vector<RecordedExchange> &observations)
{
    const HttpRequest &first = observations.front().request;
    const bool single = observations.size() == 1; // nothing to compare: every value literal
    RequestPattern pattern;
    pattern.method = first.method;
    pattern.urlKind = RequestPattern::UrlKind::UrlPath;
    const qsizetype queryStart = first.url.indexOf('?');
    pattern.url = QString::fromUtf8(queryStart < 0 ? first.url : first.url.left(queryStart));
    QStringList seen;
    for (const auto &[name, value] : first.query) {
        if (seen.contains(name))
            continue;
        seen.append(name);
        const bool same
                = single || std::ranges::all_of(observations, [&](const RecordedExchange &o) {
                      return o.request.queryValues(name).value(0) == value;
                  });
        pattern.queryParameters.append(
                {name, same ? literal(ValuePattern::Op::EqualTo, value)
                            : literal(ValuePattern::Op::Matches, QStringLiteral(".*"))});
    }
    for (const HttpHeader &header : first.headers) {
        const bool same
                = single || std::ranges::all_of(observations, [&](const RecordedExchange &o) {
                      return o.request.header(header.name) == header.value;
                  });
        pattern.headers.append(
                {QString::fromUtf8(header.name),
                 same ? literal(ValuePattern::Op::EqualTo, QString::fromUtf8(header.value))
                      : literal(ValuePattern::Op::Matches, QStringLiteral(".*"))});
    }
    if (first.body.isEmpty())
        return pattern;
    if (auto json = parseJsonBody(first.body)) {
        QJsonValue expected = *json;
        for (const auto &[path, value] : single ? decltype(leavesOf(*json))() : leavesOf(*json)) {
            const bool same = std::ranges::all_of(observations, [&](const RecordedExchange &o) {
                const auto other = parseJsonBody(o.request.body);
                if (!other)
                    return false;
                for (const auto &[p, v] : leavesOf(*other))
                    if (p == path)
                        return v == value;
                return false;
            });
            if (!same)
                expected = replaceAt(expected, path, 0, QStringLiteral("${json-unit.ignore}"));
        }
        pattern.bodyPatterns.append(
                literal(ValuePattern::Op::EqualToJson, QString::fromUtf8(compact(expected))));
    } else if (validUtf8(first.body)) {
        pattern.bodyPatterns.append(
                literal(ValuePattern::Op::EqualTo, QString::fromUtf8(first.body)));
    } else {
        pattern.bodyPatterns.append(literal(ValuePattern::Op::BinaryEqualTo,
                                            QString::fromLatin1(first.body.toBase64())));
    }
    return pattern;
}

ResponseDefinition learnResponse(const std::vector<RecordedExchange> &observations)
{
    const HttpResponse &first = observations.front().response;
    ResponseDefinition response;
    response.status = first.status;
    response.body = first.body;
    response.bodyKind = validUtf8(first.body) ? ResponseDefinition::BodyKind::Text
                                              : ResponseDefinition::BodyKind::Base64;
    response.headers = first.headers;
    // A body that already holds "{{" would be read as a template: such a response stays
    // literal (the first observation), as does one seen once.
    if (first.body.contains("{{") || observations.size() == 1)
        return response;
    const std::vector<EchoSource> sources = echoSources(observations);
    bool templated = false;
    for (HttpHeader &header : response.headers) {
        std::vector<QString> values;
        for (const RecordedExchange &o : observations) {
            const auto it = std::ranges::find_if(o.response.headers, [&](const HttpHeader &h) {
                return lower(h.name) == lower(header.name);
            });
            values.push_back(it == o.response.headers.end() ? QString()
                                                            : QString::fromUtf8(it->value));
        }
        if (std::ranges::all_of(values, [&](const QString &v) { return v == values.front(); }))
            continue;
        templated = true;
        header.value = templateFor(values, QString::fromUtf8(header.value), sources).toUtf8();
    }
    response.templated = templated;
    const auto json = parseJsonBody(first.body);
    if (!json)
        return response;
    std::vector<std::pair<QString, QString>> replacements; // quoted marker → expression
    QJsonValue body = *json;
    std::vector<std::vector<std::pair<LeafPath, QJsonValue>>> others;
    for (const RecordedExchange &o : observations)
        others.push_back(leavesOf(parseJsonBody(o.response.body).value_or(QJsonValue())));
    for (const auto &[path, value] : leavesOf(*json)) {
        std::vector<QString> values;
        for (const auto &leaves : others) {
            const auto it
                    = std::ranges::find(leaves, path, &std::pair<LeafPath, QJsonValue>::first);
            values.push_back(it == leaves.end() ? QStringLiteral("\x01missing")
                                                : leafText(it->second));
        }
        if (std::ranges::all_of(values, [&](const QString &v) { return v == values.front(); }))
            continue;
        const QString marker = QStringLiteral("@@envsync-template-")
                               + QString::number(replacements.size()) + QStringLiteral("@@");
        const QString expression = templateFor(values, value, sources);
        // A string stays a string (the quotes stay around the expression); a number is bare.
        replacements.emplace_back(u'"' + marker + u'"',
                                  value.isString() ? u'"' + expression + u'"' : expression);
        body = replaceAt(body, path, 0, marker);
    }
    if (replacements.empty())
        return response;
    QString text = QString::fromUtf8(compact(body));
    for (const auto &[marker, expression] : replacements)
        text.replace(marker, expression);
    response.body = text.toUtf8();
    response.bodyKind = ResponseDefinition::BodyKind::Text;
    response.templated = true;
    return response;
}

} // namespace

QByteArray exchangeGroupKey(const RecordedExchange &exchange, bool exact)
{
    const HttpRequest &request = exchange.request;
    QByteArray key = request.method + ' ';
    const qsizetype queryStart = request.url.indexOf('?');
    key += (queryStart < 0 ? request.url : request.url.left(queryStart)) + '\n';
    QStringList names;
    for (const auto &[name, value] : request.query)
        names.append(exact ? name + u'=' + value : name);
    names.sort();
    key += names.join(u'&').toUtf8() + '\n';
    QList<QByteArray> headers;
    for (const HttpHeader &header : request.headers)
        headers.append(exact ? lower(header.name) + ':' + header.value : lower(header.name));
    std::ranges::sort(headers);
    key += headers.join('\n') + '\n';
    const auto json = parseJsonBody(request.body);
    if (json && !exact)
        key += shapeOf(*json).toUtf8();
    else if (json)
        key += compact(*json);
    else
        key += QCryptographicHash::hash(request.body, QCryptographicHash::Sha256).toHex();
    return key;
}

LearnedStep learnStep(const std::vector<RecordedExchange> &observations)
{
    return LearnedStep{learnRequest(observations), learnResponse(observations)};
}

} // namespace envsync::virt
