#include "core/agent/regionfacts.h"

#include "core/db/configuredconnect.h"
#include "core/refresh/productionguard.h"
#include "core/refresh/refreshhistory.h"
#include "core/refresh/regiontarget.h"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

namespace envsync::agent {

namespace {

Result<std::optional<std::string>> markedSnapshot(const config::Config &config,
                                                  const config::RegionConfig &region)
{
    const auto options = db::configuredConnectOptions(config, "envsync agent");
    const std::string who = "region " + region.name;
    auto target = refresh::RegionTarget::resolve(region, options);
    if (!target)
        return std::unexpected(target.error());
    auto admin = db::connect(target->adminDsn(), options, who);
    if (!admin)
        return std::unexpected(admin.error());
    auto marker = refresh::readMarker(**admin, target->database, who);
    if (!marker)
        return std::unexpected(marker.error());
    if (!*marker || (*marker)->snapshot.empty())
        return std::optional<std::string>();
    return std::optional<std::string>((*marker)->snapshot);
}

QDateTime parseIso(const std::optional<std::string> &text)
{
    return text ? QDateTime::fromString(QString::fromStdString(*text), Qt::ISODate) : QDateTime();
}

Result<std::vector<FailedAttempt>> failedAttempts(db::ControlDb &control, const std::string &region,
                                                  const std::string &actor)
{
    return db::guarded("control database", "read the agent's attempts", [&] {
        pqxx::nontransaction tx(control.connection());
        // Newest first; a window never holds more than a handful (AgentPolicy::maxAttempts).
        const pqxx::result rows
                = tx.exec_params("SELECT detail->>'at', detail->>'ended_at' FROM envsync.audit_log"
                                 " WHERE actor = $1 AND action = 'agent.refresh' AND target = $2"
                                 "   AND result = 'failed' ORDER BY id DESC LIMIT 100",
                                 actor, region);
        std::vector<FailedAttempt> failures;
        for (const auto &row : rows)
            failures.push_back(
                    {parseIso(row[0].get<std::string>()), parseIso(row[1].get<std::string>())});
        return failures;
    });
}

} // namespace

Result<RegionFacts> readRegionFacts(const config::Config &config,
                                    const config::RegionConfig &region, db::ControlDb &control,
                                    const std::string &actor)
{
    RegionFacts facts;
    if (auto holds = markedSnapshot(config, region))
        facts.holds = *holds;
    else
        spdlog::debug("agent: cannot read the marker of region {}: {}", region.name,
                      holds.error().describe());
    auto history = refresh::regionHistory(config, region.name);
    if (!history)
        return std::unexpected(history.error());
    facts.history = std::move(*history);
    auto failures = failedAttempts(control, region.name, actor);
    if (!failures)
        return std::unexpected(failures.error());
    facts.failures = std::move(*failures);
    return facts;
}

} // namespace envsync::agent
