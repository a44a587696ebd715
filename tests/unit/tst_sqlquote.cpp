#include "core/db/sqlquote.h"

#include <QTest>

#include <string>
#include <vector>

using envsync::db::qualifiedName;
using envsync::db::quoteIdentifier;
using envsync::db::quoteLiteral;
using envsync::db::textArray;

namespace {

std::string str(const QByteArray &bytes)
{
    return bytes.toStdString();
}

} // namespace

// Byte strings throughout: the helpers work on UTF-8 bytes and must pass them through unchanged.
class TestSqlQuote : public QObject
{
    Q_OBJECT
private slots:
    void identifier_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("plain") << QByteArray("orders") << QByteArray("\"orders\"");
        QTest::newRow("mixed case") << QByteArray("MiXeD") << QByteArray("\"MiXeD\"");
        QTest::newRow("quotes") << QByteArray("we\"ird") << QByteArray("\"we\"\"ird\"");
        QTest::newRow("only a quote") << QByteArray("\"") << QByteArray("\"\"\"\"");
        QTest::newRow("spaces") << QByteArray("spaced col") << QByteArray("\"spaced col\"");
        QTest::newRow("unicode") << QByteArray("Tbl \xc3\xbc \xe2\x82\xac")
                                 << QByteArray("\"Tbl \xc3\xbc \xe2\x82\xac\"");
        QTest::newRow("backslash") << QByteArray("back\\slash") << QByteArray("\"back\\slash\"");
        QTest::newRow("dot") << QByteArray("a.b") << QByteArray("\"a.b\"");
        QTest::newRow("keyword") << QByteArray("select") << QByteArray("\"select\"");
        QTest::newRow("empty") << QByteArray("") << QByteArray("\"\"");
        QTest::newRow("injection")
                << QByteArray("x\"; DROP TABLE t; --") << QByteArray("\"x\"\"; DROP TABLE t; --\"");
        QTest::newRow("commas and braces")
                << QByteArray("we\"ird, {name}") << QByteArray("\"we\"\"ird, {name}\"");
    }
    void identifier()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, quoted);
        QCOMPARE(QByteArray::fromStdString(quoteIdentifier(str(name))), quoted);
    }

    void qualified()
    {
        QCOMPARE(qualifiedName("public", "orders"), std::string("\"public\".\"orders\""));
        QCOMPARE(qualifiedName("My \"Schema\"", "a.b"),
                 std::string("\"My \"\"Schema\"\"\".\"a.b\""));
        QCOMPARE(qualifiedName("", ""), std::string("\"\".\"\""));
    }

    void literal_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("plain") << QByteArray("golden_v3") << QByteArray("'golden_v3'");
        QTest::newRow("quote") << QByteArray("it's") << QByteArray("'it''s'");
        QTest::newRow("double quote") << QByteArray("we\"ird") << QByteArray("'we\"ird'");
        QTest::newRow("unicode") << QByteArray("\xc3\xbc") << QByteArray("'\xc3\xbc'");
        QTest::newRow("empty") << QByteArray("") << QByteArray("''");
        // E'' and doubled backslashes: the same value whatever standard_conforming_strings says
        QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("E'a\\\\b'");
        QTest::newRow("backslash before quote") << QByteArray("x\\'; DROP TABLE t; --")
                                                << QByteArray("E'x\\\\''; DROP TABLE t; --'");
    }
    void literal()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, quoted);
        QCOMPARE(QByteArray::fromStdString(quoteLiteral(str(text))), quoted);
    }

    void array_data()
    {
        QTest::addColumn<QList<QByteArray>>("items");
        QTest::addColumn<QByteArray>("literal");
        QTest::newRow("empty list") << QList<QByteArray>{} << QByteArray("{}");
        QTest::newRow("one") << QList<QByteArray>{"public"} << QByteArray("{\"public\"}");
        QTest::newRow("several") << QList<QByteArray>{"a", "b"} << QByteArray("{\"a\",\"b\"}");
        QTest::newRow("empty string") << QList<QByteArray>{""} << QByteArray("{\"\"}");
        QTest::newRow("NULL is text") << QList<QByteArray>{"NULL"} << QByteArray("{\"NULL\"}");
        QTest::newRow("commas and braces") << QList<QByteArray>{"we\"ird, {name}", "}{,"}
                                           << QByteArray("{\"we\\\"ird, {name}\",\"}{,\"}");
        QTest::newRow("backslashes")
                << QList<QByteArray>{"a\\b", "\\"} << QByteArray("{\"a\\\\b\",\"\\\\\"}");
        QTest::newRow("spaces kept")
                << QList<QByteArray>{" lead", "trail "} << QByteArray("{\" lead\",\"trail \"}");
        QTest::newRow("unicode and case") << QList<QByteArray>{"Sch\xc3\xa9ma", "MiXeD"}
                                          << QByteArray("{\"Sch\xc3\xa9ma\",\"MiXeD\"}");
        QTest::newRow("single quote") << QList<QByteArray>{"it's"} << QByteArray("{\"it's\"}");
    }
    void array()
    {
        QFETCH(QList<QByteArray>, items);
        QFETCH(QByteArray, literal);
        std::vector<std::string> values;
        for (const QByteArray &item : items)
            values.push_back(str(item));
        QCOMPARE(QByteArray::fromStdString(textArray(values)), literal);
    }
};

QTEST_GUILESS_MAIN(TestSqlQuote)
#include "tst_sqlquote.moc"
