#pragma once

#include "core/error.h"
#include "core/job/canceltoken.h"

#include <pqxx/connection>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envsync::masking {

/// A column that looks like personal data, with the rule the detector proposes for it.
struct DetectedColumn
{
    std::string schema;
    std::string table;
    std::string column;
    std::string type;
    std::string transform;                     ///< one of config::knownTransforms()
    std::map<std::string, std::string> params; ///< scalar parameters of the proposed rule
    bool unique = false;                       ///< the column carries a unique/PK constraint
    double confidence = 0;                     ///< 0..1
    std::string reason;                        ///< "name matches 'email'; 50/50 values are e-mails"
};

/// What a name and a set of sampled values suggest (pure; the database part is detectPii).
[[nodiscard]] std::optional<DetectedColumn> classifyColumn(const std::string &column,
                                                           const std::string &type,
                                                           const std::vector<std::string> &values);

/// Proposes masking rules for the user tables of the database `connection` is open on, from
/// column names and up to `sampleRows` non-NULL values per column. Blocking; read-only;
/// `cancel` cancels the sample query in flight (Cancelled).
[[nodiscard]] Result<std::vector<DetectedColumn>>
detectPii(pqxx::connection &connection, int sampleRows,
          const std::shared_ptr<job::CancelToken> &cancel = {});

/// A "masking:\n  rules:\n" YAML snippet for the config, one flow-style rule per column with a
/// comment giving the confidence and the reason.
[[nodiscard]] std::string toYamlSnippet(const std::vector<DetectedColumn> &columns);

} // namespace envsync::masking
