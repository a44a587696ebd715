#pragma once

#include <optional>
#include <string_view>

namespace envsync::cdc {

/// What a region applier does when a streamed change meets a region's own test writes: an
/// insert whose key exists, an update or delete whose row is gone.
enum class ConflictPolicy {
    SourceWins, ///< the source's row replaces or re-creates the region's (the default)
    Skip,       ///< the change is dropped, counted per table
    Stop,       ///< the applier stops with an error naming region and table
};

/// "source_wins", "skip", "stop": the config's spelling.
[[nodiscard]] std::string_view conflictPolicyName(ConflictPolicy policy);
/// The policy of a config spelling; nullopt for anything else (the config loader names it).
[[nodiscard]] std::optional<ConflictPolicy> parseConflictPolicy(std::string_view text);

} // namespace envsync::cdc
