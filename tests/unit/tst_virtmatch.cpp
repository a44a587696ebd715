// StubEngine matching as WireMock 3.13 does it (issue 19). The expectations marked "checked"
// were run against wiremock-standalone 3.13.2 (full-match regexes, urlPath on the encoded path,
// 1 == 1.0, ignoreExtraElements also allowing extra array items, matchesJsonPath sub-patterns
// over every selected value, filters on objects, url with its query in order).
#include "core/virt/stubengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <thread>

using namespace envsync;
using namespace envsync::virt;

namespace {

StubMapping mapping(const QByteArray &json)
{
    auto parsed
            = StubMapping::fromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("test"));
    if (!parsed)
        qFatal("bad test mapping: %s", parsed.error().describe().c_str());
    return *parsed;
}

/// A mapping with `request` as its request part, answering `body`.
StubMapping stub(const QByteArray &request, const QByteArray &body = "hit")
{
    return mapping(R"({"request": )" + request + R"(, "response": {"status": 200, "body": ")" + body
                   + R"("}})");
}

/// "Name: value" lines become headers.
HttpRequest request(const QByteArray &method, const QByteArray &url,
                    const QList<QByteArray> &headers = {}, const QByteArray &body = {})
{
    HttpRequest r = HttpRequest::fromUrl(method, url);
    for (const QByteArray &line : headers) {
        const qsizetype colon = line.indexOf(':');
        r.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    r.body = body;
    return r;
}

} // namespace

class TestVirtMatch : public QObject
{
    Q_OBJECT

private slots:
    void parsesRequestUrl_data();
    void parsesRequestUrl();
    void headerAndCookieLookup();
    void matches_data();
    void matches();
    void lowestPriorityWins();
    void tiesGoToNewest();
    void sameIdReplaces();
    void removeAndReset();
    void answersResponseParts();
    void scenarioSequence();
    void scenarioReset();
    void scenariosJson();
    void concurrentScenarioSteps();
    void concurrentRespondWhileEditing();
    void nearMissesClosestFirst();
    void nearMissReasons();
    void unmatchedIs404WithReport();
    void invalidMappingNeverMatches();
};

void TestVirtMatch::parsesRequestUrl_data()
{
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("query"); // "key=value" after decoding, in order
    QTest::newRow("plain") << QByteArray("/a/b") << QStringLiteral("/a/b") << QStringList{};
    QTest::newRow("encoded path") << QByteArray("/a%20b/%C3%A9") << QStringLiteral("/a b/\u00e9")
                                  << QStringList{};
    QTest::newRow("query in order with repeats")
            << QByteArray("/q?b=2&a=1&b=3") << QStringLiteral("/q")
            << QStringList{QStringLiteral("b=2"), QStringLiteral("a=1"), QStringLiteral("b=3")};
    // '+' is a space in a query (checked: WireMock matches equalTo "a b" for ?x=a+b).
    QTest::newRow("plus and percent in query")
            << QByteArray("/q?x=a+b&y=c%2Bd&z=%26") << QStringLiteral("/q")
            << QStringList{QStringLiteral("x=a b"), QStringLiteral("y=c+d"), QStringLiteral("z=&")};
    QTest::newRow("key without value")
            << QByteArray("/q?flag&&k=") << QStringLiteral("/q")
            << QStringList{QStringLiteral("flag="), QStringLiteral("k=")};
    QTest::newRow("plus in path stays")
            << QByteArray("/a+b") << QStringLiteral("/a+b") << QStringList{};
}

void TestVirtMatch::parsesRequestUrl()
{
    QFETCH(QByteArray, url);
    QFETCH(QString, path);
    QFETCH(QStringList, query);
    const HttpRequest parsed = HttpRequest::fromUrl("get", url);
    QCOMPARE(parsed.method, QByteArray("GET"));
    QCOMPARE(parsed.url, url);
    QCOMPARE(parsed.path, path);
    QStringList actual;
    for (const auto &[key, value] : parsed.query)
        actual.append(key + u'=' + value);
    QCOMPARE(actual, query);
}

void TestVirtMatch::headerAndCookieLookup()
{
    const HttpRequest r = request(
            "GET", "/?b=2&b=3",
            {"Accept: a", "ACCEPT: b", "Cookie: x=1; session = abc ; y=", "cookie: late=2"});
    QCOMPARE(r.header("accept"), QByteArray("a"));
    QCOMPARE(r.headerValues("Accept"), (QList<QByteArray>{"a", "b"}));
    QVERIFY(r.header("missing").isEmpty());
    QCOMPARE(r.queryValues(QStringLiteral("b")),
             (QStringList{QStringLiteral("2"), QStringLiteral("3")}));
    QCOMPARE(r.cookie(QStringLiteral("session")), std::optional<QString>(QStringLiteral("abc")));
    QCOMPARE(r.cookie(QStringLiteral("y")), std::optional<QString>(QString()));
    QCOMPARE(r.cookie(QStringLiteral("late")), std::optional<QString>(QStringLiteral("2")));
    QCOMPARE(r.cookie(QStringLiteral("nope")), std::nullopt);
}

void TestVirtMatch::matches_data()
{
    QTest::addColumn<QByteArray>("requestPattern");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("url");
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("matched");

    using H = QList<QByteArray>;
    // method
    QTest::newRow("method any") << QByteArray(R"({"urlPath": "/a"})") << QByteArray("DELETE")
                                << QByteArray("/a") << H{} << QByteArray() << true;
    QTest::newRow("method equal") << QByteArray(R"({"method": "POST", "urlPath": "/a"})")
                                  << QByteArray("post") << QByteArray("/a") << H{} << QByteArray()
                                  << true;
    QTest::newRow("method differs")
            << QByteArray(R"({"method": "POST", "urlPath": "/a"})") << QByteArray("GET")
            << QByteArray("/a") << H{} << QByteArray() << false;
    // url kinds
    QTest::newRow("url exact with query")
            << QByteArray(R"({"url": "/u?a=1&b=2"})") << QByteArray("GET")
            << QByteArray("/u?a=1&b=2") << H{} << QByteArray() << true;
    QTest::newRow("url query order matters (checked)")
            << QByteArray(R"({"url": "/u?a=1&b=2"})") << QByteArray("GET")
            << QByteArray("/u?b=2&a=1") << H{} << QByteArray() << false;
    QTest::newRow("url without query differs")
            << QByteArray(R"({"url": "/u"})") << QByteArray("GET") << QByteArray("/u?a=1") << H{}
            << QByteArray() << false;
    QTest::newRow("urlPath ignores query")
            << QByteArray(R"({"urlPath": "/u"})") << QByteArray("GET") << QByteArray("/u?a=1")
            << H{} << QByteArray() << true;
    QTest::newRow("urlPath is the encoded path (checked)")
            << QByteArray(R"({"urlPath": "/a%20b"})") << QByteArray("GET") << QByteArray("/a%20b")
            << H{} << QByteArray() << true;
    QTest::newRow("urlPath decoded does not match encoded (checked)")
            << QByteArray(R"({"urlPath": "/a b"})") << QByteArray("GET") << QByteArray("/a%20b")
            << H{} << QByteArray() << false;
    QTest::newRow("urlPattern full match")
            << QByteArray(R"({"urlPattern": "/c/[0-9]+\\?x=.*"})") << QByteArray("GET")
            << QByteArray("/c/42?x=1") << H{} << QByteArray() << true;
    QTest::newRow("urlPattern must match whole url")
            << QByteArray(R"({"urlPattern": "/c/[0-9]+"})") << QByteArray("GET")
            << QByteArray("/c/42?x=1") << H{} << QByteArray() << false;
    QTest::newRow("urlPathPattern ignores query")
            << QByteArray(R"({"urlPathPattern": "/c/[0-9]+"})") << QByteArray("GET")
            << QByteArray("/c/42?x=1") << H{} << QByteArray() << true;
    QTest::newRow("urlPathPattern partial is no match")
            << QByteArray(R"({"urlPathPattern": "/c"})") << QByteArray("GET") << QByteArray("/c/42")
            << H{} << QByteArray() << false;
    // the literal-prefix shortcut must never reject what the regex accepts
    QTest::newRow("pattern optional last literal")
            << QByteArray(R"({"urlPathPattern": "/ab?c"})") << QByteArray("GET")
            << QByteArray("/ac") << H{} << QByteArray() << true;
    QTest::newRow("pattern star after literal")
            << QByteArray(R"({"urlPathPattern": "/xy*z"})") << QByteArray("GET")
            << QByteArray("/xz") << H{} << QByteArray() << true;
    QTest::newRow("pattern counted after literal")
            << QByteArray(R"({"urlPathPattern": "/ab{0}c"})") << QByteArray("GET")
            << QByteArray("/ac") << H{} << QByteArray() << true;
    QTest::newRow("pattern alternation")
            << QByteArray(R"({"urlPathPattern": "/left|/right"})") << QByteArray("GET")
            << QByteArray("/right") << H{} << QByteArray() << true;
    QTest::newRow("pattern inline flag")
            << QByteArray(R"({"urlPathPattern": "(?i)/abc"})") << QByteArray("GET")
            << QByteArray("/ABC") << H{} << QByteArray() << true;
    QTest::newRow("pattern escape")
            << QByteArray(R"({"urlPattern": "/a\\?b=1"})") << QByteArray("GET")
            << QByteArray("/a?b=1") << H{} << QByteArray() << true;
    QTest::newRow("pattern prefix rejects")
            << QByteArray(R"({"urlPathPattern": "/orders/[0-9]+"})") << QByteArray("GET")
            << QByteArray("/order/1") << H{} << QByteArray() << false;
    // header value patterns
    QTest::newRow("header equalTo, name case-insensitive")
            << QByteArray(R"({"headers": {"accept": {"equalTo": "text/plain"}}})")
            << QByteArray("GET") << QByteArray("/") << H{"Accept: text/plain"} << QByteArray()
            << true;
    QTest::newRow("header equalTo is case-sensitive")
            << QByteArray(R"({"headers": {"Accept": {"equalTo": "text/plain"}}})")
            << QByteArray("GET") << QByteArray("/") << H{"Accept: Text/Plain"} << QByteArray()
            << false;
    QTest::newRow("header equalTo caseInsensitive") << QByteArray(
            R"({"headers": {"Accept": {"equalTo": "text/plain", "caseInsensitive": true}}})")
                                                    << QByteArray("GET") << QByteArray("/")
                                                    << H{"Accept: Text/Plain"} << QByteArray()
                                                    << true;
    QTest::newRow("header missing")
            << QByteArray(R"({"headers": {"X": {"equalTo": "1"}}})") << QByteArray("GET")
            << QByteArray("/") << H{} << QByteArray() << false;
    QTest::newRow("header contains")
            << QByteArray(R"({"headers": {"X": {"contains": "ell"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: hello"} << QByteArray() << true;
    QTest::newRow("header contains no")
            << QByteArray(R"({"headers": {"X": {"contains": "zz"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: hello"} << QByteArray() << false;
    QTest::newRow("header doesNotContain")
            << QByteArray(R"({"headers": {"X": {"doesNotContain": "zz"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: hello"} << QByteArray() << true;
    QTest::newRow("header doesNotContain no")
            << QByteArray(R"({"headers": {"X": {"doesNotContain": "ell"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: hello"} << QByteArray() << false;
    QTest::newRow("header matches whole value (checked)")
            << QByteArray(R"({"headers": {"X": {"matches": "b"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: abc"} << QByteArray() << false;
    QTest::newRow("header matches")
            << QByteArray(R"({"headers": {"X": {"matches": "a.c"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: abc"} << QByteArray() << true;
    QTest::newRow("header doesNotMatch")
            << QByteArray(R"({"headers": {"X": {"doesNotMatch": "[0-9]+"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: abc"} << QByteArray() << true;
    QTest::newRow("header doesNotMatch no")
            << QByteArray(R"({"headers": {"X": {"doesNotMatch": "[a-z]+"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: abc"} << QByteArray() << false;
    QTest::newRow("header absent")
            << QByteArray(R"({"headers": {"X": {"absent": true}}})") << QByteArray("GET")
            << QByteArray("/") << H{} << QByteArray() << true;
    QTest::newRow("header absent but present")
            << QByteArray(R"({"headers": {"X": {"absent": true}}})") << QByteArray("GET")
            << QByteArray("/") << H{"x: 1"} << QByteArray() << false;
    QTest::newRow("header any of repeated values")
            << QByteArray(R"({"headers": {"X": {"equalTo": "2"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"X: 1", "X: 2"} << QByteArray() << true;
    // query parameters
    QTest::newRow("query decoded equalTo")
            << QByteArray(R"({"urlPath": "/q", "queryParameters": {"x": {"equalTo": "a b"}}})")
            << QByteArray("GET") << QByteArray("/q?x=a%20b") << H{} << QByteArray() << true;
    QTest::newRow("query hasExactly (recorder form)") << QByteArray(
            R"({"queryParameters": {"x": {"hasExactly": [{"equalTo": "1"}, {"equalTo": "2"}]}}})")
                                                      << QByteArray("GET")
                                                      << QByteArray("/?x=2&x=1") << H{}
                                                      << QByteArray() << true;
    QTest::newRow("query hasExactly extra value")
            << QByteArray(R"({"queryParameters": {"x": {"hasExactly": [{"equalTo": "1"}]}}})")
            << QByteArray("GET") << QByteArray("/?x=1&x=3") << H{} << QByteArray() << false;
    QTest::newRow("query includes")
            << QByteArray(R"({"queryParameters": {"x": {"includes": [{"equalTo": "1"}]}}})")
            << QByteArray("GET") << QByteArray("/?x=1&x=3") << H{} << QByteArray() << true;
    QTest::newRow("query includes missing")
            << QByteArray(R"({"queryParameters": {"x": {"includes": [{"equalTo": "2"}]}}})")
            << QByteArray("GET") << QByteArray("/?x=1&x=3") << H{} << QByteArray() << false;
    QTest::newRow("query absent") << QByteArray(R"({"queryParameters": {"x": {"absent": true}}})")
                                  << QByteArray("GET") << QByteArray("/?y=1") << H{} << QByteArray()
                                  << true;
    // cookies
    QTest::newRow("cookie equalTo")
            << QByteArray(R"({"cookies": {"session": {"equalTo": "abc"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"Cookie: a=1; session=abc"} << QByteArray() << true;
    QTest::newRow("cookie differs")
            << QByteArray(R"({"cookies": {"session": {"equalTo": "abc"}}})") << QByteArray("GET")
            << QByteArray("/") << H{"Cookie: session=abd"} << QByteArray() << false;
    // body: text
    QTest::newRow("body equalTo") << QByteArray(R"({"bodyPatterns": [{"equalTo": "hello"}]})")
                                  << QByteArray("POST") << QByteArray("/") << H{}
                                  << QByteArray("hello") << true;
    QTest::newRow("body contains")
            << QByteArray(R"({"bodyPatterns": [{"contains": "ell"}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray("hello") << true;
    QTest::newRow("every body pattern must match")
            << QByteArray(R"({"bodyPatterns": [{"contains": "he"}, {"contains": "zz"}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray("hello") << false;
    QTest::newRow("body binaryEqualTo")
            << QByteArray(R"({"bodyPatterns": [{"binaryEqualTo": "AAH/"}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray("\x00\x01\xff", 3) << true;
    QTest::newRow("body binaryEqualTo differs")
            << QByteArray(R"({"bodyPatterns": [{"binaryEqualTo": "AAH/"}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray("\x00\x01\xfe", 3) << false;
    // body: equalToJson
    QTest::newRow("json equal, member order free")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": 1, "b": "x"}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"b":"x","a":1})")
            << true;
    QTest::newRow("json as text (recorder form)")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": "{\"a\": 1}"}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":1})") << true;
    QTest::newRow("json numbers by value (checked)")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": 1}}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray(R"({"a":1.0})") << true;
    QTest::newRow("json value differs")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": 1}}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray(R"({"a":2})") << false;
    QTest::newRow("json extra member")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": 1}}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray(R"({"a":1,"b":2})") << false;
    QTest::newRow("json ignoreExtraElements member") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"a": 1}, "ignoreExtraElements": true}]})")
                                                     << QByteArray("POST") << QByteArray("/") << H{}
                                                     << QByteArray(R"({"a":1,"b":2})") << true;
    QTest::newRow("json ignoreExtraElements array items (checked)") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"a": [1, 2]}, "ignoreExtraElements": true}]})")
                                                                    << QByteArray("POST")
                                                                    << QByteArray("/") << H{}
                                                                    << QByteArray(
                                                                               R"({"a":[1,2,3]})")
                                                                    << true;
    QTest::newRow("json extra array item (checked)")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": [1, 2]}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":[1,2,3]})")
            << false;
    QTest::newRow("json array order (checked)")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": [1, 2]}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":[2,1]})")
            << false;
    QTest::newRow("json ignoreArrayOrder") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"a": [1, {"b": 2}]}, "ignoreArrayOrder": true}]})")
                                           << QByteArray("POST") << QByteArray("/") << H{}
                                           << QByteArray(R"({"a":[{"b":2},1]})") << true;
    QTest::newRow("json ignoreArrayOrder counts duplicates") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": [1, 1, 2], "ignoreArrayOrder": true}]})")
                                                             << QByteArray("POST")
                                                             << QByteArray("/") << H{}
                                                             << QByteArray("[1,2,2]") << false;
    QTest::newRow("json not json body")
            << QByteArray(R"({"bodyPatterns": [{"equalToJson": {"a": 1}}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray("a=1") << false;
    QTest::newRow("placeholder ignore") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"id": "${json-unit.ignore}", "a": 1}}]})")
                                        << QByteArray("POST") << QByteArray("/") << H{}
                                        << QByteArray(R"({"id":{"deep":[1]},"a":1})") << true;
    QTest::newRow("placeholder ignore still needs the member") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"id": "${json-unit.ignore}", "a": 1}}]})")
                                                               << QByteArray("POST")
                                                               << QByteArray("/") << H{}
                                                               << QByteArray(R"({"a":1})") << false;
    QTest::newRow("placeholder any-string")
            << QByteArray(
                       R"({"bodyPatterns": [{"equalToJson": {"s": "${json-unit.any-string}"}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"s":"x"})") << true;
    QTest::newRow("placeholder any-string wrong type")
            << QByteArray(
                       R"({"bodyPatterns": [{"equalToJson": {"s": "${json-unit.any-string}"}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"s":1})") << false;
    QTest::newRow("placeholder any-number")
            << QByteArray(
                       R"({"bodyPatterns": [{"equalToJson": {"n": "${json-unit.any-number}"}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"n":3.5})") << true;
    QTest::newRow("placeholder any-number wrong type")
            << QByteArray(
                       R"({"bodyPatterns": [{"equalToJson": {"n": "${json-unit.any-number}"}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"n":"3"})") << false;
    QTest::newRow("placeholder any-boolean")
            << QByteArray(
                       R"({"bodyPatterns": [{"equalToJson": {"b": "${json-unit.any-boolean}"}}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"b":false})") << true;
    QTest::newRow("placeholder regex") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"t": "${json-unit.regex}[0-9]{4}-[0-9]{2}"}}]})")
                                       << QByteArray("POST") << QByteArray("/") << H{}
                                       << QByteArray(R"({"t":"2026-12"})") << true;
    QTest::newRow("placeholder regex whole value") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": {"t": "${json-unit.regex}[0-9]{4}"}}]})")
                                                   << QByteArray("POST") << QByteArray("/") << H{}
                                                   << QByteArray(R"({"t":"2026-12"})") << false;
    QTest::newRow("placeholder in array with ignoreArrayOrder") << QByteArray(
            R"({"bodyPatterns": [{"equalToJson": ["${json-unit.any-number}", "x"], "ignoreArrayOrder": true}]})")
                                                                << QByteArray("POST")
                                                                << QByteArray("/") << H{}
                                                                << QByteArray(R"(["x",5])") << true;
    // body: matchesJsonPath
    QTest::newRow("jsonpath exists")
            << QByteArray(R"({"bodyPatterns": [{"matchesJsonPath": "$.a.b"}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":{"b":null}})")
            << true;
    QTest::newRow("jsonpath missing")
            << QByteArray(R"({"bodyPatterns": [{"matchesJsonPath": "$.a.c"}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":{"b":1}})")
            << false;
    QTest::newRow("jsonpath filter on object (checked)")
            << QByteArray(R"({"bodyPatterns": [{"matchesJsonPath": "$.a[?(@.type == 'x')]"}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":{"type":"x"}})")
            << true;
    QTest::newRow("jsonpath filter no match (checked)")
            << QByteArray(R"({"bodyPatterns": [{"matchesJsonPath": "$.a[?(@.type == 'x')]"}]})")
            << QByteArray("POST") << QByteArray("/") << H{} << QByteArray(R"({"a":{"type":"y"}})")
            << false;
    QTest::newRow("jsonpath sub-pattern any value (checked)") << QByteArray(
            R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.items[*]", "equalTo": "2"}}]})")
                                                              << QByteArray("POST")
                                                              << QByteArray("/") << H{}
                                                              << QByteArray(R"({"items":[1,2,3]})")
                                                              << true;
    QTest::newRow("jsonpath sub-pattern none (checked)") << QByteArray(
            R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.items[*]", "equalTo": "2"}}]})")
                                                         << QByteArray("POST") << QByteArray("/")
                                                         << H{} << QByteArray(R"({"items":[1,3]})")
                                                         << false;
    QTest::newRow("jsonpath sub-pattern matches") << QByteArray(
            R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.cur", "matches": "[A-Z]{3}"}}]})")
                                                  << QByteArray("POST") << QByteArray("/") << H{}
                                                  << QByteArray(R"({"cur":"EUR"})") << true;
    QTest::newRow("jsonpath sub-pattern equalToJson (checked)") << QByteArray(
            R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.a", "equalToJson": {"b": 1}}}]})")
                                                                << QByteArray("POST")
                                                                << QByteArray("/") << H{}
                                                                << QByteArray(R"({"a":{"b":1}})")
                                                                << true;
    QTest::newRow("jsonpath sub-pattern absent (checked)") << QByteArray(
            R"({"bodyPatterns": [{"matchesJsonPath": {"expression": "$.missing", "absent": true}}]})")
                                                           << QByteArray("POST") << QByteArray("/")
                                                           << H{} << QByteArray(R"({"a":1})")
                                                           << true;
    QTest::newRow("jsonpath on non-json body")
            << QByteArray(R"({"bodyPatterns": [{"matchesJsonPath": "$.a"}]})") << QByteArray("POST")
            << QByteArray("/") << H{} << QByteArray("<a/>") << false;
    QTest::newRow("jsonpath header value")
            << QByteArray(R"({"headers": {"X-Doc": {"matchesJsonPath": "$.k"}}})")
            << QByteArray("GET") << QByteArray("/") << H{"X-Doc: {\"k\": 1}"} << QByteArray()
            << true;
}

void TestVirtMatch::matches()
{
    QFETCH(QByteArray, requestPattern);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, url);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QByteArray, body);
    QFETCH(bool, matched);
    StubEngine engine({stub(requestPattern)});
    const StubOutcome outcome = engine.respond(request(method, url, headers, body));
    QCOMPARE(outcome.matched, matched);
    QCOMPARE(outcome.response.status, matched ? 200 : 404);
    if (!matched)
        QVERIFY(!outcome.nearMisses.empty());
}

void TestVirtMatch::lowestPriorityWins()
{
    StubMapping general = stub(R"({"urlPathPattern": "/p/.*"})", "general");
    general.priority = 10;
    StubMapping specific = stub(R"({"urlPath": "/p/1"})", "specific");
    specific.priority = 1;
    StubEngine engine({specific, general}); // the general one is newer but less important
    QCOMPARE(engine.respond(request("GET", "/p/1")).response.body, QByteArray("specific"));
    QCOMPARE(engine.respond(request("GET", "/p/2")).response.body, QByteArray("general"));
}

void TestVirtMatch::tiesGoToNewest()
{
    StubEngine engine({stub(R"({"urlPath": "/t"})", "first")});
    engine.addMapping(stub(R"({"urlPath": "/t"})", "second"));
    QCOMPARE(engine.respond(request("GET", "/t")).response.body, QByteArray("second"));
}

void TestVirtMatch::sameIdReplaces()
{
    StubMapping one = stub(R"({"urlPath": "/r"})", "one");
    StubMapping two = stub(R"({"urlPath": "/r"})", "two");
    two.id = one.id;
    StubEngine engine({one});
    engine.addMapping(two);
    QCOMPARE(engine.mappings().size(), size_t(1));
    QCOMPARE(engine.respond(request("GET", "/r")).response.body, QByteArray("two"));
}

void TestVirtMatch::removeAndReset()
{
    StubMapping one = stub(R"({"urlPath": "/a"})", "a");
    StubEngine engine({one, stub(R"({"urlPath": "/b"})", "b")});
    QVERIFY(engine.removeMapping(one.id));
    QVERIFY(!engine.removeMapping(one.id));
    QVERIFY(!engine.respond(request("GET", "/a")).matched);
    QVERIFY(engine.respond(request("GET", "/b")).matched);
    engine.resetMappings({});
    QVERIFY(engine.mappings().empty());
    QVERIFY(!engine.respond(request("GET", "/b")).matched);
}

void TestVirtMatch::answersResponseParts()
{
    StubEngine engine({mapping(R"({"id": "5e2a1a52-0000-4000-8000-000000000001",
        "request": {"urlPath": "/r"},
        "response": {"status": 202, "headers": {"Content-Type": "application/json",
                     "Set-Cookie": ["a=1", "b=2"]},
                     "jsonBody": {"ok": true}, "fixedDelayMilliseconds": 25}})")});
    const StubOutcome outcome = engine.respond(request("GET", "/r"));
    QVERIFY(outcome.matched);
    QCOMPARE(outcome.mappingId, QStringLiteral("5e2a1a52-0000-4000-8000-000000000001"));
    QCOMPARE(outcome.response.status, 202);
    QCOMPARE(outcome.response.body, QByteArray(R"({"ok":true})"));
    QCOMPARE(outcome.response.delay, std::chrono::milliseconds(25));
    QCOMPARE(outcome.response.headers.size(), 3);
}

void TestVirtMatch::scenarioSequence()
{
    // The recorder's shape: Started -> 2 -> 3, the last state repeating.
    auto step = [](const char *required, const char *next, const char *body) {
        StubMapping m = stub(R"({"method": "GET", "url": "/counter"})", body);
        m.scenarioName = QStringLiteral("counter");
        m.requiredScenarioState = QString::fromLatin1(required);
        m.newScenarioState = QString::fromLatin1(next);
        return m;
    };
    StubEngine engine(
            {step("Started", "s2", "one"), step("s2", "s3", "two"), step("s3", "", "three")});
    QCOMPARE(engine.respond(request("GET", "/counter")).response.body, QByteArray("one"));
    QCOMPARE(engine.respond(request("GET", "/counter")).response.body, QByteArray("two"));
    QCOMPARE(engine.respond(request("GET", "/counter")).response.body, QByteArray("three"));
    QCOMPARE(engine.respond(request("GET", "/counter")).response.body, QByteArray("three"));
    // An unrelated request does not move the scenario.
    QVERIFY(!engine.respond(request("GET", "/other")).matched);
}

void TestVirtMatch::scenarioReset()
{
    StubMapping first = stub(R"({"url": "/s"})", "first");
    first.scenarioName = QStringLiteral("flow");
    first.requiredScenarioState = QStringLiteral("Started");
    first.newScenarioState = QStringLiteral("done");
    StubMapping after = stub(R"({"url": "/s"})", "after");
    after.scenarioName = QStringLiteral("flow");
    after.requiredScenarioState = QStringLiteral("done");
    StubEngine engine({first, after});
    QCOMPARE(engine.respond(request("GET", "/s")).response.body, QByteArray("first"));
    QCOMPARE(engine.respond(request("GET", "/s")).response.body, QByteArray("after"));
    engine.resetScenarios();
    QCOMPARE(engine.respond(request("GET", "/s")).response.body, QByteArray("first"));
    // A scenario stub without a required state matches in any state and still moves it.
    StubMapping anyState = stub(R"({"url": "/jump"})", "jump");
    anyState.scenarioName = QStringLiteral("flow");
    anyState.newScenarioState = QStringLiteral("Started");
    engine.addMapping(anyState);
    QCOMPARE(engine.respond(request("GET", "/jump")).response.body, QByteArray("jump"));
    QCOMPARE(engine.respond(request("GET", "/s")).response.body, QByteArray("first"));
}

void TestVirtMatch::scenariosJson()
{
    StubMapping first = stub(R"({"url": "/s"})", "first");
    first.scenarioName = QStringLiteral("Flow");
    first.requiredScenarioState = QStringLiteral("Started");
    first.newScenarioState = QStringLiteral("Two");
    StubEngine engine({first, stub(R"({"url": "/x"})")});
    engine.respond(request("GET", "/s"));
    const QJsonArray scenarios = engine.scenariosJson();
    QCOMPARE(scenarios.size(), 1);
    const QJsonObject flow = scenarios.at(0).toObject();
    // The shape GET /__admin/scenarios has in WireMock 3.13.2 (checked).
    QCOMPARE(flow.value(QStringLiteral("id")).toString(), QStringLiteral("Flow"));
    QCOMPARE(flow.value(QStringLiteral("name")).toString(), QStringLiteral("Flow"));
    QCOMPARE(flow.value(QStringLiteral("state")).toString(), QStringLiteral("Two"));
    QCOMPARE(flow.value(QStringLiteral("possibleStates")).toArray(),
             (QJsonArray{QStringLiteral("Started"), QStringLiteral("Two")}));
    QCOMPARE(flow.value(QStringLiteral("mappings")).toArray().size(), 1);
}

void TestVirtMatch::concurrentScenarioSteps()
{
    // A chain of steps, each taken by exactly one request: with many threads racing, every
    // step's answer must come back exactly once (no two threads take one step).
    constexpr int steps = 400;
    constexpr int threads = 8;
    std::vector<StubMapping> chain;
    for (int i = 0; i < steps; ++i) {
        StubMapping m = stub(R"({"url": "/race"})", QByteArray::number(i));
        m.scenarioName = QStringLiteral("race");
        m.requiredScenarioState = i == 0 ? QStringLiteral("Started") : QString::number(i);
        m.newScenarioState = QString::number(i + 1);
        chain.push_back(m);
    }
    StubEngine engine(chain);
    std::vector<std::vector<int>> seen(threads);
    std::atomic<bool> go{false};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            while (!go.load())
                std::this_thread::yield();
            for (int i = 0; i < steps / threads; ++i) {
                const StubOutcome outcome = engine.respond(request("GET", "/race"));
                seen[size_t(t)].push_back(outcome.matched ? outcome.response.body.toInt() : -1);
            }
        });
    }
    go = true;
    for (std::thread &worker : workers)
        worker.join();
    std::vector<int> all;
    for (const auto &part : seen)
        all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end());
    QCOMPARE(all.size(), size_t(steps));
    for (int i = 0; i < steps; ++i)
        QCOMPARE(all[size_t(i)], i);
}

void TestVirtMatch::concurrentRespondWhileEditing()
{
    StubEngine engine({stub(R"({"urlPath": "/stable"})", "stable")});
    std::atomic<bool> stop{false};
    std::atomic<int> wrong{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&] {
            while (!stop.load()) {
                const StubOutcome outcome = engine.respond(request("GET", "/stable"));
                if (!outcome.matched || outcome.response.body != "stable")
                    ++wrong;
            }
        });
    }
    for (int i = 0; i < 300; ++i) {
        StubMapping extra = stub(R"({"urlPath": "/extra"})", "extra");
        engine.addMapping(extra);
        engine.removeMapping(extra.id);
    }
    stop = true;
    for (std::thread &reader : readers)
        reader.join();
    QCOMPARE(wrong.load(), 0);
}

void TestVirtMatch::nearMissesClosestFirst()
{
    StubMapping far = stub(
            R"({"method": "POST", "urlPath": "/elsewhere", "headers": {"X": {"equalTo": "1"}}})");
    far.name = QStringLiteral("far");
    StubMapping near = stub(
            R"({"method": "GET", "urlPath": "/customers/42", "headers": {"Accept": {"equalTo": "application/json"}}})");
    near.name = QStringLiteral("near");
    StubMapping middle = stub(R"({"method": "POST", "urlPath": "/customers/42"})");
    middle.name = QStringLiteral("middle");
    StubMapping fourth = stub(
            R"({"method": "PUT", "urlPath": "/zzzzzzzzzzzzzzzzzzz", "headers": {"Y": {"equalTo": "2"}}})");
    fourth.name = QStringLiteral("fourth");
    StubEngine engine({far, near, middle, fourth});
    const HttpRequest probe = request("GET", "/customers/42", {"Accept: text/html"});
    const std::vector<NearMiss> misses = engine.nearMisses(probe);
    QCOMPARE(misses.size(), size_t(3));
    QCOMPARE(misses[0].mappingName, QStringLiteral("near"));
    QCOMPARE(misses[1].mappingName, QStringLiteral("middle"));
    QVERIFY(misses[0].distance < misses[1].distance);
    QVERIFY(misses[1].distance <= misses[2].distance);
    QVERIFY(misses[0].distance > 0.0);
    QCOMPARE(engine.nearMisses(probe, 10).size(), size_t(4));
    QCOMPARE(engine.respond(probe).nearMisses.size(), size_t(3));
}

void TestVirtMatch::nearMissReasons()
{
    StubMapping pay = stub(R"({"method": "POST", "urlPath": "/payments",
        "bodyPatterns": [{"equalToJson": {"amount": 10, "currency": "EUR"}}]})");
    StubEngine engine({pay});
    const std::vector<NearMiss> body = engine.nearMisses(
            request("POST", "/payments", {}, R"({"amount": 11, "currency": "EUR"})"));
    QCOMPARE(body.size(), size_t(1));
    QCOMPARE(body[0].differences, QStringList{QStringLiteral("body: $.amount differs")});
    const std::vector<NearMiss> method = engine.nearMisses(
            request("GET", "/payments", {}, R"({"amount": 10, "currency": "EUR"})"));
    QCOMPARE(method[0].differences, QStringList{QStringLiteral("method: expected POST, got GET")});
    const std::vector<NearMiss> url = engine.nearMisses(
            request("POST", "/payment", {}, R"({"amount": 10, "currency": "EUR"})"));
    QCOMPARE(url[0].differences,
             QStringList{QStringLiteral("url: expected [path] /payments, got /payment")});

    StubMapping gated = stub(R"({"url": "/g"})");
    gated.scenarioName = QStringLiteral("gate");
    gated.requiredScenarioState = QStringLiteral("open");
    StubEngine scenarioEngine({gated});
    const std::vector<NearMiss> state = scenarioEngine.nearMisses(request("GET", "/g"));
    QCOMPARE(state[0].differences,
             QStringList{QStringLiteral("scenario gate: expected [Scenario 'gate' state: open], "
                                        "got [Scenario 'gate' state: Started]")});
}

void TestVirtMatch::unmatchedIs404WithReport()
{
    StubMapping pay = stub(R"({"method": "POST", "urlPath": "/payments"})");
    pay.name = QStringLiteral("create payment");
    StubEngine engine({pay});
    const StubOutcome outcome = engine.respond(request("GET", "/payments"));
    QVERIFY(!outcome.matched);
    QVERIFY(outcome.mappingId.isEmpty());
    QCOMPARE(outcome.response.status, 404);
    const QByteArray body = outcome.response.body;
    QVERIFY(body.contains("Request was not matched"));
    QVERIFY(body.contains("create payment"));
    QVERIFY(body.contains("<<<<< method does not match"));
    StubEngine empty({});
    const StubOutcome none = empty.respond(request("GET", "/x"));
    QCOMPARE(none.response.status, 404);
    QVERIFY(none.nearMisses.empty());
    QVERIFY(none.response.body.contains("Request was not matched"));
}

void TestVirtMatch::invalidMappingNeverMatches()
{
    // A mapping built in code (not parsed) with a broken regex must fail closed.
    StubMapping broken;
    broken.id = QStringLiteral("broken");
    broken.request.urlKind = RequestPattern::UrlKind::UrlPattern;
    broken.request.url = QStringLiteral("/a(");
    StubEngine engine({broken});
    const StubOutcome outcome = engine.respond(request("GET", "/a("));
    QVERIFY(!outcome.matched);
    QCOMPARE(outcome.nearMisses.size(), size_t(1));
    QVERIFY(outcome.nearMisses[0].differences.join(u' ').contains(
            QStringLiteral("regular expression")));
}

QTEST_GUILESS_MAIN(TestVirtMatch)
#include "tst_virtmatch.moc"
