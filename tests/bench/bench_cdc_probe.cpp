// bench_cdc_probe: end-to-end lag probe for bench_cdc.sh (issue 18, Performance: p99 lag at a
// sustained write rate). Every --interval-ms it inserts one row into public.bench_probe on the
// source (autocommit) and then polls the target every --poll-ms until that row is there; the
// time from the insert's commit acknowledgement to the first poll that sees the row is one
// latency sample. Runs for --seconds, then prints one line:
//
//   samples=N missed=M p50_ms=.. p95_ms=.. p99_ms=.. max_ms=..
//
// A row not seen within --timeout-ms counts as missed and as a sample of --timeout-ms (so a
// stalled consumer cannot improve the percentiles). Raw libpq, no EnvSync code: it measures
// whatever consumer moves the row (EnvSync's `cdc run` or a native subscription).
//
//   bench_cdc_probe --source DSN --target DSN [--seconds 60] [--interval-ms 100] [--poll-ms 5]
//                   [--first-id 1] [--timeout-ms 30000]
//
// Exit code 0 when it ran (whatever the figures), 2 on bad arguments, 3 on a database error.

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options
{
    std::string source;
    std::string target;
    int seconds = 60;
    int intervalMs = 100;
    int pollMs = 5;
    long long firstId = 1;
    int timeoutMs = 30000;
};

struct ConnectionCloser
{
    void operator()(PGconn *connection) const { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultClearer
{
    void operator()(PGresult *result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

bool parseNumber(const char *text, long long minimum, long long &out)
{
    char *end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || value < minimum)
        return false;
    out = value;
    return true;
}

bool parseOptions(int argc, char **argv, Options &options)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view name = argv[i];
        if (i + 1 >= argc)
            return false;
        const char *value = argv[++i];
        long long number = 0;
        if (name == "--source") {
            options.source = value;
        } else if (name == "--target") {
            options.target = value;
        } else if (name == "--first-id" && parseNumber(value, 1, number)) {
            options.firstId = number;
        } else if (parseNumber(value, 1, number) && number <= 3'600'000) {
            const int small = static_cast<int>(number);
            if (name == "--seconds")
                options.seconds = small;
            else if (name == "--interval-ms")
                options.intervalMs = small;
            else if (name == "--poll-ms")
                options.pollMs = small;
            else if (name == "--timeout-ms")
                options.timeoutMs = small;
            else
                return false;
        } else {
            return false;
        }
    }
    return !options.source.empty() && !options.target.empty();
}

/// Connects or prints the server's message (never the DSN: it may hold a password).
Connection connect(const std::string &dsn, const char *who)
{
    Connection connection(PQconnectdb(dsn.c_str()));
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        std::fprintf(stderr, "bench_cdc_probe: %s: %s", who, PQerrorMessage(connection.get()));
        return nullptr;
    }
    return connection;
}

bool prepare(PGconn *connection, const char *name, const char *sql, const char *who)
{
    const Result result(PQprepare(connection, name, sql, 1, nullptr));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        std::fprintf(stderr, "bench_cdc_probe: %s: %s", who, PQerrorMessage(connection));
        return false;
    }
    return true;
}

/// Runs a prepared statement with the id; returns the result or null after printing the error.
Result run(PGconn *connection, const char *name, const std::string &id, const char *who)
{
    const char *values[] = {id.c_str()};
    Result result(PQexecPrepared(connection, name, 1, values, nullptr, nullptr, 0));
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::fprintf(stderr, "bench_cdc_probe: %s: %s", who, PQerrorMessage(connection));
        return nullptr;
    }
    return result;
}

double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    // nearest rank
    const auto rank
            = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    if (!parseOptions(argc, argv, options)) {
        std::fprintf(stderr, "usage: bench_cdc_probe --source DSN --target DSN [--seconds S] "
                             "[--interval-ms I] [--poll-ms P] [--first-id N] [--timeout-ms T]\n");
        return 2;
    }
    const Connection source = connect(options.source, "source");
    const Connection target = connect(options.target, "target");
    if (!source || !target)
        return 3;
    if (!prepare(source.get(), "probe_insert",
                 "INSERT INTO public.bench_probe (id, sent_at) VALUES ($1::bigint, "
                 "clock_timestamp())",
                 "source")
        || !prepare(target.get(), "probe_seen",
                    "SELECT 1 FROM public.bench_probe WHERE id = $1::bigint", "target"))
        return 3;

    std::vector<double> samples;
    int missed = 0;
    const auto end = Clock::now() + std::chrono::seconds(options.seconds);
    auto next = Clock::now();
    for (long long id = options.firstId; Clock::now() < end; ++id) {
        std::this_thread::sleep_until(next);
        next += std::chrono::milliseconds(options.intervalMs);
        const std::string key = std::to_string(id);
        if (!run(source.get(), "probe_insert", key, "source"))
            return 3;
        const auto committed = Clock::now();
        const auto giveUp = committed + std::chrono::milliseconds(options.timeoutMs);
        bool seen = false;
        while (!seen) {
            const Result found = run(target.get(), "probe_seen", key, "target");
            if (!found)
                return 3;
            seen = PQntuples(found.get()) > 0;
            if (seen || Clock::now() >= giveUp)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(options.pollMs));
        }
        const auto latency = std::chrono::duration<double, std::milli>(Clock::now() - committed);
        samples.push_back(seen ? latency.count() : options.timeoutMs);
        missed += seen ? 0 : 1;
        // a slow sample delays the schedule, it does not make the probe fire a burst afterwards
        next = std::max(next, Clock::now());
    }
    std::sort(samples.begin(), samples.end());
    std::printf("samples=%zu missed=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
                samples.size(), missed, percentile(samples, 50), percentile(samples, 95),
                percentile(samples, 99), samples.empty() ? 0.0 : samples.back());
    return 0;
}
