#include "conflictpolicy.h"

namespace envsync::cdc {

std::string_view conflictPolicyName(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::SourceWins:
        return "source_wins";
    case ConflictPolicy::Skip:
        return "skip";
    case ConflictPolicy::Stop:
        return "stop";
    }
    return "source_wins";
}

std::optional<ConflictPolicy> parseConflictPolicy(std::string_view text)
{
    for (const auto policy :
         {ConflictPolicy::SourceWins, ConflictPolicy::Skip, ConflictPolicy::Stop}) {
        if (conflictPolicyName(policy) == text)
            return policy;
    }
    return std::nullopt;
}

} // namespace envsync::cdc
