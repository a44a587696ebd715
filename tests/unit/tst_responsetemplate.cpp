// Response templating, the Handlebars subset WireMock documents (issue 19). Expected outputs
// for request values were checked against wiremock-standalone 3.13.2 with
// POST /t2?x=1&x=2, header X-Foo: bar (values are not HTML-escaped, a missing value is empty,
// {{now}} is "yyyy-MM-ddTHH:mm:ssZ" in UTC).
#include "core/virt/responsetemplate.h"
#include "core/virt/stubengine.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace envsync;
using namespace envsync::virt;

namespace {

HttpRequest sampleRequest(const QByteArray &body = R"({"a":{"b":1},"name":"Ada","items":[1,2]})")
{
    HttpRequest request = HttpRequest::fromUrl("POST", "/t2/seg%20two?x=1&x=2&q=a%20b");
    request.headers.append(HttpHeader{"X-Foo", "bar"});
    request.headers.append(HttpHeader{"Cookie", "session=s1; theme=dark"});
    request.body = body;
    return request;
}

} // namespace

class TestResponseTemplate : public QObject
{
    Q_OBJECT

private slots:
    void renders_data();
    void renders();
    void randomValues_data();
    void randomValues();
    void now_data();
    void now();
    void staticText();
    void engineTemplatesBodyAndHeaders();
    void engineLeavesUntemplatedAlone();
};

void TestResponseTemplate::renders_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("url") << QStringLiteral("{{request.url}}")
                         << QByteArray("/t2/seg%20two?x=1&x=2&q=a%20b");
    QTest::newRow("path") << QStringLiteral("{{request.path}}") << QByteArray("/t2/seg%20two");
    QTest::newRow("path segment") << QStringLiteral("{{request.pathSegments.[0]}}")
                                  << QByteArray("t2");
    QTest::newRow("path segment 1")
            << QStringLiteral("{{request.pathSegments.[1]}}") << QByteArray("seg%20two");
    QTest::newRow("path segment out of range")
            << QStringLiteral("[{{request.pathSegments.[5]}}]") << QByteArray("[]");
    QTest::newRow("method") << QStringLiteral("{{request.method}}") << QByteArray("POST");
    QTest::newRow("query first") << QStringLiteral("{{request.query.x}}") << QByteArray("1");
    QTest::newRow("query index") << QStringLiteral("{{request.query.x.[1]}}") << QByteArray("2");
    QTest::newRow("query decoded") << QStringLiteral("{{request.query.q}}") << QByteArray("a b");
    QTest::newRow("query missing")
            << QStringLiteral("[{{request.query.nope}}]") << QByteArray("[]");
    QTest::newRow("header any case")
            << QStringLiteral("{{request.headers.x-foo}}") << QByteArray("bar");
    QTest::newRow("cookie") << QStringLiteral("{{request.cookies.theme}}") << QByteArray("dark");
    QTest::newRow("body") << QStringLiteral("{{request.body}}")
                          << QByteArray(R"({"a":{"b":1},"name":"Ada","items":[1,2]})");
    QTest::newRow("triple braces") << QStringLiteral("{{{request.method}}}") << QByteArray("POST");
    QTest::newRow("spaces inside") << QStringLiteral("{{ request.method }}") << QByteArray("POST");
    QTest::newRow("jsonPath string")
            << QStringLiteral("{{jsonPath request.body '$.name'}}") << QByteArray("Ada");
    QTest::newRow("jsonPath number")
            << QStringLiteral("{{jsonPath request.body '$.a.b'}}") << QByteArray("1");
    QTest::newRow("jsonPath object")
            << QStringLiteral("{{jsonPath request.body '$.a'}}") << QByteArray(R"({"b":1})");
    QTest::newRow("jsonPath several")
            << QStringLiteral("{{jsonPath request.body '$.items[*]'}}") << QByteArray("[1,2]");
    QTest::newRow("jsonPath missing")
            << QStringLiteral("[{{jsonPath request.body '$.zz'}}]") << QByteArray("[]");
    QTest::newRow("jsonPath double quotes")
            << QStringLiteral("{{jsonPath request.body \"$.name\"}}") << QByteArray("Ada");
    QTest::newRow("mixed text") << QStringLiteral(
            "{\"id\": \"{{request.pathSegments.[0]}}\", \"m\": \"{{request.method}}\"}")
                                << QByteArray(R"({"id": "t2", "m": "POST"})");
    QTest::newRow("unknown path renders empty") << QStringLiteral("[{{foo}}]") << QByteArray("[]");
    QTest::newRow("unknown helper marker")
            << QStringLiteral("a {{foo bar}} b") << QByteArray("a [ERROR: unknown helper foo] b");
    QTest::newRow("block marker")
            << QStringLiteral("{{#if request.body}}x{{/if}}")
            << QByteArray("[ERROR: unsupported block #if]x[ERROR: unsupported block /if]");
    QTest::newRow("bad jsonPath marker") << QStringLiteral("{{jsonPath request.body '$.['}}")
                                         << QByteArray("[ERROR: invalid JSONPath]");
    QTest::newRow("jsonPath without args")
            << QStringLiteral("{{jsonPath}}")
            << QByteArray("[ERROR: jsonPath needs a document and a path]");
    QTest::newRow("unterminated stays literal")
            << QStringLiteral("a {{request.method") << QByteArray("a {{request.method");
    QTest::newRow("empty expression")
            << QStringLiteral("{{}}") << QByteArray("[ERROR: unknown helper ]");
    QTest::newRow("utf8") << QStringLiteral("h\u00e9 {{request.method}}")
                          << QByteArray("h\xc3\xa9 POST");
}

void TestResponseTemplate::renders()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);
    QCOMPARE(ResponseTemplate::compile(text).render(sampleRequest()), expected);
}

void TestResponseTemplate::randomValues_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pattern");
    QTest::newRow("alphanumeric") << QStringLiteral("{{randomValue length=12 type='ALPHANUMERIC'}}")
                                  << QStringLiteral("[A-Za-z0-9]{12}");
    QTest::newRow("numeric") << QStringLiteral("{{randomValue length=5 type='NUMERIC'}}")
                             << QStringLiteral("[0-9]{5}");
    QTest::newRow("hex uppercase")
            << QStringLiteral("{{randomValue length=8 type='HEXADECIMAL' uppercase=true}}")
            << QStringLiteral("[0-9A-F]{8}");
    QTest::newRow("alphabetic") << QStringLiteral("{{randomValue length=3 type='ALPHABETIC'}}")
                                << QStringLiteral("[A-Za-z]{3}");
    QTest::newRow("uuid")
            << QStringLiteral("{{randomValue type='UUID'}}")
            << QStringLiteral(
                       "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    QTest::newRow("length bounded")
            << QStringLiteral("{{randomValue length=999999999 type='NUMERIC'}}")
            << QStringLiteral("[0-9]{10000}");
    QTest::newRow("unknown type") << QStringLiteral("{{randomValue length=3 type='EMOJI'}}")
                                  << QStringLiteral("\\[ERROR: randomValue type EMOJI\\]");
}

void TestResponseTemplate::randomValues()
{
    QFETCH(QString, text);
    QFETCH(QString, pattern);
    const ResponseTemplate compiled = ResponseTemplate::compile(text);
    const QString first = QString::fromUtf8(compiled.render(sampleRequest()));
    QVERIFY2(QRegularExpression(QRegularExpression::anchoredPattern(pattern))
                     .match(first)
                     .hasMatch(),
             qPrintable(first.left(80)));
    if (!pattern.startsWith(u'\\') && first.size() >= 5)
        QVERIFY(compiled.render(sampleRequest()) != first.toUtf8()); // fresh each time
}

void TestResponseTemplate::now_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("format"); // Qt format the output must parse with; empty: number
    QTest::addColumn<qint64>("offsetSeconds");
    QTest::newRow("default iso") << QStringLiteral("{{now}}")
                                 << QStringLiteral("yyyy-MM-ddTHH:mm:ssZ") << qint64(0);
    QTest::newRow("format") << QStringLiteral("{{now format='yyyy-MM-dd HH:mm'}}")
                            << QStringLiteral("yyyy-MM-dd HH:mm") << qint64(0);
    QTest::newRow("offset days") << QStringLiteral(
            "{{now offset='3 days' format='yyyy-MM-dd HH:mm'}}")
                                 << QStringLiteral("yyyy-MM-dd HH:mm") << qint64(3 * 86400);
    QTest::newRow("offset negative hours")
            << QStringLiteral("{{now offset='-2 hours' format='yyyy-MM-dd HH:mm'}}")
            << QStringLiteral("yyyy-MM-dd HH:mm") << qint64(-7200);
    QTest::newRow("epoch") << QStringLiteral("{{now format='epoch'}}") << QString() << qint64(0);
}

void TestResponseTemplate::now()
{
    QFETCH(QString, text);
    QFETCH(QString, format);
    QFETCH(qint64, offsetSeconds);
    const QDateTime expected = QDateTime::currentDateTimeUtc().addSecs(offsetSeconds);
    const QString rendered
            = QString::fromUtf8(ResponseTemplate::compile(text).render(sampleRequest()));
    QDateTime parsed;
    if (format.isEmpty()) {
        parsed = QDateTime::fromMSecsSinceEpoch(rendered.toLongLong(), Qt::UTC);
    } else {
        parsed = QDateTime::fromString(rendered, format);
        parsed.setTimeSpec(Qt::UTC);
    }
    QVERIFY2(parsed.isValid(), qPrintable(rendered));
    QVERIFY2(qAbs(parsed.secsTo(expected)) < 120, qPrintable(rendered));
}

void TestResponseTemplate::staticText()
{
    QVERIFY(ResponseTemplate::compile(QStringLiteral("plain { text }")).isStatic());
    QVERIFY(!ResponseTemplate::compile(QStringLiteral("a {{request.url}}")).isStatic());
    QCOMPARE(ResponseTemplate::compile(QStringLiteral("plain { text }")).render(sampleRequest()),
             QByteArray("plain { text }"));
}

void TestResponseTemplate::engineTemplatesBodyAndHeaders()
{
    auto mapping = StubMapping::fromJson(
            QJsonDocument::fromJson(R"({"request": {"urlPathPattern": "/t2/.*"},
                "response": {"status": 200,
                             "headers": {"X-Echo": "{{request.headers.X-Foo}}", "Content-Type": "text/plain"},
                             "body": "hello {{jsonPath request.body '$.name'}} via {{request.method}}",
                             "transformers": ["response-template"]}})")
                    .object(),
            QStringLiteral("test"));
    QVERIFY(mapping);
    StubEngine engine({*mapping});
    const StubOutcome outcome = engine.respond(sampleRequest());
    QVERIFY(outcome.matched);
    QCOMPARE(outcome.response.body, QByteArray("hello Ada via POST"));
    bool echoed = false;
    for (const HttpHeader &header : outcome.response.headers)
        echoed = echoed || (header.name == "X-Echo" && header.value == "bar");
    QVERIFY(echoed);
}

void TestResponseTemplate::engineLeavesUntemplatedAlone()
{
    auto mapping = StubMapping::fromJson(
            QJsonDocument::fromJson(R"({"request": {"urlPathPattern": "/t2/.*"},
                "response": {"body": "{{request.method}}"}})")
                    .object(),
            QStringLiteral("test"));
    QVERIFY(mapping);
    StubEngine engine({*mapping});
    QCOMPARE(engine.respond(sampleRequest()).response.body, QByteArray("{{request.method}}"));
}

QTEST_GUILESS_MAIN(TestResponseTemplate)
#include "tst_responsetemplate.moc"
