#pragma once

#include "core/error.h"
#include "core/virt/virtserver.h"

#include <QHostAddress>
#include <QString>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace envsync::virt {

enum class ServiceState { Stopped, Serving, Failed };

[[nodiscard]] const char *serviceStateName(ServiceState state);

/// One virtual service to serve: a WireMock root on one address.
struct ServiceDefinition
{
    QString name;
    QString region;             ///< may be empty
    std::filesystem::path root; ///< holds mappings/ and __files/
    std::string version;        ///< the golden version of the recording, "" if unknown
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; ///< 0: any free port
    int threads = 0;  ///< 0: one per core
    /// Serve even when some mapping files cannot be read (they are listed in the status);
    /// off by default: a broken recording should not quietly answer 404s.
    bool allowSkippedFiles = false;
};

struct ServiceStatus
{
    ServiceDefinition definition;
    ServiceState state = ServiceState::Stopped;
    quint16 port = 0;                ///< the bound port while serving
    qsizetype mappings = 0;          ///< loaded at start
    std::vector<Error> skippedFiles; ///< at the last start
    std::optional<Error> error;      ///< why the last start failed
};

/// Several virtual services in one process, one port each (`virt serve`, the GUI's Services
/// view). Used from one thread; each server runs its own worker threads. start() reads the
/// mapping files: a GUI calls it from a worker, never the UI thread. A live journal view polls
/// server(name)->journal().entriesSince(lastSequence).
class VirtServices
{
public:
    VirtServices();
    ~VirtServices();
    VirtServices(const VirtServices &) = delete;
    VirtServices &operator=(const VirtServices &) = delete;

    /// "host:port", "[v6]:port" or ":port" (localhost); port 0 picks a free one.
    [[nodiscard]] static Result<std::pair<QHostAddress, quint16>>
    parseListen(const std::string &listen);

    /// Registers a service (stopped). Names are unique.
    [[nodiscard]] Result<void> add(ServiceDefinition definition);
    /// Loads the mappings of its root and starts serving them.
    [[nodiscard]] Result<void> start(const QString &name);
    void stop(const QString &name);
    /// Starts every stopped service; the first failure is returned, the others still start.
    [[nodiscard]] Result<void> startAll();
    void stopAll();

    [[nodiscard]] std::vector<ServiceStatus> status() const;
    /// The running server of a service, nullptr when stopped.
    [[nodiscard]] VirtServer *server(const QString &name) const;

private:
    struct Entry
    {
        ServiceStatus status;
        std::unique_ptr<VirtServer> server;
    };
    std::vector<Entry> m_entries;
    Entry *find(const QString &name);
};

} // namespace envsync::virt
