#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <QDateTime>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace envsync::env {

/// An ephemeral database cloned from a golden snapshot (envsync.environments).
struct EnvironmentInfo
{
    std::string name; ///< also the database name on the golden cluster
    std::string snapshot;
    std::string owner;
    QDateTime createdAt;
    QDateTime expiresAt;
    std::string createdBy;
    std::string dsn;     ///< how to connect (the golden DSN with dbname = name)
    bool exists = true;  ///< false: the catalogue row outlived its database
    [[nodiscard]] bool expired(const QDateTime &nowUtc) const { return expiresAt <= nowUtc; }
};

struct CreateOptions
{
    std::string name;
    std::string snapshot; ///< empty: the newest ready one
    std::chrono::seconds ttl{std::chrono::hours(4)};
    std::string owner; ///< empty: the actor
    std::string actor; ///< empty: the OS user
};

/// Rejects names that are not plain lower-case identifiers or that collide with what EnvSync
/// keeps on the golden cluster (golden_vN, envsync_control, template*, postgres).
[[nodiscard]] Result<void> validateName(const std::string &name);

/// CREATE DATABASE name TEMPLATE golden_vN STRATEGY FILE_COPY on the golden cluster, marked
/// and catalogued with its owner and expiry. Blocking. `cancel` cancels the clone in flight;
/// a cancelled create leaves no database and no catalogue row (Cancelled).
[[nodiscard]] Result<EnvironmentInfo>
createEnvironment(const config::Config &config, const CreateOptions &options,
                  const std::shared_ptr<job::CancelToken> &cancel = {});
/// Every catalogued environment, soonest expiry first.
[[nodiscard]] Result<std::vector<EnvironmentInfo>>
listEnvironments(const config::Config &config,
                 const std::shared_ptr<job::CancelToken> &cancel = {});
/// Drops a catalogued environment, and only when its database carries the environment marker
/// `env create` wrote: a catalogue row naming any other database (golden_v1, a region's …) is
/// refused (ErrorCode::Refused, exit 4) and the refusal audited. A row whose database is gone
/// is just forgotten.
[[nodiscard]] Result<void> dropEnvironment(const config::Config &config, const std::string &name,
                                           const std::string &actor = {},
                                           const std::shared_ptr<job::CancelToken> &cancel = {});

/// What `env gc` did: one refused row does not keep the other expired environments alive.
struct CollectResult
{
    std::vector<std::string> dropped;
    std::vector<Error> refused; ///< catalogued databases without the environment marker
};
/// Drops every environment expired at `nowUtc` (see dropEnvironment).
[[nodiscard]] Result<CollectResult> collectExpired(const config::Config &config,
                                                   const QDateTime &nowUtc);

} // namespace envsync::env
