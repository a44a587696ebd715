#pragma once

#include "core/virt/httpexchange.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace envsync::virt {

/// One request while it is being matched: the forms matchers compare against (raw URL text,
/// body as text, body as JSON) computed once, on first use, and shared by every stub tried.
/// Lives on one thread for one respond() call.
class RequestContext
{
public:
    explicit RequestContext(const HttpRequest &request)
        : m_request(request)
    {
    }

    [[nodiscard]] const HttpRequest &request() const { return m_request; }
    /// Path and query as received (percent-encoded): WireMock matches URLs in this form.
    [[nodiscard]] QByteArrayView rawPath() const;
    [[nodiscard]] const QString &urlText() const;
    [[nodiscard]] const QString &rawPathText() const;
    [[nodiscard]] const QString &bodyText() const;
    /// The body parsed as JSON; undefined when it is not JSON.
    [[nodiscard]] const QJsonValue &bodyJson() const;
    /// Values of a header (case-insensitive name) or a query parameter, in order.
    [[nodiscard]] QStringList headerValues(const QString &name) const;
    [[nodiscard]] QStringList queryValues(const QString &name) const;
    [[nodiscard]] QStringList cookieValues(const QString &name) const;

private:
    const HttpRequest &m_request;
    mutable std::optional<QString> m_urlText, m_rawPathText, m_bodyText;
    mutable std::optional<QJsonValue> m_bodyJson;
};

} // namespace envsync::virt
