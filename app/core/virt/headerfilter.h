#pragma once

#include "core/virt/httpexchange.h"

#include <string>
#include <vector>

namespace envsync::virt {

// Which headers travel through the recording proxy and which land in a mapping. Secrets
// (config::isSecretHeaderName) never land in a file, whatever the config says.

/// Request headers a mapping matches on: those named in `recordHeaders` (case-insensitive),
/// never a secret one.
[[nodiscard]] QList<HttpHeader>
recordableRequestHeaders(const QList<HttpHeader> &headers,
                         const std::vector<std::string> &recordHeaders);

/// Response headers a mapping answers with: all but secrets, hop-by-hop headers, Content-Length
/// (the body may change when masked), Content-Encoding and Date (the server sets its own).
[[nodiscard]] QList<HttpHeader> recordableResponseHeaders(const QList<HttpHeader> &headers);

/// Request headers forwarded to the upstream: all but hop-by-hop ones, Host, Content-Length and
/// Accept-Encoding (the proxy asks for an unencoded body so it can mask it). Credentials are
/// forwarded: the upstream needs them; they are dropped only from what is written.
[[nodiscard]] QList<HttpHeader> forwardableRequestHeaders(const QList<HttpHeader> &headers);

/// Response headers passed back to the client: all but hop-by-hop ones and Content-Length.
[[nodiscard]] QList<HttpHeader> forwardableResponseHeaders(const QList<HttpHeader> &headers);

} // namespace envsync::virt
