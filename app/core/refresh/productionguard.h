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

/// The production guard's answer for one target, in no front end's words: what it found, and
/// which confirmation (if any) would lift it. The CLI turns it into `--i-know-this-is NAME` /
/// `--source-unreachable-ok`, the GUI into a typed-name box / a checkbox.
struct GuardVerdict
{
    enum class Kind {
        Allowed,
        /// the target is not provably the region's database: typing `typedName` lifts it
        NeedsTypedName,
        /// the source cannot be reached to compare cluster identities: only the explicit
        /// unreachable-source confirmation lifts it, never the typed name
        NeedsSourceUnreachableOk,
        Refused, ///< never lifted (production: true, the source's own cluster)
    };
    Kind kind = Kind::Allowed;
    std::string reason;    ///< what the guard found; empty when allowed
    std::string typedName; ///< NeedsTypedName: the name the user must type (the region's)

    [[nodiscard]] bool allowed() const { return kind == Kind::Allowed; }
};

/// The production guard (DESIGN.md) on a write to `target`, with the confirmations given:
/// - Refused: a region flagged `production: true`; a database on the source's own cluster
///   (same system_identifier);
/// - NeedsSourceUnreachableOk: the source cannot be reached, so its identity cannot be
///   compared (unless `sourceUnreachableOk`);
/// - NeedsTypedName: a live database without the EnvSync marker, or with another region's
///   marker (unless `typedName` equals the region's name).
/// A database that does not exist yet needs no marker. An Error only when it could not look.
[[nodiscard]] Result<GuardVerdict>
judgeWritable(const config::Config &config, const config::RegionConfig &region,
              const RegionTarget &target, pqxx::connection &admin,
              const GuardConfirmations &confirmations, const db::ConnectOptions &options);

/// A verdict that is not Allowed as the Error of a refused job (exit 4): ErrorCode::Refused,
/// RefusedSourceUnreachable (Refusal::SourceUnreachable) or RefusedUnlessConfirmed
/// (Refusal::UnmarkedTarget, Error::confirmName = the name to type); `who` is its context.
[[nodiscard]] Error refusalOf(const GuardVerdict &verdict, const std::string &who);

/// judgeWritable as a Result for job code: success only when Allowed, else refusalOf.
[[nodiscard]] Result<void> checkWritable(const config::Config &config,
                                         const config::RegionConfig &region,
                                         const RegionTarget &target, pqxx::connection &admin,
                                         const GuardConfirmations &confirmations,
                                         const db::ConnectOptions &options);

} // namespace envsync::refresh
