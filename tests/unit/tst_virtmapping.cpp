// WireMock stub mappings (issue 19): parse and serialise real mappings written by WireMock's own
// recorder (tests/data/virt/recorded, made with wiremock-standalone 3.13.2 against a small
// upstream) and hand-written ones WireMock 3.13.2 serves (tests/data/virt/handwritten); the
// mapping store loads roots, refuses hostile bodyFileName paths and writes atomically.
#include "core/virt/mappingstore.h"
#include "core/virt/stubmapping.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <filesystem>

using namespace envsync;
using namespace envsync::virt;
namespace fs = std::filesystem;

namespace {

QString dataDir(const QString &name)
{
    return QString::fromLocal8Bit(qgetenv("ENVSYNC_SOURCE_DIR"))
           + QStringLiteral("/tests/data/virt/") + name;
}

QJsonObject readObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

/// equalToJson may be JSON text or inline JSON; compare both forms as JSON.
QJsonValue normalised(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(normalised(item));
        return out;
    }
    if (!value.isObject())
        return value;
    QJsonObject out;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == QLatin1StringView("equalToJson") && it.value().isString())
            out.insert(it.key(), QJsonDocument::fromJson(it.value().toString().toUtf8()).object());
        else
            out.insert(it.key(), normalised(it.value()));
    }
    return out;
}

void writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QByteArray mappingWithBodyFile(const QString &bodyFileName)
{
    return QByteArrayLiteral(R"({"request": {"url": "/x"}, "response": {"bodyFileName": ")")
           + bodyFileName.toUtf8() + QByteArrayLiteral(R"("}})");
}

StubMapping simpleMapping(const QByteArray &body, const QByteArray &contentType)
{
    StubMapping mapping;
    mapping.id = QStringLiteral("11111111-2222-3333-4444-555555555555");
    mapping.request.method = "GET";
    mapping.request.urlKind = RequestPattern::UrlKind::UrlPath;
    mapping.request.url = QStringLiteral("/thing");
    mapping.response.headers.append({"Content-Type", contentType});
    mapping.response.body = body;
    return mapping;
}

} // namespace

class TestVirtMapping : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void loadsRecordedRoot();
    void loadsHandwrittenRoot();
    void rejectsBadMappings_data();
    void rejectsBadMappings();
    void refusesHostileBodyFiles_data();
    void refusesHostileBodyFiles();
    void refusesMappingSymlinkLeavingRoot();
    void refusesDirectorySymlinksLeavingRoot();
    void writesSmallBodyInline();
    void writesLargeBodyToFiles();
    void writesBinaryBodyAsBase64();
    void refusesHostileStems_data();
    void refusesHostileStems();
    void refusesSymlinkedMappingsDir();
};

void TestVirtMapping::roundTrip_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &root : {QStringLiteral("recorded"), QStringLiteral("handwritten")}) {
        QDirIterator it(dataDir(root) + QStringLiteral("/mappings"), {QStringLiteral("*.json")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            QTest::newRow(qPrintable(root + u'/' + QFileInfo(file).fileName())) << file;
        }
    }
}

void TestVirtMapping::roundTrip()
{
    QFETCH(QString, file);
    const QJsonObject document = readObject(file);
    QVERIFY(!document.isEmpty());
    const QJsonArray objects = document.contains(QStringLiteral("mappings"))
                                       ? document.value(QStringLiteral("mappings")).toArray()
                                       : QJsonArray{document};
    for (const QJsonValue &value : objects) {
        QJsonObject original = value.toObject();
        auto mapping = StubMapping::fromJson(original, QFileInfo(file).fileName());
        QVERIFY2(mapping, mapping ? "" : mapping.error().describe().c_str());
        const QJsonObject written = mapping->toJson();
        // WireMock writes "uuid" equal to "id"; EnvSync always writes both.
        original.insert(QStringLiteral("uuid"), mapping->id);
        QCOMPARE(normalised(written), normalised(original));
        auto again = StubMapping::fromJson(written, QStringLiteral("again"));
        QVERIFY(again);
        QCOMPARE(again->toJson(), written);
    }
}

void TestVirtMapping::loadsRecordedRoot()
{
    auto loaded = loadMappings(dataDir(QStringLiteral("recorded")).toStdString());
    QVERIFY2(loaded, loaded ? "" : loaded.error().describe().c_str());
    QVERIFY(loaded->skipped.empty());
    QCOMPARE(loaded->mappings.size(), size_t(6));
    int inScenario = 0;
    for (const StubMapping &mapping : loaded->mappings) {
        if (mapping.scenarioName == QLatin1StringView("scenario-1-counter"))
            ++inScenario;
        if (mapping.name == QLatin1StringView("logo")) {
            QByteArray expected;
            for (int repeat = 0; repeat < 4; ++repeat)
                for (int i = 0; i < 256; ++i)
                    expected.append(char(i));
            QCOMPARE(mapping.response.body.value_or(QByteArray()), expected);
            QCOMPARE(mapping.response.bodyKind, ResponseDefinition::BodyKind::Base64);
        }
        if (mapping.name == QLatin1StringView("customers_42")) {
            QCOMPARE(mapping.request.queryParameters.size(), 2);
            QCOMPARE(mapping.request.queryParameters.at(0).second.op, ValuePattern::Op::HasExactly);
            QCOMPARE(mapping.insertionIndex.value_or(-1), 7);
        }
    }
    QCOMPARE(inScenario, 3);
}

void TestVirtMapping::loadsHandwrittenRoot()
{
    auto loaded = loadMappings(dataDir(QStringLiteral("handwritten")).toStdString());
    QVERIFY2(loaded, loaded ? "" : loaded.error().describe().c_str());
    QVERIFY(loaded->skipped.empty());
    QCOMPARE(loaded->mappings.size(), size_t(3));
    const auto fromFile = std::find_if(loaded->mappings.begin(), loaded->mappings.end(),
                                       [](const StubMapping &m) { return m.priority == 3; });
    QVERIFY(fromFile != loaded->mappings.end());
    QCOMPARE(fromFile->response.bodyFileName, QStringLiteral("customers/7.json"));
    QVERIFY(fromFile->response.body.value_or(QByteArray()).contains("\"Grace\""));
    QCOMPARE(fromFile->metadata.value(QStringLiteral("envsync"))
                     .toObject()
                     .value(QStringLiteral("golden")),
             QJsonValue(QStringLiteral("golden_v3")));
}

void TestVirtMapping::rejectsBadMappings_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("urlPath not a string")
            << QByteArray(R"({"request": {"urlPath": 5}, "response": {}})")
            << QStringLiteral("request.urlPath must be a string");
    QTest::newRow("two url kinds")
            << QByteArray(R"({"request": {"url": "/a", "urlPath": "/a"}, "response": {}})")
            << QStringLiteral("only one of url");
    QTest::newRow("bad regex")
            << QByteArray(R"({"request": {"urlPattern": "/a(["}, "response": {}})")
            << QStringLiteral("request.urlPattern is not a valid regular expression");
    QTest::newRow("unknown matcher") << QByteArray(
            R"({"request": {"bodyPatterns": [{"equalToXml": "<a/>"}]}, "response": {}})")
                                     << QStringLiteral("equalToXml is not a supported matcher");
    QTest::newRow("url path template")
            << QByteArray(R"({"request": {"urlPathTemplate": "/a/{id}"}, "response": {}})")
            << QStringLiteral("request.urlPathTemplate is not supported");
    QTest::newRow("proxying is refused (fail closed)")
            << QByteArray(R"({"request": {}, "response": {"proxyBaseUrl": "http://real"}})")
            << QStringLiteral("response.proxyBaseUrl is not supported");
    QTest::newRow("fault") << QByteArray(
            R"({"request": {}, "response": {"fault": "EMPTY_RESPONSE"}})")
                           << QStringLiteral("response.fault is not supported");
    QTest::newRow("bad json path") << QByteArray(
            R"({"request": {"bodyPatterns": [{"matchesJsonPath": "$.a[?(@.b =="}]}, "response": {}})")
                                   << QStringLiteral("matchesJsonPath");
    QTest::newRow("equalToJson text not json") << QByteArray(
            R"({"request": {"bodyPatterns": [{"equalToJson": "{nope"}]}, "response": {}})")
                                               << QStringLiteral("equalToJson must hold JSON");
    QTest::newRow("state without scenario")
            << QByteArray(R"({"request": {}, "response": {}, "newScenarioState": "x"})")
            << QStringLiteral("scenarioName is required");
    QTest::newRow("two bodies") << QByteArray(
            R"({"request": {}, "response": {"body": "a", "jsonBody": {}}})")
                                << QStringLiteral("only one of body");
    QTest::newRow("bad status") << QByteArray(R"({"request": {}, "response": {"status": 99}})")
                                << QStringLiteral("response.status must be an HTTP status code");
    QTest::newRow("other transformer")
            << QByteArray(R"({"request": {}, "response": {"transformers": ["webhook"]}})")
            << QStringLiteral("response.transformers supports only");
}

void TestVirtMapping::rejectsBadMappings()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto mapping = StubMapping::fromJson(QJsonDocument::fromJson(json).object(),
                                         QStringLiteral("mappings/bad.json"));
    QVERIFY(!mapping);
    QCOMPARE(mapping.error().code, ErrorCode::Config);
    const QString described = QString::fromStdString(mapping.error().describe());
    QVERIFY2(described.startsWith(QStringLiteral("mappings/bad.json")), qPrintable(described));
    QVERIFY2(described.contains(message), qPrintable(described));
}

void TestVirtMapping::refusesHostileBodyFiles_data()
{
    QTest::addColumn<QString>("bodyFileName");
    QTest::addColumn<QString>("message");
    QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << QStringLiteral("relative path");
    QTest::newRow("dot dot") << QStringLiteral("../secret.txt") << QStringLiteral("\"..\"");
    QTest::newRow("dot dot inside")
            << QStringLiteral("a/../../secret.txt") << QStringLiteral("\"..\"");
    QTest::newRow("symlink out") << QStringLiteral("link.txt")
                                 << QStringLiteral("leaves the __files directory");
    QTest::newRow("symlinked dir out") << QStringLiteral("linkdir/secret.txt")
                                       << QStringLiteral("leaves the __files directory");
    QTest::newRow("missing") << QStringLiteral("nope.txt") << QStringLiteral("no such file");
    QTest::newRow("a directory") << QStringLiteral("sub") << QStringLiteral("not a regular file");
}

void TestVirtMapping::refusesHostileBodyFiles()
{
    QFETCH(QString, bodyFileName);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root"));
    writeText(dir.filePath(QStringLiteral("secret.txt")), "top secret");
    writeText(root + QStringLiteral("/__files/sub/ok.txt"), "fine");
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("secret.txt")),
                        root + QStringLiteral("/__files/link.txt")));
    QVERIFY(QFile::link(dir.path(), root + QStringLiteral("/__files/linkdir")));
    writeText(root + QStringLiteral("/mappings/hostile.json"), mappingWithBodyFile(bodyFileName));
    writeText(root + QStringLiteral("/mappings/good.json"),
              mappingWithBodyFile(QStringLiteral("sub/ok.txt")));

    auto loaded = loadMappings(root.toStdString());
    QVERIFY(loaded);
    QCOMPARE(loaded->mappings.size(), size_t(1));
    QCOMPARE(loaded->mappings.front().response.body.value_or(QByteArray()), QByteArray("fine"));
    QCOMPARE(loaded->skipped.size(), size_t(1));
    const QString described = QString::fromStdString(loaded->skipped.front().describe());
    QVERIFY2(described.contains(QStringLiteral("hostile.json")), qPrintable(described));
    QVERIFY2(described.contains(message), qPrintable(described));
    QVERIFY(!described.contains(QStringLiteral("top secret")));
}

void TestVirtMapping::refusesMappingSymlinkLeavingRoot()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root"));
    writeText(dir.filePath(QStringLiteral("outside.json")), R"({"request": {}, "response": {}})");
    QDir().mkpath(root + QStringLiteral("/mappings"));
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("outside.json")),
                        root + QStringLiteral("/mappings/outside.json")));
    auto loaded = loadMappings(root.toStdString());
    QVERIFY(loaded);
    QVERIFY(loaded->mappings.empty());
    QCOMPARE(loaded->skipped.size(), size_t(1));
}

void TestVirtMapping::refusesDirectorySymlinksLeavingRoot()
{
    QTemporaryDir dir;
    const QString outside = dir.filePath(QStringLiteral("outside"));
    writeText(outside + QStringLiteral("/mappings/m.json"),
              mappingWithBodyFile(QStringLiteral("b.txt")));
    writeText(outside + QStringLiteral("/__files/b.txt"), "outside body");
    // mappings/ itself a symlink out of the root: the whole root is refused.
    const QString linkedMappings = dir.filePath(QStringLiteral("root1"));
    QDir().mkpath(linkedMappings);
    QVERIFY(QFile::link(outside + QStringLiteral("/mappings"),
                        linkedMappings + QStringLiteral("/mappings")));
    auto first = loadMappings(linkedMappings.toStdString());
    QVERIFY(!first);
    QVERIFY(QString::fromStdString(first.error().describe())
                    .contains(QStringLiteral("leaving the root")));
    // __files a symlink out of the root: the mapping using it is skipped.
    const QString linkedFiles = dir.filePath(QStringLiteral("root2"));
    writeText(linkedFiles + QStringLiteral("/mappings/m.json"),
              mappingWithBodyFile(QStringLiteral("b.txt")));
    QVERIFY(QFile::link(outside + QStringLiteral("/__files"),
                        linkedFiles + QStringLiteral("/__files")));
    auto second = loadMappings(linkedFiles.toStdString());
    QVERIFY(second);
    QVERIFY(second->mappings.empty());
    QCOMPARE(second->skipped.size(), size_t(1));
    QVERIFY(QString::fromStdString(second->skipped.front().describe())
                    .contains(QStringLiteral("__files leaves the root")));
}

void TestVirtMapping::writesSmallBodyInline()
{
    QTemporaryDir dir;
    const fs::path root = dir.filePath(QStringLiteral("svc/golden_v1")).toStdString();
    const StubMapping mapping = simpleMapping(R"({"id": 1})", "application/json");
    QVERIFY(writeMapping(root, mapping, QStringLiteral("get-thing")));
    const fs::path file = root / "mappings" / "get-thing.json";
    struct stat st
    {
    };
    QCOMPARE(::stat(file.c_str(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0644u);
    QVERIFY(!fs::exists(root / "__files"));
    auto loaded = loadMappings(root);
    QVERIFY(loaded && loaded->mappings.size() == 1);
    QCOMPARE(loaded->mappings.front().toJson(), mapping.toJson());
    // Writing again replaces the file: no duplicate, no temp file left behind.
    QVERIFY(writeMapping(root, mapping, QStringLiteral("get-thing")));
    QCOMPARE(QDir(QString::fromStdString((root / "mappings").string()))
                     .entryList(QDir::Files | QDir::Hidden)
                     .size(),
             1);
}

void TestVirtMapping::writesLargeBodyToFiles()
{
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    const QByteArray body(20000, 'x');
    QVERIFY(writeMapping(root, simpleMapping(body, "text/plain"), QStringLiteral("big"),
                         16 * 1024));
    const QJsonObject written
            = readObject(QString::fromStdString((root / "mappings/big.json").string()));
    QCOMPARE(written.value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("bodyFileName")),
             QJsonValue(QStringLiteral("big-body.txt")));
    QVERIFY(!written.value(QStringLiteral("response")).toObject().contains(QStringLiteral("body")));
    auto loaded = loadMappings(root);
    QVERIFY(loaded && loaded->mappings.size() == 1);
    QCOMPARE(loaded->mappings.front().response.body.value_or(QByteArray()), body);
}

void TestVirtMapping::writesBinaryBodyAsBase64()
{
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    const QByteArray body("\x00\xff\xfe binary", 10);
    QVERIFY(writeMapping(root, simpleMapping(body, "application/octet-stream"),
                         QStringLiteral("bin")));
    const QJsonObject written
            = readObject(QString::fromStdString((root / "mappings/bin.json").string()));
    QCOMPARE(written.value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("base64Body"))
                     .toString(),
             QString::fromLatin1(body.toBase64()));
    auto loaded = loadMappings(root);
    QVERIFY(loaded && loaded->mappings.size() == 1);
    QCOMPARE(loaded->mappings.front().response.body.value_or(QByteArray()), body);
}

void TestVirtMapping::refusesHostileStems_data()
{
    QTest::addColumn<QString>("stem");
    QTest::newRow("empty") << QString();
    QTest::newRow("parent") << QStringLiteral("../escape");
    QTest::newRow("slash") << QStringLiteral("a/b");
    QTest::newRow("hidden") << QStringLiteral(".hidden");
    QTest::newRow("absolute") << QStringLiteral("/tmp/x");
    QTest::newRow("non ascii") << QStringLiteral("caf\u00e9");
}

void TestVirtMapping::refusesHostileStems()
{
    QFETCH(QString, stem);
    QTemporaryDir dir;
    auto written = writeMapping(dir.path().toStdString(), simpleMapping("x", "text/plain"), stem);
    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::Usage);
    QVERIFY(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

void TestVirtMapping::refusesSymlinkedMappingsDir()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root"));
    const QString elsewhere = dir.filePath(QStringLiteral("elsewhere"));
    QDir().mkpath(root);
    QDir().mkpath(elsewhere);
    QVERIFY(QFile::link(elsewhere, root + QStringLiteral("/mappings")));
    auto written = writeMapping(root.toStdString(), simpleMapping("x", "text/plain"),
                                QStringLiteral("m"));
    QVERIFY(!written);
    QCOMPARE(written.error().code, ErrorCode::Refused);
    QVERIFY(QDir(elsewhere).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

QTEST_GUILESS_MAIN(TestVirtMapping)
#include "tst_virtmapping.moc"
