#pragma once

#include "core/drift/difference.h"

#include <QJsonObject>

#include <string>
#include <vector>

namespace envsync::drift {

/// The differences of one region (or of one FROM database) against its reference.
struct RegionDrift
{
    std::string region;
    std::vector<Difference> differences;
};

/// One JSON record: {region, object_kind, schema, name, table, change, severity, details, ddl,
/// unsafe}; `details` is detailText(), `ddl` is Difference::ddl().
[[nodiscard]] QJsonObject toJsonObject(const Difference &difference, const std::string &region);
/// `change` is "missing" / "extra" / "changed" as seen from the region (regionChangeName), or
/// "added" / "removed" / "changed" FROM → TO when region is empty (a plain `diff`).
/// A JSON array of records (indented, trailing newline).
[[nodiscard]] std::string toJson(const std::vector<Difference> &differences,
                                 const std::string &region);
[[nodiscard]] std::string toJson(const std::vector<RegionDrift> &drifts);

/// An aligned plain-text table (REGION SEVERITY KIND CHANGE OBJECT DETAILS) for terminals;
/// "no drift" when there is nothing.
[[nodiscard]] std::string toTable(const std::vector<Difference> &differences,
                                  const std::string &region);
[[nodiscard]] std::string toTable(const std::vector<RegionDrift> &drifts);

/// The reconcile script of the differences (see renderScript), one block per region.
[[nodiscard]] std::string toSql(const std::vector<Difference> &differences, bool allowUnsafe);
[[nodiscard]] std::string toSql(const std::vector<RegionDrift> &drifts, bool allowUnsafe);

/// Number of differences per severity: {info, warning, breaking}.
struct SeverityCounts
{
    int info = 0;
    int warning = 0;
    int breaking = 0;
};
[[nodiscard]] SeverityCounts countBySeverity(const std::vector<Difference> &differences);

} // namespace envsync::drift
