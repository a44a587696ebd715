#include "core/virt/httpexchange.h"

#include <QUrl>

namespace envsync::virt {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

/// application/x-www-form-urlencoded style: '+' is a space in a query, not in a path.
QString decodeQueryPart(QByteArray part)
{
    part.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(part));
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (sameName(h.name, name))
            return h.value;
    }
    return {};
}

QList<QByteArray> HttpRequest::headerValues(QByteArrayView name) const
{
    QList<QByteArray> values;
    for (const HttpHeader &h : headers) {
        if (sameName(h.name, name))
            values.append(h.value);
    }
    return values;
}

QStringList HttpRequest::queryValues(const QString &name) const
{
    QStringList values;
    for (const auto &[key, value] : query) {
        if (key == name)
            values.append(value);
    }
    return values;
}

std::optional<QString> HttpRequest::cookie(const QString &name) const
{
    const QByteArray wanted = name.toUtf8();
    for (const HttpHeader &h : headers) {
        if (!sameName(h.name, "cookie"))
            continue;
        for (const QByteArray &pair : h.value.split(';')) {
            const QByteArray trimmed = pair.trimmed();
            const qsizetype eq = trimmed.indexOf('=');
            if (eq > 0 && trimmed.left(eq).trimmed() == wanted)
                return QString::fromUtf8(trimmed.mid(eq + 1).trimmed());
        }
    }
    return std::nullopt;
}

HttpRequest HttpRequest::fromUrl(QByteArray method, QByteArray url)
{
    HttpRequest request;
    request.method = method.toUpper();
    request.url = std::move(url);
    const qsizetype queryStart = request.url.indexOf('?');
    const QByteArray rawPath = queryStart < 0 ? request.url : request.url.left(queryStart);
    request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath));
    if (queryStart < 0)
        return request;
    const QByteArray rawQuery = request.url.mid(queryStart + 1);
    for (const QByteArray &pair : rawQuery.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = eq < 0 ? pair : pair.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        request.query.append({decodeQueryPart(key), decodeQueryPart(value)});
    }
    return request;
}

} // namespace envsync::virt
