#pragma once

#include "core/virt/exchangemasker.h"
#include "core/virt/stubmapping.h"

#include <QByteArray>

#include <vector>

namespace envsync::virt {

/// One step of recorded traffic as a mapping will hold it: the request pattern and the answer.
struct LearnedStep
{
    RequestPattern request;
    ResponseDefinition response;
};

/// Exchanges that may be the same step seen in different learning passes: same method, path,
/// query parameter names, recorded header names and JSON body shape (member names and value
/// types, not values). With `exact` (no learning) the values count too: only identical requests
/// share a key, so rewriting a group touches one request's files.
[[nodiscard]] QByteArray exchangeGroupKey(const RecordedExchange &exchange, bool exact);

/// Builds a step from its observations (the same step seen once per learning pass; one
/// observation: everything literal). Values that differ between observations are volatile:
/// in the request they match anything (`${json-unit.ignore}` in equalToJson, `matches ".*"`
/// for query parameters and headers); in the response they become response templates: an echo
/// of the request value they always equal, else a random value or the current time of the
/// same shape. Observations must share exchangeGroupKey.
[[nodiscard]] LearnedStep learnStep(const std::vector<RecordedExchange> &observations);

} // namespace envsync::virt
