#pragma once

#include "core/drift/difference.h"

#include <string>
#include <vector>

namespace envsync::config {
struct DriftIgnoreConfig;
}

namespace envsync::drift {

/// Differences to leave out of a drift report (the config's `drift.ignore`).
struct IgnoreRules
{
    std::vector<std::string> schemas; ///< exact schema names
    /// Globs (`*`, `?`, `[...]`) over "schema.name", e.g. "public.tmp_*", "public.customers.*";
    /// for table-scoped objects the name is "table.object".
    std::vector<std::string> names;
    std::vector<std::string> kinds; ///< kindName() values: "comment", "index", …

    [[nodiscard]] bool empty() const { return schemas.empty() && names.empty() && kinds.empty(); }
    [[nodiscard]] bool matches(const Difference &difference) const;

    [[nodiscard]] static IgnoreRules fromConfig(const config::DriftIgnoreConfig &config);
};

/// Removes the differences `rules` match.
[[nodiscard]] std::vector<Difference> applyIgnoreRules(std::vector<Difference> differences,
                                                       const IgnoreRules &rules);

} // namespace envsync::drift
