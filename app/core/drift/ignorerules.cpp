#include "core/drift/ignorerules.h"

#include "core/config/config.h"

#include <fnmatch.h>

#include <algorithm>

namespace envsync::drift {

bool IgnoreRules::matches(const Difference &difference) const
{
    if (std::ranges::find(schemas, difference.schema) != schemas.end())
        return true;
    const std::string_view kind = kindName(difference.kind);
    if (std::ranges::find(kinds, kind) != kinds.end())
        return true;
    const std::string qualified = difference.qualifiedName();
    return std::ranges::any_of(names, [&](const std::string &glob) {
        return ::fnmatch(glob.c_str(), qualified.c_str(), 0) == 0;
    });
}

IgnoreRules IgnoreRules::fromConfig(const config::DriftIgnoreConfig &config)
{
    return {config.schemas, config.names, config.kinds};
}

std::vector<Difference> applyIgnoreRules(std::vector<Difference> differences,
                                         const IgnoreRules &rules)
{
    if (rules.empty())
        return differences;
    std::erase_if(differences, [&](const Difference &d) { return rules.matches(d); });
    return differences;
}

} // namespace envsync::drift
