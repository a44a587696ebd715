#include "core/virt/qtrequest.h"

#include <QHttpServerRequest>

namespace envsync::virt {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

} // namespace

HttpRequest fromQtRequest(const QHttpServerRequest &request)
{
    QByteArray target = request.url().toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                                | QUrl::RemoveFragment);
    if (target.isEmpty() || target.front() != '/')
        target.prepend('/');
    HttpRequest result = HttpRequest::fromUrl(methodName(request.method()), target);
    const auto headers = request.headers();
    result.headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        result.headers.append({name, value});
    result.body = request.body();
    return result;
}

} // namespace envsync::virt
