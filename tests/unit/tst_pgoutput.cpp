// The pgoutput decoder (protocol 1) and the streaming protocol's framing, on hand-built byte
// buffers: every message kind decodes to what was encoded; every truncation, trailing byte,
// negative length and unknown marker is an Error, never a crash (issue 21 will fuzz it).

#include "core/cdc/pgoutputdecoder.h"
#include "core/cdc/replicationconnection.h"

#include <QTest>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

using namespace envsync;
using namespace envsync::cdc;

namespace {

// 2001-01-01 00:00:00 UTC: 366 days after PostgreSQL's epoch.
constexpr std::int64_t pgMicros2001 = 366LL * 86'400 * 1'000'000;
constexpr std::int64_t unixMicros2001 = 978'307'200LL * 1'000'000;

/// Big-endian wire bytes, as the server writes them.
class Wire
{
public:
    Wire &u8(std::uint8_t v)
    {
        m_bytes.push_back(static_cast<char>(v));
        return *this;
    }
    Wire &be(std::uint64_t v, int width)
    {
        for (int shift = (width - 1) * 8; shift >= 0; shift -= 8)
            m_bytes.push_back(static_cast<char>((v >> shift) & 0xff));
        return *this;
    }
    Wire &i16(std::int16_t v) { return be(static_cast<std::uint16_t>(v), 2); }
    Wire &u32(std::uint32_t v) { return be(v, 4); }
    Wire &i32(std::int32_t v) { return be(static_cast<std::uint32_t>(v), 4); }
    Wire &u64(std::uint64_t v) { return be(v, 8); }
    Wire &i64(std::int64_t v) { return be(static_cast<std::uint64_t>(v), 8); }
    Wire &str(const std::string &s)
    {
        m_bytes += s;
        m_bytes.push_back('\0');
        return *this;
    }
    Wire &text(const std::string &s)
    {
        u8('t').i32(static_cast<std::int32_t>(s.size()));
        m_bytes += s;
        return *this;
    }
    [[nodiscard]] const std::string &bytes() const { return m_bytes; }

private:
    std::string m_bytes;
};

TupleValue textValue(const std::string &s)
{
    return {TupleValue::Kind::Text, s};
}

const std::string nasty
        = std::string("tab\there\nnew \"line\" \xc3\xbc\xe2\x82\xac ") + '\0' + "nul";

// cdc::Relation has no operator== (change.h is shared; compared field by field here).
bool sameRelation(const cdc::Relation &a, const cdc::Relation &b)
{
    if (a.id != b.id || a.schema != b.schema || a.table != b.table
        || a.replicaIdentity != b.replicaIdentity || a.columns.size() != b.columns.size())
        return false;
    for (std::size_t i = 0; i < a.columns.size(); ++i) {
        const auto &x = a.columns[i];
        const auto &y = b.columns[i];
        if (x.name != y.name || x.typeOid != y.typeOid || x.typeModifier != y.typeModifier
            || x.typeName != y.typeName || x.key != y.key)
            return false;
    }
    return true;
}

bool sameMessage(const DecodedMessage &a, const DecodedMessage &b)
{
    if (a.index() != b.index())
        return false;
    return std::visit(
            [&](const auto &x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, cdc::Relation>)
                    return sameRelation(x, std::get<T>(b));
                else
                    return x == std::get<T>(b);
            },
            a);
}

struct Sample
{
    std::string name;
    std::string bytes;
    DecodedMessage expected;
};

std::vector<Sample> samples()
{
    std::vector<Sample> out;
    out.push_back({"begin", Wire().u8('B').u64(0x16B374D848ULL).i64(pgMicros2001).u32(4711).bytes(),
                   pgoutput::Begin{0x16B374D848ULL, unixMicros2001, 4711}});
    out.push_back({"commit",
                   Wire().u8('C').u8(0).u64(0x100).u64(0x130).i64(pgMicros2001 + 5).bytes(),
                   pgoutput::Commit{0, 0x100, 0x130, unixMicros2001 + 5}});
    out.push_back({"origin", Wire().u8('O').u64(77).str("node a").bytes(),
                   pgoutput::Origin{77, "node a"}});
    {
        cdc::Relation relation;
        relation.id = 16'384;
        relation.schema = "Sch\xc3\xa9ma \"x\"";
        relation.table = "Orders, {1}";
        relation.replicaIdentity = 'f';
        relation.columns = {{"id", 23, -1, "", true},
                            {"E-Mail \"", 1043, 259, "", false},
                            {"", 25, -1, "", false}};
        out.push_back({"relation",
                       Wire().u8('R')
                               .u32(16'384)
                               .str(relation.schema)
                               .str(relation.table)
                               .u8('f')
                               .i16(3)
                               .u8(1)
                               .str("id")
                               .u32(23)
                               .i32(-1)
                               .u8(0)
                               .str("E-Mail \"")
                               .u32(1043)
                               .i32(259)
                               .u8(0)
                               .str("")
                               .u32(25)
                               .i32(-1)
                               .bytes(),
                       relation});
        cdc::Relation empty;
        empty.id = 1;
        empty.schema = "";
        empty.table = "t";
        empty.replicaIdentity = 'n';
        out.push_back({"relation without columns",
                       Wire().u8('R').u32(1).str("").str("t").u8('n').i16(0).bytes(), empty});
    }
    out.push_back({"type", Wire().u8('Y').u32(90'001).str("public").str("mood").bytes(),
                   pgoutput::Type{90'001, "public", "mood"}});
    out.push_back(
            {"insert",
             Wire().u8('I')
                     .u32(16'384)
                     .u8('N')
                     .i16(4)
                     .text("1")
                     .u8('n')
                     .text(nasty)
                     .text("")
                     .bytes(),
             pgoutput::Insert{16'384, {textValue("1"), {}, textValue(nasty), textValue("")}}});
    out.push_back({"insert without columns", Wire().u8('I').u32(5).u8('N').i16(0).bytes(),
                   pgoutput::Insert{5, {}}});
    out.push_back(
            {"update without old image",
             Wire().u8('U').u32(7).u8('N').i16(2).text("1").u8('u').bytes(),
             pgoutput::Update{
                     7, std::nullopt, true, {textValue("1"), {TupleValue::Kind::Unchanged, ""}}}});
    out.push_back({"update of the key",
                   Wire().u8('U')
                           .u32(7)
                           .u8('K')
                           .i16(2)
                           .text("1")
                           .u8('n')
                           .u8('N')
                           .i16(2)
                           .text("2")
                           .text("x")
                           .bytes(),
                   pgoutput::Update{
                           7, Tuple{textValue("1"), {}}, true, {textValue("2"), textValue("x")}}});
    out.push_back({"update with full old row",
                   Wire().u8('U').u32(7).u8('O').i16(1).text("a").u8('N').i16(1).text("b").bytes(),
                   pgoutput::Update{7, Tuple{textValue("a")}, false, {textValue("b")}}});
    out.push_back({"delete by key", Wire().u8('D').u32(7).u8('K').i16(2).text("1").u8('n').bytes(),
                   pgoutput::Delete{7, {textValue("1"), {}}, true}});
    out.push_back({"delete by full row", Wire().u8('D').u32(7).u8('O').i16(1).text(nasty).bytes(),
                   pgoutput::Delete{7, {textValue(nasty)}, false}});
    out.push_back({"truncate cascade restart",
                   Wire().u8('T').u32(3).u8(3).u32(10).u32(11).u32(4'000'000'000U).bytes(),
                   pgoutput::Truncate{{10, 11, 4'000'000'000U}, true, true}});
    out.push_back({"truncate plain", Wire().u8('T').u32(1).u8(0).u32(10).bytes(),
                   pgoutput::Truncate{{10}, false, false}});
    out.push_back({"truncate of nothing", Wire().u8('T').u32(0).u8(0).bytes(),
                   pgoutput::Truncate{{}, false, false}});
    out.push_back({"message transactional",
                   Wire().u8('M').u8(1).u64(0x500).str("envsync").i32(6).bytes()
                           + std::string("he\0lo!", 6),
                   pgoutput::Message{0x500, true, "envsync", std::string("he\0lo!", 6)}});
    out.push_back({"message empty", Wire().u8('M').u8(0).u64(9).str("").i32(0).bytes(),
                   pgoutput::Message{9, false, "", ""}});
    return out;
}

} // namespace

class TestPgOutput : public QObject
{
    Q_OBJECT
private slots:
    void decodesEveryKind_data()
    {
        QTest::addColumn<int>("index");
        const auto all = samples();
        for (std::size_t i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].name.c_str()) << static_cast<int>(i);
    }
    void decodesEveryKind()
    {
        QFETCH(int, index);
        const Sample sample = samples().at(static_cast<std::size_t>(index));
        const auto decoded = decodePgOutput(sample.bytes);
        QVERIFY2(decoded.has_value(), decoded ? "" : decoded.error().describe().c_str());
        QCOMPARE(decoded->index(), sample.expected.index());
        QVERIFY(sameMessage(*decoded, sample.expected));
    }

    /// Every proper prefix of a valid message is an Error (bounds-checked reads), and so is
    /// one byte more.
    void truncationAndTrailingBytesAreErrors_data() { decodesEveryKind_data(); }
    void truncationAndTrailingBytesAreErrors()
    {
        QFETCH(int, index);
        const Sample sample = samples().at(static_cast<std::size_t>(index));
        for (std::size_t length = 0; length < sample.bytes.size(); ++length) {
            const auto decoded = decodePgOutput(std::string_view(sample.bytes).substr(0, length));
            QVERIFY2(!decoded.has_value(),
                     ("prefix of " + std::to_string(length) + " bytes decoded").c_str());
            QCOMPARE(decoded.error().code, ErrorCode::Database);
        }
        QVERIFY(!decodePgOutput(sample.bytes + 'x').has_value());
    }

    void malformedIsAnError_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        auto row = [](const char *name, const std::string &bytes, const char *mentions) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString::fromUtf8(mentions);
        };
        row("unknown kind", "Z", "unknown message kind");
        row("binary value", Wire().u8('I').u32(1).u8('N').i16(1).u8('b').i32(1).u8(0).bytes(),
            "binary");
        row("unknown column kind", Wire().u8('I').u32(1).u8('N').i16(1).u8('x').bytes(),
            "unknown column kind");
        row("negative column length", Wire().u8('I').u32(1).u8('N').i16(1).u8('t').i32(-1).bytes(),
            "negative column length");
        row("length past the end",
            Wire().u8('I').u32(1).u8('N').i16(1).u8('t').i32(1'000'000).bytes(),
            "truncated column value");
        row("negative column count", Wire().u8('I').u32(1).u8('N').i16(-1).bytes(),
            "negative tuple column count");
        row("many columns, few bytes", Wire().u8('I').u32(1).u8('N').i16(32'767).u8('n').bytes(),
            "truncated");
        row("insert without N", Wire().u8('I').u32(1).u8('K').i16(0).bytes(), "'N'");
        row("update with bad marker", Wire().u8('U').u32(1).u8('X').i16(0).bytes(), "'N'");
        row("update old twice", Wire().u8('U').u32(1).u8('K').i16(0).u8('O').i16(0).bytes(), "'N'");
        row("delete without old", Wire().u8('D').u32(1).u8('N').i16(0).bytes(), "'K' or 'O'");
        row("unterminated name", Wire().u8('O').u64(1).bytes() + "abc", "unterminated");
        row("bad replica identity", Wire().u8('R').u32(1).str("s").str("t").u8('q').i16(0).bytes(),
            "replica identity");
        row("truncate count past the end", Wire().u8('T').u32(0x40000000).u8(0).u32(1).bytes(),
            "truncated relation list");
        row("timestamp overflow",
            Wire().u8('B').u64(1).i64(std::numeric_limits<std::int64_t>::max()).u32(1).bytes(),
            "timestamp out of range");
        row("negative message length", Wire().u8('M').u8(0).u64(1).str("p").i32(-5).bytes(),
            "negative message length");
    }
    void malformedIsAnError()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        const auto decoded = decodePgOutput(std::string_view(bytes.constData(), bytes.size()));
        QVERIFY(!decoded.has_value());
        QCOMPARE(decoded.error().code, ErrorCode::Database);
        QVERIFY2(decoded.error().message.find(mentions.toStdString()) != std::string::npos,
                 decoded.error().message.c_str());
    }

    /// Errors name kind and offset, never the message's bytes (they are unmasked row values).
    void errorsCarryNoRowValues()
    {
        const std::string secret = "alice@example.com";
        const std::string bytes
                = Wire().u8('I').u32(1).u8('N').i16(2).text(secret).u8('b').i32(0).bytes();
        const auto decoded = decodePgOutput(bytes);
        QVERIFY(!decoded.has_value());
        QVERIFY(decoded.error().describe().find(secret) == std::string::npos);
        QVERIFY2(decoded.error().message.find("Insert message") != std::string::npos,
                 decoded.error().message.c_str());
        QVERIFY2(decoded.error().message.find("at byte 30") != std::string::npos,
                 decoded.error().message.c_str());
    }

    /// Random byte flips, cuts and splices of valid messages: decode returns, whatever it says.
    void randomMutationsNeverCrash()
    {
        std::mt19937 random(18);
        const auto all = samples();
        int errors = 0;
        for (int round = 0; round < 20'000; ++round) {
            std::string bytes = all[random() % all.size()].bytes;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int e = 0; e < edits && !bytes.empty(); ++e) {
                const std::size_t at = random() % bytes.size();
                switch (random() % 3) {
                case 0:
                    bytes[at] = static_cast<char>(random());
                    break;
                case 1:
                    bytes.resize(at);
                    break;
                default:
                    bytes.insert(at, 1, static_cast<char>(random()));
                    break;
                }
            }
            if (!decodePgOutput(bytes))
                ++errors;
        }
        QVERIFY(errors > 0);
    }

    void epochConversion()
    {
        QCOMPARE(pgEpochToUnixMicros(0).value(), 946'684'800LL * 1'000'000);
        QCOMPARE(pgEpochToUnixMicros(pgMicros2001).value(), unixMicros2001);
        QVERIFY(!pgEpochToUnixMicros(std::numeric_limits<std::int64_t>::max()).has_value());
        QCOMPARE(pgEpochToUnixMicros(std::numeric_limits<std::int64_t>::min()).value(),
                 std::numeric_limits<std::int64_t>::min() + 946'684'800LL * 1'000'000);
    }

    void parsesStreamingMessages()
    {
        const std::string payload = Wire().u8('B').u64(1).i64(0).u32(2).bytes();
        const auto xlog = parseStreamMessage(
                Wire().u8('w').u64(0x10).u64(0x20).i64(pgMicros2001).bytes() + payload);
        QVERIFY(xlog.has_value());
        QCOMPARE(xlog->kind, StreamMessage::Kind::XLogData);
        QCOMPARE(xlog->walStart, Lsn(0x10));
        QCOMPARE(xlog->walEnd, Lsn(0x20));
        QCOMPARE(xlog->serverTimeMicros, unixMicros2001);
        QCOMPARE(xlog->payload, payload);

        const auto keepalive
                = parseStreamMessage(Wire().u8('k').u64(0x30).i64(pgMicros2001).u8(1).bytes());
        QVERIFY(keepalive.has_value());
        QCOMPARE(keepalive->kind, StreamMessage::Kind::Keepalive);
        QCOMPARE(keepalive->walEnd, Lsn(0x30));
        QVERIFY(keepalive->replyRequested);

        const std::string validKeepalive = Wire().u8('k').u64(1).i64(0).u8(0).bytes();
        for (std::size_t length = 0; length < validKeepalive.size(); ++length)
            QVERIFY(!parseStreamMessage(validKeepalive.substr(0, length)).has_value());
        QVERIFY(!parseStreamMessage(validKeepalive + '\0').has_value());
        const std::string validXlog = Wire().u8('w').u64(1).u64(2).i64(0).bytes();
        QVERIFY(parseStreamMessage(validXlog).has_value()); // empty payload: framing is fine
        for (std::size_t length = 0; length < validXlog.size(); ++length)
            QVERIFY(!parseStreamMessage(validXlog.substr(0, length)).has_value());
        QVERIFY(!parseStreamMessage("r").has_value());
    }

    void standbyStatusLayout()
    {
        const std::string message
                = standbyStatusUpdate(0x0102030405060708ULL, 0x20, 0x10, unixMicros2001, true);
        QCOMPARE(message, Wire().u8('r')
                                  .u64(0x0102030405060708ULL)
                                  .u64(0x20)
                                  .u64(0x10)
                                  .i64(pgMicros2001)
                                  .u8(1)
                                  .bytes());
    }
};

QTEST_GUILESS_MAIN(TestPgOutput)
#include "tst_pgoutput.moc"
