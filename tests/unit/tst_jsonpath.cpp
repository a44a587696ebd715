// The bounded JSONPath evaluator behind matchesJsonPath and {{jsonPath}} (issue 19): Jayway
// semantics as WireMock uses them, errors for bad expressions, limits on hostile input.
#include "core/virt/jsonpath.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace envsync;
using namespace envsync::virt;

namespace {

const QByteArray store = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord",
       "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95},
    "odd key": {"a.b": 1}
  },
  "expensive": 10,
  "flags": [true, false, null]
})";

QJsonValue parse(const QByteArray &json)
{
    return parseJsonValue(json);
}

QByteArray resultText(const QList<QJsonValue> &values)
{
    QJsonArray array;
    for (const QJsonValue &value : values)
        array.append(value);
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

class TestJsonPath : public QObject
{
    Q_OBJECT

private slots:
    void evaluates_data();
    void evaluates();
    void rejects_data();
    void rejects();
    void definite_data();
    void definite();
    void boundsResultCount();
    void boundsDeepDocuments();
    void boundsNesting();
    void valueText_data();
    void valueText();
};

void TestJsonPath::evaluates_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("root") << QByteArray(R"({"a":1})") << QStringLiteral("$")
                          << QByteArray(R"([{"a":1}])");
    QTest::newRow("dot member") << store << QStringLiteral("$.expensive") << QByteArray("[10]");
    QTest::newRow("nested") << store << QStringLiteral("$.store.bicycle.color")
                            << QByteArray(R"(["red"])");
    QTest::newRow("bracket quoted") << store << QStringLiteral("$['store']['bicycle']['color']")
                                    << QByteArray(R"(["red"])");
    QTest::newRow("bracket double quoted")
            << store << QStringLiteral("$[\"expensive\"]") << QByteArray("[10]");
    QTest::newRow("key with space and dot")
            << store << QStringLiteral("$.store['odd key']['a.b']") << QByteArray("[1]");
    QTest::newRow("union of names") << store << QStringLiteral("$.store.bicycle['color','price']")
                                    << QByteArray(R"(["red",19.95])");
    QTest::newRow("index") << store << QStringLiteral("$.store.book[1].author")
                           << QByteArray(R"(["Evelyn Waugh"])");
    QTest::newRow("negative index")
            << store << QStringLiteral("$.store.book[-1].title") << QByteArray(R"(["The Lord"])");
    QTest::newRow("index list") << store << QStringLiteral("$.store.book[0,2].price")
                                << QByteArray("[8.95,8.99]");
    QTest::newRow("index out of range")
            << store << QStringLiteral("$.store.book[9]") << QByteArray("[]");
    QTest::newRow("slice") << store << QStringLiteral("$.store.book[1:3].price")
                           << QByteArray("[12.99,8.99]");
    QTest::newRow("slice open end")
            << store << QStringLiteral("$.store.book[2:].price") << QByteArray("[8.99,22.99]");
    QTest::newRow("slice from end")
            << store << QStringLiteral("$.store.book[-2:].price") << QByteArray("[8.99,22.99]");
    QTest::newRow("slice step") << store << QStringLiteral("$.store.book[0:4:2].price")
                                << QByteArray("[8.95,8.99]");
    QTest::newRow("wildcard array") << store << QStringLiteral("$.store.book[*].price")
                                    << QByteArray("[8.95,12.99,8.99,22.99]");
    QTest::newRow("wildcard object") << QByteArray(R"({"a":{"x":1,"y":2}})")
                                     << QStringLiteral("$.a.*") << QByteArray("[1,2]");
    QTest::newRow("deep scan")
            << store << QStringLiteral("$..author")
            << QByteArray(R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
    QTest::newRow("deep scan price") << store << QStringLiteral("$.store..price")
                                     << QByteArray("[19.95,8.95,12.99,8.99,22.99]");
    QTest::newRow("deep scan index")
            << store << QStringLiteral("$..book[2].title") << QByteArray(R"(["Moby Dick"])");
    QTest::newRow("missing member") << store << QStringLiteral("$.store.car") << QByteArray("[]");
    QTest::newRow("member of scalar")
            << store << QStringLiteral("$.expensive.x") << QByteArray("[]");
    QTest::newRow("filter number lt")
            << store << QStringLiteral("$.store.book[?(@.price < 10)].title")
            << QByteArray(R"(["Sayings","Moby Dick"])");
    QTest::newRow("filter le ge")
            << store << QStringLiteral("$.store.book[?(@.price <= 8.99 && @.price >= 8.99)].title")
            << QByteArray(R"(["Moby Dick"])");
    QTest::newRow("filter gt") << store << QStringLiteral("$.store.book[?(@.price > 20)].title")
                               << QByteArray(R"(["The Lord"])");
    QTest::newRow("filter string eq single quotes")
            << store << QStringLiteral("$.store.book[?(@.category == 'reference')].author")
            << QByteArray(R"(["Nigel Rees"])");
    QTest::newRow("filter string eq double quotes")
            << store << QStringLiteral("$.store.book[?(@.author == \"Evelyn Waugh\")].price")
            << QByteArray("[12.99]");
    QTest::newRow("filter ne") << store
                               << QStringLiteral("$.store.book[?(@.category != 'fiction')].title")
                               << QByteArray(R"(["Sayings"])");
    QTest::newRow("filter string order")
            << store << QStringLiteral("$.store.book[?(@.author < 'F')].author")
            << QByteArray(R"(["Evelyn Waugh"])");
    QTest::newRow("filter exists") << store << QStringLiteral("$.store.book[?(@.isbn)].title")
                                   << QByteArray(R"(["Moby Dick","The Lord"])");
    QTest::newRow("filter not exists") << store << QStringLiteral("$.store.book[?(!@.isbn)].title")
                                       << QByteArray(R"(["Sayings","Sword"])");
    QTest::newRow("filter or") << store
                               << QStringLiteral(
                                          "$.store.book[?(@.price < 9 || @.category == 'x')].price")
                               << QByteArray("[8.95,8.99]");
    QTest::newRow("filter parentheses")
            << store
            << QStringLiteral("$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].title")
            << QByteArray(R"(["Moby Dick","The Lord"])");
    QTest::newRow("filter against root")
            << store << QStringLiteral("$.store.book[?(@.price > $.expensive)].price")
            << QByteArray("[12.99,22.99]");
    QTest::newRow("filter string vs number never equal")
            << QByteArray(R"([{"a":"1"},{"a":1}])") << QStringLiteral("$[?(@.a == 1)].a")
            << QByteArray("[1]");
    QTest::newRow("filter number equality by value")
            << QByteArray(R"([{"a":1.0},{"a":2}])") << QStringLiteral("$[?(@.a == 1)].a")
            << QByteArray("[1]");
    QTest::newRow("filter bool and null") << QByteArray(R"([{"a":true},{"a":null},{"a":false}])")
                                          << QStringLiteral("$[?(@.a == true || @.a == null)]")
                                          << QByteArray(R"([{"a":true},{"a":null}])");
    QTest::newRow("filter on current value")
            << QByteArray("[1,5,10]") << QStringLiteral("$[?(@ > 4)]") << QByteArray("[5,10]");
    QTest::newRow("filter on object tests the object")
            << QByteArray(R"({"a":{"type":"x","v":1}})")
            << QStringLiteral("$.a[?(@.type == 'x')].v") << QByteArray("[1]");
    QTest::newRow("missing member fails comparison")
            << QByteArray(R"([{"b":1}])") << QStringLiteral("$[?(@.a != 2)]") << QByteArray("[]");
    QTest::newRow("deep filter") << store << QStringLiteral("$..book[?(@.price > 20)].author")
                                 << QByteArray(R"(["J. R. R. Tolkien"])");
    QTest::newRow("spaces tolerated")
            << store << QStringLiteral("  $.store.book[ 0 ].price ") << QByteArray("[8.95]");
    QTest::newRow("escaped quote in name")
            << QByteArray(R"({"it's":1})") << QStringLiteral("$['it\\'s']") << QByteArray("[1]");
    QTest::newRow("not json document")
            << QByteArray("not json") << QStringLiteral("$.a") << QByteArray("[]");
}

void TestJsonPath::evaluates()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, path);
    QFETCH(QByteArray, expected);
    auto compiled = JsonPath::compile(path);
    QVERIFY2(compiled, compiled ? "" : compiled.error().describe().c_str());
    QCOMPARE(resultText(compiled->evaluate(parse(document))), expected);
}

void TestJsonPath::rejects_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("empty") << QString();
    QTest::newRow("no root") << QStringLiteral("store.book");
    QTest::newRow("unclosed bracket") << QStringLiteral("$.a[0");
    QTest::newRow("unclosed quote") << QStringLiteral("$['a");
    QTest::newRow("unclosed filter") << QStringLiteral("$[?(@.a == 1]");
    QTest::newRow("empty member") << QStringLiteral("$.");
    QTest::newRow("trailing junk") << QStringLiteral("$.a b");
    QTest::newRow("filter without operand") << QStringLiteral("$[?(@.a == )]");
    QTest::newRow("filter literal only") << QStringLiteral("$[?(1)]");
    QTest::newRow("zero step") << QStringLiteral("$[0:4:0]");
    QTest::newRow("bad index") << QStringLiteral("$[x]");
    QTest::newRow("too long") << QStringLiteral("$") + QString(5000, u'a');
}

void TestJsonPath::rejects()
{
    QFETCH(QString, path);
    auto compiled = JsonPath::compile(path);
    QVERIFY(!compiled);
    QCOMPARE(compiled.error().code, ErrorCode::Usage);
}

void TestJsonPath::definite_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("definite");
    QTest::newRow("members") << QStringLiteral("$.a.b") << true;
    QTest::newRow("index") << QStringLiteral("$.a[0]['b']") << true;
    QTest::newRow("wildcard") << QStringLiteral("$.a[*]") << false;
    QTest::newRow("deep") << QStringLiteral("$..a") << false;
    QTest::newRow("filter") << QStringLiteral("$.a[?(@.b)]") << false;
    QTest::newRow("union") << QStringLiteral("$.a[0,1]") << false;
    QTest::newRow("slice") << QStringLiteral("$.a[0:1]") << false;
}

void TestJsonPath::definite()
{
    QFETCH(QString, path);
    QFETCH(bool, definite);
    auto compiled = JsonPath::compile(path);
    QVERIFY(compiled);
    QCOMPARE(compiled->isDefinite(), definite);
}

void TestJsonPath::boundsResultCount()
{
    QJsonArray big;
    for (int i = 0; i < 3 * int(JsonPath::maxResults); ++i)
        big.append(i);
    auto compiled = JsonPath::compile(QStringLiteral("$[*]"));
    QVERIFY(compiled);
    QCOMPARE(compiled->evaluate(big).size(), JsonPath::maxResults);
}

void TestJsonPath::boundsDeepDocuments()
{
    // Qt's parser stops at its own depth limit; build a deep value by hand instead.
    QJsonValue deep = QJsonObject{{QStringLiteral("leaf"), 1}};
    for (int i = 0; i < 2 * JsonPath::maxDepth; ++i)
        deep = QJsonObject{{QStringLiteral("n"), deep}};
    auto compiled = JsonPath::compile(QStringLiteral("$..leaf"));
    QVERIFY(compiled);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(compiled->evaluate(deep).isEmpty()); // deeper than the bound: not reached
    QVERIFY(timer.elapsed() < 5000);
    auto shallow = JsonPath::compile(QStringLiteral("$..n"));
    QVERIFY(shallow);
    QVERIFY(!shallow->evaluate(deep).isEmpty());
}

void TestJsonPath::boundsNesting()
{
    QString nested = QStringLiteral("$[?(");
    for (int i = 0; i < 100; ++i)
        nested += u'(';
    nested += QStringLiteral("@.a");
    for (int i = 0; i < 100; ++i)
        nested += u')';
    nested += QStringLiteral(")]");
    auto compiled = JsonPath::compile(nested);
    QVERIFY(!compiled);
    QVERIFY(QString::fromStdString(compiled.error().message).contains(QStringLiteral("nested")));
}

void TestJsonPath::valueText_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("string") << QJsonValue(QStringLiteral("x y")) << QStringLiteral("x y");
    QTest::newRow("integer") << QJsonValue(42) << QStringLiteral("42");
    QTest::newRow("fraction") << QJsonValue(12.5) << QStringLiteral("12.5");
    QTest::newRow("bool") << QJsonValue(true) << QStringLiteral("true");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QStringLiteral("null");
    QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("a"), 1}})
                            << QStringLiteral("{\"a\":1}");
}

void TestJsonPath::valueText()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);
    QCOMPARE(jsonValueText(value), text);
}

QTEST_GUILESS_MAIN(TestJsonPath)
#include "tst_jsonpath.moc"
