#pragma once

#include "core/config/config.h"
#include "core/db/connection.h"
#include "core/error.h"

#include <string>

namespace envsync::refresh {

/// Where a region's database lives and the names EnvSync uses next to it on the same cluster:
/// `<db>__envsync_next` (the shadow being built) and `<db>__envsync_prev` (kept for rollback).
struct RegionTarget
{
    std::string region;
    std::string database; ///< the live database's name
    std::string regionDsn;

    [[nodiscard]] std::string nextName() const { return database + "__envsync_next"; }
    [[nodiscard]] std::string prevName() const { return database + "__envsync_prev"; }
    /// Used only inside the swap transaction of a rollback.
    [[nodiscard]] std::string swapName() const { return database + "__envsync_swap"; }
    /// The region's DSN pointing at another database of the same cluster.
    [[nodiscard]] std::string dsnFor(const std::string &database) const;
    /// The maintenance database of the cluster, for CREATE/DROP/ALTER DATABASE.
    [[nodiscard]] std::string adminDsn() const { return dsnFor("postgres"); }

    /// Resolves the database name from the DSN (asking the server when the DSN has none, e.g.
    /// a service file). Fails when the name leaves no room for the suffixes (63 bytes).
    [[nodiscard]] static Result<RegionTarget> resolve(const config::RegionConfig &region,
                                                      const db::ConnectOptions &options);
};

} // namespace envsync::refresh
