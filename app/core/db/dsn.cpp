#include "core/db/dsn.h"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <memory>

namespace envsync::db {

namespace {

struct ConninfoFree
{
    void operator()(PQconninfoOption *options) const { PQconninfoFree(options); }
};

std::string quoteConninfoValue(const std::string &value)
{
    std::string quoted = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    quoted += '\'';
    return quoted;
}

/// libpq takes "5432" or a comma list for multiple hosts; it only complains at connect time.
bool validPortList(const std::string &ports)
{
    std::size_t start = 0;
    while (start <= ports.size()) {
        const std::size_t end = std::min(ports.find(',', start), ports.size());
        const std::string port = ports.substr(start, end - start);
        if (port.empty() || port.size() > 5
            || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) == 0
            || std::stoi(port) > 65535)
            return false;
        start = end + 1;
    }
    return true;
}

} // namespace

Result<Dsn> Dsn::parse(const std::string &text)
{
    char *errorMessage = nullptr;
    std::unique_ptr<PQconninfoOption, ConninfoFree> options(PQconninfoParse(text.c_str(),
                                                                            &errorMessage));
    if (!options) {
        std::string message = errorMessage ? errorMessage : "out of memory";
        PQfreemem(errorMessage);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
            message.pop_back();
        return fail(ErrorCode::Config, "malformed DSN: " + message);
    }
    Dsn dsn;
    for (const PQconninfoOption *option = options.get(); option->keyword; ++option) {
        if (option->val)
            dsn.m_params[option->keyword] = option->val;
    }
    if (dsn.has("port") && !validPortList(dsn.value("port")))
        return fail(ErrorCode::Config, "malformed DSN: invalid port \"" + dsn.value("port") + '"');
    return dsn;
}

Dsn Dsn::fromParameters(std::map<std::string, std::string> parameters)
{
    Dsn dsn;
    dsn.m_params = std::move(parameters);
    return dsn;
}

bool Dsn::has(const std::string &keyword) const
{
    return m_params.contains(keyword);
}

std::string Dsn::value(const std::string &keyword) const
{
    const auto it = m_params.find(keyword);
    return it == m_params.end() ? std::string{} : it->second;
}

bool Dsn::sameDatabaseAs(const Dsn &other) const
{
    static constexpr std::array identity = {"host", "hostaddr", "port", "dbname", "service"};
    for (const char *keyword : identity) {
        if (value(keyword) != other.value(keyword))
            return false;
    }
    return true;
}

Dsn Dsn::with(const std::string &keyword, const std::string &value) const
{
    Dsn copy = *this;
    copy.m_params[keyword] = value;
    return copy;
}

std::string Dsn::toConnectionString() const
{
    std::string text;
    for (const auto &[keyword, value] : m_params) {
        if (!text.empty())
            text += ' ';
        text += keyword + '=' + quoteConninfoValue(value);
    }
    return text;
}

std::string Dsn::displayName() const
{
    if (has("service") && !has("host"))
        return "service " + value("service");
    std::string host = has("host") ? value("host") : (has("hostaddr") ? value("hostaddr") : "local");
    std::string name = host;
    if (has("port"))
        name += ':' + value("port");
    name += '/' + (has("dbname") ? value("dbname") : std::string("(default)"));
    return name;
}

} // namespace envsync::db
