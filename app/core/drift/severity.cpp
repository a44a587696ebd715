#include "core/drift/severity.h"


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
constexpr SeverityRule rules[] = {
//   kind                  change      aspect                 severity     why
    {K::Comment,           anyChange,  anyAspect,             S::Info,     "comment only"},
    {K::Privilege,         anyChange,  anyAspect,             S::Info,     "informational"},
    {anyKind,              anyChange,  A::Comment,            S::Info,     "comment only"},
    {anyKind,              anyChange,  A::Privileges,         S::Info,     "informational"},
    {K::Schema,            C::Added,   A::Presence,           S::Breaking, "missing schema"},
    {K::Extension,         C::Added,   A::Presence,           S::Breaking, "missing extension"},
    {K::Table,             C::Added,   A::Presence,           S::Breaking, "missing table"},
    {K::Column,            C::Added,   A::Presence,           S::Breaking, "missing column"},
    {K::View,              C::Added,   A::Presence,           S::Breaking, "missing view"},
    {K::MaterializedView,  C::Added,   A::Presence,           S::Breaking, "missing matview"},
    {K::Function,          C::Added,   A::Presence,           S::Breaking, "missing function"},
    {K::Procedure,         C::Added,   A::Presence,           S::Breaking, "missing procedure"},
    {K::Enum,              C::Added,   A::Presence,           S::Breaking, "missing type"},
    {K::Domain,            C::Added,   A::Presence,           S::Breaking, "missing type"},
    {K::Type,              C::Added,   A::Presence,           S::Breaking, "missing type"},
    {K::Collation,         C::Added,   A::Presence,           S::Breaking, "missing collation"},
    {K::Constraint,        C::Added,   A::Key,                S::Breaking, "missing key"},
    {K::Constraint,        C::Changed, A::Key,                S::Breaking, "key differs"},
    {K::Column,            C::Changed, A::TypeIncompatible,   S::Breaking, "data may not fit"},
    {K::Domain,            C::Changed, A::TypeIncompatible,   S::Breaking, "data may not fit"},
    {K::Type,              C::Changed, A::TypeIncompatible,   S::Breaking, "data may not fit"},
    {K::Column,            C::Changed, A::NotNullAdded,       S::Breaking, "new NOT NULL"},
    {K::Function,          C::Changed, A::Signature,          S::Breaking, "changed signature"},
    {K::Procedure,         C::Changed, A::Signature,          S::Breaking, "changed signature"},
    {K::Enum,              C::Changed, A::EnumValuesMissing,  S::Breaking, "values missing"},
    {anyKind,              anyChange,  anyAspect,             S::Warning,  "everything else"},
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
    case Aspect::Presence:
        return "presence";
    case Aspect::Key:
        return "key";
    case Aspect::Check:
        return "check";
    case Aspect::TypeCompatible:
        return "type (compatible)";
    case Aspect::TypeIncompatible:
        return "type (incompatible)";
    case Aspect::NotNullAdded:
        return "not null added";
    case Aspect::NotNullDropped:
        return "not null dropped";
    case Aspect::Default:
        return "default";
    case Aspect::Identity:
        return "identity";
    case Aspect::Generated:
        return "generated";
    case Aspect::Collation:
        return "collation";
    case Aspect::Signature:
        return "signature";
    case Aspect::EnumValuesMissing:
        return "enum values missing";
    case Aspect::EnumValuesOther:
        return "enum values";
    case Aspect::Definition:
        return "definition";
    case Aspect::Comment:
        return "comment";
    case Aspect::Privileges:
        return "privileges";
    }
    return "unknown";
}

} // namespace envsync::drift
