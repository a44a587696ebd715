#pragma once

#include "core/config/configloader.h"
#include "core/error.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace envsync::cli {

/// Exit codes of the CLI contract (DESIGN.md).
enum Exit : int { Ok = 0, Found = 1, Usage = 2, Runtime = 3, Refused = 4 };

/// Prints "envsyncctl: <message>" on stderr.
void printError(const std::string &message);
/// An Error as one line in the command line's words: core's message plus how to lift a refusal
/// (`--i-know-this-is NAME`, …) or make what was missing (`envsyncctl snapshot create`, …).
[[nodiscard]] std::string describe(const Error &error);
/// Prints an Error (as describe) and returns its exit code.
int reportError(const Error &error);

/// Parses a subcommand's arguments (args[0] is "envsyncctl <command>"); handles --help.
/// Returns an exit code when the command should stop here (help shown, or a usage error).
[[nodiscard]] std::optional<int> parseCommandLine(QCommandLineParser &parser,
                                                  const QStringList &args);

/// Checks --format against `allowed` ({"table", "json"}); prints "--format must be table or
/// json, not \"x\"" and returns Exit::Usage when it is none of them.
[[nodiscard]] std::optional<int> requireFormat(const QCommandLineParser &parser,
                                               const std::vector<std::string> &allowed);

/// Adds the usual "-c, --config FILE" option.
void addConfigOption(QCommandLineParser &parser);
/// Loads the config named by -c, printing every diagnostic; nullopt means exit 2.
[[nodiscard]] std::optional<config::Config> loadConfigOrReport(const QCommandLineParser &parser);

int runValidate(const QStringList &args);
int runDemo(const QStringList &args);
int runStatus(const QStringList &args);
int runDiff(const QStringList &args);
int runDrift(const QStringList &args);
int runSnapshot(const QStringList &args);
int runMask(const QStringList &args);
int runRefresh(const QStringList &args);
int runRollback(const QStringList &args);
int runEnv(const QStringList &args);
int runCalendar(const QStringList &args);
int runAgent(const QStringList &args);
int runReport(const QStringList &args);
int runCdc(const QStringList &args);
int runVirt(const QStringList &args);

} // namespace envsync::cli
