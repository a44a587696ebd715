#include "core/virt/requestmatcher.h"

#include "core/virt/regexcache.h"
#include "core/virt/requestcontext.h"

#include <algorithm>

namespace envsync::virt {

namespace {

using UrlKind = RequestPattern::UrlKind;

QString urlKindLabel(UrlKind kind)
{
    switch (kind) {
    case UrlKind::Url:
        return QStringLiteral("[url] ");
    case UrlKind::UrlPath:
        return QStringLiteral("[path] ");
    case UrlKind::UrlPattern:
        return QStringLiteral("[urlPattern] ");
    case UrlKind::UrlPathPattern:
        return QStringLiteral("[pathPattern] ");
    case UrlKind::Any:
        break;
    }
    return QStringLiteral("[any] ");
}

/// The literal text a regex's every match starts with ("/orders/" for "/orders/[0-9]+"), so
/// most URLs are turned away by a byte compare before the regex runs. Empty when unsure:
/// alternation, escapes, groups or a quantifier on the last literal character.
QByteArray literalPrefix(const QString &regex)
{
    static const QString special = QStringLiteral("\\^$.|?*+()[]{}");
    if (regex.contains(u'|'))
        return {};
    QString prefix;
    for (const QChar c : regex) {
        if (special.contains(c)) {
            if (c == u'?' || c == u'*' || c == u'+' || c == u'{')
                prefix.chop(1);
            break;
        }
        prefix.append(c);
    }
    return prefix.toUtf8();
}

QString sourceLabel(int source)
{
    static const QString labels[]
            = {QStringLiteral("query "), QStringLiteral("header "), QStringLiteral("cookie ")};
    return labels[source];
}

} // namespace

Result<RequestMatcher> RequestMatcher::compile(const RequestPattern &pattern)
{
    RequestMatcher matcher;
    matcher.m_method = pattern.method.toUpper();
    matcher.m_anyMethod = matcher.m_method == "ANY";
    matcher.m_urlKind = pattern.urlKind;
    matcher.m_url = pattern.url;
    matcher.m_urlBytes = pattern.url.toUtf8();
    if (pattern.urlKind == UrlKind::UrlPattern || pattern.urlKind == UrlKind::UrlPathPattern) {
        matcher.m_urlRegex = fullMatchRegex(pattern.url);
        matcher.m_urlLiteralPrefix = literalPrefix(pattern.url);
        if (!matcher.m_urlRegex.isValid())
            return fail(ErrorCode::Config,
                        "invalid URL regular expression: "
                                + matcher.m_urlRegex.errorString().toStdString());
    }
    auto query = compileNamed(pattern.queryParameters);
    auto headers = compileNamed(pattern.headers);
    auto cookies = compileNamed(pattern.cookies);
    for (const auto *part : {&query, &headers, &cookies}) {
        if (!*part)
            return std::unexpected(part->error());
    }
    matcher.m_query = std::move(*query);
    matcher.m_headers = std::move(*headers);
    matcher.m_cookies = std::move(*cookies);
    for (const ValuePattern &body : pattern.bodyPatterns) {
        auto compiled = ValueMatcher::compile(body);
        if (!compiled)
            return std::unexpected(compiled.error());
        matcher.m_body.push_back(std::move(*compiled));
    }
    return matcher;
}

Result<std::vector<RequestMatcher::Named>>
RequestMatcher::compileNamed(const QList<QPair<QString, ValuePattern>> &in)
{
    std::vector<Named> out;
    for (const auto &[name, pattern] : in) {
        auto compiled = ValueMatcher::compile(pattern);
        if (!compiled)
            return std::unexpected(compiled.error());
        out.push_back({name, std::move(*compiled)});
    }
    return out;
}

bool RequestMatcher::methodMatches(const RequestContext &context) const
{
    return m_anyMethod || context.request().method == m_method;
}

bool RequestMatcher::urlMatches(const RequestContext &context) const
{
    switch (m_urlKind) {
    case UrlKind::Any:
        return true;
    case UrlKind::Url:
        return context.request().url == m_urlBytes;
    case UrlKind::UrlPath:
        return context.rawPath() == m_urlBytes;
    case UrlKind::UrlPattern:
        return context.request().url.startsWith(m_urlLiteralPrefix)
               && m_urlRegex.match(context.urlText()).hasMatch();
    case UrlKind::UrlPathPattern:
        return context.rawPath().startsWith(m_urlLiteralPrefix)
               && m_urlRegex.match(context.rawPathText()).hasMatch();
    }
    return false;
}

QStringList RequestMatcher::values(const RequestContext &context, Source source,
                                   const QString &name)
{
    switch (source) {
    case Source::Query:
        return context.queryValues(name);
    case Source::Header:
        return context.headerValues(name);
    case Source::Cookie:
        return context.cookieValues(name);
    }
    return {};
}

bool RequestMatcher::namedMatch(const std::vector<Named> &patterns, const RequestContext &context,
                                Source source)
{
    return std::all_of(patterns.begin(), patterns.end(), [&](const Named &named) {
        return named.matcher.matchesAny(values(context, source, named.name));
    });
}

bool RequestMatcher::matches(const RequestContext &context) const
{
    if (!methodMatches(context) || !urlMatches(context))
        return false;
    if (!namedMatch(m_query, context, Source::Query)
        || !namedMatch(m_headers, context, Source::Header)
        || !namedMatch(m_cookies, context, Source::Cookie))
        return false;
    return std::all_of(m_body.begin(), m_body.end(),
                       [&context](const ValueMatcher &body) { return body.matchesBody(context); });
}

MatchLine RequestMatcher::urlLine(const RequestContext &context) const
{
    MatchLine line;
    line.label = QStringLiteral("url");
    line.expected = urlKindLabel(m_urlKind) + m_url;
    const bool pathOnly = m_urlKind == UrlKind::UrlPath || m_urlKind == UrlKind::UrlPathPattern;
    line.actual = pathOnly ? context.rawPathText() : context.urlText();
    if (!urlMatches(context)) {
        const bool literal = m_urlKind == UrlKind::Url || m_urlKind == UrlKind::UrlPath;
        line.distance = literal ? std::max(normalisedTextDistance(m_url, line.actual), 0.01) : 1.0;
    }
    return line;
}

void RequestMatcher::evaluateNamed(const std::vector<Named> &patterns,
                                   const RequestContext &context, Source source,
                                   std::vector<MatchLine> &lines) const
{
    for (const Named &named : patterns) {
        const QStringList found = values(context, source, named.name);
        lines.push_back({sourceLabel(int(source)) + named.name, named.matcher.describe(),
                         found.join(QStringLiteral(", ")), named.matcher.distance(found)});
    }
}

std::vector<MatchLine> RequestMatcher::evaluate(const RequestContext &context) const
{
    std::vector<MatchLine> lines;
    lines.push_back({QStringLiteral("method"), QString::fromLatin1(m_method),
                     QString::fromLatin1(context.request().method),
                     methodMatches(context) ? 0.0 : 1.0});
    lines.push_back(urlLine(context));
    evaluateNamed(m_query, context, Source::Query, lines);
    evaluateNamed(m_headers, context, Source::Header, lines);
    evaluateNamed(m_cookies, context, Source::Cookie, lines);
    for (const ValueMatcher &body : m_body) {
        const double distance = body.bodyDistance(context);
        lines.push_back({QStringLiteral("body"), body.describe(),
                         distance > 0 ? body.bodyDifference(context) : QString(), distance});
    }
    return lines;
}

} // namespace envsync::virt
