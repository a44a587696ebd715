#include "core/demo/localcluster.h"

#include "core/db/dsn.h"
#include "core/util/process.h"

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <system_error>

namespace envsync::demo {

namespace fs = std::filesystem;

namespace {

bool tcpPortFree(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return free;
}

Result<void> checkedRun(const std::string &program, const std::vector<std::string> &arguments,
                        const std::string &what)
{
    auto result = util::runProcess(program, arguments, true);
    if (!result)
        return std::unexpected(result.error());
    if (result->exitCode != 0) {
        return fail(ErrorCode::Io,
                    what + " failed (exit " + std::to_string(result->exitCode) + "): "
                            + result->output);
    }
    return {};
}

} // namespace

LocalCluster::LocalCluster(fs::path dataDir, fs::path socketDir, int port)
    : m_dataDir(std::move(dataDir))
    , m_socketDir(std::move(socketDir))
    , m_port(port)
{}

fs::path LocalCluster::binDir()
{
    if (const char *dir = std::getenv("ENVSYNC_PG_BINDIR"); dir && *dir)
        return dir;
    return "/usr/lib/postgresql/15/bin";
}

int LocalCluster::findFreePort(const fs::path &socketDir, int startAt, const std::vector<int> &taken)
{
    for (int port = startAt; port < startAt + 2000; ++port) {
        if (std::ranges::find(taken, port) != taken.end())
            continue;
        std::error_code ec;
        if (fs::exists(socketDir / (".s.PGSQL." + std::to_string(port)), ec))
            continue;
        if (tcpPortFree(port))
            return port;
    }
    return 0;
}

std::string LocalCluster::dsn(const std::string &database) const
{
    return db::Dsn::fromParameters({{"host", m_socketDir.string()},
                                    {"port", std::to_string(m_port)},
                                    {"dbname", database},
                                    {"user", "postgres"}})
            .toConnectionString();
}

std::string LocalCluster::logFile() const
{
    return (m_dataDir.parent_path() / (m_dataDir.filename().string() + ".log")).string();
}

bool LocalCluster::isRunning() const
{
    if (!fs::exists(m_dataDir / "postmaster.pid"))
        return false;
    auto result = util::runProcess((binDir() / "pg_ctl").string(),
                                   {"status", "-D", m_dataDir.string()}, true);
    return result && result->exitCode == 0;
}

Result<void> LocalCluster::initialize()
{
    if (fs::exists(m_dataDir / "PG_VERSION"))
        return writeSettings();
    std::error_code ec;
    fs::create_directories(m_dataDir, ec);
    fs::create_directories(m_socketDir, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot create directory: " + ec.message(), m_dataDir.string());
    for (const fs::path &dir : {m_dataDir, m_socketDir, m_dataDir.parent_path()}) {
        if (auto owned = util::giveToPostgresUser(dir.string()); !owned)
            return owned;
    }
    fs::permissions(m_dataDir, fs::perms::owner_all, ec);
    if (auto ran = checkedRun((binDir() / "initdb").string(),
                              {"-D", m_dataDir.string(), "--auth=trust", "-U", "postgres",
                               "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"},
                              "initdb " + m_dataDir.string());
        !ran)
        return ran;
    return writeSettings();
}

Result<void> LocalCluster::writeSettings() const
{
    // postgresql.auto.conf is read last, so these win over anything initdb wrote.
    const fs::path file = m_dataDir / "postgresql.auto.conf";
    std::ofstream out(file, std::ios::trunc);
    out << "port = " << m_port << "\n"
        << "unix_socket_directories = '" << m_socketDir.string() << "'\n"
        << "listen_addresses = ''\n"
        << "wal_level = logical\n"
        << "max_wal_senders = 10\n"
        << "max_replication_slots = 10\n"
        << "fsync = off\n"
        << "full_page_writes = off\n"
        << "shared_buffers = '128MB'\n"
        << "max_connections = 100\n"
        << "log_min_messages = warning\n";
    if (!out)
        return fail(ErrorCode::Io, "cannot write settings", file.string());
    out.close();
    return util::giveToPostgresUser(file.string());
}

Result<void> LocalCluster::start()
{
    if (isRunning())
        return {};
    std::error_code ec;
    // A postmaster.pid left by a killed server (or an earlier test run) would block the start.
    fs::remove(m_dataDir / "postmaster.pid", ec);
    return checkedRun((binDir() / "pg_ctl").string(),
                      {"start", "-D", m_dataDir.string(), "-l", logFile(), "-w", "-t", "60"},
                      "pg_ctl start " + m_dataDir.string());
}

Result<void> LocalCluster::stop()
{
    if (!fs::exists(m_dataDir / "postmaster.pid"))
        return {};
    auto result = util::runProcess((binDir() / "pg_ctl").string(),
                                   {"stop", "-D", m_dataDir.string(), "-m", "fast", "-w", "-t", "60"},
                                   true);
    if (!result)
        return std::unexpected(result.error());
    if (result->exitCode != 0 && isRunning())
        return fail(ErrorCode::Io, "pg_ctl stop failed: " + result->output, m_dataDir.string());
    return {};
}

} // namespace envsync::demo
