#include "core/drift/severity.h"

#include <array>

namespace envsync::drift {

namespace {

using K = ObjectKind;
using C = Change;
using A = Aspect;
using S = Severity;

constexpr std::optional<K> anyKind = std::nullopt;
constexpr std::optional<C> anyChange = std::nullopt;
constexpr std::optional<A> anyAspect = std::nullopt;

// clang-format off
constexpr std::array rules = {
    SeverityRule{K::Comment,          anyChange,  anyAspect,             S::Info,     "comments never break anything"},
    SeverityRule{K::Privilege,        anyChange,  anyAspect,             S::Info,     "privileges are informational"},
    SeverityRule{anyKind,             anyChange,  A::Comment,            S::Info,     "comments never break anything"},
    SeverityRule{anyKind,             anyChange,  A::Privileges,         S::Info,     "privileges are informational"},
    SeverityRule{K::Schema,           C::Added,   A::Presence,           S::Breaking, "missing schema"},
    SeverityRule{K::Extension,        C::Added,   A::Presence,           S::Breaking, "missing extension: its types and functions are missing"},
    SeverityRule{K::Table,            C::Added,   A::Presence,           S::Breaking, "missing table"},
    SeverityRule{K::Column,           C::Added,   A::Presence,           S::Breaking, "missing column"},
    SeverityRule{K::View,             C::Added,   A::Presence,           S::Breaking, "missing view: queries fail"},
    SeverityRule{K::MaterializedView, C::Added,   A::Presence,           S::Breaking, "missing materialized view: queries fail"},
    SeverityRule{K::Function,         C::Added,   A::Presence,           S::Breaking, "missing function: callers fail"},
    SeverityRule{K::Procedure,        C::Added,   A::Presence,           S::Breaking, "missing procedure: callers fail"},
    SeverityRule{K::Enum,             C::Added,   A::Presence,           S::Breaking, "missing type"},
    SeverityRule{K::Domain,           C::Added,   A::Presence,           S::Breaking, "missing type"},
    SeverityRule{K::Type,             C::Added,   A::Presence,           S::Breaking, "missing type"},
    SeverityRule{K::Constraint,       C::Added,   A::Key,                S::Breaking, "missing primary key, unique, foreign key or exclusion constraint"},
    SeverityRule{K::Constraint,       C::Changed, A::Key,                S::Breaking, "key constraint differs"},
    SeverityRule{K::Column,           C::Changed, A::TypeIncompatible,   S::Breaking, "reference values may not fit the region's type"},
    SeverityRule{K::Domain,           C::Changed, A::TypeIncompatible,   S::Breaking, "reference values may not fit the region's type"},
    SeverityRule{K::Type,             C::Changed, A::TypeIncompatible,   S::Breaking, "reference values may not fit the region's type"},
    SeverityRule{K::Column,           C::Changed, A::NotNullAdded,       S::Breaking, "new NOT NULL"},
    SeverityRule{K::Function,         C::Changed, A::Signature,          S::Breaking, "changed function signature"},
    SeverityRule{K::Procedure,        C::Changed, A::Signature,          S::Breaking, "changed procedure signature"},
    SeverityRule{K::Enum,             C::Changed, A::EnumValuesMissing,  S::Breaking, "reference enum values are missing"},
    SeverityRule{anyKind,             anyChange,  anyAspect,             S::Warning,  "everything else: extra objects, indexes, defaults, triggers, checks, bodies"},
};
// clang-format on

} // namespace

std::span<const SeverityRule> severityRules()
{
    return rules;
}

Severity severityFor(ObjectKind kind, Change change, Aspect aspect)
{
    for (const auto &rule : rules) {
        if ((!rule.kind || *rule.kind == kind) && (!rule.change || *rule.change == change)
            && (!rule.aspect || *rule.aspect == aspect))
            return rule.severity;
    }
    return Severity::Warning;
}

std::string_view aspectName(Aspect aspect)
{
    switch (aspect) {
    case Aspect::Presence: return "presence";
    case Aspect::Key: return "key";
    case Aspect::Check: return "check";
    case Aspect::TypeCompatible: return "type (compatible)";
    case Aspect::TypeIncompatible: return "type (incompatible)";
    case Aspect::NotNullAdded: return "not null added";
    case Aspect::NotNullDropped: return "not null dropped";
    case Aspect::Default: return "default";
    case Aspect::Identity: return "identity";
    case Aspect::Generated: return "generated";
    case Aspect::Collation: return "collation";
    case Aspect::Signature: return "signature";
    case Aspect::EnumValuesMissing: return "enum values missing";
    case Aspect::EnumValuesOther: return "enum values";
    case Aspect::Definition: return "definition";
    case Aspect::Comment: return "comment";
    case Aspect::Privileges: return "privileges";
    }
    return "unknown";
}

} // namespace envsync::drift
