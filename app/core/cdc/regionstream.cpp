#include "core/cdc/regionstream.h"

#include "core/cdc/regionapplier.h"
#include "core/cdc/spool.h"
#include "core/db/configuredconnect.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace envsync::cdc {

namespace {

/// A failed batch is rolled back; these failures are retried with a fresh connection: the
/// region is down or restarting, or a refresh terminated our session at its swap.
constexpr int maxDatabaseRetries = 3;
constexpr std::chrono::seconds maxBackoff{10};

} // namespace

RegionStream::RegionStream(const config::Config &config, const config::RegionConfig &region,
                           RegionStreamOptions options, RunState &state)
    : m_config(config)
    , m_region(region)
    , m_options(std::move(options))
    , m_state(state)
{
}

Result<void> RegionStream::run()
{
    const std::string &name = m_region.name;
    auto setState = [&](RegionState state, const std::string &detail) {
        m_state.updateRegion(name, [&](RegionFigures &figures) {
            figures.state = state;
            figures.detail = detail;
        });
    };
    auto stopping = [&] {
        return job::cancelled(m_options.stop);
    };
    auto pause = [&](std::chrono::milliseconds duration) {
        const auto until = std::chrono::steady_clock::now() + duration;
        while (!stopping() && std::chrono::steady_clock::now() < until)
            m_state.waitForSpool(std::chrono::milliseconds(200));
    };

    RegionApplierOptions applierOptions;
    applierOptions.region = name;
    applierOptions.dsn = m_region.dsn;
    applierOptions.policy = m_region.conflicts;
    applierOptions.skipTables = {m_region.preserve.begin(), m_region.preserve.end()};
    applierOptions.sourceDsn = m_config.source.dsn;
    applierOptions.connect = db::configuredConnectOptions(m_config, "envsync cdc apply");
    applierOptions.cancel = m_options.stop;

    std::optional<RegionApplier> applier;
    std::optional<SpoolReader> reader;
    std::chrono::milliseconds backoff{500};
    int databaseFailures = 0;
    auto retryLater = [&](const Error &error) -> bool {
        applier.reset();
        reader.reset();
        if (error.code == ErrorCode::Cancelled && stopping())
            return true;
        if (error.code == ErrorCode::Database && ++databaseFailures > maxDatabaseRetries)
            return false;
        if (error.code != ErrorCode::Database && error.code != ErrorCode::Unreachable)
            return false;
        setState(RegionState::Reconnecting, error.describe());
        pause(backoff);
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, maxBackoff);
        return true;
    };

    while (!stopping()) {
        const RegionControl control = m_state.control(name);
        if (control.paused || control.refreshing) {
            applier.reset(); // a refresh swaps the database: read its position afresh after
            reader.reset();
            setState(control.paused ? RegionState::Paused : RegionState::Refreshing, {});
            pause(std::chrono::milliseconds(500));
            continue;
        }
        if (!applier) {
            // The reader opens the spool (on a first run it creates it) on its own thread: a
            // region must not look for the spool before that.
            if (m_state.reader().durableLsn == 0) {
                pause(std::chrono::milliseconds(100));
                continue;
            }
            applier.emplace(applierOptions);
            auto cursor = applier->open();
            if (!cursor) {
                if (retryLater(cursor.error()))
                    continue;
                setState(RegionState::Error, cursor.error().describe());
                return std::unexpected(cursor.error());
            }
            if (!*cursor) {
                applier.reset();
                setState(RegionState::NeedsRefresh,
                         "its database has no CDC position: refresh it from a golden version "
                         "made after cdc init");
                pause(std::chrono::seconds(5)); // a refresh mends it: look again
                continue;
            }
            auto usage = spoolUsage(m_options.spoolDir, false); // its start is all it needs
            if (!usage) {
                setState(RegionState::Error, usage.error().describe());
                return std::unexpected(usage.error());
            }
            if ((*cursor)->appliedLsn < usage->firstLsn) {
                applier.reset();
                setState(RegionState::NeedsRefresh,
                         "its position " + formatLsn((*cursor)->appliedLsn)
                                 + " is older than the spool's start " + formatLsn(usage->firstLsn)
                                 + ": refresh it");
                pause(std::chrono::seconds(5));
                continue;
            }
            auto opened = SpoolReader::open(m_options.spoolDir, (*cursor)->appliedLsn);
            if (!opened) {
                setState(RegionState::Error, opened.error().describe());
                return std::unexpected(opened.error());
            }
            reader.emplace(std::move(*opened));
            backoff = std::chrono::milliseconds(500);
            const RegionCursor start = **cursor;
            m_state.updateRegion(name, [&](RegionFigures &figures) {
                figures.state = RegionState::Streaming;
                figures.detail.clear();
                figures.appliedLsn = start.appliedLsn;
                figures.lastCommitMicros = start.commitTimeMicros;
            });
        }

        std::vector<SpoolEntry> batch;
        int transactions = 0;
        std::int64_t oldestPending = 0;
        while (transactions < m_options.batchTransactions) {
            auto entry = reader->next();
            if (!entry) {
                setState(RegionState::Error, entry.error().describe());
                return std::unexpected(entry.error());
            }
            if (!*entry)
                break;
            if ((*entry)->kind == SpoolEntry::Kind::Transaction) {
                ++transactions;
                if (oldestPending == 0)
                    oldestPending = (*entry)->transaction.commitTimeMicros;
            }
            batch.push_back(std::move(**entry));
        }
        if (batch.empty()) {
            m_state.updateRegion(name,
                                 [](RegionFigures &figures) { figures.oldestPendingMicros = 0; });
            m_state.waitForSpool(std::chrono::milliseconds(200));
            continue;
        }
        m_state.updateRegion(
                name, [&](RegionFigures &figures) { figures.oldestPendingMicros = oldestPending; });
        auto applied = applier->apply(batch);
        if (!applied) {
            if (retryLater(applied.error()))
                continue;
            setState(RegionState::Error, applied.error().describe());
            return std::unexpected(applied.error());
        }
        databaseFailures = 0;
        m_state.updateRegion(name, [&](RegionFigures &figures) {
            figures.state = RegionState::Streaming;
            figures.detail.clear();
            figures.appliedLsn = std::max(figures.appliedLsn, applied->appliedLsn);
            if (applied->lastCommitTimeMicros > 0)
                figures.lastCommitMicros = applied->lastCommitTimeMicros;
            figures.changes += applied->changes;
            figures.transactions += applied->transactions;
            for (const auto &[key, count] : applied->conflicts)
                figures.conflicts[key.first + ' ' + key.second] += count;
        });
    }
    setState(RegionState::Stopped, {});
    return {};
}

} // namespace envsync::cdc
