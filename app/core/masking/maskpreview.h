#pragma once

#include "core/config/config.h"
#include "core/drift/schemacatalog.h"
#include "core/error.h"
#include "core/job/canceltoken.h"
#include "core/masking/coverage.h"

#include <pqxx/connection>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envsync::masking {

/// One source column as a masking-rules view shows it. Holds masked outputs only: the sampled
/// source values never leave previewMasking (they must not reach logs, screens or screenshots).
struct ColumnPreview
{
    ColumnCoverage coverage;
    std::string detected;   ///< what the PII detector proposes ("email"); empty: nothing found
    double confidence = 0;  ///< of `detected`, 0..1
    std::string reason;     ///< the detector's reason (names and counts, never values)
    /// The column's transform applied to a few sampled values (nullopt: the output is NULL).
    /// Empty when nothing is shown; `note` then says why.
    std::vector<std::optional<std::string>> masked;
    std::string note; ///< "kept as is: values not shown", "no salt: ...", "no values sampled"
};

struct MaskPreview
{
    std::vector<ColumnPreview> columns;
    std::vector<std::string> problems; ///< rule problems (see CoverageReport::problems)
    bool saltAvailable = false;
    std::string saltProblem; ///< why there is no salt ("environment variable X is not set")
    int classified = 0;
    int total = 0;
};

struct PreviewOptions
{
    int sampleRows = 50;    ///< rows read per table (for the detector)
    int previewValues = 3;  ///< distinct non-NULL values masked per column
};

/// Resolves the rules against `source` (the schema of the database `connection` is open on),
/// samples each table, classifies every column (classifyColumn) and masks a few sampled values
/// with the column's transform (salt from resolveSalt; without one no value is masked and the
/// note says why). Read-only; blocking: call it on the worker that owns `connection`.
/// `cancel` is checked between tables and cancels the sample query in flight (Cancelled).
[[nodiscard]] Result<MaskPreview>
previewMasking(pqxx::connection &connection, const config::MaskingConfig &masking,
               const drift::SchemaCatalog &source, const PreviewOptions &options = {},
               const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::masking
