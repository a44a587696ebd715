#pragma once

#include "core/error.h"
#include "core/virt/adminapi.h"
#include "core/virt/requestjournal.h"
#include "core/virt/stubengine.h"

#include <QHostAddress>
#include <QString>

#include <memory>
#include <vector>

namespace envsync::virt {

struct ServerOptions
{
    QString name; ///< the service, for errors
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; ///< 0: any free port (see VirtServer::port)
    int threads = 0;  ///< 0: one per core
    qsizetype journalCapacity = 10000;
};

/// Serves one virtual service: its stub mappings (a StubEngine), WireMock's admin API subset
/// and a request journal, on one host:port. Every worker thread runs its own
/// QAbstractHttpServer on its own listening socket bound to the same port with SO_REUSEPORT,
/// so the kernel spreads connections over the threads and throughput scales with cores.
/// Fails closed: a request no mapping matches gets the engine's 404 near-miss report; nothing
/// is ever forwarded. start()/stop() from one thread; the engine and journal are thread-safe.
class VirtServer
{
public:
    /// `mappings` are also the defaults that POST /__admin/mappings/reset restores.
    VirtServer(std::vector<StubMapping> mappings, ServerOptions options);
    ~VirtServer();
    VirtServer(const VirtServer &) = delete;
    VirtServer &operator=(const VirtServer &) = delete;

    /// Binds and starts the workers. Refuses a port another socket holds (also one bound with
    /// SO_REUSEPORT by another process), so two servers never silently share a port.
    [[nodiscard]] Result<void> start();
    /// Stops accepting, closes the connections and joins the workers. Idempotent.
    void stop();

    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QHostAddress address() const { return m_options.address; }
    [[nodiscard]] int threadCount() const;
    [[nodiscard]] StubEngine &engine();
    [[nodiscard]] RequestJournal &journal();

private:
    class Worker;
    class WorkerThread;
    struct Shared;

    ServerOptions m_options;
    std::shared_ptr<Shared> m_shared;
    std::vector<std::unique_ptr<WorkerThread>> m_threads;
    quint16 m_port = 0;
};

} // namespace envsync::virt
