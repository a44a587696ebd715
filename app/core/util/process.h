#pragma once

#include "core/error.h"
#include "core/job/canceltoken.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace envsync::util {

struct ProcessResult
{
    int exitCode = -1;
    std::string output; ///< stdout and stderr merged
};

/// How long a cancelled child has between SIGTERM and SIGKILL.
inline constexpr std::chrono::seconds terminateGrace{2};

/// Runs a program to completion (blocking; never call on the GUI thread). When EnvSync runs as
/// root and asPostgresUser is set, the program runs as the `postgres` OS user via runuser,
/// because initdb and postgres refuse to run as root. The child leads its own process group:
/// on `cancel` the group gets SIGTERM, then SIGKILL after terminateGrace (ErrorCode::Cancelled);
/// on timeout SIGKILL (ErrorCode::Io). A terminal's Ctrl-C thus reaches EnvSync only, which
/// stops the child through the token.
[[nodiscard]] Result<ProcessResult>
runProcess(const std::string &program, const std::vector<std::string> &arguments,
           bool asPostgresUser, std::chrono::seconds timeout = std::chrono::minutes(5),
           const std::shared_ptr<job::CancelToken> &cancel = {});

/// True when the effective user is root.
[[nodiscard]] bool runningAsRoot();

/// Hands a path to the postgres OS user when running as root (no-op otherwise).
[[nodiscard]] Result<void> giveToPostgresUser(const std::string &path);

} // namespace envsync::util
