#pragma once

#include "core/error.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace envsync::demo {

/// A throw-away PostgreSQL 15 cluster on this machine (demo and test fixtures): initdb, pg_ctl,
/// Unix socket only (no TCP), wal_level=logical. As root it runs as the postgres OS user.
class LocalCluster
{
public:
    /// dataDir holds the cluster; its socket goes to socketDir (keep the path short: 107 bytes).
    LocalCluster(std::filesystem::path dataDir, std::filesystem::path socketDir, int port);

    /// Runs initdb unless the data directory already holds a cluster.
    [[nodiscard]] Result<void> initialize();
    /// Starts the server (waits until it accepts connections); stops a stale postmaster first.
    [[nodiscard]] Result<void> start();
    /// Fast shutdown; a no-op when not running.
    [[nodiscard]] Result<void> stop();
    [[nodiscard]] bool isRunning() const;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] const std::filesystem::path &dataDir() const { return m_dataDir; }
    /// "host=<socketDir> port=<port> dbname=<db> user=postgres"
    [[nodiscard]] std::string dsn(const std::string &database) const;

    /// Directory of initdb/pg_ctl/pg_dump: $ENVSYNC_PG_BINDIR or /usr/lib/postgresql/15/bin.
    [[nodiscard]] static std::filesystem::path binDir();
    /// A port with neither a TCP listener on 127.0.0.1 nor a socket file in socketDir.
    [[nodiscard]] static int findFreePort(const std::filesystem::path &socketDir, int startAt,
                                          const std::vector<int> &taken = {});

private:
    [[nodiscard]] Result<void> writeSettings() const;
    [[nodiscard]] std::string logFile() const;

    std::filesystem::path m_dataDir;
    std::filesystem::path m_socketDir;
    int m_port;
};

} // namespace envsync::demo
