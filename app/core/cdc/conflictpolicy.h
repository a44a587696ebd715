#pragma once

#include "core/config/config.h"

#include <optional>
#include <string_view>

namespace envsync::cdc {

/// What a region applier does when a streamed change meets a region's own test writes (the
/// region's `conflicts:` in the config): SourceWins, Skip or Stop.
using ConflictPolicy = config::ConflictPolicy;

/// "source_wins", "skip", "stop": the config's spelling.
[[nodiscard]] std::string_view conflictPolicyName(ConflictPolicy policy);
/// The policy of a config spelling; nullopt for anything else (the config loader names it).
[[nodiscard]] std::optional<ConflictPolicy> parseConflictPolicy(std::string_view text);

} // namespace envsync::cdc
