#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envsync::test {

/// A squad member's client during a refresh: reads `query` (one statement, one value) from
/// `dsn` in a loop on its own thread, reconnecting after errors, and remembers every outcome.
/// Used to prove readers never see mixed data and to measure the swap's unavailability.
class RegionReader
{
public:
    struct Sample
    {
        double atMs = 0;   ///< since start()
        bool ok = false;
        std::string value; ///< the query's value, or the error
    };

    RegionReader(std::string dsn, std::string query);
    ~RegionReader();
    RegionReader(const RegionReader &) = delete;
    RegionReader &operator=(const RegionReader &) = delete;

    void start();
    /// Stops and joins; the samples are stable afterwards.
    void stop();
    [[nodiscard]] const std::vector<Sample> &samples() const { return m_samples; }
    [[nodiscard]] int successfulReads() const;
    /// The distinct successful values in the order they first appeared.
    [[nodiscard]] std::vector<std::string> valueSequence() const;
    /// True when a value, once replaced by another, never came back (old … old new … new).
    [[nodiscard]] bool changedAtMostOnce() const;
    /// The longest time between two successful reads with failed ones in between (0: none
    /// failed): what a client saw of the swap.
    [[nodiscard]] double longestOutageMs() const;

private:
    void loop();

    std::string m_dsn;
    std::string m_query;
    std::atomic<bool> m_stop{false};
    std::chrono::steady_clock::time_point m_started;
    std::vector<Sample> m_samples;
    std::thread m_thread;
};

} // namespace envsync::test
