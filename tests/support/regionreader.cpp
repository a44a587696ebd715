#include "regionreader.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <memory>

namespace envsync::test {

RegionReader::RegionReader(std::string dsn, std::string query)
    : m_dsn(std::move(dsn)), m_query(std::move(query))
{}

RegionReader::~RegionReader()
{
    stop();
}

void RegionReader::start()
{
    m_started = std::chrono::steady_clock::now();
    m_thread = std::thread([this] { loop(); });
}

void RegionReader::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

void RegionReader::loop()
{
    std::unique_ptr<pqxx::connection> conn;
    while (!m_stop) {
        Sample sample;
        try {
            if (!conn)
                conn = std::make_unique<pqxx::connection>(m_dsn);
            pqxx::nontransaction tx(*conn);
            const pqxx::result rows = tx.exec(m_query);
            sample.ok = true;
            sample.value = rows.empty() || rows[0][0].is_null() ? std::string()
                                                                : rows[0][0].as<std::string>();
        } catch (const std::exception &e) {
            conn.reset(); // terminated by the swap, or the database is closed: reconnect
            sample.value = e.what();
        }
        sample.atMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now()
                                                                - m_started)
                              .count();
        m_samples.push_back(std::move(sample));
        if (!m_samples.back().ok)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

int RegionReader::successfulReads() const
{
    return static_cast<int>(std::count_if(m_samples.begin(), m_samples.end(),
                                          [](const Sample &s) { return s.ok; }));
}

std::vector<std::string> RegionReader::valueSequence() const
{
    std::vector<std::string> sequence;
    for (const auto &sample : m_samples) {
        if (sample.ok && std::find(sequence.begin(), sequence.end(), sample.value) == sequence.end())
            sequence.push_back(sample.value);
    }
    return sequence;
}

bool RegionReader::changedAtMostOnce() const
{
    int changes = 0;
    const std::string *last = nullptr;
    for (const auto &sample : m_samples) {
        if (!sample.ok)
            continue;
        if (last && *last != sample.value)
            ++changes;
        last = &sample.value;
    }
    return changes <= 1;
}

double RegionReader::longestOutageMs() const
{
    double longest = 0;
    const Sample *lastOk = nullptr;
    bool failedSince = false;
    for (const auto &sample : m_samples) {
        if (!sample.ok) {
            failedSince = true;
            continue;
        }
        if (lastOk && failedSince)
            longest = std::max(longest, sample.atMs - lastOk->atMs);
        lastOk = &sample;
        failedSince = false;
    }
    return longest;
}

} // namespace envsync::test
