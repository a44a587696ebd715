#include "core/config/secretheaders.h"

#include <array>
#include <string>

namespace envsync::config {

namespace {

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace

bool isSecretHeaderName(std::string_view name)
{
    static constexpr std::array<std::string_view, 7> exact
            = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
               "api-key",       "x-auth-token"};
    static constexpr std::array<std::string_view, 6> parts
            = {"secret", "token", "apikey", "api-key", "api_key", "password"};
    const std::string text = lower(name);
    for (const std::string_view candidate : exact)
        if (text == candidate)
            return true;
    for (const std::string_view part : parts)
        if (text.find(part) != std::string::npos)
            return true;
    return false;
}

bool isHeaderName(std::string_view name)
{
    if (name.empty())
        return false;
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    for (const char c : name) {
        const bool alnum
                = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && extra.find(c) == std::string_view::npos)
            return false;
    }
    return true;
}

} // namespace envsync::config
