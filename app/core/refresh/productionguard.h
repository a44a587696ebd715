#pragma once

#include "core/config/config.h"
#include "core/db/connection.h"
#include "core/error.h"
#include "core/refresh/regiontarget.h"

#include <optional>
#include <string>

namespace envsync::refresh {

/// What EnvSync wrote on a database it manages (database-level settings, so they follow the
/// database through renames and never reach the data).
struct Marker
{
    std::string region;   ///< envsync.region
    std::string snapshot; ///< envsync.snapshot: the golden snapshot it was built from
};

/// The marker of `database` on the cluster behind `admin`, if any.
[[nodiscard]] Result<std::optional<Marker>> readMarker(pqxx::connection &admin,
                                                       const std::string &database,
                                                       const std::string &who);
/// Writes the marker (ALTER DATABASE … SET envsync.region / envsync.snapshot).
[[nodiscard]] Result<void> writeMarker(pqxx::connection &admin, const std::string &database,
                                       const Marker &marker, const std::string &who);

/// What the user confirmed to lift the guards that can be lifted; each lifts only its own.
struct GuardConfirmations
{
    std::string typedName;            ///< `--i-know-this-is`, or the name typed in the GUI
    bool sourceUnreachableOk = false; ///< `--source-unreachable-ok`, or the GUI's checkbox
};

/// The production guard (DESIGN.md): refuses (exit 4) to write to
/// - a region flagged `production: true` (always; ErrorCode::Refused),
/// - a database on the source's own cluster (same system_identifier; always; Refused),
/// - any cluster while the source cannot be reached, since its identity cannot be compared,
///   unless `sourceUnreachableOk` (ErrorCode::RefusedSourceUnreachable),
/// - a live database without the EnvSync marker, or with another region's marker, unless
///   `typedName` equals the region's name (ErrorCode::RefusedUnlessConfirmed).
/// A database that does not exist yet needs no marker.
[[nodiscard]] Result<void> checkWritable(const config::Config &config,
                                         const config::RegionConfig &region,
                                         const RegionTarget &target, pqxx::connection &admin,
                                         const GuardConfirmations &confirmations,
                                         const db::ConnectOptions &options);

} // namespace envsync::refresh
