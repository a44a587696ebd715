#include "testsupport.h"

#include "core/config/configloader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <algorithm>
#include <random>
#include <regex>
#include <sstream>

using envsync::config::Diagnostic;
using envsync::config::LoadResult;
using envsync::config::parseConfig;

namespace {

/// Fixed: a failure must be reproducible from the case number alone.
constexpr std::uint32_t seed = 20260105;

std::string readExample()
{
    QByteArray dir = qgetenv("ENVSYNC_SOURCE_DIR");
    QString path = dir.isEmpty() ? QFINDTESTDATA("../../resources/envsync.example.yaml")
                                 : QString::fromLocal8Bit(dir) + u"/resources/envsync.example.yaml";
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

using envsync::test::joinLines;
using envsync::test::splitLines;

/// Block-style "key:" lines (optionally after "- "): every such key in the example sits in a
/// mapping with a closed set of keys (the free-form rule mappings are written in flow style).
const std::regex blockKey(R"(^(\s*(?:- )?)([a-z_]+):)");

std::vector<std::size_t> keyLines(const std::vector<std::string> &lines)
{
    std::vector<std::size_t> result;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (std::regex_search(lines[i], blockKey))
            result.push_back(i);
    }
    return result;
}

std::size_t pick(std::mt19937 &rng, std::size_t size)
{
    return size == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, size - 1)(rng);
}

std::string randomWord(std::mt19937 &rng, std::size_t minLength, std::size_t maxLength)
{
    static constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyz0123456789_";
    const std::size_t length
            = std::uniform_int_distribution<std::size_t>(minLength, maxLength)(rng);
    std::string word;
    for (std::size_t i = 0; i < length; ++i)
        word += letters[pick(rng, letters.size())];
    return word;
}

/// One random edit; the name says which, for failure messages.
std::string mutate(std::mt19937 &rng, std::string text, std::string &what)
{
    static const std::vector<std::string> punctuation
            = {":",   "-",  "- ", "[",    "]",       "{",   "}",  ",",       "#",
               "&a ", "*a", "!",  "|",    ">",       "'",   "\"", "%",       "@",
               "`",   "?",  "\t", "\n",   "\n---\n", "...", ": ", "&x [*x]", "!!binary ",
               "~",   "\\", "\r", "<<: ", "\xC3",    "\xFF"};
    if (text.empty())
        text = " ";
    std::vector<std::string> lines = splitLines(text);
    switch (pick(rng, 10)) {
    case 0: { // byte flip
        const std::size_t pos = pick(rng, text.size());
        text[pos] = static_cast<char>(pick(rng, 256));
        what = "flip byte " + std::to_string(pos);
        return text;
    }
    case 1: { // delete a range
        const std::size_t pos = pick(rng, text.size());
        const std::size_t length = 1 + pick(rng, 24);
        text.erase(pos, length);
        what = "delete " + std::to_string(length) + " at " + std::to_string(pos);
        return text;
    }
    case 2: { // duplicate a line
        const std::size_t line = pick(rng, lines.size());
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(line), lines[line]);
        what = "duplicate line " + std::to_string(line + 1);
        return joinLines(lines);
    }
    case 3: { // insert YAML punctuation
        const std::size_t pos = pick(rng, text.size() + 1);
        const std::string &insert = punctuation[pick(rng, punctuation.size())];
        text.insert(pos, insert);
        what = "insert punctuation at " + std::to_string(pos);
        return text;
    }
    case 4: { // truncate
        const std::size_t pos = pick(rng, text.size() + 1);
        text.resize(pos);
        what = "truncate at " + std::to_string(pos);
        return text;
    }
    case 5: { // swap two keys
        const std::vector<std::size_t> keys = keyLines(lines);
        if (keys.empty()) {
            what = "no keys to swap";
            return text;
        }
        const std::size_t a = keys[pick(rng, keys.size())];
        const std::size_t b = keys[pick(rng, keys.size())];
        std::smatch ma;
        std::smatch mb;
        std::string la = lines[a];
        std::string lb = lines[b];
        std::regex_search(la, ma, blockKey);
        std::regex_search(lb, mb, blockKey);
        lines[a] = ma[1].str() + mb[2].str() + ':' + ma.suffix().str();
        lines[b] = mb[1].str() + ma[2].str() + ':' + mb.suffix().str();
        what = "swap keys on lines " + std::to_string(a + 1) + " and " + std::to_string(b + 1);
        return joinLines(lines);
    }
    case 6: { // delete a line
        const std::size_t line = pick(rng, lines.size());
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(line));
        what = "delete line " + std::to_string(line + 1);
        return joinLines(lines);
    }
    case 7: { // swap two lines
        const std::size_t a = pick(rng, lines.size());
        const std::size_t b = pick(rng, lines.size());
        std::swap(lines[a], lines[b]);
        what = "swap lines " + std::to_string(a + 1) + " and " + std::to_string(b + 1);
        return joinLines(lines);
    }
    case 8: { // change the indentation of a line
        const std::size_t line = pick(rng, lines.size());
        if (pick(rng, 2) == 0)
            lines[line].insert(0, 1 + pick(rng, 4), ' ');
        else
            lines[line].erase(0, std::min<std::size_t>(lines[line].find_first_not_of(' '), 2));
        what = "re-indent line " + std::to_string(line + 1);
        return joinLines(lines);
    }
    default: { // replace a value with random text
        const std::size_t line = pick(rng, lines.size());
        const std::size_t colon = lines[line].find(": ");
        if (colon != std::string::npos)
            lines[line] = lines[line].substr(0, colon + 2) + randomWord(rng, 0, 12);
        what = "replace value on line " + std::to_string(line + 1);
        return joinLines(lines);
    }
    }
}

std::size_t lineCount(const std::string &text)
{
    // Upper bound: yaml-cpp also breaks lines at a lone CR, and a CRLF counts twice here.
    return static_cast<std::size_t>(std::ranges::count(text, '\n') + std::ranges::count(text, '\r'))
           + 1;
}

/// Loads text and checks the contract: a config, or at least one diagnostic, each with a
/// position inside the text (or 0) and a message. Never an exception.
bool checkContract(const std::string &text, const std::string &what, bool &loaded)
{
    LoadResult result;
    try {
        result = parseConfig(text, "fuzz.yaml");
    } catch (const std::exception &error) {
        qWarning("%s: exception %s", what.c_str(), error.what());
        return false;
    } catch (...) {
        qWarning("%s: unknown exception", what.c_str());
        return false;
    }
    loaded = result.has_value();
    if (loaded)
        return true;
    const std::vector<Diagnostic> &diagnostics = result.error();
    if (diagnostics.empty()) {
        qWarning("%s: rejected without a diagnostic", what.c_str());
        return false;
    }
    const auto lines = static_cast<int>(lineCount(text));
    for (std::size_t i = 0; i < diagnostics.size(); ++i) {
        const Diagnostic &d = diagnostics[i];
        const bool positioned = d.line == 0 || (d.line <= lines + 1 && d.column >= 1);
        const bool sorted = i == 0
                            || std::tie(diagnostics[i - 1].line, diagnostics[i - 1].column)
                                       <= std::tie(d.line, d.column);
        if (d.line < 0 || d.message.empty() || !positioned || !sorted) {
            qWarning("%s: bad diagnostic %s", what.c_str(), d.format().c_str());
            return false;
        }
    }
    return true;
}

} // namespace

class TestConfigFuzz : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_example = readExample();
        QVERIFY2(!m_example.empty(), "resources/envsync.example.yaml not found");
        bool loaded = false;
        QVERIFY(checkContract(m_example, "example", loaded));
        QVERIFY2(loaded, "the example must load");
    }

    void randomMutations()
    {
        // ENVSYNC_FUZZ_ITERATIONS / ENVSYNC_FUZZ_SEED allow longer local runs; CI uses the
        // defaults.
        bool ok = false;
        int iterations = qEnvironmentVariableIntValue("ENVSYNC_FUZZ_ITERATIONS", &ok);
        if (!ok || iterations < 1500)
            iterations = 1500;
        const int customSeed = qEnvironmentVariableIntValue("ENVSYNC_FUZZ_SEED", &ok);
        std::mt19937 rng(ok ? static_cast<std::uint32_t>(customSeed) : seed);
        // ENVSYNC_FUZZ_DUMP=FILE writes each case there before loading it, to catch a hang.
        const QString dumpPath = qEnvironmentVariable("ENVSYNC_FUZZ_DUMP");
        int loaded = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; ++i) {
            std::string text = m_example;
            std::string what;
            const std::size_t edits = 1 + pick(rng, 3);
            std::string steps;
            for (std::size_t e = 0; e < edits; ++e) {
                text = mutate(rng, std::move(text), what);
                steps += what + "; ";
            }
            if (!dumpPath.isEmpty()) {
                QFile dump(dumpPath);
                if (dump.open(QIODevice::WriteOnly | QIODevice::Truncate))
                    dump.write(QByteArray::fromStdString(text));
            }
            bool accepted = false;
            QVERIFY2(checkContract(text, "case " + std::to_string(i) + ": " + steps, accepted),
                     qPrintable(QStringLiteral("case %1: %2")
                                        .arg(i)
                                        .arg(QString::fromStdString(steps))));
            ++(accepted ? loaded : rejected);
        }
        qInfo("%d mutated configs: %d loaded, %d rejected with diagnostics", iterations, loaded,
              rejected);
        QVERIFY(rejected > iterations / 3); // the mutations do bite
    }

    void guaranteedInvalidMutations()
    {
        std::mt19937 rng(seed + 1);
        const std::vector<std::string> lines = splitLines(m_example);
        const std::vector<std::size_t> keys = keyLines(lines);
        QVERIFY(keys.size() > 30);
        int count = 0;

        // An unknown key in place of a known one: reported at that very line.
        for (int i = 0; i < 250; ++i, ++count) {
            std::vector<std::string> mutated = lines;
            const std::size_t line = keys[pick(rng, keys.size())];
            std::smatch match;
            const std::string original = mutated[line];
            std::regex_search(original, match, blockKey);
            const std::string key = "zz" + randomWord(rng, 2, 10);
            mutated[line] = match[1].str() + key + ':' + match.suffix().str();
            expectProblemAt(joinLines(mutated), static_cast<int>(line) + 1,
                            "unknown key \"" + key + "\"",
                            "unknown key on line " + std::to_string(line + 1));
            if (QTest::currentTestFailed())
                return;
        }

        // A version other than 1.
        const auto versionLine = static_cast<std::size_t>(
                std::ranges::find_if(lines,
                                     [](const std::string &l) { return l.starts_with("version:"); })
                - lines.begin());
        QVERIFY(versionLine < lines.size());
        for (int i = 0; i < 50; ++i, ++count) {
            std::vector<std::string> mutated = lines;
            const auto version = std::uniform_int_distribution<long long>(2, 1'000'000'000)(rng);
            mutated[versionLine] = "version: " + std::to_string(version);
            expectProblemAt(joinLines(mutated), static_cast<int>(versionLine) + 1,
                            "unsupported config version", "version " + std::to_string(version));
            if (QTest::currentTestFailed())
                return;
        }

        // A duration with a unit that does not exist.
        std::vector<std::size_t> durationLines;
        const std::regex durationValue(R"(^(\s*[a-z_]+: )[0-9]+[a-z]+(\s.*)?$)");
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (std::regex_match(lines[i], durationValue))
                durationLines.push_back(i);
        }
        QVERIFY(durationLines.size() >= 5);
        for (int i = 0; i < 50; ++i, ++count) {
            std::vector<std::string> mutated = lines;
            const std::size_t line = durationLines[pick(rng, durationLines.size())];
            std::smatch match;
            const std::string original = mutated[line];
            std::regex_match(original, match, durationValue);
            const std::string unit = std::string(1, "abcefgijklnopqrtuvxyz"[pick(rng, 21)]);
            mutated[line] = match[1].str() + std::to_string(1 + pick(rng, 99)) + unit;
            expectProblemAt(joinLines(mutated), static_cast<int>(line) + 1, "unknown unit",
                            "duration on line " + std::to_string(line + 1));
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(count, 350);
    }

    void pathologicalInputs_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("expectLoad"); // 1 must load, 0 must not, -1 either

        std::mt19937 rng(seed + 2);
        for (int i = 0; i < 60; ++i) {
            QByteArray bytes;
            const std::size_t length = pick(rng, 4096);
            for (std::size_t k = 0; k < length; ++k)
                bytes += static_cast<char>(pick(rng, 256));
            QTest::addRow("binary %d", i) << bytes << 0;
        }
        const QByteArray example = QByteArray::fromStdString(m_example);
        QTest::newRow("deep flow sequence") << "regions: " + QByteArray(100000, '[') << 0;
        QTest::newRow("deep flow mapping") << "source: " + QByteArray("{a: ").repeated(20000) << 0;
        QByteArray block;
        for (int depth = 0; depth < 1200; ++depth)
            block += QByteArray(depth * 2, ' ') + "a:\n";
        QTest::newRow("deep block nesting") << block << 0;
        QTest::newRow("huge numbers")
                << QByteArray("version: 99999999999999999999999999999999\n"
                              "source: { dsn: a, max_parallel_reads: -1e400 }\n"
                              "golden: { dsn: b, keep: 0x7fffffffffffffffffff }\n"
                              "regions: [ { name: eu, dsn: c, freshness_sla: "
                              "99999999999999999999999999w } ]\n")
                << 0;
        QByteArray lol = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (int level = 1; level < 10; ++level) {
            QByteArray line
                    = "a" + QByteArray::number(level) + ": &a" + QByteArray::number(level) + " [";
            for (int k = 0; k < 9; ++k)
                line += (k ? ", *a" : "*a") + QByteArray::number(level - 1);
            lol += line + "]\n";
        }
        QTest::newRow("billion laughs") << lol + "regions: *a9\n" << 0;
        QByteArray fanOut = "version: 1\nsource: { dsn: a }\ngolden: { dsn: b }\n"
                            "regions: [ { name: eu, dsn: c } ]\nnames: &n [";
        for (int k = 0; k < 2000; ++k)
            fanOut += (k ? ", x" : "x") + QByteArray::number(k);
        fanOut += "]\nblackouts:\n";
        for (int k = 0; k < 400; ++k)
            fanOut += "  - { from: 2026-01-01, to: 2026-01-02, regions: *n }\n";
        QTest::newRow("alias fan-out") << fanOut << 0;
        QTest::newRow("stray comma after comments")
                << "# comment\n" + QByteArray(", 60s, 90m\n") + example << 0;
        QTest::newRow("cyclic sequence alias") << QByteArray("regions: &r [*r, *r]\n") << 0;
        QTest::newRow("cyclic mapping alias")
                << QByteArray("source: &s { dsn: a, name: *s, production: *s }\n") << 0;
        QTest::newRow("tabs") << QByteArray(example).replace("  ", "\t") << 0;
        QTest::newRow("CRLF example") << QByteArray(example).replace("\n", "\r\n") << 1;
        QTest::newRow("CR only") << QByteArray(example).replace("\n", "\r") << -1;
        QTest::newRow("megabyte scalar") << "version: " + QByteArray(1 << 20, '9') << 0;
        QTest::newRow("too large") << QByteArray(5 << 20, '#') << 0;
        QTest::newRow("invalid UTF-8 keys")
                << QByteArray("version: 1\n\xff\xfe: 1\n\xc3\x28: 2\nsource: {\x80: 1}\n") << 0;
        QTest::newRow("many documents") << QByteArray("---\n").repeated(1000) + example << 0;
        for (const char *tiny : {"---", "...", "~", "null", "[]", "{}", "&a", "*a", "!!binary x",
                                 "? [a, b]\n: c", "- - -", ":", "'", "\"", "%YAML 1.2\n---",
                                 "version: 1\nregions: [*x]", "\xEF\xBB\xBF", " \n \n"})
            QTest::addRow("tiny %s", tiny) << QByteArray(tiny) << 0;
        QByteArray regions = "version: 1\nsource: { dsn: a }\ngolden: { dsn: b }\nregions:\n";
        for (int k = 0; k < 1500; ++k)
            regions += "  - { name: r" + QByteArray::number(k) + ", dsn: \"dbname=r"
                       + QByteArray::number(k) + "\" }\n";
        QTest::newRow("too many regions") << regions << 0;
        QByteArray unknown = "version: 1\n";
        for (int k = 0; k < 5000; ++k)
            unknown += "unknown_" + QByteArray::number(k) + ": 1\n";
        QTest::newRow("thousands of problems") << unknown << 0;
    }

    void pathologicalInputs()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, expectLoad);
        QElapsedTimer timer;
        timer.start();
        bool loaded = false;
        QVERIFY(checkContract(text.toStdString(), QTest::currentDataTag(), loaded));
        if (expectLoad >= 0)
            QCOMPARE(loaded, expectLoad == 1);
        QVERIFY2(timer.elapsed() < 20000, "took too long");
    }

    void diagnosticsAreCapped()
    {
        QByteArray unknown = "version: 1\n";
        for (int k = 0; k < 5000; ++k)
            unknown += "unknown_" + QByteArray::number(k) + ": 1\n";
        const LoadResult result = parseConfig(unknown.toStdString(), "many.yaml");
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().size(), std::size_t(501)); // 500 and a "stopped" note
        QVERIFY(result.error().back().message.starts_with("too many problems"));
    }

private:
    void expectProblemAt(const std::string &text, int line, const std::string &message,
                         const std::string &what)
    {
        bool loaded = false;
        QVERIFY2(checkContract(text, what, loaded), what.c_str());
        QVERIFY2(!loaded, qPrintable(QString::fromStdString(what + ": was accepted")));
        const LoadResult result = parseConfig(text, "fuzz.yaml");
        const auto found = std::ranges::any_of(result.error(), [&](const Diagnostic &d) {
            return d.line == line && d.message.find(message) != std::string::npos;
        });
        std::string all;
        for (const Diagnostic &d : result.error())
            all += d.format() + '\n';
        QVERIFY2(found,
                 qPrintable(QString::fromStdString(what + ": expected \"" + message + "\" on line "
                                                   + std::to_string(line) + ", got:\n" + all)));
    }

    std::string m_example;
};

QTEST_GUILESS_MAIN(TestConfigFuzz)
#include "tst_configfuzz.moc"
