#include "testsupport.h"

#include "core/config/configloader.h"
#include "core/config/formats.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <grp.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using envsync::config::Config;
using envsync::config::Diagnostic;
using envsync::config::loadConfigFile;
using envsync::config::LoadResult;
using envsync::config::parseConfig;
using envsync::config::UnclassifiedPolicy;
using namespace std::chrono_literals;

namespace {

/// A small valid config; the bad cases change one line or append lines, so the expected
/// positions below can be counted by eye.
const std::string baseConfig = R"(version: 1
source: { name: prod, dsn: "service=prod" }
golden: { dsn: "service=golden" }
regions:
  - name: eu
    dsn: "service=qa-eu"
    timezone: Europe/Berlin
    window: { rrule: "FREQ=WEEKLY;BYDAY=MO", start: "02:00", duration: 3h }
)";

using envsync::test::joinLines;
using envsync::test::splitLines;

/// baseConfig with 1-based line `number` replaced.
std::string withLine(int number, const std::string &replacement)
{
    std::vector<std::string> lines = splitLines(baseConfig);
    lines.at(static_cast<std::size_t>(number - 1)) = replacement;
    return joinLines(lines);
}

/// baseConfig with lines appended (they start at line 9).
std::string withExtra(const std::string &extra)
{
    return baseConfig + extra;
}

QString describe(const std::vector<Diagnostic> &diagnostics)
{
    QString text;
    for (const Diagnostic &diagnostic : diagnostics)
        text += QString::fromStdString(diagnostic.format()) + u'\n';
    return text;
}

QString problems(const LoadResult &result)
{
    return result ? QString() : describe(result.error());
}

std::string sourceDir()
{
    const QByteArray dir = qgetenv("ENVSYNC_SOURCE_DIR");
    if (!dir.isEmpty())
        return dir.toStdString();
    return QFileInfo(QFINDTESTDATA("../../resources/envsync.example.yaml"))
            .dir()
            .absoluteFilePath(QStringLiteral(".."))
            .toStdString();
}

std::string examplePath()
{
    return sourceDir() + "/resources/envsync.example.yaml";
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT
private slots:
    void baseConfigIsValid()
    {
        const LoadResult result = parseConfig(baseConfig, "base.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");

        auto row = [](const char *name, const std::string &yaml, int line, int column,
                      const char *path, const char *message) {
            QTest::newRow(name) << QString::fromStdString(yaml) << line << column
                                << QString::fromUtf8(path) << QString::fromUtf8(message);
        };

        // --- YAML itself
        row("syntax: unterminated flow mapping", withLine(3, "golden: { dsn: \"service=golden\""),
            4, 1, "", "malformed YAML");
        row("syntax: tab indentation", withLine(7, "\ttimezone: Europe/Berlin"), 7, 2, "",
            "tabs are not allowed");
        row("syntax: unknown alias", withLine(7, "    timezone: *zone"), 7, 15, "",
            "malformed YAML");
        // yaml-cpp's LoadAll() loops forever on this one (a stray "," starting a document).
        row("syntax: stray comma after a mapping", withExtra(", 60s, 90m\n"), 9, 1, "",
            "malformed YAML: end of map not found");
        row("syntax: stray comma at document start", "# settings\n, 60s, 90m\n" + baseConfig, 2, 1,
            "", "malformed YAML: unexpected \",\" where a value should start");
        row("syntax: stray comma in second document", withExtra("---\n, x\n"), 10, 1, "",
            "malformed YAML: unexpected \",\"");
        row("config in a later document", "---\n---\n" + baseConfig, 3, 1, "",
            "must be in the first YAML document");
        row("leading document marker is fine but second config is not",
            "---\n" + baseConfig + "---\n" + baseConfig, 11, 1, "", "only one YAML document");
        row("empty file", "", 1, 1, "", "the file is empty");
        row("only comments", "# nothing here\n\n", 1, 1, "", "the file is empty");
        row("top level is a list", "- version: 1\n", 1, 1, "", "the top level must be a mapping");
        row("top level is a scalar", "hello\n", 1, 1, "", "got \"hello\"");
        row("second document", withExtra("---\nversion: 1\n"), 10, 1, "", "only one YAML document");
        row("NUL byte", withLine(7, std::string("    timezone: Eu\0rope", 21)), 7, 17, "",
            "NUL byte");

        // --- keys
        row("unknown key with suggestion", withLine(7, "    timezne: Europe/Berlin"), 7, 5,
            "regions[0].timezne", "unknown key \"timezne\" (did you mean \"timezone\"?)");
        row("unknown top-level key", withExtra("frobnicate: 1\n"), 9, 1, "frobnicate",
            "expected one of: version, source");
        row("merge key", withExtra("<<: {}\n"), 9, 1, "<<", "merge keys are not supported");
        row("duplicate key in region", withLine(7, "    dsn: \"service=qa-eu2\""), 7, 5,
            "regions[0].dsn", "duplicate key \"dsn\" (first at line 6)");
        row("duplicate top-level key", withExtra("version: 1\n"), 9, 1, "version",
            "duplicate key \"version\"");
        row("duplicate key in flow mapping", withLine(2, "source: { dsn: a, dsn: b }"), 2, 19,
            "source.dsn", "duplicate key \"dsn\"");
        row("missing version", withLine(1, "# no version"), 2, 1, "",
            "missing required key \"version\"");
        row("missing source dsn", withLine(2, "source: { name: prod }"), 2, 9, "source",
            "missing required key \"dsn\"");
        row("empty source dsn", withLine(2, "source: { name: prod, dsn: }"), 2, 23, "source.dsn",
            "missing value for required key \"dsn\"");
        row("missing region name", withLine(5, "  - owner: me"), 5, 5, "regions[0]",
            "missing required key \"name\"");
        row("missing window duration",
            withLine(8, "    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO\", start: \"02:00\" }"), 8, 13,
            "regions[0].window", "missing required key \"duration\"");
        row("missing regions", "version: 1\nsource: { dsn: a }\ngolden: { dsn: b }\n", 1, 1, "",
            "missing required key \"regions\"");

        // --- types
        row("mapping where a scalar belongs", withLine(7, "    timezone: { zone: x }"), 7, 15,
            "regions[0].timezone", "expected a single value, got a mapping");
        row("keep: many", withLine(3, "golden: { dsn: \"service=golden\", keep: many }"), 3, 40,
            "golden.keep", "expected a whole number, got \"many\"");
        row("production: maybe",
            withLine(2, "source: { name: prod, dsn: \"service=prod\", production: maybe }"), 2, 56,
            "source.production", "expected true or false, got \"maybe\"");
        const std::string head = "version: 1\nsource: { dsn: a }\ngolden: { dsn: b }\n";
        row("regions is a scalar", head + "regions: eu\n", 4, 10, "regions",
            "expected a list, got \"eu\"");
        row("regions is empty", head + "regions: []\n", 4, 10, "regions",
            "at least one region is required");
        row("regions is null", head + "regions:\n", 4, 1, "regions",
            "missing value for required key \"regions\"");
        row("empty list item", withExtra("  -\n"), 9, 3, "regions[1]",
            "expected a mapping (key: value), got an empty value");
        row("hooks.pre is a scalar", withExtra("    hooks: { pre: \"VACUUM\" }\n"), 9, 19,
            "regions[0].hooks.pre", "expected a list");
        row("huge number",
            withLine(3, "golden: { dsn: \"service=golden\", keep: 99999999999999999999999 }"), 3,
            40, "golden.keep", "must be at most 1000");
        row("non-positive keep", withLine(3, "golden: { dsn: \"service=golden\", keep: 0 }"), 3, 40,
            "golden.keep", "must be at least 1, got 0");
        row("negative max_parallel_reads",
            withLine(2, "source: { dsn: \"service=prod\", max_parallel_reads: -1 }"), 2, 52,
            "source.max_parallel_reads", "must be at least 1");
        row("zero max_parallel_refreshes",
            withLine(3, "golden: { dsn: \"service=golden\", max_parallel_refreshes: 0 }"), 3, 58,
            "golden.max_parallel_refreshes", "must be at least 1");
        row("version 2", withLine(1, "version: 2"), 1, 10, "version",
            "unsupported config version 2");
        row("version is text", withLine(1, "version: one"), 1, 10, "version",
            "expected a whole number");

        // --- regions
        row("duplicate region name", withExtra("  - name: eu\n    dsn: \"service=qa-eu2\"\n"), 9,
            11, "regions[1].name", "duplicate region name \"eu\" (first defined at line 5)");
        row("invalid region name", withLine(5, "  - name: EU West"), 5, 11, "regions[0].name",
            "invalid region name \"EU West\"");
        row("unknown time zone", withLine(7, "    timezone: Europe/Berln"), 7, 15,
            "regions[0].timezone",
            "unknown time zone \"Europe/Berln\" (did you mean \"Europe/Berlin\"?)");
        row("bad duration unit",
            withLine(8, "    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO\", start: \"02:00\", "
                        "duration: 3x }"),
            8, 72, "regions[0].window.duration", "unknown unit \"x\"");
        row("duration without unit", withExtra("    freshness_sla: 60\n"), 9, 20,
            "regions[0].freshness_sla", "missing unit after 60");
        row("zero duration", withExtra("timeouts: { connect: 0s }\n"), 9, 22, "timeouts.connect",
            "longer than 0s");
        row("sub-second duration", withExtra("cdc: { heartbeat: 500ms }\n"), 9, 19, "cdc.heartbeat",
            "whole number of seconds");
        row("RRULE unknown BYDAY",
            withLine(8, "    window: { rrule: \"FREQ=WEEKLY;BYDAY=XX\", start: \"02:00\", "
                        "duration: 3h }"),
            8, 22, "regions[0].window.rrule", "unknown BYDAY value \"XX\"");
        row("RRULE unknown part",
            withLine(8, "    window: { rrule: \"FREQ=WEEKLY;BYDYA=MO\", start: \"02:00\", "
                        "duration: 3h }"),
            8, 22, "regions[0].window.rrule",
            "unknown RRULE part \"BYDYA\" (did you mean \"BYDAY\"?)");
        row("RRULE unknown FREQ",
            withLine(8, "    window: { rrule: \"FREQ=FORTNIGHTLY\", start: \"02:00\", "
                        "duration: 3h }"),
            8, 22, "regions[0].window.rrule", "unknown FREQ \"FORTNIGHTLY\"");
        row("RRULE without FREQ",
            withLine(8, "    window: { rrule: \"BYDAY=MO\", start: \"02:00\", duration: 3h }"), 8,
            22, "regions[0].window.rrule", "RRULE has no FREQ");
        row("RRULE that never occurs",
            withLine(8, "    window: { rrule: \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\", "
                        "start: \"02:00\", duration: 3h }"),
            8, 22, "regions[0].window.rrule", "can never occur");
        row("RRULE BYHOUR out of range",
            withLine(8, "    window: { rrule: \"FREQ=DAILY;BYHOUR=24\", start: \"02:00\", "
                        "duration: 3h }"),
            8, 22, "regions[0].window.rrule", "BYHOUR value 24 out of range");
        row("start time 24:00",
            withLine(8, "    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO\", start: \"24:00\", "
                        "duration: 3h }"),
            8, 53, "regions[0].window.start", "invalid start time \"24:00\"");
        row("start time without colon",
            withLine(8, "    window: { rrule: \"FREQ=WEEKLY;BYDAY=MO\", start: 200, "
                        "duration: 3h }"),
            8, 53, "regions[0].window.start", "expected HH:MM");
        row("preserve is not schema.table", withExtra("    preserve: [feature_flags]\n"), 9, 16,
            "regions[0].preserve[0]", "is not schema.table");

        // --- DSNs
        row("malformed DSN", withLine(6, "    dsn: \"host=db1 nonsense\""), 6, 10, "regions[0].dsn",
            "malformed DSN");
        row("empty DSN", withLine(6, "    dsn: \"  \""), 6, 10, "regions[0].dsn",
            "DSN must not be empty");
        row("password in DSN", withLine(6, "    dsn: \"host=db1 dbname=eu password=hunter2\""), 6,
            10, "regions[0].dsn", "passwords never go into the config: use PGPASSFILE");
        row("sslpassword in DSN",
            withLine(6, "    dsn: \"host=db1 dbname=eu sslkey=/k.pem sslpassword=hunter2\""), 6, 10,
            "regions[0].dsn", "passwords never go into the config: use PGPASSFILE");
        row("sslpassword in URI",
            withLine(2, "source: { dsn: \"postgresql://db1/prod?sslpassword=hunter2\" }"), 2, 16,
            "source.dsn", "passwords never go into the config");
        row("password in URI",
            withLine(2, "source: { dsn: \"postgresql://app:hunter2@db1/prod\" }"), 2, 16,
            "source.dsn", "passwords never go into the config");
        row("region on the source database", withLine(6, "    dsn: \"service=prod\""), 6, 10,
            "regions[0].dsn", "same database as the source");
        row("region on the golden database", withLine(6, "    dsn: \"service=golden\""), 6, 10,
            "regions[0].dsn", "same database as golden");
        row("two regions on one database", withExtra("  - name: us\n    dsn: \"service=qa-eu\"\n"),
            10, 10, "regions[1].dsn", "same database as region \"eu\" (line 6)");
        row("golden on the source database", withLine(3, "golden: { dsn: \"service=prod\" }"), 3,
            16, "golden.dsn", "golden points at the same database as the source");

        // --- blackouts
        row("blackout from after to",
            withExtra("blackouts: [ { from: 2027-01-04, to: 2026-12-21 } ]\n"), 9, 38,
            "blackouts[0].to", "blackout ends (2026-12-21) before it starts (2027-01-04)");
        row("blackout impossible date",
            withExtra("blackouts: [ { from: 2026-02-30, to: 2026-03-01 } ]\n"), 9, 22,
            "blackouts[0].from", "invalid date \"2026-02-30\"");
        row("blackout missing to", withExtra("blackouts:\n  - from: 2026-02-01\n"), 10, 5,
            "blackouts[0]", "missing required key \"to\"");
        row("blackout unknown region",
            withExtra("blackouts:\n  - { from: 2026-12-21, to: 2027-01-04, regions: [eu, ue] }\n"),
            10, 55, "blackouts[0].regions[1]", "unknown region \"ue\" (did you mean \"eu\"?)");

        // --- masking
        row("literal salt", withExtra("masking:\n  salt: \"pepper\"\n"), 10, 9, "masking.salt",
            "a literal salt is refused");
        row("salt with env and keychain",
            withExtra("masking:\n  salt: { env: SALT, keychain: envsync }\n"), 10, 22,
            "masking.salt.keychain", "either env or keychain, not both");
        row("salt env name invalid", withExtra("masking:\n  salt: { env: \"1-salt\" }\n"), 10, 16,
            "masking.salt.env", "invalid environment variable name");
        row("bad unclassified", withExtra("masking:\n  unclassified: mask\n"), 10, 17,
            "masking.unclassified", "invalid value \"mask\" (expected fail, keep or null)");
        row("unknown transform",
            withExtra("masking:\n  rules:\n    - { column: public.customers.email, transform: "
                      "emial }\n"),
            11, 52, "masking.rules[0].transform",
            "unknown transform \"emial\" (did you mean \"email\"?)");
        row("column is not schema.table.column",
            withExtra("masking:\n  rules:\n    - { column: customers.email, transform: email }\n"),
            11, 17, "masking.rules[0].column", "\"customers.email\" is not schema.table.column");
        row("keep column is not schema.table.column",
            withExtra("masking:\n  keep: [public..name]\n"), 10, 17, "masking.keep[0]",
            "\"public..name\" is not schema.table.column: empty name");
        row("typo in rule key",
            withExtra("masking:\n  rules:\n    - { column: public.t.c, transform: hash, uniqe: "
                      "true }\n"),
            11, 46, "masking.rules[0].uniqe", "did you mean \"unique\"?");
        row("duplicate rule for a column",
            withExtra("masking:\n  rules:\n    - { column: public.t.c, transform: hash }\n"
                      "    - { column: public.t.c, transform: null }\n"),
            12, 17, "masking.rules[1].column", "already has a rule (line 11)");
        row("same column, other spelling",
            withExtra("masking:\n  rules:\n    - { column: public.t.c, transform: hash }\n"
                      "    - { column: Public.\"t\".C, transform: null }\n"),
            12, 17, "masking.rules[1].column", "already has a rule (line 11)");
        row("misplaced quote in a column",
            withExtra("masking:\n  rules:\n    - { column: public.b\"x\".c, transform: hash }\n"),
            11, 25, "masking.rules[0].column", "is not schema.table.column: misplaced quote");
        row("unterminated quote, YAML-quoted value",
            withExtra("masking:\n  keep: [ 'public.\"t.c' ]\n"), 10, 19, "masking.keep[0]",
            "unterminated quoted identifier");
        row("transform parameter is a list",
            withExtra("masking:\n  rules:\n    - { column: public.t.c, transform: dictionary, "
                      "words: [a, b] }\n"),
            11, 59, "masking.rules[0].words", "must be a single value, not a list");
        row("rule unique is not a boolean",
            withExtra("masking:\n  rules:\n    - { column: public.t.c, transform: hash, unique: "
                      "sometimes }\n"),
            11, 54, "masking.rules[0].unique", "expected true or false");

        // --- other sections
        row("slot name with upper case", withExtra("cdc: { slot: EnvSync }\n"), 9, 14, "cdc.slot",
            "invalid name \"EnvSync\"");
        row("publication name with a quote", withExtra("cdc: { publication: \"a\\\"b\" }\n"), 9,
            21, "cdc.publication", "invalid name");
        row("size without number", withExtra("cdc: { max_retained_wal: GB }\n"), 9, 26,
            "cdc.max_retained_wal", "expected a size");
        row("unknown size unit", withExtra("cdc: { max_retained_wal: 10XB }\n"), 9, 26,
            "cdc.max_retained_wal", "unknown size unit \"XB\"");
        row("zero size", withExtra("cdc: { max_retained_wal: 0GB }\n"), 9, 26,
            "cdc.max_retained_wal", "size must be positive");
        row("size overflows", withExtra("cdc: { max_retained_wal: 99999999999TB }\n"), 9, 26,
            "cdc.max_retained_wal", "size out of range");
        row("zero batch", withExtra("cdc: { batch: 0 }\n"), 9, 15, "cdc.batch",
            "must be at least 1");
        row("schema listed twice", withExtra("cdc: { schemas: [public, PUBLIC] }\n"), 9, 26,
            "cdc.schemas[1]", "schema \"PUBLIC\" is listed twice");
        row("schema with a dot", withExtra("cdc: { schemas: [a.b] }\n"), 9, 19, "cdc.schemas[0]",
            "too many dots");
        row("unknown conflict policy", withExtra("    conflicts: source-wins\n"), 9, 16,
            "regions[0].conflicts", "source_wins");
        row("region cdc not a boolean", withExtra("    cdc: sometimes\n"), 9, 10,
            "regions[0].cdc", "expected true or false");
        row("unknown cdc plugin", withExtra("cdc: { plugin: decoderbufs }\n"), 9, 16, "cdc.plugin",
            "expected pgoutput or wal2json");
        row("service listen without port",
            withExtra("services:\n  - { name: pay, listen: \"127.0.0.1\" }\n"), 10, 26,
            "services[0].listen", "expected host:port");
        row("service upstream not http",
            withExtra("services:\n  - { name: pay, upstream: \"ftp://x\" }\n"), 10, 28,
            "services[0].upstream", "expected an http:// or https:// URL");
        row("service region unknown",
            withExtra("services:\n  - { name: pay, region: ue }\n"), 10, 26,
            "services[0].region", "unknown region \"ue\" (did you mean \"eu\"?)");
        row("service mask rule names no field",
            withExtra("services:\n  - { name: pay, mask: [ { transform: email } ] }\n"), 10, 26,
            "services[0].mask[0]", "a mask rule names a field");
        row("service mask rule names two fields",
            withExtra("services:\n  - { name: pay, mask: [ { json: $.a, header: X-A, "
                      "transform: email } ] }\n"),
            10, 39, "services[0].mask[0].header", "give one of json, header or query");
        row("service mask path without $",
            withExtra("services:\n  - { name: pay, mask: [ { json: \"customer.email\", "
                      "transform: email } ] }\n"),
            10, 35, "services[0].mask[0].json", "a JSON path starts with \"$\"");
        row("service mask path with a filter",
            withExtra("services:\n  - { name: pay, mask: [ { json: \"$.a[?(@.b)]\", "
                      "transform: email } ] }\n"),
            10, 39, "services[0].mask[0].json", "filters are not supported");
        row("service mask unknown transform",
            withExtra("services:\n  - { name: pay, mask: [ { query: email, transform: emial } ] "
                      "}\n"),
            10, 53, "services[0].mask[0].transform", "(did you mean \"email\"?)");
        row("service mask on a secret header",
            withExtra("services:\n  - { name: pay, mask: [ { header: X-Api-Key, transform: "
                      "hash } ] }\n"),
            10, 36, "services[0].mask[0].header", "is a secret header");
        row("service keep path bad",
            withExtra("services:\n  - { name: pay, keep: [ \"$.a..\" ] }\n"), 10, 32,
            "services[0].keep[0]", "expected a member name");
        row("service keep path also masked",
            withExtra("services:\n  - { name: pay, mask: [ { json: $.email, transform: email } ], "
                      "keep: [ $.email ] }\n"),
            10, 73, "services[0].keep[0]", "both kept and masked");
        row("service records a secret header",
            withExtra("services:\n  - { name: pay, record_headers: [ Accept, Authorization ] }\n"),
            10, 44, "services[0].record_headers[1]", "\"Authorization\" is a secret header");
        row("service records a bad header name",
            withExtra("services:\n  - { name: pay, record_headers: [ \"Content Type\" ] }\n"),
            10, 36, "services[0].record_headers[0]", "invalid header name");
        row("service records a header twice",
            withExtra("services:\n  - { name: pay, record_headers: [ Accept, accept ] }\n"),
            10, 44, "services[0].record_headers[1]", "is listed twice");
        row("drift ignore typo", withExtra("drift: { ignore: { schema: [x] } }\n"), 9, 20,
            "drift.ignore.schema", "did you mean \"schemas\"?");
        row("timeouts is a list", withExtra("timeouts: [5s]\n"), 9, 11, "timeouts",
            "expected a mapping");
    }

    void rejectsBadInput()
    {
        QFETCH(QString, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, path);
        QFETCH(QString, message);

        const LoadResult result = parseConfig(yaml.toStdString(), "bad.yaml");
        QVERIFY2(!result.has_value(), "the config was accepted");
        const std::vector<Diagnostic> &diagnostics = result.error();
        QVERIFY(!diagnostics.empty());
        const auto match = std::ranges::find_if(diagnostics, [&](const Diagnostic &d) {
            return d.line == line && d.column == column && QString::fromStdString(d.path) == path
                   && QString::fromStdString(d.message).contains(message);
        });
        QVERIFY2(match != diagnostics.end(),
                 qPrintable(QStringLiteral("expected bad.yaml:%1:%2: %3: ...%4...\ngot:\n%5")
                                    .arg(line)
                                    .arg(column)
                                    .arg(path, message, describe(diagnostics))));
        for (const Diagnostic &diagnostic : diagnostics) {
            QCOMPARE(diagnostic.file, std::string("bad.yaml"));
            QVERIFY(!diagnostic.message.empty());
        }
    }

    void rejectsBadRRules_data()
    {
        QTest::addColumn<QString>("rrule");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "empty RRULE";
        QTest::newRow("not NAME=VALUE") << "FREQ=DAILY;WEEKLY"
                                        << "is not NAME=VALUE";
        QTest::newRow("stray semicolon") << "FREQ=DAILY;"
                                         << "stray \";\"";
        QTest::newRow("part twice") << "FREQ=DAILY;FREQ=WEEKLY"
                                    << "FREQ appears twice";
        QTest::newRow("lower-case day") << "FREQ=WEEKLY;BYDAY=xx"
                                        << "unknown BYDAY value \"XX\"";
        QTest::newRow("ordinal on WEEKLY") << "FREQ=WEEKLY;BYDAY=1MO"
                                           << "needs FREQ=MONTHLY";
        QTest::newRow("ordinal too big") << "FREQ=MONTHLY;BYDAY=54MO"
                                         << "ordinal out of range";
        QTest::newRow("interval zero") << "FREQ=DAILY;INTERVAL=0"
                                       << "INTERVAL must be a positive";
        QTest::newRow("count and until") << "FREQ=DAILY;COUNT=3;UNTIL=20270101"
                                         << "COUNT and UNTIL cannot both";
        QTest::newRow("bad until") << "FREQ=DAILY;UNTIL=20270230"
                                   << "invalid UNTIL";
        QTest::newRow("BYWEEKNO monthly") << "FREQ=MONTHLY;BYWEEKNO=3"
                                          << "BYWEEKNO needs";
        QTest::newRow("BYMONTHDAY weekly") << "FREQ=WEEKLY;BYMONTHDAY=3"
                                           << "BYMONTHDAY cannot";
        QTest::newRow("BYMONTH 13") << "FREQ=YEARLY;BYMONTH=13"
                                    << "BYMONTH value 13 out of range";
        QTest::newRow("empty list value") << "FREQ=WEEKLY;BYDAY=MO,,TU"
                                          << "empty value in BYDAY";
        QTest::newRow("bad WKST") << "FREQ=WEEKLY;WKST=XY"
                                  << "invalid WKST";
        QTest::newRow("BYSETPOS alone") << "FREQ=MONTHLY;BYSETPOS=1"
                                        << "BYSETPOS needs";
        QTest::newRow("FREQ typo") << "FREQ=WEEKYL"
                                   << "did you mean \"WEEKLY\"";
    }

    void rejectsBadRRules()
    {
        QFETCH(QString, rrule);
        QFETCH(QString, message);
        const std::string yaml = withLine(8, "    window: { rrule: \"" + rrule.toStdString()
                                                     + "\", start: \"02:00\", duration: 3h }");
        const LoadResult result = parseConfig(yaml, "rrule.yaml");
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().size(), std::size_t(1));
        const Diagnostic &diagnostic = result.error().front();
        QCOMPARE(diagnostic.line, 8);
        QCOMPARE(diagnostic.column, 22);
        QCOMPARE(diagnostic.path, std::string("regions[0].window.rrule"));
        QVERIFY2(QString::fromStdString(diagnostic.message).contains(message),
                 diagnostic.message.c_str());
    }

    void reportsEveryProblemInFileOrder()
    {
        // Sections are read in schema order (masking after regions), but problems come out
        // sorted by position, and none hides another.
        const std::string yaml = "masking: { unclassified: maybe }\n"
                                 "version: 3\n"
                                 "golden: { dsn: \"service=golden\", keep: 0 }\n"
                                 "regions:\n"
                                 "  - name: eu\n"
                                 "    dsn: \"service=qa-eu\"\n"
                                 "    timezone: Mars/Olympus\n"
                                 "    colour: red\n";
        const LoadResult result = parseConfig(yaml, "many.yaml");
        QVERIFY(!result.has_value());
        const std::vector<Diagnostic> &d = result.error();
        QCOMPARE(d.size(), std::size_t(6));
        QCOMPARE(d[0].format(), std::string("many.yaml:1:1: missing required key \"source\""));
        QCOMPARE(d[1].path, std::string("masking.unclassified"));
        QCOMPARE(d[2].path, std::string("version"));
        QCOMPARE(d[3].path, std::string("golden.keep"));
        QCOMPARE(d[4].path, std::string("regions[0].timezone"));
        QCOMPARE(d[5].path, std::string("regions[0].colour"));
        for (std::size_t i = 1; i < d.size(); ++i)
            QVERIFY(std::tie(d[i - 1].line, d[i - 1].column) <= std::tie(d[i].line, d[i].column));
    }

    void neverEchoesPasswords()
    {
        const std::string yaml = withLine(6, "    dsn: \"postgresql://u:s3cr%zzet@db1/eu\"");
        const LoadResult result = parseConfig(yaml, "pw.yaml");
        QVERIFY(!result.has_value());
        for (const Diagnostic &diagnostic : result.error())
            QVERIFY2(diagnostic.format().find("s3cr") == std::string::npos,
                     diagnostic.format().c_str());
    }

    void loadsExampleFile()
    {
        const LoadResult result = loadConfigFile(examplePath());
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        const Config &config = *result;
        QVERIFY(QFileInfo(QString::fromStdString(config.path)).isAbsolute());
        QCOMPARE(config.version, 1);
        QCOMPARE(config.source.name, std::string("prod"));
        QCOMPARE(config.source.dsn, std::string("service=prod"));
        QCOMPARE(config.source.production, true);
        QCOMPARE(config.source.maxParallelReads, 2);
        QCOMPARE(config.golden.keep, 5);
        QCOMPARE(config.regions.size(), std::size_t(3));

        const auto *eu = config.findRegion("eu");
        QVERIFY(eu);
        QCOMPARE(eu->timezone, std::string("Europe/Berlin"));
        QVERIFY(eu->window.has_value());
        QCOMPARE(eu->window->rrule, std::string("FREQ=WEEKLY;BYDAY=MO"));
        QCOMPARE(eu->window->startMinutes, 120);
        QCOMPARE(eu->window->duration, std::chrono::seconds(3h));
        QCOMPARE(eu->freshnessSla, std::chrono::seconds(7 * 24h));
        QCOMPARE(eu->owner, std::string("qa-eu@example.com"));
        QCOMPARE(eu->preserve, std::vector<std::string>{"public.feature_flags"});
        QCOMPARE(eu->hooks.pre.size(), std::size_t(1));
        QCOMPARE(eu->hooks.post.size(), std::size_t(1));
        QVERIFY(eu->location.line > 0);

        const auto *us = config.findRegion("us");
        QVERIFY(us && us->window);
        QCOMPARE(us->window->duration, std::chrono::seconds(90min));
        QCOMPARE(us->window->startMinutes, 90);
        QCOMPARE(us->freshnessSla, std::chrono::seconds(3 * 24h));
        const auto *apac = config.findRegion("apac");
        QVERIFY(apac && apac->window);
        QCOMPARE(apac->window->startMinutes, 23 * 60);

        QCOMPARE(config.blackouts.size(), std::size_t(2));
        QCOMPARE(config.blackouts[0].from, std::string("2026-12-21"));
        QCOMPARE(config.blackouts[0].to, std::string("2027-01-04"));
        QCOMPARE(config.blackouts[0].regions, (std::vector<std::string>{"eu", "us"}));
        QVERIFY(config.blackouts[1].regions.empty());

        QCOMPARE(config.masking.salt.kind, envsync::config::SaltSource::Kind::Environment);
        QCOMPARE(config.masking.salt.name, std::string("ENVSYNC_MASK_SALT"));
        QCOMPARE(config.masking.unclassified, UnclassifiedPolicy::Fail);
        QCOMPARE(config.masking.keep, std::vector<std::string>{"public.products.name"});
        QCOMPARE(config.masking.rules.size(), std::size_t(4));
        QCOMPARE(config.masking.rules[0].transform, std::string("email"));
        QCOMPARE(config.masking.rules[0].unique, true);
        QCOMPARE(config.masking.rules[2].params.at("days"), std::string("30"));
        QCOMPARE(config.masking.rules[3].params.at("keep_last"), std::string("4"));

        QCOMPARE(config.cdc.plugin, std::string("pgoutput"));
        QCOMPARE(config.cdc.maxLag, std::chrono::seconds(60));
        QCOMPARE(config.cdc.heartbeat, std::chrono::seconds(10));
        QCOMPARE(config.cdc.schemas, std::vector<std::string>{"public"});
        QCOMPARE(config.cdc.maxRetainedWal, std::int64_t(10) * 1024 * 1024 * 1024);
        QCOMPARE(config.cdcSpoolPath(),
                 (std::filesystem::path(examplePath()).parent_path() / "cdc-spool")
                         .lexically_normal()
                         .string());
        QVERIFY(eu->cdc);
        QCOMPARE(config.services.size(), std::size_t(1));
        QCOMPARE(config.services[0].listen, std::string("127.0.0.1:18081"));
        QCOMPARE(config.services[0].mappings, std::string("virt/payments-eu/"));
        QCOMPARE(config.driftIgnore.kinds, std::vector<std::string>{"comment"});
        QCOMPARE(config.timeouts.connect, std::chrono::seconds(5));
        QCOMPARE(config.timeouts.statement, std::chrono::seconds(300));
    }

    void readsServiceSettings()
    {
        const LoadResult result = parseConfig(
                withExtra("services:\n"
                          "  - name: payments-eu\n"
                          "    region: eu\n"
                          "    upstream: \"http://127.0.0.1:9000\"\n"
                          "    mappings: virt/payments-eu\n"
                          "    mask:\n"
                          "      - { json: \"$.customers[*].email\", transform: email, unique: "
                          "true }\n"
                          "      - { header: X-Customer-Phone, transform: phone }\n"
                          "      - { query: iban, transform: partial, keep_last: 4 }\n"
                          "    keep: [ \"$..country\", \"$['odd key'][0]\" ]\n"
                          "    record_headers: [ Accept, X-Region ]\n"
                          "  - { name: tax-us }\n"),
                "/etc/envsync/services.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        QCOMPARE(result->services.size(), std::size_t(2));
        const auto *payments = result->findService("payments-eu");
        QVERIFY(payments);
        QCOMPARE(payments->region, std::string("eu"));
        QCOMPARE(payments->mask.size(), std::size_t(3));
        using Target = envsync::config::ServiceMaskRule::Target;
        QCOMPARE(payments->mask[0].target, Target::Json);
        QCOMPARE(payments->mask[0].selector, std::string("$.customers[*].email"));
        QVERIFY(payments->mask[0].unique);
        QCOMPARE(payments->mask[0].location.line, 15);
        QCOMPARE(payments->mask[1].target, Target::Header);
        QCOMPARE(payments->mask[1].transform, std::string("phone"));
        QCOMPARE(payments->mask[2].target, Target::Query);
        QCOMPARE(payments->mask[2].params.at("keep_last"), std::string("4"));
        QCOMPARE(payments->keep,
                 (std::vector<std::string>{"$..country", "$['odd key'][0]"}));
        QCOMPARE(payments->recordHeaders, (std::vector<std::string>{"Accept", "X-Region"}));
        QCOMPARE(result->serviceMappingsPath(*payments),
                 std::string("/etc/envsync/virt/payments-eu"));
        const auto *tax = result->findService("tax-us");
        QVERIFY(tax);
        QVERIFY(tax->region.empty());
        QVERIFY(tax->mask.empty());
        QCOMPARE(tax->recordHeaders, std::vector<std::string>{"Content-Type"});
    }

    void appliesDefaults()
    {
        const std::string yaml = "version: 1\n"
                                 "source: { dsn: \"service=prod\" }\n"
                                 "golden: { dsn: \"service=golden\" }\n"
                                 "regions: [ { name: eu, dsn: \"service=qa-eu\" } ]\n"
                                 "cdc:\n"
                                 "masking: { keep: }\n";
        const LoadResult result = parseConfig(yaml, "defaults.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        const Config &config = *result;
        QCOMPARE(config.source.name, std::string("source"));
        QCOMPARE(config.source.production, true);
        QCOMPARE(config.source.maxParallelReads, 1);
        QCOMPARE(config.golden.keep, 5);
        QCOMPARE(config.golden.maxParallelRefreshes, 1);
        QCOMPARE(config.regions.at(0).timezone, std::string("UTC"));
        QVERIFY(!config.regions.at(0).window.has_value());
        QCOMPARE(config.regions.at(0).freshnessSla, std::chrono::seconds(7 * 24h));
        QCOMPARE(config.masking.salt.kind, envsync::config::SaltSource::Kind::None);
        QCOMPARE(config.masking.unclassified, UnclassifiedPolicy::Fail);
        QCOMPARE(config.cdc.plugin, std::string("pgoutput"));
        QCOMPARE(config.cdc.maxLag, std::chrono::seconds(60));
        QCOMPARE(config.timeouts.connect, std::chrono::seconds(5));
        QCOMPARE(config.timeouts.statement, std::chrono::seconds(300));
        QVERIFY(config.blackouts.empty());
        QVERIFY(config.services.empty());
    }

    void readsCdcSettings()
    {
        const LoadResult result = parseConfig(
                withExtra("    conflicts: stop\n"
                          "  - { name: us, dsn: \"service=qa-us\", cdc: false }\n"
                          "  - { name: apac, dsn: \"service=qa-apac\", conflicts: skip }\n"
                          "cdc:\n"
                          "  spool: ../spool/cdc\n"
                          "  slot: estate_1\n"
                          "  publication: masked_pub\n"
                          "  schemas: [public, '\"Sales\"', Billing]\n"
                          "  max_retained_wal: 512MB\n"
                          "  batch: 20\n"),
                "/etc/envsync/estate.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        Config config = *result;
        QVERIFY(config.cdc.configured);
        QCOMPARE(config.cdc.slot, std::string("estate_1"));
        QCOMPARE(config.cdc.publication, std::string("masked_pub"));
        QCOMPARE(config.cdc.schemas, (std::vector<std::string>{"public", "Sales", "billing"}));
        QCOMPARE(config.cdc.maxRetainedWal, std::int64_t(512) * 1024 * 1024);
        QCOMPARE(config.cdc.batch, 20);
        QCOMPARE(config.findRegion("eu")->cdc, true);
        QCOMPARE(config.findRegion("eu")->conflicts, envsync::config::ConflictPolicy::Stop);
        QCOMPARE(config.findRegion("us")->cdc, false);
        QCOMPARE(config.findRegion("us")->conflicts, envsync::config::ConflictPolicy::SourceWins);
        QCOMPARE(config.findRegion("apac")->cdc, true);
        QCOMPARE(config.findRegion("apac")->conflicts, envsync::config::ConflictPolicy::Skip);
        // relative to the config file, not to the working directory
        config.path = "/etc/envsync/estate.yaml";
        QCOMPARE(config.cdcSpoolPath(), std::string("/etc/spool/cdc"));
        config.cdc.spool = "/var/lib/envsync/spool";
        QCOMPARE(config.cdcSpoolPath(), std::string("/var/lib/envsync/spool"));
    }

    void cdcDefaults_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::addColumn<bool>("configured");
        QTest::addColumn<bool>("euStreams");
        QTest::newRow("no cdc section") << "" << false << false;
        QTest::newRow("empty cdc section") << "cdc:\n" << true << true;
        QTest::newRow("cdc section") << "cdc: { heartbeat: 5s }\n" << true << true;
        QTest::newRow("region opts in without a section") << "    cdc: true\n" << false << true;
        QTest::newRow("region opts out")
                << "    cdc: false\ncdc: { heartbeat: 5s }\n" << true << false;
    }

    void cdcDefaults()
    {
        QFETCH(QString, extra);
        QFETCH(bool, configured);
        QFETCH(bool, euStreams);
        const LoadResult result = parseConfig(withExtra(extra.toStdString()), "cdc.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        QCOMPARE(result->cdc.configured, configured);
        QCOMPARE(result->findRegion("eu")->cdc, euStreams);
        QCOMPARE(result->findRegion("eu")->conflicts,
                 envsync::config::ConflictPolicy::SourceWins);
        QCOMPARE(result->cdc.spool, std::string("cdc-spool"));
        QCOMPARE(result->cdc.slot, std::string("envsync"));
        QCOMPARE(result->cdc.publication, std::string("envsync"));
        QVERIFY(result->cdc.schemas.empty());
        QCOMPARE(result->cdc.maxRetainedWal, std::int64_t(10) * 1024 * 1024 * 1024);
        QCOMPARE(result->cdc.batch, 500);
    }

    void parsesByteSizes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("bytes") << "1048576" << qint64(1048576);
        QTest::newRow("B") << "512B" << qint64(512);
        QTest::newRow("kB") << "64kB" << qint64(64 * 1024);
        QTest::newRow("MB") << "512MB" << qint64(512) * 1024 * 1024;
        QTest::newRow("GB lower case, space") << "10 gb" << qint64(10) * 1024 * 1024 * 1024;
        QTest::newRow("TB") << "2TB" << qint64(2) * 1024 * 1024 * 1024 * 1024;
    }

    void parsesByteSizes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        const auto parsed = envsync::config::parseByteSize(text.toStdString());
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().c_str());
        QCOMPARE(qint64(*parsed), bytes);
    }

    void parsesValues_data()
    {
        QTest::addColumn<QString>("extra");
        QTest::addColumn<qint64>("heartbeatSeconds");
        QTest::addColumn<int>("policy");
        QTest::newRow("plain seconds") << "cdc: { heartbeat: 45s }\n" << qint64(45) << 0;
        QTest::newRow("minutes and seconds") << "cdc: { heartbeat: 1m30s }\n" << qint64(90) << 0;
        QTest::newRow("weeks") << "cdc: { heartbeat: 2w }\n" << qint64(14 * 86400) << 0;
        QTest::newRow("whole-second ms") << "cdc: { heartbeat: 2000ms }\n" << qint64(2) << 0;
        QTest::newRow("literal null policy") << "masking: { unclassified: null }\n"
                                             << qint64(10) << 2;
        QTest::newRow("quoted null policy") << "masking: { unclassified: \"null\" }\n"
                                            << qint64(10) << 2;
        QTest::newRow("keep policy") << "masking: { unclassified: keep }\n" << qint64(10) << 1;
    }

    void parsesValues()
    {
        QFETCH(QString, extra);
        QFETCH(qint64, heartbeatSeconds);
        QFETCH(int, policy);
        const LoadResult result = parseConfig(withExtra(extra.toStdString()), "values.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        QCOMPARE(result->cdc.heartbeat.count(), heartbeatSeconds);
        QCOMPARE(static_cast<int>(result->masking.unclassified), policy);
    }

    void acceptsVariants_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::newRow("tz link Etc/UTC")
                << QString::fromStdString(withLine(7, "    timezone: Etc/UTC"));
        QTest::newRow("RRULE: prefix, lower case") << QString::fromStdString(
                withLine(8, "    window: { rrule: \"rrule:freq=daily\", start: \"0:05\", "
                            "duration: 30m }"));
        QTest::newRow("keychain salt") << QString::fromStdString(
                withExtra("masking: { salt: { keychain: envsync-salt } }\n"));
        QTest::newRow("quoted identifiers") << QString::fromStdString(
                withExtra("masking: { keep: ['\"my.schema\".\"Tab\".col'] }\n"));
        QTest::newRow("production: no") << QString::fromStdString(
                withLine(2, "source: { dsn: \"service=prod\", production: no }"));
        QTest::newRow("anchors and aliases") << QString::fromStdString(withExtra(
                "  - name: us\n    dsn: \"service=qa-us\"\n    owner: &team qa@example.com\n"
                "  - name: apac\n    dsn: \"service=qa-apac\"\n    owner: *team\n"));
        QTest::newRow("UTF-8 BOM") << QString::fromStdString("\xEF\xBB\xBF" + baseConfig);
        QTest::newRow("ipv6 listen") << QString::fromStdString(
                withExtra("services: [ { name: a, listen: \"[::1]:8080\" } ]\n"));
    }

    void acceptsVariants()
    {
        QFETCH(QString, yaml);
        const LoadResult result = parseConfig(yaml.toStdString(), "ok.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
    }

    void normalizesRRule()
    {
        const LoadResult result = parseConfig(
                withLine(8, "    window: { rrule: \" RRULE:freq=monthly;byday=1sa\", start: "
                            "\"02:00\", duration: 3h }"),
                "rrule.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        QCOMPARE(result->regions.at(0).window->rrule, std::string("FREQ=MONTHLY;BYDAY=1SA"));
    }

    /// preserve: references are read as PostgreSQL reads identifiers and kept in one spelling,
    /// which the refresh parses back the same way.
    void normalizesPreservedTables()
    {
        const LoadResult result = parseConfig(
                withExtra("    preserve: ['Public.\"Test Users\"', '\"Team.Ops\".Flags']\n"),
                "preserve.yaml");
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        QCOMPARE(result->regions.at(0).preserve,
                 (std::vector<std::string>{"public.\"Test Users\"", "\"Team.Ops\".flags"}));
    }

    void bomKeepsPositions()
    {
        const LoadResult result
                = parseConfig("\xEF\xBB\xBF" + withLine(7, "    timezone: Nowhere"), "bom.yaml");
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().at(0).line, 7);
        QCOMPARE(result.error().at(0).column, 15);
    }

    void fileOnDiskFormatsItsError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            std::ofstream out(dir.filePath(QStringLiteral("name.yaml")).toStdString());
            out << withLine(7, "    timezone: Europe/Berln");
        }
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        const LoadResult result = loadConfigFile("name.yaml");
        QVERIFY(QDir::setCurrent(previous));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().size(), std::size_t(1));
        QCOMPARE(result.error().front().format(),
                 std::string("name.yaml:7:15: regions[0].timezone: unknown time zone "
                             "\"Europe/Berln\" (did you mean \"Europe/Berlin\"?)"));
    }

    void validFileGetsAbsolutePath()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            std::ofstream out(dir.filePath(QStringLiteral("ok.yaml")).toStdString());
            out << baseConfig;
        }
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        const LoadResult result = loadConfigFile("./ok.yaml");
        QVERIFY(QDir::setCurrent(previous));
        QVERIFY2(result.has_value(), qPrintable(problems(result)));
        QCOMPARE(QString::fromStdString(result->path),
                 QDir(dir.path()).canonicalPath() + u"/ok.yaml");
    }

    void unreadableFile_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << "missing"
                                 << "No such file or directory";
        QTest::newRow("directory") << "directory"
                                   << "Is a directory";
        // Read without blocking and refused: a device or a FIFO is never a config.
        QTest::newRow("character device")
                << "/dev/null"
                << "not a regular file (a character device); a config is a YAML file";
        QTest::newRow("fifo") << "fifo"
                              << "not a regular file (a pipe); a config is a YAML file";
    }

    void unreadableFile()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::string path = dir.filePath(QStringLiteral("absent.yaml")).toStdString();
        if (kind == u"directory")
            path = dir.path().toStdString();
        else if (kind.startsWith(u'/'))
            path = kind.toStdString();
        else if (kind == u"fifo")
            QVERIFY(::mkfifo(path.c_str(), 0600) == 0);
        // No writer ever opens the FIFO: a loader that waited for one would hang the test.
        const LoadResult result = loadConfigFile(path);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().size(), std::size_t(1));
        const Diagnostic &diagnostic = result.error().front();
        QCOMPARE(diagnostic.line, 0);
        QCOMPARE(diagnostic.format(), path + ": cannot read: " + reason.toStdString());
    }

    void refusesWritableConfig_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("sharedGroup"); // the file's group: nogroup, not the owner's own
        QTest::addColumn<QString>("refusal");  // empty: accepted
        QTest::newRow("0644") << 0644 << false << "";
        QTest::newRow("0600") << 0600 << false << "";
        QTest::newRow("0400") << 0400 << false << "";
        // Debian's user private groups (umask 002, a clone or `git archive` gives 0664): the
        // group is the owner alone, so nobody else can write.
        QTest::newRow("group-writable, private group") << 0664 << false << "";
        QTest::newRow("group-writable, shared group")
                << 0664 << true
                << "is writable by its group (mode 0664) and its hooks run SQL: run "
                   "'chmod go-w' on it (or set ENVSYNC_ALLOW_WRITABLE_CONFIG=1 to accept it)";
        QTest::newRow("world-writable") << 0646 << false << "is writable by everyone (mode 0646)";
        QTest::newRow("both") << 0666 << true << "is writable by everyone (mode 0666)";
    }
    void refusesWritableConfig()
    {
        QFETCH(int, mode);
        QFETCH(bool, sharedGroup);
        QFETCH(QString, refusal);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(QStringLiteral("envsync.yaml")).toStdString();
        std::ofstream(path) << baseConfig;
        if (sharedGroup) {
            const group *shared = ::getgrnam("nogroup");
            QVERIFY(shared != nullptr);
            if (::chown(path.c_str(), static_cast<uid_t>(-1), shared->gr_gid) != 0)
                QSKIP("giving the file the shared group nogroup needs root (CI runs as root)");
        }
        QVERIFY(::chmod(path.c_str(), static_cast<mode_t>(mode)) == 0);
        const LoadResult result = loadConfigFile(path);
        if (refusal.isEmpty()) {
            QVERIFY2(result.has_value(), qPrintable(problems(result)));
            return;
        }
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().size(), std::size_t(1));
        const std::string message = result.error().front().format();
        QVERIFY2(message.starts_with(path + ": " + refusal.toStdString()), message.c_str());

        // The documented override accepts it (shared checkouts with a trusted group).
        qputenv("ENVSYNC_ALLOW_WRITABLE_CONFIG", "1");
        const LoadResult overridden = loadConfigFile(path);
        qunsetenv("ENVSYNC_ALLOW_WRITABLE_CONFIG");
        QVERIFY2(overridden.has_value(), qPrintable(problems(overridden)));
    }

    void diagnosticFormat()
    {
        QCOMPARE((Diagnostic{"envsync.yaml", 12, 7, "regions[1].window.rrule",
                             "unknown BYDAY value \"XX\""})
                         .format(),
                 std::string("envsync.yaml:12:7: regions[1].window.rrule: unknown BYDAY value "
                             "\"XX\""));
        QCOMPARE((Diagnostic{"a.yaml", 1, 1, "", "the file is empty"}).format(),
                 std::string("a.yaml:1:1: the file is empty"));
        QCOMPARE((Diagnostic{"a.yaml", 0, 0, "", "cannot read: x"}).format(),
                 std::string("a.yaml: cannot read: x"));
    }

    void schemaDescribesEveryKey()
    {
        QFile file(QString::fromStdString(sourceDir() + "/resources/config.schema.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = document.object();
        QCOMPARE(root.value(u"$schema").toString(),
                 QStringLiteral("https://json-schema.org/draft/2020-12/schema"));
        QCOMPARE(root.value(u"additionalProperties").toBool(true), false);
        const QJsonObject properties = root.value(u"properties").toObject();
        for (const char *key : {"version", "source", "golden", "regions", "blackouts", "masking",
                                "cdc", "services", "drift", "timeouts"})
            QVERIFY2(properties.contains(QLatin1String(key)), key);
        const QJsonArray transforms = properties.value(u"masking")
                                              .toObject()
                                              .value(u"properties")
                                              .toObject()
                                              .value(u"rules")
                                              .toObject()
                                              .value(u"items")
                                              .toObject()
                                              .value(u"properties")
                                              .toObject()
                                              .value(u"transform")
                                              .toObject()
                                              .value(u"enum")
                                              .toArray();
        QCOMPARE(transforms.size(), qsizetype(envsync::config::knownTransforms().size()));
        for (const std::string &transform : envsync::config::knownTransforms())
            QVERIFY(transforms.contains(QString::fromStdString(transform)));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
