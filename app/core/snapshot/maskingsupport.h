#pragma once

#include "core/config/config.h"
#include "core/drift/schemasnapshot.h"
#include "core/error.h"
#include "core/masking/maskplan.h"

#include <memory>

namespace envsync::snapshot {

/// Resolves the salt (environment or keychain, never the config) and builds the mask plan
/// against the source schema; fails closed on unclassified columns as the config says.
[[nodiscard]] Result<std::unique_ptr<masking::MaskPlan>>
buildPlan(const config::MaskingConfig &masking, const drift::SchemaSnapshot &source);

} // namespace envsync::snapshot
