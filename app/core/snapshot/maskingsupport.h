#pragma once

#include "core/config/config.h"
#include "core/drift/schemacatalog.h"
#include "core/error.h"
#include "core/masking/hmackey.h"
#include "core/masking/maskplan.h"

#include <memory>

namespace envsync::snapshot {

/// Resolves the salt (environment or keychain, never the config) and builds the mask plan
/// against the source schema; fails closed on unclassified columns as the config says.
[[nodiscard]] Result<std::unique_ptr<masking::MaskPlan>>
buildPlan(const config::MaskingConfig &masking, const drift::SchemaCatalog &source);

/// The key of the leak-check sample a snapshot records of masked columns' source values:
/// derived from the masking salt, so the stored hashes reveal nothing without it.
[[nodiscard]] Result<masking::HmacKey> leakSampleKey(const config::MaskingConfig &masking);

} // namespace envsync::snapshot
