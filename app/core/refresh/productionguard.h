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

/// The production guard (DESIGN.md): refuses (ErrorCode::Refused, exit 4) to write to
/// - a region flagged `production: true` (always),
/// - a database on the source's own cluster (same system_identifier; always),
/// - a live database without the EnvSync marker, or with another region's marker, unless
///   `typedName` equals the region's name (`--i-know-this-is`, or the name typed in the GUI).
/// When the source cannot be reached its identity cannot be compared: that also needs the
/// typed name. A database that does not exist yet needs no marker.
[[nodiscard]] Result<void> checkWritable(const config::Config &config,
                                         const config::RegionConfig &region,
                                         const RegionTarget &target, pqxx::connection &admin,
                                         const std::string &typedName,
                                         const db::ConnectOptions &options);

} // namespace envsync::refresh
