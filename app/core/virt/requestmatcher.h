#pragma once

#include "core/error.h"
#include "core/virt/stubmapping.h"
#include "core/virt/valuematcher.h"

#include <QRegularExpression>

#include <vector>

namespace envsync::virt {

class RequestContext;

/// One criterion of a request pattern as a near-miss report shows it.
struct MatchLine
{
    QString label;         ///< "method", "url", "header Accept", "body"
    QString expected;      ///< "POST", "[path] /j", "equalTo application/json"
    QString actual;        ///< what the request had
    double distance = 0.0; ///< 0 == this criterion matched
};

/// A RequestPattern made ready to match (regexes compiled, JSON parsed). Immutable.
class RequestMatcher
{
public:
    static Result<RequestMatcher> compile(const RequestPattern &pattern);

    [[nodiscard]] bool matches(const RequestContext &context) const;
    /// Every criterion with its distance, for near-miss reports (the slow path).
    [[nodiscard]] std::vector<MatchLine> evaluate(const RequestContext &context) const;

private:
    struct Named
    {
        QString name;
        ValueMatcher matcher;
    };
    enum class Source { Query, Header, Cookie };

    static Result<std::vector<Named>> compileNamed(const QList<QPair<QString, ValuePattern>> &in);
    bool methodMatches(const RequestContext &context) const;
    bool urlMatches(const RequestContext &context) const;
    static QStringList values(const RequestContext &context, Source source, const QString &name);
    static bool namedMatch(const std::vector<Named> &patterns, const RequestContext &context,
                           Source source);
    void evaluateNamed(const std::vector<Named> &patterns, const RequestContext &context,
                       Source source, std::vector<MatchLine> &lines) const;
    MatchLine urlLine(const RequestContext &context) const;

    QByteArray m_method;
    bool m_anyMethod = true;
    RequestPattern::UrlKind m_urlKind = RequestPattern::UrlKind::Any;
    QString m_url;
    QByteArray m_urlBytes;
    QRegularExpression m_urlRegex;
    QByteArray m_urlLiteralPrefix; ///< what every URL the regex accepts starts with

    std::vector<Named> m_query, m_headers, m_cookies;
    std::vector<ValueMatcher> m_body;
};

} // namespace envsync::virt
