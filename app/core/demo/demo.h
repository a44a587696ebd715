#pragma once

#include "core/error.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace envsync::demo {

struct DemoOptions
{
    std::filesystem::path dir; ///< empty: defaultDirectory()
    int rows = 100000;         ///< orders; customers = rows / 4, items ≈ 2 × rows
};

/// One line of progress ("starting cluster eu", "seeding source") for a terminal or a log.
using ProgressFn = std::function<void(const std::string &step)>;

struct DemoCluster
{
    std::string name; ///< source, golden, eu, us, apac
    int port = 0;
    bool running = false;
};

struct DemoState
{
    std::filesystem::path dir;
    std::filesystem::path configPath;
    std::vector<DemoCluster> clusters;
};

/// A rough wall-clock time for seeding `rows` orders into the four shop clusters at once,
/// measured on a 2-core machine (seeding is bound by the CPUs; more cores help little since each
/// cluster seeds in one session). Said before seeding so nobody kills a 20M-row `up` as hung.
[[nodiscard]] std::chrono::seconds seedEstimate(int rows);

/// "45 s", "3 min 20 s", "1 h 05 min".
[[nodiscard]] std::string durationText(std::chrono::seconds duration);

/// ${TMPDIR:-/tmp}/envsync-demo-<uid>: short enough for Unix socket paths, reachable by the
/// postgres user when we run as root.
[[nodiscard]] std::filesystem::path defaultDirectory();

/// Starts (creating and seeding on first use) the demo clusters; idempotent. Returns the path
/// of the generated envsync.yaml. A new or empty directory gets the marker .envsync-demo
/// first; a symlink, a non-directory or a non-empty directory without that marker (one EnvSync
/// wrote, owned by this user) is refused with ErrorCode::Usage and left untouched. Blocking:
/// minutes at most; call from a worker in the GUI.
[[nodiscard]] Result<DemoState> up(const DemoOptions &options, const ProgressFn &progress = {});

/// Stops every demo cluster and deletes what `up` created (the marker says the directory is
/// a demo; only the demo's own file names are removed, then the directory if `up` created it
/// and nothing else is left in it). A missing directory or an empty one without the marker is
/// a no-op; a symlink or a directory with files but no marker is refused (ErrorCode::Usage).
[[nodiscard]] Result<void> down(const std::filesystem::path &dir, const ProgressFn &progress = {});

/// What exists in dir and what is running.
[[nodiscard]] Result<DemoState> status(const std::filesystem::path &dir);

} // namespace envsync::demo
