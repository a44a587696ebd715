#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>
#include <vector>

namespace envsync::test {

/// The repository root (CTest sets ENVSYNC_SOURCE_DIR).
[[nodiscard]] std::filesystem::path sourceDir();
/// The envsyncctl binary built with the tests (CTest sets ENVSYNC_CLI).
[[nodiscard]] std::string cliPath();
/// The shared demo estate's config, started by the `demo` CTest fixture; fails loudly if absent.
[[nodiscard]] std::string demoConfigPath();
/// Reads a whole file; empty on failure (tests compare content anyway).
[[nodiscard]] std::string readFile(const std::filesystem::path &path);
/// Splits text into lines (without the newlines) and joins them back (each line + '\n').
[[nodiscard]] std::vector<std::string> splitLines(const std::string &text);
[[nodiscard]] std::string joinLines(const std::vector<std::string> &lines);

/// One run of envsyncctl: exit code, stdout, stderr and wall-clock time.
struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QString err;
    qint64 elapsedMs = 0;
};
/// Runs envsyncctl with arguments to completion (fails the test process after 120 s).
[[nodiscard]] CliRun runCli(const QStringList &arguments);

} // namespace envsync::test

#include "core/demo/localcluster.h"

#include <QTemporaryDir>

#include <memory>

namespace envsync::test {

/// A throw-away PostgreSQL cluster for one test executable: started in the constructor (fails
/// the test loudly when it cannot), stopped and deleted in the destructor. Its test is added
/// with envsync_add_test(... STARTS_CLUSTERS) (the demo_ports lock: it picks a free port).
class TestCluster
{
public:
    TestCluster();
    ~TestCluster();
    TestCluster(const TestCluster &) = delete;
    TestCluster &operator=(const TestCluster &) = delete;

    [[nodiscard]] bool ok() const { return m_ok; }
    [[nodiscard]] std::string dsn(const std::string &database = "postgres") const;
    /// Stops and starts the server (e.g. after ALTER SYSTEM of a restart-only setting).
    [[nodiscard]] bool restart();
    /// Runs SQL on a database (autocommit); returns false and warns on failure.
    bool execute(const std::string &sql, const std::string &database = "postgres") const;
    /// First column of the first row as text (empty on error).
    [[nodiscard]] std::string queryValue(const std::string &sql,
                                         const std::string &database = "postgres") const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<demo::LocalCluster> m_cluster;
    bool m_ok = false;
};

} // namespace envsync::test
