#include "testsupport.h"

#include "core/demo/demo.h"
#include "core/demo/localcluster.h"

#include <QDir>
#include <QTest>

#include <unistd.h>

namespace fs = std::filesystem;

namespace {

/// Command lines of every running process that mentions `needle` (postgres shows its -D dir).
int processesMentioning(const std::string &needle)
{
    int count = 0;
    for (const auto &entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::string cmdline = envsync::test::readFile(entry.path() / "cmdline");
        std::ranges::replace(cmdline, '\0', ' ');
        if (cmdline.find(needle) != std::string::npos)
            ++count;
    }
    return count;
}

} // namespace

class TestDemoLifecycle : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_dir = "/tmp/envsync-lc-" + std::to_string(::getpid());
        (void)envsync::demo::down(m_dir);
    }

    void upCreatesFiveRunningClustersAndConfig()
    {
        auto state = envsync::demo::up({m_dir, 200});
        QVERIFY2(state.has_value(), state ? "" : state.error().describe().c_str());
        QCOMPARE(state->clusters.size(), std::size_t(5));
        for (const auto &cluster : state->clusters)
            QVERIFY2(cluster.running, cluster.name.c_str());
        QVERIFY(fs::exists(state->configPath));
        m_ports.clear();
        for (const auto &cluster : state->clusters)
            m_ports.push_back(cluster.port);
    }

    void upAgainIsIdempotent()
    {
        auto state = envsync::demo::up({m_dir, 200});
        QVERIFY(state.has_value());
        std::vector<int> ports;
        for (const auto &cluster : state->clusters)
            ports.push_back(cluster.port);
        QCOMPARE(ports, m_ports);
    }

    void upRestartsAStoppedCluster()
    {
        auto before = envsync::demo::status(m_dir);
        QVERIFY(before.has_value());
        const auto &eu = before->clusters.at(2);
        envsync::demo::LocalCluster cluster(m_dir / eu.name, m_dir / "sock", eu.port);
        QVERIFY(cluster.stop().has_value());
        QVERIFY(!envsync::demo::status(m_dir)->clusters.at(2).running);
        QVERIFY(envsync::demo::up({m_dir, 200}).has_value());
        QVERIFY(envsync::demo::status(m_dir)->clusters.at(2).running);
    }

    void downLeavesNoProcessAndNoFiles()
    {
        QVERIFY(processesMentioning(m_dir.string()) >= 5);
        QVERIFY(envsync::demo::down(m_dir).has_value());
        QCOMPARE(processesMentioning(m_dir.string()), 0);
        QVERIFY(!fs::exists(m_dir));
        // Down twice is fine.
        QVERIFY(envsync::demo::down(m_dir).has_value());
    }

    void cleanupTestCase() { (void)envsync::demo::down(m_dir); }

private:
    fs::path m_dir;
    std::vector<int> m_ports;
};

QTEST_GUILESS_MAIN(TestDemoLifecycle)
#include "tst_demo_lifecycle.moc"
