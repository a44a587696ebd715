#include "core/virt/virtservices.h"

#include "core/virt/mappingstore.h"

#include <algorithm>

namespace envsync::virt {

const char *serviceStateName(ServiceState state)
{
    switch (state) {
    case ServiceState::Serving:
        return "serving";
    case ServiceState::Failed:
        return "failed";
    case ServiceState::Stopped:
        break;
    }
    return "stopped";
}

VirtServices::VirtServices() = default;

VirtServices::~VirtServices()
{
    stopAll();
}

Result<std::pair<QHostAddress, quint16>> VirtServices::parseListen(const std::string &listen)
{
    const QString text = QString::fromStdString(listen);
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    const auto invalid = [&] {
        return fail(ErrorCode::Config,
                    "listen must be HOST:PORT (port 0-65535), not \"" + listen + "\"");
    };
    if (colon < 0)
        return invalid();
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return invalid();
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (host.isEmpty() || host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (host == QLatin1String("*"))
        address = QHostAddress(QHostAddress::Any);
    else if (!address.setAddress(host))
        return fail(ErrorCode::Config,
                    "listen: \"" + host.toStdString() + "\" is not an IP address or localhost");
    return std::pair{address, quint16(port)};
}

Result<void> VirtServices::add(ServiceDefinition definition)
{
    if (find(definition.name))
        return fail(ErrorCode::Config,
                    "service \"" + definition.name.toStdString() + "\" is listed twice");
    Entry entry;
    entry.status.definition = std::move(definition);
    m_entries.push_back(std::move(entry));
    return {};
}

Result<void> VirtServices::start(const QString &name)
{
    Entry *entry = find(name);
    if (!entry)
        return fail(ErrorCode::Usage, "no service \"" + name.toStdString() + "\"");
    if (entry->server)
        return {};
    ServiceStatus &status = entry->status;
    const ServiceDefinition &definition = status.definition;
    const auto failed = [&](Error error) -> Result<void> {
        status.state = ServiceState::Failed;
        status.error = error;
        return std::unexpected(std::move(error));
    };
    auto loaded = loadMappings(definition.root);
    if (!loaded)
        return failed(loaded.error());
    status.skippedFiles = loaded->skipped;
    status.mappings = qsizetype(loaded->mappings.size());
    if (!loaded->skipped.empty() && !definition.allowSkippedFiles) {
        Error first = loaded->skipped.front();
        first.message += " (" + std::to_string(loaded->skipped.size())
                         + " mapping file(s) unreadable: nothing served)";
        return failed(std::move(first));
    }
    ServerOptions options;
    options.name = definition.name;
    options.address = definition.address;
    options.port = definition.port;
    options.threads = definition.threads;
    auto server = std::make_unique<VirtServer>(std::move(loaded->mappings), options);
    if (auto started = server->start(); !started)
        return failed(started.error());
    status.port = server->port();
    status.state = ServiceState::Serving;
    status.error.reset();
    entry->server = std::move(server);
    return {};
}

void VirtServices::stop(const QString &name)
{
    if (Entry *entry = find(name)) {
        entry->server.reset();
        entry->status.state = ServiceState::Stopped;
        entry->status.port = 0;
    }
}

Result<void> VirtServices::startAll()
{
    Result<void> result;
    for (Entry &entry : m_entries) {
        auto started = start(entry.status.definition.name);
        if (!started && result)
            result = std::unexpected(started.error());
    }
    return result;
}

void VirtServices::stopAll()
{
    for (Entry &entry : m_entries)
        stop(entry.status.definition.name);
}

std::vector<ServiceStatus> VirtServices::status() const
{
    std::vector<ServiceStatus> result;
    for (const Entry &entry : m_entries)
        result.push_back(entry.status);
    return result;
}

VirtServer *VirtServices::server(const QString &name) const
{
    const auto it = std::ranges::find(m_entries, name,
                                      [](const Entry &e) { return e.status.definition.name; });
    return it == m_entries.end() ? nullptr : it->server.get();
}

VirtServices::Entry *VirtServices::find(const QString &name)
{
    const auto it = std::ranges::find(m_entries, name,
                                      [](const Entry &e) { return e.status.definition.name; });
    return it == m_entries.end() ? nullptr : &*it;
}

} // namespace envsync::virt
