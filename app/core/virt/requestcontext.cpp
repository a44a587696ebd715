#include "core/virt/requestcontext.h"

#include "core/virt/jsonpath.h"

namespace envsync::virt {

namespace {

/// Request bodies above this are not parsed as JSON for matching (they still match as text).
constexpr qsizetype maxJsonBodyBytes = 16 * 1024 * 1024;

QJsonValue parseJson(const QByteArray &body)
{
    if (body.size() > maxJsonBodyBytes)
        return QJsonValue(QJsonValue::Undefined);
    return parseJsonValue(body);
}

} // namespace

QByteArrayView RequestContext::rawPath() const
{
    const qsizetype queryStart = m_request.url.indexOf('?');
    return queryStart < 0 ? QByteArrayView(m_request.url)
                          : QByteArrayView(m_request.url).first(queryStart);
}

const QString &RequestContext::urlText() const
{
    if (!m_urlText)
        m_urlText = QString::fromUtf8(m_request.url);
    return *m_urlText;
}

const QString &RequestContext::rawPathText() const
{
    if (!m_rawPathText)
        m_rawPathText = QString::fromUtf8(rawPath());
    return *m_rawPathText;
}

const QString &RequestContext::bodyText() const
{
    if (!m_bodyText)
        m_bodyText = QString::fromUtf8(m_request.body);
    return *m_bodyText;
}

const QJsonValue &RequestContext::bodyJson() const
{
    if (!m_bodyJson)
        m_bodyJson = parseJson(m_request.body);
    return *m_bodyJson;
}

QStringList RequestContext::headerValues(const QString &name) const
{
    QStringList values;
    for (const QByteArray &value : m_request.headerValues(name.toUtf8()))
        values.append(QString::fromUtf8(value));
    return values;
}

QStringList RequestContext::queryValues(const QString &name) const
{
    return m_request.queryValues(name);
}

QStringList RequestContext::cookieValues(const QString &name) const
{
    const std::optional<QString> value = m_request.cookie(name);
    return value ? QStringList{*value} : QStringList{};
}

} // namespace envsync::virt
