#pragma once

#include "core/virt/httpexchange.h"

class QHttpServerRequest;

namespace envsync::virt {

/// The transport-neutral request of a Qt HTTP server request (the server and the recorder):
/// the target as received (path and query, percent-encoded), the headers in order, the body.
/// A method Qt does not know becomes "UNKNOWN".
[[nodiscard]] HttpRequest fromQtRequest(const QHttpServerRequest &request);

} // namespace envsync::virt
