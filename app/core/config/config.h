#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envsync::config {

/// Where in the YAML file a value came from, for error messages and edits (1-based).
struct SourceLocation
{
    int line = 0;
    int column = 0;
};

struct SourceConfig
{
    std::string name = "source";
    std::string dsn;
    bool production = true; ///< fail-safe: the source is production unless it says otherwise
    int maxParallelReads = 1;
    SourceLocation location;
};

struct GoldenConfig
{
    std::string dsn; ///< a database on the golden cluster; snapshots and envsync_control live there
    int keep = 5;
    int maxParallelRefreshes = 1;
    SourceLocation location;
};

struct WindowConfig
{
    std::string rrule;                 ///< RFC 5545 recurrence rule, e.g. "FREQ=WEEKLY;BYDAY=MO"
    int startMinutes = 0;              ///< local start time, minutes after midnight ("02:00" → 120)
    std::chrono::seconds duration{0};
    SourceLocation location;
};

struct HooksConfig
{
    std::vector<std::string> pre;  ///< SQL run in the shadow database before the swap
    std::vector<std::string> post; ///< SQL run in the shadow database after the data is in
};

/// What a region's applier does when a streamed change meets a local test write: an insert of
/// a key that exists, an update or delete of a row that is gone.
enum class ConflictPolicy { SourceWins, Skip, Stop };

struct RegionConfig
{
    std::string name;
    std::string dsn;
    std::string timezone = "UTC"; ///< IANA name
    std::optional<WindowConfig> window;
    std::chrono::seconds freshnessSla{std::chrono::hours(24 * 7)};
    std::string owner;
    std::vector<std::string> preserve; ///< tables kept from the current database on refresh
    HooksConfig hooks;
    /// A production database listed as a region (e.g. for drift): never written to.
    bool production = false;
    /// Streams the source's changes (CDC) into this region. Default: true when the config has a
    /// `cdc:` section, false otherwise.
    bool cdc = false;
    ConflictPolicy conflicts = ConflictPolicy::SourceWins;
    SourceLocation location;
};

struct BlackoutConfig
{
    std::string from; ///< ISO date, inclusive
    std::string to;   ///< ISO date, inclusive
    std::string reason;
    std::vector<std::string> regions; ///< empty: every region
    SourceLocation location;
};

/// Where the masking salt comes from; the salt itself never appears in the config.
struct SaltSource
{
    enum class Kind { None, Environment, Keychain };
    Kind kind = Kind::None;
    std::string name; ///< variable name or keychain entry
};

enum class UnclassifiedPolicy { Fail, Keep, Null };

struct MaskRule
{
    std::string column;    ///< schema.table.column
    std::string transform; ///< one of knownTransforms()
    bool unique = false;
    std::map<std::string, std::string> params; ///< transform-specific scalar parameters
    SourceLocation location;
};

struct MaskingConfig
{
    SaltSource salt;
    UnclassifiedPolicy unclassified = UnclassifiedPolicy::Fail;
    std::vector<std::string> keep; ///< columns deliberately copied unmasked
    std::vector<MaskRule> rules;
};

struct CdcConfig
{
    bool configured = false;         ///< the config has a `cdc:` section (even an empty one)
    std::string plugin = "pgoutput"; ///< pgoutput | wal2json
    std::chrono::seconds maxLag{60};
    std::chrono::seconds heartbeat{10};
    std::string spool = "cdc-spool"; ///< spool directory as written; see Config::cdcSpoolPath()
    std::string slot = "envsync";    ///< the estate's logical replication slot
    std::string publication = "envsync";
    std::vector<std::string> schemas; ///< published schemas; empty: every schema with tables
    std::int64_t maxRetainedWal = 10LL * 1024 * 1024 * 1024; ///< bytes; above it status warns
    int batch = 500; ///< at most this many source transactions per applied target transaction
};

/// A masking rule of a virtual service: what it masks in a recorded exchange and how (the
/// transform and its parameters as in masking rules; the same keys as golden).
struct ServiceMaskRule
{
    enum class Target { Json, Header, Query };
    Target target = Target::Json;
    std::string selector;  ///< a JSON path ("$.customer.email"), a header or a query parameter
    std::string transform; ///< one of knownTransforms()
    bool unique = false;
    std::map<std::string, std::string> params;
    SourceLocation location;
};

struct ServiceConfig
{
    std::string name;
    std::string region;   ///< the region whose data the service answers with; may be empty
    std::string listen;   ///< host:port
    std::string upstream; ///< http(s) URL
    std::string mappings; ///< folder of recorded stubs, relative to the config file
    std::vector<ServiceMaskRule> mask;
    std::vector<std::string> keep; ///< JSON paths deliberately recorded unmasked
    /// Request headers a recorded mapping matches on (names as written).
    std::vector<std::string> recordHeaders{"Content-Type"};
    SourceLocation location;
};

struct DriftIgnoreConfig
{
    std::vector<std::string> schemas;
    std::vector<std::string> names; ///< glob patterns over "schema.name"
    std::vector<std::string> kinds; ///< object kinds, e.g. "comment", "privilege"
};

struct TimeoutsConfig
{
    std::chrono::seconds connect{5};
    std::chrono::seconds statement{300};
};

struct Config
{
    int version = 1;
    std::string path; ///< the file it was loaded from (absolute)
    SourceConfig source;
    GoldenConfig golden;
    std::vector<RegionConfig> regions;
    std::vector<BlackoutConfig> blackouts;
    MaskingConfig masking;
    CdcConfig cdc;
    std::vector<ServiceConfig> services;
    DriftIgnoreConfig driftIgnore;
    TimeoutsConfig timeouts;

    [[nodiscard]] const RegionConfig *findRegion(const std::string &name) const;
    /// cdc.spool as an absolute path: a relative one is relative to the config file's directory.
    [[nodiscard]] std::string cdcSpoolPath() const;
    [[nodiscard]] const ServiceConfig *findService(const std::string &name) const;
    /// A service's `mappings` folder as an absolute path (relative to the config file).
    [[nodiscard]] std::string serviceMappingsPath(const ServiceConfig &service) const;
};

/// The masking transforms EnvSync knows (issue "copy-and-mask engine").
const std::vector<std::string> &knownTransforms();

} // namespace envsync::config
