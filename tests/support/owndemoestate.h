#pragma once

// A demo estate of one UI test executable's own (like tst_snapshotsview's): refreshing regions
// and cloning environments would change what the shared `demo` fixture's drift tests compare
// with. Started with a golden_v1 snapshot before the test registers its GUI thread; stopped
// and removed in the destructor. The CTest entries hold RESOURCE_LOCK demo_ports, since
// demo::up picks its free ports when it starts.

#include "core/config/configloader.h"
#include "core/db/dsn.h"
#include "core/demo/demo.h"
#include "core/demo/localcluster.h"
#include "core/snapshot/snapshot.h"

#include <QTest>

#include <pqxx/pqxx>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

namespace envsync::test {

class OwnDemoEstate
{
public:
    explicit OwnDemoEstate(std::string name)
        : m_dir("/tmp/envsync-" + std::move(name) + '-' + std::to_string(::getpid()))
    {}
    ~OwnDemoEstate()
    {
        if (m_up)
            (void)demo::down(m_dir);
    }
    OwnDemoEstate(const OwnDemoEstate &) = delete;
    OwnDemoEstate &operator=(const OwnDemoEstate &) = delete;

    /// Starts the clusters with `orders` orders and makes golden_v1 (unless `withGolden` is
    /// false); an empty string when it worked, otherwise what failed (for QVERIFY2).
    std::string start(int orders, bool withGolden = true)
    {
        (void)demo::down(m_dir); // a killed earlier run of this pid
        auto state = demo::up({m_dir, orders});
        if (!state)
            return "demo up: " + state.error().describe();
        m_up = true;
        auto config = config::loadConfigFile(state->configPath.string());
        if (!config)
            return "config: " + config.error().front().format();
        m_config = std::make_shared<const config::Config>(*config);
        m_configPath = state->configPath.string();
        if (!withGolden)
            return {};
        snapshot::CreateOptions options;
        options.jobs = 2;
        options.actor = "owndemoestate";
        auto golden = snapshot::createSnapshot(*m_config, options);
        if (!golden)
            return "golden_v1: " + golden.error().describe();
        return {};
    }

    /// Stops (fast shutdown) or starts one cluster of the estate ("us"): an outage, then
    /// recovery. An empty string when it worked, otherwise what failed.
    std::string stopCluster(const std::string &name) { return withCluster(name, false); }
    std::string startCluster(const std::string &name) { return withCluster(name, true); }

    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }
    [[nodiscard]] QString configPath() const { return QString::fromStdString(m_configPath); }

    /// The DSN of `database` on the cluster behind `dsn`.
    [[nodiscard]] static std::string on(const std::string &dsn, const std::string &database)
    {
        return db::Dsn::parse(dsn)->with("dbname", database).toConnectionString();
    }
    [[nodiscard]] std::string regionDsn(const std::string &region,
                                        const std::string &database) const
    {
        return on(m_config->findRegion(region)->dsn, database);
    }
    [[nodiscard]] std::string goldenDsn(const std::string &database) const
    {
        return on(m_config->golden.dsn, database);
    }

    /// First column of the first row as text; "<null>" for NULL or no row, "<error: …>" on
    /// failure. Raw libpqxx: the test thread is the registered GUI thread, which EnvSync's db
    /// layer rightly refuses.
    [[nodiscard]] static std::string scalar(const std::string &dsn, const std::string &sql)
    {
        try {
            pqxx::connection conn(dsn);
            pqxx::nontransaction tx(conn);
            const pqxx::result rows = tx.exec(sql);
            if (rows.empty() || rows[0][0].is_null())
                return "<null>";
            return rows[0][0].as<std::string>();
        } catch (const std::exception &e) {
            return std::string("<error: ") + e.what() + '>';
        }
    }

private:
    std::string withCluster(const std::string &name, bool start)
    {
        auto state = demo::status(m_dir);
        if (!state)
            return "demo status: " + state.error().describe();
        for (const demo::DemoCluster &cluster : state->clusters) {
            if (cluster.name != name)
                continue;
            // The layout demo::up uses: <dir>/<name> with its socket in <dir>/sock.
            demo::LocalCluster local(std::filesystem::path(m_dir) / name,
                                     std::filesystem::path(m_dir) / "sock", cluster.port);
            auto done = start ? local.start() : local.stop();
            return done ? std::string() : name + ": " + done.error().describe();
        }
        return "no cluster named " + name;
    }

    std::string m_dir;
    std::string m_configPath;
    bool m_up = false;
    std::shared_ptr<const config::Config> m_config;
};

} // namespace envsync::test
