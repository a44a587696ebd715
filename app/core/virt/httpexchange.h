#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace envsync::virt {

/// One HTTP header as it travelled on the wire.
struct HttpHeader
{
    QByteArray name;
    QByteArray value;
};

/// A request as the stub engine sees it: transport-neutral, so the server, the recorder and the
/// tests build it the same way.
struct HttpRequest
{
    QByteArray method; ///< upper case, e.g. "GET"
    QByteArray url;    ///< path + optional "?query", exactly as received (percent-encoded)
    QString path;      ///< decoded path ("/customers/42")
    QList<QPair<QString, QString>> query; ///< decoded, in order, repeats kept
    QList<HttpHeader> headers;            ///< as received
    QByteArray body;

    /// Case-insensitive, first match, empty if none.
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    /// Every header value with that (case-insensitive) name, in order.
    [[nodiscard]] QList<QByteArray> headerValues(QByteArrayView name) const;
    [[nodiscard]] QStringList queryValues(const QString &name) const;
    /// The value of cookie `name` from the Cookie headers, empty if none.
    [[nodiscard]] std::optional<QString> cookie(const QString &name) const;
    /// Splits `url` into the decoded path and query (method upper-cased).
    static HttpRequest fromUrl(QByteArray method, QByteArray url);
};

struct HttpResponse
{
    int status = 200;
    QList<HttpHeader> headers;
    QByteArray body;
    std::chrono::milliseconds delay{0}; ///< fixedDelayMilliseconds
};

} // namespace envsync::virt
