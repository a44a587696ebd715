// bench_stream: how fast the CDC stream reader's first two stages take a backlog off the source
// (issue 18, Performance): a replication connection streaming a pgoutput slot plus the decoder,
// against the server's own decoding of the same slot data (pg_logical_slot_peek_binary_changes,
// pgoutput, no network, no client) as the baseline; and the decoder alone on the same bytes.
//
//   bench_stream [--changes N] [--per-tx T] [--runs R]
//
// Starts its own throw-away cluster, writes N inserts (4 columns, ~80 bytes of text a row) in
// transactions of T rows, creates 2R slots before the writes, then times R runs of A (server
// decoding, peek on slot k) and B (EnvSync: START_REPLICATION on slot k, read + decode until the
// last commit) and C (pg_recvlogical on its own slot to /dev/null, PostgreSQL's own streaming
// client) interleaved. Not a CTest test: run it by hand.

#include "core/cdc/pgoutputdecoder.h"
#include "core/cdc/replicationconnection.h"
#include "core/demo/localcluster.h"
#include "core/util/process.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

using namespace envsync;
using namespace envsync::cdc;
using Clock = std::chrono::steady_clock;

namespace {

int argument(const QStringList &args, const char *name, int fallback)
{
    const auto at = args.indexOf(QString::fromLatin1(name));
    return at >= 0 && at + 1 < args.size() ? args[at + 1].toInt() : fallback;
}

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

struct StreamRun
{
    double seconds = 0;
    std::size_t changes = 0;
    std::size_t bytes = 0;
    std::vector<std::string> payloads;
};

/// Streams the slot until `commits` transactions have committed; counts row changes.
StreamRun streamSlot(const test::TestCluster &cluster, const std::string &slot, std::size_t commits,
                     bool keepPayloads)
{
    StreamRun run;
    auto connection = ReplicationConnection::open(cluster.dsn("bench"), {}, "source");
    if (!connection)
        qFatal("%s", connection.error().describe().c_str());
    const auto start = Clock::now();
    if (auto started = connection->startStreaming(slot, 0, "bench", false); !started)
        qFatal("%s", started.error().describe().c_str());
    std::size_t committed = 0;
    while (committed < commits) {
        auto message = connection->read(std::chrono::seconds(30));
        if (!message || !*message)
            qFatal("stream stalled after %zu commits", committed);
        if ((*message)->kind != StreamMessage::Kind::XLogData)
            continue;
        run.bytes += (*message)->payload.size();
        auto decoded = decodePgOutput((*message)->payload);
        if (!decoded)
            qFatal("%s", decoded.error().describe().c_str());
        if (std::holds_alternative<pgoutput::Commit>(*decoded))
            ++committed;
        else if (std::holds_alternative<pgoutput::Insert>(*decoded))
            ++run.changes;
        if (keepPayloads)
            run.payloads.push_back(std::move((*message)->payload));
    }
    run.seconds = seconds(Clock::now() - start);
    return run;
}

double serverDecode(const test::TestCluster &cluster, const std::string &slot)
{
    const auto start = Clock::now();
    const std::string count = cluster.queryValue(
            "SELECT count(*) FROM pg_logical_slot_peek_binary_changes('" + slot
                    + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'bench')",
            "bench");
    if (count.empty())
        qFatal("server decoding failed");
    return seconds(Clock::now() - start);
}

/// PostgreSQL's own streaming client on the same slot data, to /dev/null, up to `endLsn`.
double recvlogical(const test::TestCluster &cluster, const std::string &slot,
                   const std::string &endLsn)
{
    const auto start = Clock::now();
    auto ran = util::runProcess((demo::LocalCluster::binDir() / "pg_recvlogical").string(),
                                {"-d", cluster.dsn("bench"), "--slot", slot, "--start", "--endpos",
                                 endLsn, "-o", "proto_version=1", "-o", "publication_names=bench",
                                 "-f", "/dev/null", "--no-loop"},
                                false);
    if (!ran || ran->exitCode != 0)
        qFatal("pg_recvlogical failed: %s",
               ran ? ran->output.c_str() : ran.error().describe().c_str());
    return seconds(Clock::now() - start);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int changes = argument(args, "--changes", 200'000);
    const int perTx = std::max(1, argument(args, "--per-tx", 100));
    const int runs = std::max(1, argument(args, "--runs", 3));
    const int transactions = (changes + perTx - 1) / perTx;

    test::TestCluster cluster;
    if (!cluster.execute("CREATE DATABASE bench")
        || !cluster.execute("CREATE TABLE orders (id bigint PRIMARY KEY, email text, name text,"
                            " amount numeric)",
                            "bench")
        || !cluster.execute("CREATE PUBLICATION bench FOR TABLE orders", "bench"))
        qFatal("setup failed");
    for (int k = 0; k < 2 * runs; ++k) {
        if (cluster.queryValue("SELECT lsn IS NOT NULL FROM pg_create_logical_replication_slot("
                               "'bench_"
                                       + std::to_string(k) + "', 'pgoutput')",
                               "bench")
            != "t")
            qFatal("slot creation failed");
    }
    const auto writeStart = Clock::now();
    if (!cluster.execute("DO $$ BEGIN FOR t IN 0.." + std::to_string(transactions - 1)
                                 + " LOOP INSERT INTO orders SELECT i, 'customer' || i ||"
                                   " '@shop.example', 'Customer Number ' || i, i * 1.25"
                                   " FROM generate_series(t * "
                                 + std::to_string(perTx) + " + 1, (t + 1) * "
                                 + std::to_string(perTx) + ") i; COMMIT; END LOOP; END $$",
                         "bench"))
        qFatal("workload failed");
    const std::string endLsn = cluster.queryValue("SELECT pg_current_wal_insert_lsn()", "bench");
    std::printf("workload: %d inserts in %d transactions written in %.2f s\n", changes,
                transactions, seconds(Clock::now() - writeStart));

    std::vector<double> server;
    std::vector<double> native;
    std::vector<double> envsync;
    StreamRun kept;
    for (int k = 0; k < runs; ++k) {
        const std::string slot = "bench_" + std::to_string(k);
        server.push_back(serverDecode(cluster, slot));
        native.push_back(recvlogical(cluster, "bench_" + std::to_string(runs + k), endLsn));
        StreamRun run = streamSlot(cluster, slot, static_cast<std::size_t>(transactions), k == 0);
        envsync.push_back(run.seconds);
        std::printf("run %d: server decoding %.3f s, pg_recvlogical %.3f s, EnvSync stream+decode"
                    " %.3f s (%zu changes, %.1f MB)\n",
                    k + 1, server.back(), native.back(), run.seconds, run.changes, run.bytes / 1e6);
        if (k == 0)
            kept = std::move(run);
    }
    std::sort(server.begin(), server.end());
    std::sort(envsync.begin(), envsync.end());
    std::sort(native.begin(), native.end());
    const double nativeMedian = native[native.size() / 2];
    const double serverMedian = server[server.size() / 2];
    const double envsyncMedian = envsync[envsync.size() / 2];

    const auto decodeStart = Clock::now();
    std::size_t decodedCount = 0;
    for (int pass = 0; pass < 5; ++pass) {
        for (const auto &payload : kept.payloads)
            decodedCount += decodePgOutput(payload).has_value() ? 1 : 0;
    }
    const double decodeSeconds = seconds(Clock::now() - decodeStart);

    std::printf("median: server %.0f changes/s, pg_recvlogical %.0f changes/s, EnvSync"
                " stream+decode %.0f changes/s (%.2fx pg_recvlogical, %.2fx the server's own"
                " decoding)\n",
                changes / serverMedian, changes / nativeMedian, changes / envsyncMedian,
                nativeMedian / envsyncMedian, serverMedian / envsyncMedian);
    std::printf("decoder alone: %.0f messages/s, %.0f MB/s\n", decodedCount / decodeSeconds,
                5.0 * kept.bytes / 1e6 / decodeSeconds);
    return 0;
}
