// The row digest verify compares (SipHash-2-4 per row, summed) and the leak sample's hashing.
#include "core/copy/leaksampler.h"
#include "core/copy/rowdigest.h"
#include "core/masking/hmackey.h"

#include <QtTest>

#include <string>

using namespace envsync::copy;

namespace {

std::string bytes(std::size_t n)
{
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += static_cast<char>(i);
    return out;
}

/// A binary COPY header: signature, flags, extension length 0.
std::string binaryHeader()
{
    return std::string("PGCOPY\n\377\r\n\0", 11) + std::string(8, '\0');
}

} // namespace

class TestRowDigest : public QObject
{
    Q_OBJECT
private slots:
    void sipHashReferenceVectors()
    {
        // SipHash paper (Aumasson & Bernstein), key 00 01 … 0f
        const std::uint64_t k0 = 0x0706050403020100ULL;
        const std::uint64_t k1 = 0x0f0e0d0c0b0a0908ULL;
        QCOMPARE(sipHash24(k0, k1, bytes(0)), 0x726fdb47dd0e0e31ULL);
        QCOMPARE(sipHash24(k0, k1, bytes(15)), 0xa129ca6149be45e5ULL);
    }

    void orderDoesNotMatterButEveryRowDoes()
    {
        RowDigest a(false);
        RowDigest b(false);
        for (const char *row : {"1\tx\n", "2\ty\n", "3\tz\n"})
            a.addMessage(row);
        for (const char *row : {"3\tz\n", "1\tx\n", "2\ty\n"})
            b.addMessage(row);
        QCOMPARE(a.sum(), b.sum());
        QCOMPARE(a.rows(), 3);
        RowDigest changed(false);
        for (const char *row : {"1\tx\n", "2\ty\n", "3\tZ\n"})
            changed.addMessage(row);
        QVERIFY(changed.sum() != a.sum());
        // a duplicated row is not cancelled out (it would be with xor)
        RowDigest twice(false);
        twice.addMessage("1\tx\n");
        twice.addMessage("1\tx\n");
        QVERIFY(twice.sum() != 0);
    }

    void rangesMergeToTheWhole()
    {
        RowDigest whole(false);
        RowDigest first(false);
        RowDigest second(false);
        for (int i = 0; i < 100; ++i) {
            const std::string row = std::to_string(i) + "\tv\n";
            whole.addMessage(row);
            (i < 40 ? first : second).addMessage(row);
        }
        first.merge(second);
        QCOMPARE(first.sum(), whole.sum());
        QCOMPARE(first.rows(), whole.rows());
    }

    void binaryHeaderAndTrailerAreNotRows()
    {
        const std::string row1("\0\1\0\0\0\1A", 7);
        const std::string row2("\0\1\0\0\0\1B", 7);
        const std::string trailer("\377\377", 2);
        RowDigest stream(true);
        stream.addMessage(binaryHeader() + row1);
        stream.addMessage(row2);
        stream.addMessage(trailer);
        QCOMPARE(stream.rows(), 2);
        QCOMPARE(stream.sum(), rowHash(row1) + rowHash(row2));
        RowDigest empty(true);
        empty.addMessage(binaryHeader() + trailer);
        QCOMPARE(empty.rows(), 0);
        QCOMPARE(empty.sum(), std::uint64_t(0));
    }

    void sampleKeepsHashesOfUnescapedValuesOnly()
    {
        const envsync::masking::HmacKey key("tst-salt");
        // columns: id, email, note; email masked, id the key
        LeakSampler sampler(key, {1}, 0, 10, 1);
        sampler.offer("7\ta\\tb@example.com\tx");
        sampler.offer("8\t\\N\ty");
        const auto samples = sampler.take();
        QCOMPARE(samples.size(), std::size_t(1));
        QCOMPARE(samples[0].size(), std::size_t(1)); // NULL is not sampled
        QCOMPARE(samples[0][0].valueHash, sampleHash(key, "a\tb@example.com"));
        QVERIFY(samples[0][0].keyHash);
        QCOMPARE(*samples[0][0].keyHash, sampleHash(key, "7"));
        QVERIFY(sampleHash(envsync::masking::HmacKey("other"), "a\tb@example.com")
                != samples[0][0].valueHash);
    }

    void needlesAreLongValuesAndJsonLeaves_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("needles");
        QTest::newRow("text") << QStringLiteral("Lebenslauf von Alexandra")
                              << QStringList{QStringLiteral("Lebenslauf von Alexandra")};
        QTest::newRow("too short") << QStringLiteral("Anna") << QStringList{};
        QTest::newRow("short number") << QStringLiteral("123456789") << QStringList{};
        QTest::newRow("card number") << QStringLiteral("4111111111111111")
                                     << QStringList{QStringLiteral("4111111111111111")};
        QTest::newRow("json leaves")
                << QStringLiteral(R"({"email": "k1@firma-geheim.de", "vip": true, "n": 42,)"
                                  R"( "card": {"number": "4111111111100001"}})")
                << QStringList{QStringLiteral("4111111111100001"),
                               QStringLiteral("k1@firma-geheim.de")};
        QTest::newRow("not json after all") << QStringLiteral("{not json at all}")
                                            << QStringList{QStringLiteral("{not json at all}")};
    }
    void needlesAreLongValuesAndJsonLeaves()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, needles);
        QStringList actual;
        for (const auto &needle : needlesOf(value.toStdString()))
            actual << QString::fromStdString(needle);
        actual.sort();
        needles.sort();
        QCOMPARE(actual, needles);
    }

    void sampleIsBounded()
    {
        const envsync::masking::HmacKey key("tst-salt");
        LeakSampler a(key, {0}, std::nullopt, 50, 1);
        LeakSampler b(key, {0}, std::nullopt, 50, 2);
        for (int i = 0; i < 1000; ++i) {
            a.offer("a" + std::to_string(i));
            b.offer("b" + std::to_string(i));
        }
        auto merged = a.take();
        QCOMPARE(merged[0].size(), std::size_t(50));
        QVERIFY(!merged[0][0].keyHash);
        mergeSamples(merged, b.take(), 50);
        QCOMPARE(merged[0].size(), std::size_t(50));
    }
};

QTEST_GUILESS_MAIN(TestRowDigest)
#include "tst_rowdigest.moc"
