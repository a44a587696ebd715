#pragma once

#include "core/config/config.h"
#include "core/drift/schemasnapshot.h"
#include "core/error.h"
#include "core/masking/maskplan.h"

#include <memory>

namespace envsync::snapshot {

/// True when the masking engine is compiled into this build.
[[nodiscard]] bool maskingAvailable();

/// Resolves the salt and builds the mask plan against the source schema. Without the masking
/// engine (a partial build) only a config without rules and with `unclassified: keep` is
/// accepted, yielding nullptr (copy as is); anything else is refused: masking fails closed.
[[nodiscard]] Result<std::unique_ptr<masking::MaskPlan>>
buildPlan(const config::MaskingConfig &masking, const drift::SchemaSnapshot &source);

} // namespace envsync::snapshot
