#pragma once

#include <string_view>

namespace envsync::config {

/// True for a header that carries credentials and must never be written into a recording:
/// Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, Api-Key, X-Auth-Token and
/// any name containing "secret", "token", "apikey"/"api-key"/"api_key" or "password"
/// (case-insensitive). Used by the config check (record_headers) and the recorder.
[[nodiscard]] bool isSecretHeaderName(std::string_view name);

/// An HTTP header field name (RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~).
[[nodiscard]] bool isHeaderName(std::string_view name);

} // namespace envsync::config
