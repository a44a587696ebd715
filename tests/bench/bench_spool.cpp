// CDC spool throughput: append + flush (fdatasync) and read back, in transactions/s, changes/s
// and MB/s. Build:  cmake --build <build dir> --target bench_spool -j2
// Run:    <build dir>/tests/bench/bench_spool [--transactions N] [--changes C] [--value-bytes B]
//                                             [--flush-every F] [--dir DIR]
// DIR defaults to a new temporary directory (removed afterwards); give one on the disk that
// will hold the real spool to measure its fdatasync cost.
#include "core/cdc/spool.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <string>

using namespace envsync::cdc;

namespace {

int intArgument(const QStringList &args, const char *name, int fallback)
{
    const auto at = args.indexOf(QString::fromLatin1(name));
    return at >= 0 && at + 1 < args.size() ? args[at + 1].toInt() : fallback;
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

SpoolEntry transaction(int number, int changes, int valueBytes)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Transaction;
    entry.transaction.xid = static_cast<std::uint32_t>(number);
    entry.transaction.commitLsn = Lsn(number) * 4096;
    entry.transaction.endLsn = entry.transaction.commitLsn + 56;
    entry.transaction.commitTimeMicros = 1'764'000'000'000'000 + number;
    for (int c = 0; c < changes; ++c) {
        RowChange change;
        change.kind = c % 3 == 2 ? ChangeKind::Update : ChangeKind::Insert;
        change.relationId = 16384 + std::uint32_t(c % 4);
        change.newTuple = {{TupleValue::Kind::Text, std::to_string(number * 10 + c)},
                           {TupleValue::Kind::Text, std::string(std::size_t(valueBytes), 'm')},
                           {TupleValue::Kind::Null, {}},
                           {TupleValue::Kind::Text, "2026-12-03 15:30:00+00"}};
        if (change.kind == ChangeKind::Update)
            change.oldTuple = Tuple{{TupleValue::Kind::Text, std::to_string(number * 10 + c)}};
        entry.transaction.changes.push_back(std::move(change));
    }
    return entry;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int transactions = intArgument(args, "--transactions", 200'000);
    const int changes = intArgument(args, "--changes", 5);
    const int valueBytes = intArgument(args, "--value-bytes", 40);
    const int flushEvery = std::max(1, intArgument(args, "--flush-every", 100));
    QTemporaryDir temporary;
    std::string dir = temporary.filePath(QStringLiteral("spool")).toStdString();
    if (const auto at = args.indexOf(QStringLiteral("--dir")); at >= 0 && at + 1 < args.size())
        dir = args[at + 1].toStdString();

    auto writer = SpoolWriter::open(dir);
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().describe().c_str());
        return 3;
    }
    for (std::uint32_t id = 16384; id < 16388; ++id) {
        SpoolEntry relation;
        relation.kind = SpoolEntry::Kind::Relation;
        relation.relation = {id,
                             "public",
                             "table_" + std::to_string(id),
                             'd',
                             {{"id", 20, -1, "bigint", true},
                              {"name", 25, -1, "text", false},
                              {"note", 25, -1, "text", false},
                              {"at", 1184, -1, "timestamp with time zone", false}}};
        writer->append(relation);
    }
    const auto writeStart = std::chrono::steady_clock::now();
    int flushes = 0;
    for (int i = 1; i <= transactions; ++i) {
        writer->append(transaction(i, changes, valueBytes));
        if (i % flushEvery == 0 || i == transactions) {
            if (auto flushed = writer->flush(); !flushed) {
                std::fprintf(stderr, "%s\n", flushed.error().describe().c_str());
                return 3;
            }
            ++flushes;
        }
    }
    const double writeSeconds = secondsSince(writeStart);
    const auto usage = spoolUsage(dir);
    if (!usage) {
        std::fprintf(stderr, "%s\n", usage.error().describe().c_str());
        return 3;
    }
    const double megabytes = double(usage->bytes) / 1e6;

    auto reader = SpoolReader::open(dir, 0);
    if (!reader) {
        std::fprintf(stderr, "%s\n", reader.error().describe().c_str());
        return 3;
    }
    const auto readStart = std::chrono::steady_clock::now();
    long readTransactions = 0;
    for (;;) {
        auto entry = reader->next();
        if (!entry) {
            std::fprintf(stderr, "%s\n", entry.error().describe().c_str());
            return 3;
        }
        if (!*entry)
            break;
        readTransactions += (*entry)->kind == SpoolEntry::Kind::Transaction;
    }
    const double readSeconds = secondsSince(readStart);
    if (readTransactions != transactions) {
        std::fprintf(stderr, "read %ld transactions, wrote %d\n", readTransactions, transactions);
        return 1;
    }

    std::printf("spool: %d transactions x %d changes (%d-byte values), %.1f MB in %zu segments, "
                "%d flushes\n",
                transactions, changes, valueBytes, megabytes, usage->segments, flushes);
    std::printf("append+flush: %8.0f transactions/s  %9.0f changes/s  %6.1f MB/s  (%.2f s)\n",
                transactions / writeSeconds, double(transactions) * changes / writeSeconds,
                megabytes / writeSeconds, writeSeconds);
    std::printf("read:         %8.0f transactions/s  %9.0f changes/s  %6.1f MB/s  (%.2f s)\n",
                transactions / readSeconds, double(transactions) * changes / readSeconds,
                megabytes / readSeconds, readSeconds);
    return 0;
}
