#pragma once

#include "core/config/config.h"
#include "core/drift/driftformat.h"
#include "core/drift/schemacatalog.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envsync::drift {

enum class Reference { Golden, Source };

struct DriftRequest
{
    std::optional<std::string> region; ///< empty: every region
    Reference against = Reference::Golden;
};

/// The outcome of comparing regions with their reference.
struct DriftReport
{
    std::string referenceName;     ///< "golden_v3" or "source prod"
    bool fellBackToSource = false; ///< asked for golden, but no snapshot exists yet
    SchemaCatalog reference;
    std::vector<RegionDrift> drifts;                 ///< regions that could be compared
    std::map<std::string, SchemaCatalog> snapshots;  ///< region → its schema (detail views)
    std::vector<Error> errors;                       ///< regions that could not be read
    std::vector<std::string> errorRegions;           ///< the region of each of `errors`, same order

    [[nodiscard]] bool anyDrift() const;
    /// The error of a region that could not be read; nullptr when it was compared (or not
    /// asked for). Looked up by region name, never by parsing the error's text.
    [[nodiscard]] const Error *errorOf(const std::string &region) const;
};

/// Called once per region, in config order, as its comparison is complete (calling thread).
using RegionDoneFn = std::function<void(const std::string &region, int done, int total)>;

/// Snapshots the reference (the newest golden snapshot, else the source) and every requested
/// region in parallel, each on its own connection, and diffs them (FROM = region, TO =
/// reference) with the config's drift.ignore rules. Blocking: call from a worker. Fails only
/// when the reference cannot be read, the region is unknown or `cancel` fires (Cancelled: the
/// catalog queries in flight are cancelled on the servers); an unreachable region is reported
/// in `errors` and the others are still compared.
[[nodiscard]] Result<DriftReport> checkDrift(const config::Config &config,
                                             const DriftRequest &request,
                                             const RegionDoneFn &onRegionDone = {},
                                             const std::shared_ptr<job::CancelToken> &cancel = {});

/// Connects to `dsn` and snapshots it ("who" names it in errors).
[[nodiscard]] Result<SchemaCatalog> snapshotDatabase(const std::string &dsn, const std::string &who,
                                                     const config::TimeoutsConfig &timeouts,
                                                     const std::shared_ptr<job::CancelToken> &cancel
                                                     = {});

} // namespace envsync::drift
