#include "core/virt/responsetemplate.h"

#include "core/virt/jsonpath.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUuid>

#include <optional>

namespace envsync::virt {

namespace {

/// One argument of an expression: a quoted literal, a bare word (a path or a number) or
/// key=value.
struct Argument
{
    QString key; ///< empty for positional arguments
    QString value;
    bool quoted = false;
};

} // namespace

struct ResponseTemplate::Segment
{
    QString literal;           ///< set for literal text
    QString head;              ///< first word of an expression: a path or a helper name
    QList<Argument> arguments; ///< the rest
    bool expression = false;
};

namespace {

using Segment = ResponseTemplate::Segment;

QList<Argument> tokenize(QStringView text, QString *head)
{
    QList<Argument> arguments;
    qsizetype i = 0;
    bool first = true;
    while (i < text.size()) {
        while (i < text.size() && text.at(i).isSpace())
            ++i;
        if (i >= text.size())
            break;
        Argument argument;
        const qsizetype start = i;
        while (i < text.size() && !text.at(i).isSpace() && text.at(i) != u'=' && text.at(i) != u'\''
               && text.at(i) != u'"')
            ++i;
        QString word = text.mid(start, i - start).toString();
        if (i < text.size() && text.at(i) == u'=') {
            argument.key = word;
            ++i;
            word.clear();
        }
        if (i < text.size() && (text.at(i) == u'\'' || text.at(i) == u'"')) {
            const QChar quote = text.at(i++);
            const qsizetype valueStart = i;
            while (i < text.size() && text.at(i) != quote)
                ++i;
            word = text.mid(valueStart, i - valueStart).toString();
            argument.quoted = true;
            ++i;
        } else if (!argument.key.isEmpty()) {
            const qsizetype valueStart = i;
            while (i < text.size() && !text.at(i).isSpace())
                ++i;
            word = text.mid(valueStart, i - valueStart).toString();
        }
        argument.value = word;
        if (first && argument.key.isEmpty() && !argument.quoted)
            *head = word;
        else
            arguments.append(argument);
        first = false;
    }
    return arguments;
}

Segment expressionSegment(QStringView inner)
{
    Segment segment;
    segment.expression = true;
    segment.arguments = tokenize(inner.trimmed(), &segment.head);
    return segment;
}

// ---- values of the request ----------------------------------------------------------------

QByteArrayView rawPath(const HttpRequest &request)
{
    const qsizetype queryStart = request.url.indexOf('?');
    return queryStart < 0 ? QByteArrayView(request.url)
                          : QByteArrayView(request.url).first(queryStart);
}

/// "request.query.x.[1]" → ["request", "query", "x", "[1]"]; "[1]" and ".[1]" both allowed.
QStringList pathParts(const QString &path)
{
    QString normalised = path;
    normalised.replace(QStringLiteral(".["), QStringLiteral("["));
    normalised.replace(u'[', QStringLiteral(".["));
    return normalised.split(u'.', Qt::SkipEmptyParts);
}

std::optional<qsizetype> indexPart(const QStringList &parts, qsizetype at)
{
    if (at >= parts.size())
        return std::nullopt;
    const QString &part = parts.at(at);
    if (!part.startsWith(u'[') || !part.endsWith(u']'))
        return std::nullopt;
    bool ok = false;
    const qsizetype index = part.mid(1, part.size() - 2).toLongLong(&ok);
    return ok ? std::optional<qsizetype>(index) : std::nullopt;
}

QString pick(const QStringList &values, const QStringList &parts, qsizetype indexAt)
{
    if (values.isEmpty())
        return {};
    const std::optional<qsizetype> index = indexPart(parts, indexAt);
    if (!index)
        return values.first();
    const qsizetype at = *index < 0 ? values.size() + *index : *index;
    return at >= 0 && at < values.size() ? values.at(at) : QString();
}

QStringList headerValues(const HttpRequest &request, const QString &name)
{
    QStringList values;
    for (const QByteArray &value : request.headerValues(name.toUtf8()))
        values.append(QString::fromUtf8(value));
    return values;
}

QString requestValue(const HttpRequest &request, const QString &path)
{
    const QStringList parts = pathParts(path);
    if (parts.size() < 2 || parts.first() != QLatin1StringView("request"))
        return {};
    const QString &what = parts.at(1);
    if (what == QLatin1StringView("url"))
        return QString::fromUtf8(request.url);
    if (what == QLatin1StringView("path"))
        return QString::fromUtf8(rawPath(request));
    if (what == QLatin1StringView("method"))
        return QString::fromLatin1(request.method);
    if (what == QLatin1StringView("body"))
        return QString::fromUtf8(request.body);
    if (what == QLatin1StringView("pathSegments")) {
        const QStringList segments
                = QString::fromUtf8(rawPath(request)).split(u'/', Qt::SkipEmptyParts);
        return pick(segments, parts, 2);
    }
    if (parts.size() < 3)
        return {};
    if (what == QLatin1StringView("query"))
        return pick(request.queryValues(parts.at(2)), parts, 3);
    if (what == QLatin1StringView("headers"))
        return pick(headerValues(request, parts.at(2)), parts, 3);
    if (what == QLatin1StringView("cookies"))
        return request.cookie(parts.at(2)).value_or(QString());
    return {};
}

/// A positional argument's value: quoted text as it is, a bare word as a request path.
QString argumentValue(const Argument &argument, const HttpRequest &request)
{
    return argument.quoted ? argument.value : requestValue(request, argument.value);
}

QString namedArgument(const Segment &segment, QLatin1StringView key)
{
    for (const Argument &argument : segment.arguments) {
        if (argument.key == key)
            return argument.value;
    }
    return {};
}

QString errorMarker(const QString &what)
{
    return QStringLiteral("[ERROR: ") + what + u']';
}

// ---- helpers ------------------------------------------------------------------------------

QString jsonPathHelper(const Segment &segment, const HttpRequest &request)
{
    if (segment.arguments.size() < 2)
        return errorMarker(QStringLiteral("jsonPath needs a document and a path"));
    const QString document = argumentValue(segment.arguments.at(0), request);
    auto path = JsonPath::compile(segment.arguments.at(1).value);
    if (!path)
        return errorMarker(QStringLiteral("invalid JSONPath"));
    const QList<QJsonValue> found = path->evaluate(parseJsonValue(document.toUtf8()));
    if (found.isEmpty())
        return {};
    if (found.size() == 1 && path->isDefinite())
        return jsonValueText(found.first());
    QJsonArray array;
    for (const QJsonValue &value : found)
        array.append(value);
    return jsonValueText(array);
}

QString randomCharacters(const QString &alphabet, int length)
{
    QString out;
    out.reserve(length);
    auto *random = QRandomGenerator::global();
    for (int i = 0; i < length; ++i)
        out.append(alphabet.at(random->bounded(int(alphabet.size()))));
    return out;
}

QString randomValueHelper(const Segment &segment)
{
    const QString type = namedArgument(segment, QLatin1StringView("type")).toUpper();
    bool ok = false;
    int length = namedArgument(segment, QLatin1StringView("length")).toInt(&ok);
    if (!ok)
        length = 36;
    length = std::clamp(length, 0, ResponseTemplate::maxRandomLength);
    QString value;
    if (type == QLatin1StringView("UUID"))
        value = QUuid::createUuid().toString(QUuid::WithoutBraces);
    else if (type == QLatin1StringView("NUMERIC"))
        value = randomCharacters(QStringLiteral("0123456789"), length);
    else if (type == QLatin1StringView("HEXADECIMAL"))
        value = randomCharacters(QStringLiteral("0123456789abcdef"), length);
    else if (type == QLatin1StringView("ALPHABETIC"))
        value = randomCharacters(
                QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), length);
    else if (type.isEmpty() || type == QLatin1StringView("ALPHANUMERIC"))
        value = randomCharacters(
                QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
                length);
    else
        return errorMarker(QStringLiteral("randomValue type ") + type);
    if (namedArgument(segment, QLatin1StringView("uppercase")) == QLatin1StringView("true"))
        value = value.toUpper();
    return value;
}

/// "3 days", "-1 hours": WireMock's offset argument of {{now}}.
QDateTime applyOffset(QDateTime time, const QString &offset)
{
    static const QRegularExpression pattern(QStringLiteral(
            "^\\s*(-?\\d+)\\s+(seconds?|minutes?|hours?|days?|months?|years?)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(offset);
    if (!match.hasMatch())
        return time;
    const int amount = match.captured(1).toInt();
    const QString unit = match.captured(2);
    if (unit.startsWith(QLatin1StringView("second")))
        return time.addSecs(amount);
    if (unit.startsWith(QLatin1StringView("minute")))
        return time.addSecs(qint64(amount) * 60);
    if (unit.startsWith(QLatin1StringView("hour")))
        return time.addSecs(qint64(amount) * 3600);
    if (unit.startsWith(QLatin1StringView("day")))
        return time.addDays(amount);
    if (unit.startsWith(QLatin1StringView("month")))
        return time.addMonths(amount);
    return time.addYears(amount);
}

/// Java SimpleDateFormat letters to Qt's: most coincide; milliseconds differ.
QString qtDateFormat(QString javaFormat)
{
    javaFormat.replace(QStringLiteral("SSS"), QStringLiteral("zzz"));
    return javaFormat;
}

QString nowHelper(const Segment &segment)
{
    const QDateTime now = applyOffset(QDateTime::currentDateTimeUtc(),
                                      namedArgument(segment, QLatin1StringView("offset")));
    const QString format = namedArgument(segment, QLatin1StringView("format"));
    if (format.isEmpty())
        return now.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    if (format == QLatin1StringView("epoch"))
        return QString::number(now.toMSecsSinceEpoch());
    if (format == QLatin1StringView("unix"))
        return QString::number(now.toSecsSinceEpoch());
    return now.toString(qtDateFormat(format));
}

QString renderExpression(const Segment &segment, const HttpRequest &request)
{
    const QString &head = segment.head;
    if (head == QLatin1StringView("jsonPath"))
        return jsonPathHelper(segment, request);
    if (head == QLatin1StringView("randomValue"))
        return randomValueHelper(segment);
    if (head == QLatin1StringView("now"))
        return nowHelper(segment);
    if (head.startsWith(u'#') || head.startsWith(u'/') || head.startsWith(u'!'))
        return errorMarker(QStringLiteral("unsupported block ") + head);
    if (!segment.arguments.isEmpty() || head.isEmpty())
        return errorMarker(QStringLiteral("unknown helper ") + head);
    return requestValue(request, head);
}

} // namespace

ResponseTemplate ResponseTemplate::compile(const QString &text)
{
    auto segments = std::make_shared<std::vector<Segment>>();
    qsizetype at = 0;
    while (at < text.size()) {
        const qsizetype open = text.indexOf(QLatin1StringView("{{"), at);
        if (open < 0)
            break;
        const bool triple = text.mid(open, 3) == QLatin1StringView("{{{");
        const QLatin1StringView closing
                = triple ? QLatin1StringView("}}}") : QLatin1StringView("}}");
        const qsizetype innerStart = open + (triple ? 3 : 2);
        const qsizetype close = text.indexOf(closing, innerStart);
        if (close < 0)
            break; // unterminated: the rest is literal text
        if (open > at)
            segments->push_back(Segment{text.mid(at, open - at), {}, {}, false});
        segments->push_back(
                expressionSegment(QStringView(text).mid(innerStart, close - innerStart)));
        at = close + closing.size();
    }
    if (at < text.size())
        segments->push_back(Segment{text.mid(at), {}, {}, false});
    ResponseTemplate result;
    result.m_segments = std::move(segments);
    return result;
}

bool ResponseTemplate::isStatic() const
{
    return !m_segments
           || std::none_of(m_segments->begin(), m_segments->end(),
                           [](const Segment &segment) { return segment.expression; });
}

QByteArray ResponseTemplate::render(const HttpRequest &request) const
{
    if (!m_segments)
        return {};
    QString out;
    for (const Segment &segment : *m_segments)
        out += segment.expression ? renderExpression(segment, request) : segment.literal;
    return out.toUtf8();
}

} // namespace envsync::virt
