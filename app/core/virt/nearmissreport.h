#pragma once

#include "core/virt/httpexchange.h"

#include <QByteArray>

#include <vector>

namespace envsync::virt {

struct NearMiss;

/// The body of the 404 for an unmatched request, laid out like WireMock's ("Request was not
/// matched", then per closest stub a two-column table: what the stub expects | what came, with
/// "<<<<<" on each line that differs).
QByteArray notMatchedReport(const HttpRequest &request, const std::vector<NearMiss> &nearMisses);

} // namespace envsync::virt
