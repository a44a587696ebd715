#pragma once

// A random write workload on the demo shop's source, for the CDC tests and benchmark: inserts
// (multi-table transactions), updates (also of the primary key), deletes (cascading), PII in
// masked columns. Runs on its own thread and connection until stopped.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envsync::test {

class CdcWorkload
{
public:
    struct Options
    {
        std::string dsn;
        unsigned seed = 1;
        /// Pause between transactions (0: as fast as the source takes them).
        int pauseMicros = 3000;
        /// Also write public.loyalty (id bigserial) and customers.ssn, once they exist.
        bool loyalty = false;
        bool ssn = false;
        /// Only small single-row updates of customers and orders (steady rate for benchmarks).
        bool updatesOnly = false;
    };

    explicit CdcWorkload(Options options);
    ~CdcWorkload();
    CdcWorkload(const CdcWorkload &) = delete;
    CdcWorkload &operator=(const CdcWorkload &) = delete;

    void start();
    /// Stops after the transaction in flight; returns the first error (empty: none).
    std::string stop();

    [[nodiscard]] std::int64_t transactions() const { return m_transactions.load(); }
    [[nodiscard]] std::int64_t changes() const { return m_changes.load(); }

private:
    void run(const std::stop_token &stop);

    Options m_options;
    std::jthread m_thread;
    std::atomic<std::int64_t> m_transactions{0};
    std::atomic<std::int64_t> m_changes{0};
    std::mutex m_mutex;
    std::string m_error;
};

} // namespace envsync::test
