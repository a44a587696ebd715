#include "core/error.h"

#include "core/util/trim.h"

#include <utility>

namespace envsync {


std::string Error::describe() const
{
    if (context.empty())
        return oneLine(message);
    return oneLine(context + ": " + message);
}

int Error::exitCode() const
{
    switch (code) {
    case ErrorCode::Usage:
    case ErrorCode::Config:
        return 2;
    case ErrorCode::Refused:
    case ErrorCode::RefusedUnlessConfirmed:
    case ErrorCode::RefusedSourceUnreachable:
        return 4;
    case ErrorCode::Database:
    case ErrorCode::Io:
    case ErrorCode::Unreachable:
    case ErrorCode::Cancelled:
    case ErrorCode::WrongThread:
    case ErrorCode::Internal:
        return 3;
    }
    return 3;
}

std::string oneLine(std::string_view text)
{
    std::string out;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = util::trimmed(text.substr(0, end));
        if (!line.empty()) {
            if (!out.empty())
                out += "; ";
            out += line;
        }
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return out;
}

std::unexpected<Error> fail(ErrorCode code, std::string message, std::string context)
{
    return std::unexpected(Error{code, std::move(message), std::move(context)});
}

Error withContext(Error error, const std::string &outer)
{
    error.context = error.context.empty() ? outer : outer + ": " + error.context;
    return error;
}

} // namespace envsync
