#include "core/error.h"

#include <utility>

namespace envsync {

std::string Error::describe() const
{
    if (context.empty())
        return message;
    return context + ": " + message;
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
