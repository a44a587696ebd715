#pragma once

#include "core/config/config.h"
#include "core/db/connection.h"
#include "core/error.h"

namespace envsync::db {

/// What the golden guard could establish about the golden cluster.
enum class GoldenIdentity {
    Distinct,          ///< compared with the source by system_identifier: another cluster
    SourceUnreachable, ///< the source could not be asked, so nothing is proven
};

/// The production guard for the golden cluster (DESIGN.md), run before EnvSync writes anything
/// there, the control database included: refuses (ErrorCode::Refused, exit 4) when `golden` is
/// the source's own cluster or the cluster of a region flagged `production: true` (same
/// system_identifier). Endpoints that cannot be reached are not compared; an unreachable source
/// is reported as SourceUnreachable so the caller can decide. Blocking.
[[nodiscard]] Result<GoldenIdentity> checkGoldenCluster(const config::Config &config,
                                                        pqxx::connection &golden,
                                                        const ConnectOptions &options);

/// The same, connecting to golden.dsn itself (ErrorCode::Unreachable when it cannot).
[[nodiscard]] Result<GoldenIdentity> checkGoldenCluster(const config::Config &config,
                                                        const ConnectOptions &options);

} // namespace envsync::db
