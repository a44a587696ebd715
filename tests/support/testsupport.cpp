#include "testsupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <fstream>
#include <unistd.h>
#include <sstream>

namespace envsync::test {

std::filesystem::path sourceDir()
{
    const QByteArray dir = qgetenv("ENVSYNC_SOURCE_DIR");
    if (dir.isEmpty())
        qFatal("ENVSYNC_SOURCE_DIR is not set: run the tests through ctest");
    return dir.toStdString();
}

std::string cliPath()
{
    const QByteArray cli = qgetenv("ENVSYNC_CLI");
    if (cli.isEmpty())
        qFatal("ENVSYNC_CLI is not set: run the tests through ctest");
    return cli.toStdString();
}

std::string demoConfigPath()
{
    const QByteArray path = qgetenv("ENVSYNC_TEST_DEMO_CONFIG");
    if (path.isEmpty())
        qFatal("ENVSYNC_TEST_DEMO_CONFIG is not set: the test needs the 'demo' CTest fixture");
    if (!std::filesystem::exists(path.toStdString()))
        qFatal("demo config %s does not exist: did the demo fixture fail?", path.constData());
    return path.toStdString();
}

std::string readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> splitLines(const std::string &text)
{
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        lines.push_back(line);
    return lines;
}

std::string joinLines(const std::vector<std::string> &lines)
{
    std::string text;
    for (const std::string &line : lines)
        text += line + '\n';
    return text;
}

CliRun runCli(const QStringList &arguments)
{
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(QString::fromStdString(cliPath()), arguments);
    if (!process.waitForFinished(120000))
        qFatal("envsyncctl did not finish within 120 s");
    return {process.exitCode(), process.readAllStandardOutput(),
            QString::fromUtf8(process.readAllStandardError()), timer.elapsed()};
}

} // namespace envsync::test

#include "core/db/connection.h"

#include <pqxx/pqxx>

namespace envsync::test {

TestCluster::TestCluster()
    : m_dir(QStringLiteral("/tmp/envsync-tc-XXXXXX"))
{
    if (!m_dir.isValid())
        qFatal("cannot create a temporary directory for the test cluster");
    const std::filesystem::path root = m_dir.path().toStdString();
    const int port = demo::LocalCluster::findFreePort(root / "s", 56000 + (::getpid() % 4000));
    m_cluster = std::make_unique<demo::LocalCluster>(root / "data", root / "s", port);
    auto initialized = m_cluster->initialize();
    if (!initialized)
        qFatal("test cluster initdb failed: %s", initialized.error().describe().c_str());
    auto started = m_cluster->start();
    if (!started)
        qFatal("test cluster start failed: %s", started.error().describe().c_str());
    m_ok = true;
}

TestCluster::~TestCluster()
{
    if (m_cluster) {
        if (auto stopped = m_cluster->stop(); !stopped)
            qWarning("test cluster stop failed: %s", stopped.error().describe().c_str());
    }
}

bool TestCluster::restart()
{
    if (auto stopped = m_cluster->stop(); !stopped) {
        qWarning("test cluster stop failed: %s", stopped.error().describe().c_str());
        return false;
    }
    if (auto started = m_cluster->start(); !started) {
        qWarning("test cluster start failed: %s", started.error().describe().c_str());
        return false;
    }
    return true;
}

std::string TestCluster::dsn(const std::string &database) const
{
    return m_cluster->dsn(database);
}

bool TestCluster::execute(const std::string &sql, const std::string &database) const
{
    try {
        pqxx::connection connection(dsn(database));
        pqxx::nontransaction tx(connection);
        tx.exec0(sql);
        return true;
    } catch (const std::exception &e) {
        qWarning("SQL failed: %s", e.what());
        return false;
    }
}

std::string TestCluster::queryValue(const std::string &sql, const std::string &database) const
{
    try {
        pqxx::connection connection(dsn(database));
        pqxx::nontransaction tx(connection);
        const pqxx::result result = tx.exec(sql);
        if (result.empty() || result[0][0].is_null())
            return {};
        return result[0][0].as<std::string>();
    } catch (const std::exception &e) {
        qWarning("SQL failed: %s", e.what());
        return {};
    }
}

} // namespace envsync::test
