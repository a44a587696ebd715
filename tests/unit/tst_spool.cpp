// The CDC spool: its record encoding (every entry kind, hostile values, malformed bytes), the
// segmented writer (rotation, relation prelude, crash recovery), the reader (from any position,
// following a live writer) and pruning. Real files in a temporary directory; no mocks.
#include "core/cdc/spool.h"
#include "core/cdc/spoolformat.h"
#include "core/cdc/spoolsegments.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

using namespace envsync;
using namespace envsync::cdc;

Q_DECLARE_METATYPE(envsync::cdc::SpoolEntry)

namespace {

void dumpTuple(std::ostream &out, const Tuple &tuple)
{
    out << '[';
    for (const auto &value : tuple) {
        out << int(value.kind) << ':' << value.text.size() << ':';
        for (const char c : value.text)
            out << std::hex << int(static_cast<unsigned char>(c)) << std::dec << ' ';
        out << ';';
    }
    out << ']';
}

/// Every field of an entry, in a form QCOMPARE can show: two entries are equal iff their dumps
/// are.
std::string dump(const SpoolEntry &entry)
{
    std::ostringstream out;
    out << "kind " << int(entry.kind) << '\n';
    switch (entry.kind) {
    case SpoolEntry::Kind::Relation: {
        const auto &r = entry.relation;
        out << r.id << " [" << r.schema << "].[" << r.table << "] " << int(r.replicaIdentity);
        for (const auto &c : r.columns)
            out << "\n  [" << c.name << "] " << c.typeOid << ' ' << c.typeModifier << " ["
                << c.typeName << "] " << c.key;
        break;
    }
    case SpoolEntry::Kind::Transaction: {
        const auto &t = entry.transaction;
        out << t.xid << ' ' << t.commitLsn << ' ' << t.endLsn << ' ' << t.commitTimeMicros;
        for (const auto &c : t.changes) {
            out << "\n  " << int(c.kind) << ' ' << c.relationId << ' ' << c.oldIsKey << ' '
                << c.truncateCascade << ' ' << c.truncateRestartIdentity << " old ";
            if (c.oldTuple)
                dumpTuple(out, *c.oldTuple);
            else
                out << "none";
            out << " new ";
            dumpTuple(out, c.newTuple);
            for (const auto id : c.truncated)
                out << " t" << id;
        }
        break;
    }
    case SpoolEntry::Kind::Sequences:
        for (const auto &s : entry.sequences)
            out << '[' << s.schema << "].[" << s.name << "]=" << s.lastValue << '\n';
        break;
    case SpoolEntry::Kind::Position:
        out << entry.position;
        break;
    }
    return out.str();
}

TupleValue text(std::string value)
{
    return {TupleValue::Kind::Text, std::move(value)};
}
TupleValue null()
{
    return {TupleValue::Kind::Null, {}};
}
TupleValue unchanged()
{
    return {TupleValue::Kind::Unchanged, {}};
}

SpoolEntry relationEntry(std::uint32_t id, std::string schema, std::string table, int columns)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Relation;
    entry.relation.id = id;
    entry.relation.schema = std::move(schema);
    entry.relation.table = std::move(table);
    for (int i = 0; i < columns; ++i)
        entry.relation.columns.push_back({"c" + std::to_string(i), 25, -1, "text", i == 0});
    return entry;
}

SpoolEntry transactionEntry(Lsn commitLsn, std::uint32_t relationId, std::string value)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Transaction;
    entry.transaction.xid = static_cast<std::uint32_t>(commitLsn / 7);
    entry.transaction.commitLsn = commitLsn;
    entry.transaction.endLsn = commitLsn + 40;
    entry.transaction.commitTimeMicros = 1'700'000'000'000'000 + std::int64_t(commitLsn);
    RowChange insert;
    insert.kind = ChangeKind::Insert;
    insert.relationId = relationId;
    insert.newTuple = {text(std::to_string(commitLsn)), text(std::move(value))};
    entry.transaction.changes.push_back(std::move(insert));
    return entry;
}

SpoolEntry positionEntry(Lsn position)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Position;
    entry.position = position;
    return entry;
}

SpoolEntry sequencesEntry(std::int64_t value)
{
    SpoolEntry entry;
    entry.kind = SpoolEntry::Kind::Sequences;
    entry.sequences = {{"public", "orders_id_seq", value}, {"Straße", "a\"b", -value}};
    return entry;
}

/// Entries with hostile values: quotes, tabs, newlines, NUL bytes, unicode, invalid UTF-8,
/// a 1 MB text, extreme numbers.
std::vector<std::pair<const char *, SpoolEntry>> nastyEntries()
{
    std::vector<std::pair<const char *, SpoolEntry>> entries;
    SpoolEntry relation
            = relationEntry(4'294'967'295u, "Mixed \"Case\"\tSchema", "tåble\n; drop", 0);
    relation.relation.replicaIdentity = 'f';
    relation.relation.columns
            = {{"id", 23, -1, "integer", true},
               {std::string("nul\0byte", 8), 1043, 68, "character varying(64)", false},
               {"", 0, std::numeric_limits<std::int32_t>::min(), "", false},
               {"ключ 🔑", 4'294'967'295u, std::numeric_limits<std::int32_t>::max(),
                "numeric(10,2)[]", true}};
    entries.emplace_back("relation", relation);
    entries.emplace_back("relation without columns", relationEntry(0, "", "", 0));

    SpoolEntry transaction;
    transaction.kind = SpoolEntry::Kind::Transaction;
    transaction.transaction.xid = 4'294'967'295u;
    transaction.transaction.commitLsn = 0xFFFFFFFFFFFFFF00ull;
    transaction.transaction.endLsn = 0xFFFFFFFFFFFFFFFFull;
    transaction.transaction.commitTimeMicros = std::numeric_limits<std::int64_t>::min();
    RowChange insert;
    insert.kind = ChangeKind::Insert;
    insert.relationId = 16384;
    insert.newTuple = {text("1"),
                       text(std::string("a\0b\tc\nd\r\\N", 11)),
                       null(),
                       text(""),
                       text("héllo wörld ☃ \xff\xfe invalid utf8"),
                       text(std::string(1 << 20, 'x'))};
    RowChange update;
    update.kind = ChangeKind::Update;
    update.relationId = 16385;
    update.oldTuple = Tuple{text("old key"), null()};
    update.oldIsKey = true;
    update.newTuple = {text("new key"), unchanged()};
    RowChange updateFull = update;
    updateFull.oldIsKey = false;
    RowChange updateNoOld;
    updateNoOld.kind = ChangeKind::Update;
    updateNoOld.relationId = 1;
    updateNoOld.newTuple = {text("k"), unchanged(), null()};
    RowChange remove;
    remove.kind = ChangeKind::Delete;
    remove.relationId = 16386;
    remove.oldTuple = Tuple{text("gone")};
    RowChange truncate;
    truncate.kind = ChangeKind::Truncate;
    truncate.relationId = 16384;
    truncate.truncated = {16384, 16385, 4'294'967'295u};
    truncate.truncateCascade = true;
    truncate.truncateRestartIdentity = true;
    transaction.transaction.changes = {insert, update, updateFull, updateNoOld, remove, truncate};
    entries.emplace_back("transaction with every change kind", transaction);

    SpoolEntry empty;
    empty.kind = SpoolEntry::Kind::Transaction;
    empty.transaction.commitLsn = 1;
    empty.transaction.endLsn = 2;
    empty.transaction.commitTimeMicros = std::numeric_limits<std::int64_t>::max();
    entries.emplace_back("empty transaction", empty);

    SpoolEntry sequences = sequencesEntry(std::numeric_limits<std::int64_t>::max());
    sequences.sequences.push_back({"s", "min", std::numeric_limits<std::int64_t>::min()});
    entries.emplace_back("sequences", sequences);
    entries.emplace_back("no sequences", sequencesEntry(0));
    entries.back().second.sequences.clear();
    entries.emplace_back("position", positionEntry(0x16B374D848ull));
    entries.emplace_back("position zero", positionEntry(0));
    entries.emplace_back("position max", positionEntry(0xFFFFFFFFFFFFFFFFull));
    return entries;
}

/// The error code of a failed result, -1 for a success (QCOMPARE shows both).
template<typename T> int codeOf(const Result<T> &result)
{
    return result ? -1 : int(result.error().code);
}

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

/// Everything a reader from `from` delivers now.
Result<std::vector<SpoolEntry>> readAllFrom(const std::string &dir, Lsn from)
{
    auto reader = SpoolReader::open(dir, from);
    if (!reader)
        return std::unexpected(reader.error());
    std::vector<SpoolEntry> entries;
    for (;;) {
        auto entry = reader->next();
        if (!entry)
            return std::unexpected(entry.error());
        if (!*entry)
            return entries;
        entries.push_back(std::move(**entry));
    }
}

std::vector<Lsn> commitLsns(const std::vector<SpoolEntry> &entries)
{
    std::vector<Lsn> lsns;
    for (const auto &entry : entries)
        if (entry.kind == SpoolEntry::Kind::Transaction)
            lsns.push_back(entry.transaction.commitLsn);
    return lsns;
}

/// A workload: relations 1..3 (relation 2 changes shape midway), 400 transactions 1000 apart,
/// every 50th followed by sequences, every 70th by a position.
std::vector<SpoolEntry> workload()
{
    std::vector<SpoolEntry> entries
            = {relationEntry(1, "public", "a", 2), relationEntry(2, "public", "b", 2),
               relationEntry(3, "Sales", "Orders \"x\"", 2)};
    for (int i = 1; i <= 400; ++i) {
        if (i == 200)
            entries.push_back(relationEntry(2, "public", "b", 3));
        const std::uint32_t relation = 1 + std::uint32_t(i % 3);
        entries.push_back(
                transactionEntry(Lsn(i) * 1000, relation, std::string(40, char('a' + i % 26))));
        if (i % 50 == 0)
            entries.push_back(sequencesEntry(i));
        if (i % 70 == 0)
            entries.push_back(positionEntry(Lsn(i) * 1000 + 500));
    }
    return entries;
}

} // namespace

class TestSpool : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        m_dir = m_tmp->filePath(QStringLiteral("spool")).toStdString();
    }

    void crc32cMatchesTheStandardCheckValue()
    {
        QCOMPARE(crc32c("123456789"), 0xE3069283u);
        QCOMPARE(crc32c(""), 0u);
        QCOMPARE(crc32c("56789", crc32c("1234")), 0xE3069283u);
    }

    /// Every length and alignment (the word-at-a-time path and its byte tail) gives what the
    /// polynomial bit by bit gives.
    void crc32cMatchesABitwiseReferenceAtEveryLengthAndOffset()
    {
        std::string bytes;
        for (int i = 0; i < 80; ++i)
            bytes += static_cast<char>((i * 131 + 7) & 0xff);
        const auto reference = [](std::string_view data) {
            std::uint32_t crc = ~0u;
            for (const char c : data) {
                crc ^= static_cast<std::uint8_t>(c);
                for (int bit = 0; bit < 8; ++bit)
                    crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
            }
            return ~crc;
        };
        for (std::size_t offset = 0; offset < 8; ++offset) {
            for (std::size_t length = 0; offset + length <= bytes.size(); ++length) {
                const std::string_view data = std::string_view(bytes).substr(offset, length);
                QCOMPARE(crc32c(data), reference(data));
            }
        }
    }

    void encodingRoundTrips_data()
    {
        QTest::addColumn<SpoolEntry>("entry");
        for (const auto &[name, entry] : nastyEntries())
            QTest::newRow(name) << entry;
    }
    void encodingRoundTrips()
    {
        QFETCH(SpoolEntry, entry);
        const std::string bytes = encodeSpoolEntry(entry);
        const auto decoded = decodeSpoolEntry(bytes);
        QVERIFY2(decoded.has_value(), decoded ? "" : decoded.error().describe().c_str());
        QCOMPARE(dump(*decoded), dump(entry));
    }

    void everyTruncationIsAnError_data() { encodingRoundTrips_data(); }
    void everyTruncationIsAnError()
    {
        QFETCH(SpoolEntry, entry);
        std::string bytes = encodeSpoolEntry(entry);
        if (bytes.size() > 4096) // the 1 MB value: cut it down, the structure is what matters
            return;
        for (std::size_t cut = 0; cut < bytes.size(); ++cut)
            QVERIFY2(!decodeSpoolEntry(std::string_view(bytes).substr(0, cut)).has_value(),
                     qPrintable(QStringLiteral("prefix of %1 bytes decoded").arg(cut)));
        bytes.push_back('\0');
        QVERIFY(!decodeSpoolEntry(bytes).has_value());
    }

    void malformedBytesAreErrorsNotCrashes()
    {
        // Forged counts and lengths must not allocate or read past the end.
        QVERIFY(!decodeSpoolEntry(std::string("\x01\x01\xff\xff\xff\xff\x0f", 7)).has_value());
        QVERIFY(!decodeSpoolEntry(
                         std::string("\x01\x02\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12))
                         .has_value());
        QVERIFY(!decodeSpoolEntry(std::string("\x02\x03\x00", 3)).has_value()); // version 2
        QVERIFY(!decodeSpoolEntry(std::string("\x01\x07\x00", 3)).has_value()); // kind 7
        // An 11-byte varint, and a 10-byte one that overflows 64 bits.
        QVERIFY(!decodeSpoolEntry(
                         std::string("\x01\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00", 13))
                         .has_value());
        QVERIFY(!decodeSpoolEntry(
                         std::string("\x01\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 12))
                         .has_value());
        // Random flips of a valid record: whatever comes out, nothing crashes.
        const std::string valid = encodeSpoolEntry(nastyEntries()[2].second);
        std::mt19937 random(18);
        for (int round = 0; round < 2000; ++round) {
            std::string bytes = valid.substr(0, 600);
            for (int flips = 0; flips < 3; ++flips)
                bytes[random() % bytes.size()] = static_cast<char>(random());
            (void)decodeSpoolEntry(bytes);
        }
    }

    void writerAndReaderRoundTripAcrossSegments()
    {
        auto writer = SpoolWriter::open(m_dir, {.segmentBytes = 4096});
        QVERIFY2(writer.has_value(), writer ? "" : writer.error().describe().c_str());
        const auto entries = workload();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            writer->append(entries[i]);
            if (i % 7 == 0)
                QVERIFY(writer->flush().has_value());
        }
        const auto end = writer->flush();
        QVERIFY(end.has_value());
        QCOMPARE(*end, Lsn(400'000 + 40));
        QCOMPARE(writer->durableEnd(), *end);

        const auto segments = listSegments(m_dir);
        QVERIFY(segments.has_value());
        QVERIFY2(segments->size() > 5, "the workload should rotate several times");
        for (std::size_t i = 1; i < segments->size(); ++i)
            QVERIFY((*segments)[i - 1].start < (*segments)[i].start);

        // From 0 the reader sees every entry exactly once, in order, plus the relation
        // preludes of the later segments (relations only, the latest shape at that point).
        const auto read = readAllFrom(m_dir, 0);
        QVERIFY2(read.has_value(), read ? "" : read.error().describe().c_str());
        std::vector<std::string> expected;
        for (const auto &entry : entries)
            expected.push_back(dump(entry));
        std::vector<std::string> withoutPreludeRelations;
        std::size_t at = 0;
        for (const auto &entry : *read) {
            if (at < expected.size() && dump(entry) == expected[at]) {
                ++at;
                continue;
            }
            QCOMPARE(int(entry.kind), int(SpoolEntry::Kind::Relation));
        }
        QCOMPARE(at, expected.size());

        // The directory is private, segments are the only files.
        struct stat info
        {
        };
        QVERIFY(::stat(m_dir.c_str(), &info) == 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0700));
        for (const auto &name : QDir(QString::fromStdString(m_dir)).entryList(QDir::Files))
            QVERIFY2(parseSegmentFileName(name.toStdString()).has_value(), qPrintable(name));
    }

    void readerFromEveryPosition()
    {
        auto writer = SpoolWriter::open(m_dir, {.segmentBytes = 4096});
        QVERIFY(writer.has_value());
        const auto entries = workload();
        for (const auto &entry : entries)
            writer->append(entry);
        QVERIFY(writer->flush().has_value());

        for (Lsn from = 0; from <= 401'000; from += 250) {
            const auto read = readAllFrom(m_dir, from);
            QVERIFY2(read.has_value(), read ? "" : read.error().describe().c_str());
            std::vector<Lsn> expected;
            for (const auto &entry : entries)
                if (entry.kind == SpoolEntry::Kind::Transaction
                    && entry.transaction.commitLsn >= from)
                    expected.push_back(entry.transaction.commitLsn);
            QCOMPARE(commitLsns(*read), expected);
            // Every transaction comes after its relation's shape, the latest one written before
            // it (relation 2 gains a column at transaction 200).
            std::map<std::uint32_t, std::size_t> columns;
            for (const auto &entry : *read) {
                if (entry.kind == SpoolEntry::Kind::Relation)
                    columns[entry.relation.id] = entry.relation.columns.size();
                if (entry.kind == SpoolEntry::Kind::Position)
                    QVERIFY(entry.position >= from);
                if (entry.kind != SpoolEntry::Kind::Transaction)
                    continue;
                const auto id = entry.transaction.changes.front().relationId;
                QVERIFY2(columns.contains(id),
                         qPrintable(
                                 QStringLiteral("from %1: relation %2 unknown").arg(from).arg(id)));
                const bool widened = id == 2 && entry.transaction.commitLsn > 200'000;
                QCOMPARE(columns[id], std::size_t(widened ? 3 : 2));
            }
        }
    }

    void tornTailIsCutOffAtEveryOffset()
    {
        const std::string segment = m_dir + '/' + segmentFileName(0);
        std::string intact;
        std::string full;
        {
            auto writer = SpoolWriter::open(m_dir);
            QVERIFY(writer.has_value());
            writer->append(relationEntry(1, "public", "a", 2));
            writer->append(transactionEntry(1000, 1, "first"));
            QVERIFY(writer->flush().has_value());
            intact = readAll(segment);
            writer->append(transactionEntry(2000, 1, "second, torn by a crash"));
            QVERIFY(writer->flush().has_value());
            full = readAll(segment);
        }
        QVERIFY(full.size() > intact.size());
        for (std::size_t cut = intact.size(); cut < full.size(); ++cut) {
            for (const bool zeros : {false, true}) {
                // A crash can leave the record cut short, or the file grown with zeros.
                std::string torn = full.substr(0, cut);
                if (zeros)
                    torn.append(full.size() - cut, '\0');
                if (torn == full) // the record's own last bytes are zeros: nothing torn
                    continue;
                writeAll(segment, torn);
                auto writer = SpoolWriter::open(m_dir);
                QVERIFY2(writer.has_value(), writer ? "" : writer.error().describe().c_str());
                QCOMPARE(writer->durableEnd(), Lsn(1040));
                QCOMPARE(readAll(segment), intact);
                // Appending after recovery continues cleanly.
                writer->append(transactionEntry(2000, 1, "again"));
                QCOMPARE(writer->flush().value_or(0), Lsn(2040));
                const auto read = readAllFrom(m_dir, 0);
                QVERIFY(read.has_value());
                QCOMPARE(commitLsns(*read), (std::vector<Lsn>{1000, 2000}));
            }
        }
    }

    void nastyEntriesRoundTripThroughTheSpool()
    {
        // Small segments: the 1 MB value is a record larger than a segment and the reader's
        // buffer chunk.
        auto writer = SpoolWriter::open(m_dir, {.segmentBytes = 1024});
        QVERIFY(writer.has_value());
        std::vector<std::string> expected;
        Lsn lsn = 0;
        for (auto [name, entry] : nastyEntries()) {
            if (entry.kind == SpoolEntry::Kind::Transaction) {
                entry.transaction.commitLsn = lsn += 100;
                entry.transaction.endLsn = lsn += 10;
            }
            if (entry.kind == SpoolEntry::Kind::Position)
                entry.position = lsn += 100;
            writer->append(entry);
            QVERIFY(writer->flush().has_value());
            expected.push_back(dump(entry));
        }
        const auto read = readAllFrom(m_dir, 0);
        QVERIFY2(read.has_value(), read ? "" : read.error().describe().c_str());
        std::vector<std::string> got;
        for (const auto &entry : *read)
            got.push_back(dump(entry));
        // Later segments repeat the relations first; drop those repeats.
        std::vector<std::string> unique;
        std::size_t at = 0;
        for (const auto &text : got)
            if (at < expected.size() && text == expected[at])
                unique.push_back(expected[at++]);
        QCOMPARE(unique, expected);
        QCOMPARE(got.size() - unique.size(), (listSegments(m_dir)->size() - 1) * 2);
    }

    void readerAtATornTailReadsWhatARecoveredWriterWritesInstead()
    {
        const std::string segment = m_dir + '/' + segmentFileName(0);
        {
            auto writer = SpoolWriter::open(m_dir);
            QVERIFY(writer.has_value());
            writer->append(transactionEntry(1000, 1, "kept"));
            writer->append(transactionEntry(2000, 1, "torn by a crash"));
            QVERIFY(writer->flush().has_value());
        }
        const std::string full = readAll(segment);
        writeAll(segment, full.substr(0, full.size() - 5));
        auto reader = SpoolReader::open(m_dir, 0);
        QVERIFY(reader.has_value());
        auto kept = reader->next();
        QVERIFY(kept.has_value() && kept->has_value());
        auto atTear = reader->next();
        QVERIFY(atTear.has_value() && !atTear->has_value()); // not yet there
        {
            auto writer = SpoolWriter::open(m_dir);
            QVERIFY(writer.has_value());
            writer->append(transactionEntry(2000, 1, "written again after the restart"));
            QVERIFY(writer->flush().has_value());
        }
        auto again = reader->next();
        QVERIFY2(again.has_value(), again ? "" : again.error().describe().c_str());
        QVERIFY(again->has_value());
        QCOMPARE((*again)->transaction.changes.front().newTuple[1].text,
                 std::string("written again after the restart"));
    }

    void sigkillAnywhereKeepsEveryDurablePromise()
    {
        // A child process appends and flushes, reporting each durable end through a pipe; it is
        // killed with SIGKILL at a random moment, 20 times. After each kill the recovered spool
        // holds at least what was reported durable, every transaction exactly once, no gaps.
        std::mt19937 random(20261203);
        for (int round = 0; round < 20; ++round) {
            int pipe[2];
            QVERIFY(::pipe(pipe) == 0);
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                ::close(pipe[0]);
                auto writer = SpoolWriter::open(m_dir, {.segmentBytes = 16384});
                if (!writer)
                    ::_exit(2);
                Lsn next = writer->durableEnd() == 0 ? 1 : (writer->durableEnd() - 40) / 100 + 1;
                for (;; ++next) {
                    if (next % 37 == 0)
                        writer->append(relationEntry(1, "public", "t", int(next % 5) + 1));
                    writer->append(transactionEntry(next * 100, 1, std::string(next % 200, 'k')));
                    const auto durable = writer->flush();
                    if (!durable || ::write(pipe[1], &*durable, sizeof *durable) != sizeof *durable)
                        ::_exit(3);
                }
            }
            ::close(pipe[1]);
            std::this_thread::sleep_for(std::chrono::milliseconds(5 + random() % 60));
            QVERIFY(::kill(child, SIGKILL) == 0);
            int status = 0;
            QVERIFY(::waitpid(child, &status, 0) == child);
            QVERIFY2(WIFSIGNALED(status), "the writer child failed on its own");
            Lsn promised = 0;
            Lsn value = 0;
            while (::read(pipe[0], &value, sizeof value) == sizeof value)
                promised = value;
            ::close(pipe[0]);

            auto writer = SpoolWriter::open(m_dir, {.segmentBytes = 16384});
            QVERIFY2(writer.has_value(), writer ? "" : writer.error().describe().c_str());
            QVERIFY(writer->durableEnd() >= promised);
            const auto read = readAllFrom(m_dir, 0);
            QVERIFY2(read.has_value(), read ? "" : read.error().describe().c_str());
            const auto lsns = commitLsns(*read);
            QVERIFY(!lsns.empty());
            for (std::size_t i = 0; i < lsns.size(); ++i)
                QCOMPARE(lsns[i], Lsn(i + 1) * 100);
            QCOMPARE(lsns.back() + 40, writer->durableEnd());
        }
        QVERIFY(listSegments(m_dir)->size() > 1);
    }

    void damageInTheMiddleIsAnErrorNamingFileAndOffset()
    {
        {
            auto writer = SpoolWriter::open(m_dir);
            QVERIFY(writer.has_value());
            for (int i = 1; i <= 3; ++i)
                writer->append(transactionEntry(Lsn(i) * 1000, 1, "value"));
            QVERIFY(writer->flush().has_value());
        }
        const std::string segment = m_dir + '/' + segmentFileName(0);
        std::string bytes = readAll(segment);
        const std::size_t recordBytes = bytes.size() / 3;
        bytes[recordBytes + recordBytes / 2] ^= 0x20; // inside the second record's payload
        writeAll(segment, bytes);

        auto reader = SpoolReader::open(m_dir, 0);
        QVERIFY(reader.has_value());
        auto first = reader->next();
        QVERIFY(first.has_value() && first->has_value());
        const auto second = reader->next();
        QVERIFY(!second.has_value());
        QCOMPARE(second.error().code, ErrorCode::Io);
        const std::string text = second.error().describe();
        QVERIFY2(text.find(segment + " at offset " + std::to_string(recordBytes))
                         != std::string::npos,
                 text.c_str());
        // The writer refuses to recover over it too: cutting there would drop durable records.
        const auto writer = SpoolWriter::open(m_dir);
        QVERIFY(!writer.has_value());
        QVERIFY(writer.error().describe().find("offset") != std::string::npos);
        QCOMPARE(readAll(segment), bytes);
    }

    void concurrentWriterAndReaderSeeEverythingOnceInOrder()
    {
        auto opened = SpoolWriter::open(m_dir, {.segmentBytes = 8192});
        QVERIFY(opened.has_value());
        auto writer = std::make_shared<SpoolWriter>(std::move(*opened));
        constexpr int total = 3000;
        std::atomic<bool> writerFailed = false;
        std::thread writing([&] {
            std::mt19937 random(7);
            for (int i = 1; i <= total; ++i) {
                writer->append(transactionEntry(Lsn(i) * 100, 1, std::string(random() % 300, 'v')));
                if (random() % 5 == 0 && !writer->flush())
                    writerFailed = true;
            }
            if (!writer->flush())
                writerFailed = true;
        });
        std::vector<Lsn> seen;
        std::string readerError;
        auto reader = SpoolReader::open(m_dir, 0);
        QVERIFY(reader.has_value());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (seen.size() < std::size_t(total) && std::chrono::steady_clock::now() < deadline) {
            auto entry = reader->next();
            if (!entry) {
                readerError = entry.error().describe();
                break;
            }
            if (!*entry) {
                std::this_thread::yield();
                continue;
            }
            if ((*entry)->kind == SpoolEntry::Kind::Transaction)
                seen.push_back((*entry)->transaction.commitLsn);
        }
        writing.join();
        QVERIFY(!writerFailed);
        QVERIFY2(readerError.empty(), readerError.c_str());
        std::vector<Lsn> expected;
        for (int i = 1; i <= total; ++i)
            expected.push_back(Lsn(i) * 100);
        QCOMPARE(seen, expected);
        QVERIFY(listSegments(m_dir)->size() > 10);
        // Nothing more after the end.
        auto after = reader->next();
        QVERIFY(after.has_value() && !after->has_value());
    }

    void pruneKeepsWhatReadersFromKeepFromNeed()
    {
        {
            auto writer = SpoolWriter::open(m_dir, {.segmentBytes = 4096});
            QVERIFY(writer.has_value());
            for (const auto &entry : workload())
                writer->append(entry);
            QVERIFY(writer->flush().has_value());
        }
        const std::string foreign = m_dir + "/notes.txt";
        writeAll(foreign, "not the spool's");
        const auto before = listSegments(m_dir);
        const auto usageBefore = spoolUsage(m_dir);
        QVERIFY(usageBefore.has_value());
        QCOMPARE(usageBefore->segments, before->size());
        QCOMPARE(usageBefore->firstLsn, Lsn(0));
        QCOMPARE(usageBefore->lastLsn, Lsn(400'040));

        const Lsn keepFrom = 250'000;
        const auto pruned = pruneSpool(m_dir, keepFrom);
        QVERIFY2(pruned.has_value(), pruned ? "" : pruned.error().describe().c_str());
        QVERIFY(pruned->segmentsRemoved > 0);
        const auto after = listSegments(m_dir);
        QCOMPARE(after->size(), before->size() - pruned->segmentsRemoved);
        std::uint64_t freed = 0;
        for (std::size_t i = 0; i < pruned->segmentsRemoved; ++i)
            freed += (*before)[i].bytes;
        QCOMPARE(pruned->bytesFreed, freed);
        QVERIFY(after->front().start <= keepFrom);
        QVERIFY(after->size() == 1 || (*after)[1].start > keepFrom);
        QCOMPARE(readAll(foreign), std::string("not the spool's"));

        // A reader from keepFrom still gets every transaction from there, with every relation.
        const auto read = readAllFrom(m_dir, keepFrom);
        QVERIFY(read.has_value());
        QCOMPARE(commitLsns(*read).front(), keepFrom);
        QCOMPARE(commitLsns(*read).size(), std::size_t(151));
        std::set<std::uint32_t> relations;
        for (const auto &entry : *read)
            if (entry.kind == SpoolEntry::Kind::Relation)
                relations.insert(entry.relation.id);
        QCOMPARE(relations, (std::set<std::uint32_t>{1, 2, 3}));
        // A reader from before the pruned point is told it needs a refresh.
        const auto tooOld = SpoolReader::open(m_dir, 1000);
        QVERIFY(!tooOld.has_value());
        QVERIFY(tooOld.error().describe().find("refresh") != std::string::npos);
        // Never the last segment, even when everything is older.
        QVERIFY(pruneSpool(m_dir, 0xFFFFFFFFFFFFFFFFull).has_value());
        QCOMPARE(listSegments(m_dir)->size(), std::size_t(1));
        QCOMPARE(spoolUsage(m_dir)->lastLsn, Lsn(400'040));
    }

    void refusesSymlinksForeignDirectoriesAndASecondWriter()
    {
        const int refused = int(ErrorCode::Refused);
        const std::string real = m_tmp->filePath(QStringLiteral("real")).toStdString();
        QVERIFY(QDir().mkdir(QString::fromStdString(real)));
        QVERIFY(::symlink(real.c_str(), m_dir.c_str()) == 0);
        QCOMPARE(codeOf(SpoolWriter::open(m_dir)), refused);
        QCOMPARE(codeOf(SpoolReader::open(m_dir, 0)), refused);
        // A trailing slash would make the check follow the link.
        QCOMPARE(codeOf(SpoolWriter::open(m_dir + "//")), refused);
        QCOMPARE(codeOf(spoolUsage(m_dir + '/')), refused);
        QCOMPARE(codeOf(pruneSpool(m_dir, 0)), refused);
        QVERIFY(QDir(QString::fromStdString(real)).isEmpty());

        const std::string file = m_tmp->filePath(QStringLiteral("file")).toStdString();
        writeAll(file, "x");
        QCOMPARE(codeOf(SpoolWriter::open(file)), refused);
        QCOMPARE(readAll(file), std::string("x"));

        auto first = SpoolWriter::open(real);
        QVERIFY(first.has_value());
        QCOMPARE(codeOf(SpoolWriter::open(real)), refused);
        QCOMPARE(codeOf(SpoolWriter::open(real + '/')), refused);
    }

    void aNewSpoolStartsWhereTheSlotStands()
    {
        {
            auto writer = SpoolWriter::open(m_dir, {.startLsn = 5000});
            QVERIFY(writer.has_value());
            QCOMPARE(writer->durableEnd(), Lsn(5000));
            writer->append(transactionEntry(6000, 1, "after the start"));
            QCOMPARE(writer->flush().value_or(0), Lsn(6040));
        }
        QCOMPARE(listSegments(m_dir)->front().start, Lsn(5000));
        // A region from before the spool's start would miss what was never spooled.
        const auto tooOld = SpoolReader::open(m_dir, 4000);
        QVERIFY(!tooOld.has_value());
        QVERIFY(tooOld.error().describe().find("refresh") != std::string::npos);
        QCOMPARE(commitLsns(readAllFrom(m_dir, 5000).value_or(std::vector<SpoolEntry>{})),
                 std::vector<Lsn>{6000});
        QCOMPARE(spoolUsage(m_dir)->firstLsn, Lsn(5000));
        // Without findEnd only the directory is listed: the start, no end.
        const auto listed = spoolUsage(m_dir, false);
        QVERIFY(listed.has_value());
        QCOMPARE(listed->firstLsn, Lsn(5000));
        QCOMPARE(listed->lastLsn, Lsn(0));
        QCOMPARE(listed->bytes, spoolUsage(m_dir)->bytes);
        // An existing spool keeps its own start.
        auto reopened = SpoolWriter::open(m_dir, {.startLsn = 9000});
        QVERIFY(reopened.has_value());
        QCOMPARE(reopened->durableEnd(), Lsn(6040));
        QCOMPARE(listSegments(m_dir)->size(), std::size_t(1));
    }

    void unfinishedSegmentIsRemovedOnRecovery()
    {
        {
            auto writer = SpoolWriter::open(m_dir);
            QVERIFY(writer.has_value());
            writer->append(transactionEntry(1000, 1, "x"));
            QVERIFY(writer->flush().has_value());
        }
        // A crash between creating a segment and renaming it into place.
        const std::string unfinished = m_dir + '/' + segmentFileName(1040) + ".tmp";
        writeAll(unfinished, "half a prelude");
        auto writer = SpoolWriter::open(m_dir);
        QVERIFY(writer.has_value());
        QCOMPARE(writer->durableEnd(), Lsn(1040));
        QVERIFY(!std::filesystem::exists(unfinished));
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::string m_dir;
};

QTEST_GUILESS_MAIN(TestSpool)
#include "tst_spool.moc"
