#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envsync::demo {

/// A random write workload on the demo shop's source (`envsyncctl demo write`, the CDC tests
/// and benchmark): multi-table inserts, updates (also of primary keys), cascading deletes, and
/// PII-like values in masked columns (`@leak.example` e-mails, `+1-555-` phones), so a leak is
/// easy to look for. Runs on its own thread and connection until stopped. Writes only rows it
/// made itself or rows of the demo's seed; never use it on anything but a demo source.
class DemoWriter
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
        /// Transactions per second over all (0: unlimited, pauseMicros apart).
        int rate = 0;
    };

    explicit DemoWriter(Options options);
    ~DemoWriter();
    DemoWriter(const DemoWriter &) = delete;
    DemoWriter &operator=(const DemoWriter &) = delete;

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

} // namespace envsync::demo
