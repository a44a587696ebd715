#include "core/virt/virtserver.h"

#include "core/virt/qtrequest.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QHash>
#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <map>

namespace envsync::virt {

namespace {

QByteArray reasonPhrase(int status)
{
    static const std::map<int, QByteArray> phrases = {{100, "Continue"},
                                                      {200, "OK"},
                                                      {201, "Created"},
                                                      {202, "Accepted"},
                                                      {204, "No Content"},
                                                      {206, "Partial Content"},
                                                      {301, "Moved Permanently"},
                                                      {302, "Found"},
                                                      {303, "See Other"},
                                                      {304, "Not Modified"},
                                                      {307, "Temporary Redirect"},
                                                      {308, "Permanent Redirect"},
                                                      {400, "Bad Request"},
                                                      {401, "Unauthorized"},
                                                      {403, "Forbidden"},
                                                      {404, "Not Found"},
                                                      {405, "Method Not Allowed"},
                                                      {406, "Not Acceptable"},
                                                      {409, "Conflict"},
                                                      {410, "Gone"},
                                                      {412, "Precondition Failed"},
                                                      {415, "Unsupported Media Type"},
                                                      {422, "Unprocessable Entity"},
                                                      {429, "Too Many Requests"},
                                                      {500, "Internal Server Error"},
                                                      {501, "Not Implemented"},
                                                      {502, "Bad Gateway"},
                                                      {503, "Service Unavailable"},
                                                      {504, "Gateway Timeout"}};
    const auto it = phrases.find(status);
    return it != phrases.end() ? it->second : QByteArrayLiteral("Status");
}

/// Headers the server itself decides: a stub's own values would break the framing.
bool isFramingHeader(const QByteArray &name)
{
    return name.compare("Content-Length", Qt::CaseInsensitive) == 0
           || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0
           || name.compare("Connection", Qt::CaseInsensitive) == 0;
}

/// A templated header may echo request values: never let CR/LF split the response.
QByteArray headerSafe(QByteArray text)
{
    if (text.contains('\r') || text.contains('\n'))
        text.replace('\r', ' ').replace('\n', ' ');
    return text;
}

/// The whole response as one buffer: one socket write per answer, any status with its phrase.
QByteArray serialize(const HttpResponse &response, bool head, bool close, const QString &stubId)
{
    QByteArray out;
    out.reserve(160 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status)
           + "\r\n";
    for (const HttpHeader &header : response.headers) {
        if (isFramingHeader(header.name))
            continue;
        out += headerSafe(header.name) + ": " + headerSafe(header.value) + "\r\n";
    }
    if (!stubId.isEmpty())
        out += "Matched-Stub-Id: " + headerSafe(stubId.toUtf8()) + "\r\n";
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!head)
        out += response.body;
    return out;
}

void writeTo(QTcpSocket *socket, const QByteArray &bytes, bool close)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    socket->write(bytes);
    if (close)
        socket->disconnectFromHost();
}

/// Keeps a connection's answers in request order when some wait for a fixed delay: a client
/// that pipelines must get its responses in the order it asked. Lives as the socket's child.
class ConnectionOrder : public QObject
{
public:
    explicit ConnectionOrder(QTcpSocket *socket)
        : QObject(socket)
        , m_socket(socket)
    {
    }

    [[nodiscard]] bool idle() const { return m_sent == m_next; }
    [[nodiscard]] quint64 take() { return m_next++; }

    void complete(quint64 ticket, QByteArray bytes, bool close)
    {
        m_ready.emplace(ticket, Ready{std::move(bytes), close});
        while (!m_ready.empty() && m_ready.begin()->first == m_sent) {
            const Ready ready = std::move(m_ready.begin()->second);
            m_ready.erase(m_ready.begin());
            ++m_sent;
            writeTo(m_socket, ready.bytes, ready.close);
        }
    }

private:
    struct Ready
    {
        QByteArray bytes;
        bool close = false;
    };
    QTcpSocket *m_socket;
    quint64 m_next = 0;
    quint64 m_sent = 0;
    std::map<quint64, Ready> m_ready;
};

sockaddr_storage socketAddress(const QHostAddress &address, quint16 port, socklen_t &length)
{
    sockaddr_storage storage{};
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR ip = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &ip, sizeof(ip));
        length = sizeof(sockaddr_in6);
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address()); // Any → 0.0.0.0
        length = sizeof(sockaddr_in);
    }
    return storage;
}

/// A listening socket on address:port; `reusePort` lets the server's other workers bind the
/// same port. Returns the descriptor, or errno.
std::expected<int, int> listeningSocket(const QHostAddress &address, quint16 port, bool reusePort)
{
    socklen_t length = 0;
    const sockaddr_storage storage = socketAddress(address, port, length);
    const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return std::unexpected(errno);
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (reusePort)
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&storage), length) != 0
        || ::listen(fd, 1024) != 0) {
        const int error = errno;
        ::close(fd);
        return std::unexpected(error);
    }
    return fd;
}

quint16 boundPort(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof(storage);
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return 0;
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
}

} // namespace

struct VirtServer::Shared
{
    Shared(std::vector<StubMapping> mappings, qsizetype journalCapacity)
        : engine(mappings)
        , journal(journalCapacity)
        , admin(engine, journal, std::move(mappings))
    {
    }

    StubEngine engine;
    RequestJournal journal;
    AdminApi admin;
};

/// One worker thread's HTTP server: parses with QtHttpServer, answers from the shared engine.
class VirtServer::Worker : public QAbstractHttpServer
{
public:
    explicit Worker(std::shared_ptr<Shared> shared)
        : m_shared(std::move(shared))
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest &httpRequest, QTcpSocket *socket) override
    {
        QElapsedTimer clock;
        clock.start();
        HttpRequest request = fromQtRequest(httpRequest);
        const bool head = request.method == "HEAD";
        const bool close
                = httpRequest.value("Connection").compare("close", Qt::CaseInsensitive) == 0;
        const QString clientIp = httpRequest.remoteAddress().toString();
        if (AdminApi::isAdminPath(request.path)) {
            send(socket, serialize(m_shared->admin.handle(request, clientIp), head, close, {}), {},
                 close);
            return true;
        }
        StubOutcome outcome = m_shared->engine.respond(request);
        const std::chrono::milliseconds delay = outcome.response.delay;
        send(socket,
             serialize(outcome.response, head, close,
                       outcome.matched ? outcome.mappingId : QString()),
             delay, close);

        JournalEntry entry;
        entry.loggedAt = QDateTime::currentDateTimeUtc();
        entry.request = std::move(request);
        entry.clientIp = clientIp;
        entry.matched = outcome.matched;
        entry.mappingId = outcome.mappingId;
        entry.status = outcome.response.status;
        entry.latencyMicros
                = clock.nsecsElapsed() / 1000 + std::chrono::microseconds(delay).count();
        entry.nearMisses = std::move(outcome.nearMisses);
        m_shared->journal.record(std::move(entry));
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *socket) override
    {
        // handleRequest answers everything; this only runs if that ever changes.
        writeTo(socket, serialize(HttpResponse{500, {}, "no handler\n", {}}, false, true, {}),
                true);
    }

private:
    /// Answers now, or after `delay` on a timer (never blocking the thread), in request order.
    void send(QTcpSocket *socket, QByteArray bytes, std::chrono::milliseconds delay, bool close)
    {
        ConnectionOrder *order = m_orders.value(socket);
        if (delay.count() <= 0 && (!order || order->idle())) {
            writeTo(socket, bytes, close);
            return;
        }
        if (!order) {
            order = new ConnectionOrder(socket);
            m_orders.insert(socket, order);
            QObject::connect(order, &QObject::destroyed, this,
                             [this, socket] { m_orders.remove(socket); });
        }
        const quint64 ticket = order->take();
        if (delay.count() <= 0) {
            order->complete(ticket, std::move(bytes), close);
            return;
        }
        // The order object is the timer's context: a closed connection cancels the answer.
        QTimer::singleShot(delay, order, [order, ticket, bytes = std::move(bytes), close] {
            order->complete(ticket, bytes, close);
        });
    }

    /// Connections that ever had a delayed answer (the socket's child, so it dies with it).
    QHash<QTcpSocket *, ConnectionOrder *> m_orders;
    std::shared_ptr<Shared> m_shared;
};

class VirtServer::WorkerThread : public QThread
{
public:
    WorkerThread(std::shared_ptr<Shared> shared, int descriptor)
        : m_shared(std::move(shared))
        , m_descriptor(descriptor)
    {
    }

    ~WorkerThread() override
    {
        quit();
        wait();
    }

    /// Blocks until the worker listens; the error text otherwise.
    [[nodiscard]] QString waitUntilListening() { return m_ready.get_future().get(); }

protected:
    void run() override
    {
        Worker worker(m_shared);
        auto *tcpServer = new QTcpServer;
        if (!tcpServer->setSocketDescriptor(m_descriptor)) {
            const QString error = tcpServer->errorString();
            delete tcpServer;
            ::close(m_descriptor);
            m_ready.set_value(error.isEmpty() ? QStringLiteral("cannot adopt the socket") : error);
            return;
        }
        worker.bind(tcpServer); // the worker owns it (and its connections) from here
        m_ready.set_value({});
        exec();
    }

private:
    std::shared_ptr<Shared> m_shared;
    int m_descriptor;
    std::promise<QString> m_ready;
};

VirtServer::VirtServer(std::vector<StubMapping> mappings, ServerOptions options)
    : m_options(std::move(options))
    , m_shared(std::make_shared<Shared>(std::move(mappings), m_options.journalCapacity))
{
}

VirtServer::~VirtServer()
{
    stop();
}

Result<void> VirtServer::start()
{
    if (isRunning())
        return {};
    const int threads
            = m_options.threads > 0 ? m_options.threads : std::max(1, QThread::idealThreadCount());
    const QString where
            = m_options.address.toString() + QLatin1Char(':') + QString::number(m_options.port);
    const auto refuse = [&](int error) {
        return fail(ErrorCode::Io,
                    "cannot listen on " + where.toStdString() + ": " + std::strerror(error),
                    m_options.name.isEmpty() ? std::string()
                                             : "service " + m_options.name.toStdString());
    };
    if (m_options.port != 0) {
        // Without SO_REUSEPORT this bind fails if anything holds the port, even a socket that
        // could share it: two servers never split one port's connections between them.
        auto probe = listeningSocket(m_options.address, m_options.port, false);
        if (!probe)
            return refuse(probe.error());
        ::close(*probe);
    }
    std::vector<int> descriptors;
    quint16 port = m_options.port;
    for (int i = 0; i < threads; ++i) {
        auto fd = listeningSocket(m_options.address, port, true);
        if (!fd) {
            for (int open : descriptors)
                ::close(open);
            return refuse(fd.error());
        }
        if (port == 0)
            port = boundPort(*fd);
        descriptors.push_back(*fd);
    }
    m_port = port;
    for (int fd : descriptors) {
        auto thread = std::make_unique<WorkerThread>(m_shared, fd);
        thread->setObjectName(QStringLiteral("virt-") + m_options.name);
        thread->start();
        const QString error = thread->waitUntilListening();
        m_threads.push_back(std::move(thread));
        if (!error.isEmpty()) {
            stop();
            return fail(ErrorCode::Io,
                        "cannot serve on " + where.toStdString() + ": " + error.toStdString());
        }
    }
    return {};
}

void VirtServer::stop()
{
    for (auto &thread : m_threads)
        thread->quit();
    m_threads.clear(); // each joins in its destructor
}

bool VirtServer::isRunning() const
{
    return !m_threads.empty();
}

int VirtServer::threadCount() const
{
    return int(m_threads.size());
}

StubEngine &VirtServer::engine()
{
    return m_shared->engine;
}

RequestJournal &VirtServer::journal()
{
    return m_shared->journal;
}

} // namespace envsync::virt
