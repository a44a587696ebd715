#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace envsync {

/// What kind of failure an Error is; maps one-to-one onto the CLI's exit codes.
enum class ErrorCode {
    Usage,       ///< bad command line or input (exit 2)
    Config,      ///< invalid configuration (exit 2)
    Database,    ///< a database call failed (exit 3)
    Io,          ///< file or process failure (exit 3)
    Unreachable, ///< could not connect (exit 3)
    Refused,     ///< a safety guard said no (exit 4)
    /// a safety guard said no, but typing the target's name lifts it (exit 4): the CLI's
    /// `--i-know-this-is NAME`, the GUI's typed confirmation
    RefusedUnlessConfirmed,
    /// a safety guard said no because the source could not be reached to prove the target is
    /// not production (exit 4); only the explicit unreachable-source override lifts it (the
    /// CLI's `--source-unreachable-ok`, the GUI's checkbox), never the typed name
    RefusedSourceUnreachable,
    Cancelled,   ///< the user cancelled (exit 3)
    WrongThread, ///< a blocking call was attempted on the GUI thread (programming error)
    Internal,    ///< a bug (exit 3)
};

/// Which rule a refusal (or a usage error about an override) comes from, so each front end can
/// say how to lift it in its own words: the CLI names flags, the GUI names its controls. Core
/// messages say only what happened, never how to override it.
enum class Refusal {
    None,
    OutsideWindow,         ///< outside the region's refresh window (the window override lifts it)
    OverrideWithoutReason, ///< the window override was asked for without a reason
    /// the target is not provably the region's database (no EnvSync marker, or another
    /// region's): typing Error::confirmName lifts it (ErrorCode::RefusedUnlessConfirmed)
    UnmarkedTarget,
    /// the source could not be reached to prove the target is not production: only the
    /// unreachable-source override lifts it (ErrorCode::RefusedSourceUnreachable)
    SourceUnreachable,
    /// fail-closed masking met columns without a rule or keep entry: a config change lifts it
    UnclassifiedColumns,
};

/// What a failure found missing, so each front end can say how to make it (the CLI names its
/// commands, the GUI its tabs and buttons).
enum class Missing {
    None,
    AnySnapshot,   ///< there is no ready golden snapshot at all
    NamedSnapshot, ///< no ready snapshot has the name asked for
    Environment,   ///< no environment made by EnvSync has the name asked for
    Demo,          ///< no demo estate in the directory
    IntactDemo,    ///< the demo's state file is damaged: tearing the demo down mends it
};

/// A failure with enough context for one clear line: "region eu: connect: could not ...".
/// Never holds secrets: callers pass messages from libpq/libpqxx, which never echo passwords.
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    std::string context; ///< e.g. "region eu", "config.yaml:12:7", "table public.orders"
    Refusal refusal = Refusal::None; ///< set where a front end should explain the override
    std::string confirmName
            = {}; ///< Refusal::UnmarkedTarget: the name a typed confirmation must match
    Missing missing = Missing::None; ///< set where a front end should say how to make it

    /// "context: message", or just the message without context.
    [[nodiscard]] std::string describe() const;
    /// Exit code of the CLI contract (DESIGN.md): 2 usage/config, 3 runtime, 4 refused.
    [[nodiscard]] int exitCode() const;
};

template<typename T>
using Result = std::expected<T, Error>;

/// Shorthand for returning failures: `return fail(ErrorCode::Io, "cannot open", path);`
[[nodiscard]] std::unexpected<Error> fail(ErrorCode code, std::string message,
                                          std::string context = {});

/// Folds a multi-line text (libpq's connection errors, tool output) into one line: lines are
/// trimmed and joined with "; ", empty lines dropped. Errors print as one line each.
[[nodiscard]] std::string oneLine(std::string_view text);

/// Prefixes more context onto an existing error ("region eu" + "connect" → "region eu: connect").
[[nodiscard]] Error withContext(Error error, const std::string &outer);

} // namespace envsync
