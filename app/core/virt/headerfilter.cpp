#include "core/virt/headerfilter.h"

#include "core/config/secretheaders.h"

#include <algorithm>
#include <initializer_list>

namespace envsync::virt {

namespace {

bool isOneOf(const QByteArray &name, std::initializer_list<const char *> names)
{
    return std::ranges::any_of(names, [&name](const char *candidate) {
        return name.compare(candidate, Qt::CaseInsensitive) == 0;
    });
}

/// RFC 9110 7.6.1 connection-specific headers, never forwarded or recorded.
bool isHopByHop(const QByteArray &name)
{
    return isOneOf(name, {"connection", "keep-alive", "proxy-connection", "te", "trailer",
                          "transfer-encoding", "upgrade"});
}

bool isSecret(const QByteArray &name)
{
    return config::isSecretHeaderName(std::string_view(name.constData(), name.size()));
}

} // namespace

QList<HttpHeader> recordableRequestHeaders(const QList<HttpHeader> &headers,
                                           const std::vector<std::string> &recordHeaders)
{
    QList<HttpHeader> kept;
    for (const HttpHeader &header : headers) {
        if (isSecret(header.name))
            continue;
        const bool wanted = std::ranges::any_of(recordHeaders, [&header](const std::string &n) {
            return header.name.compare(QByteArrayView(n.data(), qsizetype(n.size())),
                                       Qt::CaseInsensitive)
                   == 0;
        });
        if (wanted)
            kept.append(header);
    }
    return kept;
}

QList<HttpHeader> recordableResponseHeaders(const QList<HttpHeader> &headers)
{
    QList<HttpHeader> kept;
    for (const HttpHeader &header : headers) {
        if (isSecret(header.name) || isHopByHop(header.name)
            || isOneOf(header.name, {"content-length", "content-encoding", "date"}))
            continue;
        kept.append(header);
    }
    return kept;
}

QList<HttpHeader> forwardableRequestHeaders(const QList<HttpHeader> &headers)
{
    QList<HttpHeader> kept;
    for (const HttpHeader &header : headers) {
        if (isHopByHop(header.name)
            || isOneOf(header.name, {"host", "content-length", "accept-encoding"}))
            continue;
        kept.append(header);
    }
    return kept;
}

QList<HttpHeader> forwardableResponseHeaders(const QList<HttpHeader> &headers)
{
    QList<HttpHeader> kept;
    for (const HttpHeader &header : headers) {
        if (isHopByHop(header.name) || isOneOf(header.name, {"content-length"}))
            continue;
        kept.append(header);
    }
    return kept;
}

} // namespace envsync::virt
