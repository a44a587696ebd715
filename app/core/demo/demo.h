#pragma once

#include "core/error.h"

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

/// ${TMPDIR:-/tmp}/envsync-demo-<uid>: short enough for Unix socket paths, reachable by the
/// postgres user when we run as root.
[[nodiscard]] std::filesystem::path defaultDirectory();

/// Starts (creating and seeding on first use) the demo clusters; idempotent. Returns the path
/// of the generated envsync.yaml. Blocking: minutes at most; call from a worker in the GUI.
[[nodiscard]] Result<DemoState> up(const DemoOptions &options, const ProgressFn &progress = {});

/// Stops every demo cluster and removes the directory.
[[nodiscard]] Result<void> down(const std::filesystem::path &dir, const ProgressFn &progress = {});

/// What exists in dir and what is running.
[[nodiscard]] Result<DemoState> status(const std::filesystem::path &dir);

} // namespace envsync::demo
