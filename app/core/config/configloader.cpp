#include "core/config/configloader.h"

#include "core/config/documentscan.h"
#include "core/config/formats.h"
#include "core/config/jsonfieldpath.h"
#include "core/config/rrulecheck.h"
#include "core/config/secretheaders.h"
#include "core/config/suggest.h"
#include "core/config/yamlreader.h"
#include "core/db/dsn.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace envsync::config {

namespace {

/// Real configs are a few kilobytes; a limit keeps a wrong path (a log, a dump) from eating memory.
constexpr std::size_t maxFileSize = 4 * 1024 * 1024;

/// Far more than any estate has; keeps the pairwise "same database" check cheap.
constexpr std::size_t maxRegions = 1000;

const std::string passwordMessage
        = "passwords never go into the config: use PGPASSFILE, a service file or the keychain";

/// A DSN that parsed, kept for the checks across sections (two entries on one database).
struct DsnEntry
{
    db::Dsn dsn;
    YamlField field;
    std::string owner; ///< "the source", "golden", "region \"eu\""
};

/// What one validation run carries between sections.
struct Context
{
    YamlReader &reader;
    std::optional<DsnEntry> source;
    std::optional<DsnEntry> golden;
    std::vector<DsnEntry> regions;
    std::map<std::string, int, std::less<>> regionLines; ///< name → line of first definition
    std::vector<std::pair<YamlField, std::string>> blackoutRegions;
    std::map<std::size_t, bool> regionCdc; ///< region index → an explicit `cdc: true|false`
};

std::string lowerAscii(std::string_view text)
{
    std::string result(text);
    for (char &c : result) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return result;
}

/// When libpq cannot parse a DSN its message may quote part of it; if a password might be in
/// there, say only that passwords do not belong in the config.
bool mayContainPassword(std::string_view dsn)
{
    const std::string lower = lowerAscii(dsn);
    if (lower.find("password") != std::string::npos)
        return true;
    const std::size_t scheme = lower.find("://");
    if (scheme == std::string::npos)
        return false;
    const std::size_t at = lower.find('@', scheme + 3);
    return at != std::string::npos && lower.find(':', scheme + 3) < at;
}

std::optional<db::Dsn> readDsn(Context &ctx, const YamlField &field)
{
    const std::optional<std::string> text = ctx.reader.string(field);
    if (!text)
        return std::nullopt;
    if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
        ctx.reader.reportValue(field, "DSN must not be empty (e.g. \"service=prod\" or "
                                      "\"host=db1 dbname=app\")");
        return std::nullopt;
    }
    Result<db::Dsn> dsn = db::Dsn::parse(*text);
    if (!dsn) {
        ctx.reader.reportValue(field,
                               mayContainPassword(*text) ? passwordMessage : dsn.error().message);
        return std::nullopt;
    }
    if (dsn->hasPassword()) {
        ctx.reader.reportValue(field, passwordMessage);
        return std::nullopt;
    }
    return std::move(*dsn);
}

template<typename T>
void readCount(YamlReader &reader, const YamlField &field, T &target, long long max)
{
    if (const std::optional<long long> value = reader.integer(field, 1, max))
        target = static_cast<T>(*value);
}

void readDuration(YamlReader &reader, const YamlField &field, std::chrono::seconds &target)
{
    if (const std::optional<std::chrono::seconds> value = reader.duration(field))
        target = *value;
}

void readText(YamlReader &reader, const YamlField &field, std::string &target)
{
    if (std::optional<std::string> value = reader.string(field))
        target = std::move(*value);
}

std::vector<std::string> readTextList(YamlReader &reader, const YamlField &field)
{
    std::vector<std::string> values;
    for (auto &[item, text] : reader.stringList(field))
        values.push_back(std::move(text));
    return values;
}

/// Reports a malformed qualified name at the offending character of the value (yaml-cpp marks
/// count bytes; a quoted YAML scalar starts one byte after its mark).
void reportNameError(YamlReader &reader, const YamlField &field, const NameError &error)
{
    YAML::Mark mark = field.node.Mark();
    const int shift = static_cast<int>(error.offset) + (field.node.Tag() == "!" ? 1 : 0);
    mark.column += shift;
    mark.pos += shift;
    reader.report(mark, field.path, error.message);
}

/// schema.table (partCount 2) or schema.table.column (3) references, each checked as PostgreSQL
/// reads identifiers; returned in the canonical form (formatQualifiedName) so later comparisons
/// are exact and every reader parses them back the same way.
std::vector<std::string> readQualifiedNames(YamlReader &reader, const YamlField &field,
                                            std::size_t partCount)
{
    std::vector<std::string> names;
    for (auto &[item, text] : reader.stringList(field)) {
        const auto parts = parseQualifiedName(text, partCount);
        if (!parts) {
            reportNameError(reader, item, parts.error());
            continue;
        }
        names.push_back(formatQualifiedName(*parts));
    }
    return names;
}

void readSource(Context &ctx, const YamlField &field, SourceConfig &source)
{
    YamlReader &reader = ctx.reader;
    const auto map
            = reader.mapping(field, {"name", "dsn", "production", "max_parallel_reads"}, {"dsn"});
    if (!map)
        return;
    source.location = reader.location(field);
    readText(reader, map->get("name"), source.name);
    if (source.name.empty())
        reader.reportValue(map->get("name"), "name must not be empty");
    const YamlField dsnField = map->get("dsn");
    if (std::optional<db::Dsn> dsn = readDsn(ctx, dsnField)) {
        source.dsn = dsnField.node.Scalar();
        ctx.source.emplace(DsnEntry{std::move(*dsn), dsnField, "the source"});
    }
    if (const std::optional<bool> production = reader.boolean(map->get("production")))
        source.production = *production;
    readCount(reader, map->get("max_parallel_reads"), source.maxParallelReads, 256);
}

void readGolden(Context &ctx, const YamlField &field, GoldenConfig &golden)
{
    YamlReader &reader = ctx.reader;
    const auto map = reader.mapping(field, {"dsn", "keep", "max_parallel_refreshes"}, {"dsn"});
    if (!map)
        return;
    golden.location = reader.location(field);
    const YamlField dsnField = map->get("dsn");
    if (std::optional<db::Dsn> dsn = readDsn(ctx, dsnField)) {
        golden.dsn = dsnField.node.Scalar();
        ctx.golden.emplace(DsnEntry{std::move(*dsn), dsnField, "golden"});
    }
    readCount(reader, map->get("keep"), golden.keep, 1000);
    readCount(reader, map->get("max_parallel_refreshes"), golden.maxParallelRefreshes, 256);
}

void readWindow(Context &ctx, const YamlField &field, RegionConfig &region)
{
    YamlReader &reader = ctx.reader;
    const auto map
            = reader.mapping(field, {"rrule", "start", "duration"}, {"rrule", "start", "duration"});
    if (!map)
        return;
    WindowConfig window;
    window.location = reader.location(field);
    const YamlField rruleField = map->get("rrule");
    if (const std::optional<std::string> rrule = reader.string(rruleField)) {
        if (const auto valid = validateRRule(*rrule); !valid)
            reader.reportValue(rruleField, valid.error());
        window.rrule = normalizeRRule(*rrule);
    }
    const YamlField startField = map->get("start");
    if (const std::optional<std::string> start = reader.string(startField)) {
        if (const std::optional<int> minutes = parseTimeOfDay(*start))
            window.startMinutes = *minutes;
        else
            reader.reportValue(startField, "invalid start time " + YamlReader::quote(*start)
                                                   + " (expected HH:MM between 00:00 and 23:59)");
    }
    readDuration(reader, map->get("duration"), window.duration);
    region.window = std::move(window);
}

void readHooks(YamlReader &reader, const YamlField &field, HooksConfig &hooks)
{
    const auto map = reader.mapping(field, {"pre", "post"}, {});
    if (!map)
        return;
    for (const char *key : {"pre", "post"}) {
        std::vector<std::string> &target = std::string_view(key) == "pre" ? hooks.pre : hooks.post;
        for (auto &[item, sql] : reader.stringList(map->get(key))) {
            if (sql.find_first_not_of(" \t\r\n") == std::string::npos)
                reader.reportValue(item, "empty SQL statement");
            else
                target.push_back(std::move(sql));
        }
    }
}

void readRegion(Context &ctx, const YamlField &field, std::vector<RegionConfig> &regions)
{
    YamlReader &reader = ctx.reader;
    const auto map = reader.mapping(
            field,
            {"name", "dsn", "timezone", "window", "freshness_sla", "owner", "preserve", "hooks",
             "production", "cdc", "conflicts"},
            {"name", "dsn"});
    if (!map)
        return;
    RegionConfig region;
    region.location = reader.location(field);

    const YamlField nameField = map->get("name");
    if (const std::optional<std::string> name = reader.string(nameField)) {
        region.name = *name;
        if (!isValidRegionName(*name)) {
            reader.reportValue(nameField, "invalid region name " + YamlReader::quote(*name)
                                                  + " (use lower-case letters, digits, \"_\" and "
                                                    "\"-\")");
        } else if (const auto it = ctx.regionLines.find(*name); it != ctx.regionLines.end()) {
            reader.reportValue(nameField, "duplicate region name " + YamlReader::quote(*name)
                                                  + " (first defined at line "
                                                  + std::to_string(it->second) + ")");
        } else {
            ctx.regionLines.emplace(*name, reader.location(nameField).line);
        }
    }

    const YamlField dsnField = map->get("dsn");
    if (std::optional<db::Dsn> dsn = readDsn(ctx, dsnField)) {
        region.dsn = dsnField.node.Scalar();
        ctx.regions.push_back(
                DsnEntry{std::move(*dsn), dsnField, "region " + YamlReader::quote(region.name)});
    }

    const YamlField zoneField = map->get("timezone");
    if (const std::optional<std::string> zone = reader.string(zoneField)) {
        if (isKnownTimeZone(*zone)) {
            region.timezone = *zone;
        } else {
            std::string message = "unknown time zone " + YamlReader::quote(*zone);
            const std::string suggestion = suggestTimeZone(*zone);
            message += suggestion.empty() ? " (expected an IANA name such as \"Europe/Berlin\")"
                                          : " (did you mean \"" + suggestion + "\"?)";
            reader.reportValue(zoneField, message);
        }
    }

    readWindow(ctx, map->get("window"), region);
    readDuration(reader, map->get("freshness_sla"), region.freshnessSla);
    readText(reader, map->get("owner"), region.owner);
    region.preserve = readQualifiedNames(reader, map->get("preserve"), 2);
    readHooks(reader, map->get("hooks"), region.hooks);
    if (const std::optional<bool> production = reader.boolean(map->get("production")))
        region.production = *production;
    // An explicit `cdc:` is kept here; readConfig fills in the default once it knows whether
    // the file has a cdc section.
    if (const std::optional<bool> cdc = reader.boolean(map->get("cdc")))
        ctx.regionCdc.emplace(regions.size(), *cdc);
    if (const auto policy
        = reader.choice(map->get("conflicts"), {"source_wins", "skip", "stop"})) {
        region.conflicts = *policy == "skip"   ? ConflictPolicy::Skip
                           : *policy == "stop" ? ConflictPolicy::Stop
                                               : ConflictPolicy::SourceWins;
    }
    regions.push_back(std::move(region));
}

void readRegions(Context &ctx, const YamlField &field, std::vector<RegionConfig> &regions)
{
    if (!field.exists || field.node.IsNull())
        return; // required: reported by the top-level mapping
    const std::vector<YamlField> items = ctx.reader.sequence(field);
    if (items.empty() && field.node.IsSequence())
        ctx.reader.reportValue(field, "at least one region is required");
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i == maxRegions) {
            ctx.reader.reportValue(items[i],
                                   "too many regions (at most " + std::to_string(maxRegions) + ")");
            break;
        }
        readRegion(ctx, items[i], regions);
    }
}

void readBlackout(Context &ctx, const YamlField &field, std::vector<BlackoutConfig> &blackouts)
{
    YamlReader &reader = ctx.reader;
    const auto map = reader.mapping(field, {"from", "to", "reason", "regions"}, {"from", "to"});
    if (!map)
        return;
    BlackoutConfig blackout;
    blackout.location = reader.location(field);
    std::optional<std::chrono::year_month_day> from;
    std::optional<std::chrono::year_month_day> to;
    for (const char *key : {"from", "to"}) {
        const YamlField dateField = map->get(key);
        const std::optional<std::string> text = reader.string(dateField);
        if (!text)
            continue;
        const std::optional<std::chrono::year_month_day> date = parseIsoDate(*text);
        if (!date)
            reader.reportValue(dateField, "invalid date " + YamlReader::quote(*text)
                                                  + " (expected YYYY-MM-DD)");
        (std::string_view(key) == "from" ? from : to) = date;
        (std::string_view(key) == "from" ? blackout.from : blackout.to) = *text;
    }
    if (from && to && *from > *to)
        reader.reportValue(map->get("to"), "blackout ends (" + blackout.to + ") before it starts ("
                                                   + blackout.from + ")");
    readText(reader, map->get("reason"), blackout.reason);
    for (auto &[item, name] : reader.stringList(map->get("regions"))) {
        blackout.regions.push_back(name);
        ctx.blackoutRegions.emplace_back(std::move(item), std::move(name));
    }
    blackouts.push_back(std::move(blackout));
}

void readSalt(YamlReader &reader, const YamlField &field, SaltSource &salt)
{
    if (!field.exists || field.node.IsNull())
        return;
    if (field.node.IsScalar()) {
        reader.reportValue(field, "a literal salt is refused: secrets never go into the config "
                                  "(use { env: VARIABLE } or { keychain: NAME })");
        return;
    }
    const auto map = reader.mapping(field, {"env", "keychain"}, {});
    if (!map)
        return;
    const YamlField env = map->get("env");
    const YamlField keychain = map->get("keychain");
    if (env.exists && keychain.exists) {
        reader.reportKey(keychain, "give either env or keychain, not both");
        return;
    }
    if (!env.exists && !keychain.exists) {
        reader.reportValue(field, "the salt needs { env: VARIABLE } or { keychain: NAME }");
        return;
    }
    const YamlField &source = env.exists ? env : keychain;
    const std::optional<std::string> name = reader.string(source);
    if (!name) {
        if (source.node.IsNull())
            reader.reportValue(source, "missing value (expected a name)");
        return;
    }
    if (env.exists && !isEnvironmentVariableName(*name)) {
        reader.reportValue(source, "invalid environment variable name " + YamlReader::quote(*name));
        return;
    }
    if (keychain.exists && name->empty()) {
        reader.reportValue(source, "keychain entry name must not be empty");
        return;
    }
    salt.kind = env.exists ? SaltSource::Kind::Environment : SaltSource::Kind::Keychain;
    salt.name = *name;
}

/// The transform, `unique` and the transform parameters (every key that is not one of ruleKeys)
/// of a masking rule or of a virtual service's mask rule: read and checked the same way.
void readTransformSpec(YamlReader &reader, const YamlMap &map,
                       const std::vector<std::string> &ruleKeys, std::string &transformName,
                       bool &unique, std::map<std::string, std::string> &params)
{
    const YamlField transformField = map.get("transform");
    if (const std::optional<std::string> transform = reader.string(transformField)) {
        transformName = *transform;
        if (std::ranges::find(knownTransforms(), *transform) == knownTransforms().end()) {
            std::string message = "unknown transform " + YamlReader::quote(*transform);
            const std::string suggestion = nearestMatch(*transform, knownTransforms());
            if (!suggestion.empty())
                message += " (did you mean \"" + suggestion + "\"?)";
            reader.reportValue(transformField, message);
        }
    }

    if (const std::optional<bool> given = reader.boolean(map.get("unique")))
        unique = *given;

    for (const auto &[key, value] : map.entries) {
        if (std::ranges::find(ruleKeys, key) != ruleKeys.end())
            continue;
        // Other keys are transform parameters, but one a letter or two away from a rule key is
        // far more likely a typo ("uniqe: true") than a parameter.
        const auto typo = std::ranges::find_if(ruleKeys, [&key](const std::string &ruleKey) {
            return editDistance(key, ruleKey) <= 2;
        });
        if (typo != ruleKeys.end()) {
            reader.reportKey(value, "unknown key " + YamlReader::quote(key) + " (did you mean \""
                                            + *typo + "\"?)");
            continue;
        }
        if (value.node.IsNull()) {
            reader.reportValue(value,
                               "transform parameter " + YamlReader::quote(key) + " has no value");
            continue;
        }
        if (!value.node.IsScalar()) {
            reader.reportValue(value, "transform parameter " + YamlReader::quote(key)
                                              + " must be a single value, not "
                                              + YamlReader::describe(value.node));
            continue;
        }
        params.emplace(key, value.node.Scalar());
    }
}

void readRule(YamlReader &reader, const YamlField &field, std::vector<MaskRule> &rules,
              std::map<std::string, int, std::less<>> &ruleLines,
              const std::vector<std::string> &kept)
{
    static const std::vector<std::string> ruleKeys = {"column", "transform", "unique"};
    const auto map = reader.mapping(field, ruleKeys, {"column", "transform"}, true);
    if (!map)
        return;
    MaskRule rule;
    rule.location = reader.location(field);

    const YamlField columnField = map->get("column");
    if (const std::optional<std::string> column = reader.string(columnField)) {
        rule.column = *column;
        const auto parts = parseQualifiedName(*column, 3);
        const std::string canonical = parts ? formatQualifiedName(*parts) : std::string();
        if (!parts) {
            reportNameError(reader, columnField, parts.error());
        } else if (const auto it = ruleLines.find(canonical); it != ruleLines.end()) {
            reader.reportValue(columnField, "column " + YamlReader::quote(*column)
                                                    + " already has a rule (line "
                                                    + std::to_string(it->second) + ")");
        } else {
            rule.column = canonical;
            ruleLines.emplace(canonical, reader.location(columnField).line);
            if (std::ranges::find(kept, canonical) != kept.end())
                reader.reportValue(columnField, "column " + YamlReader::quote(*column)
                                                        + " is both in masking.keep and masked "
                                                          "by a rule");
        }
    }

    readTransformSpec(reader, *map, ruleKeys, rule.transform, rule.unique, rule.params);
    rules.push_back(std::move(rule));
}

void readMasking(YamlReader &reader, const YamlField &field, MaskingConfig &masking)
{
    const auto map = reader.mapping(field, {"salt", "unclassified", "keep", "rules"}, {});
    if (!map)
        return;
    readSalt(reader, map->get("salt"), masking.salt);
    if (const auto policy = reader.choice(map->get("unclassified"), {"fail", "keep", "null"})) {
        masking.unclassified = *policy == "keep"   ? UnclassifiedPolicy::Keep
                               : *policy == "null" ? UnclassifiedPolicy::Null
                                                   : UnclassifiedPolicy::Fail;
    }
    masking.keep = readQualifiedNames(reader, map->get("keep"), 3);
    std::map<std::string, int, std::less<>> ruleLines;
    for (const YamlField &item : reader.sequence(map->get("rules")))
        readRule(reader, item, masking.rules, ruleLines, masking.keep);
}

void readReplicationName(YamlReader &reader, const YamlField &field, std::string &target)
{
    const std::optional<std::string> name = reader.string(field);
    if (!name)
        return;
    if (!isValidReplicationName(*name))
        reader.reportValue(field, "invalid name " + YamlReader::quote(*name)
                                          + " (use 1 to 63 lower-case letters, digits and \"_\")");
    else
        target = *name;
}

void readCdc(YamlReader &reader, const YamlField &field, CdcConfig &cdc)
{
    cdc.configured = field.exists;
    if (!field.exists || field.node.IsNull())
        return;
    const auto map = reader.mapping(field,
                                    {"plugin", "max_lag", "heartbeat", "spool", "slot",
                                     "publication", "schemas", "max_retained_wal", "batch"},
                                    {});
    if (!map)
        return;
    if (const auto plugin = reader.choice(map->get("plugin"), {"pgoutput", "wal2json"}))
        cdc.plugin = *plugin;
    readDuration(reader, map->get("max_lag"), cdc.maxLag);
    readDuration(reader, map->get("heartbeat"), cdc.heartbeat);
    const YamlField spoolField = map->get("spool");
    if (const std::optional<std::string> spool = reader.string(spoolField)) {
        if (spool->empty() || spool->find('\0') != std::string::npos)
            reader.reportValue(spoolField, "spool must be a directory path");
        else
            cdc.spool = *spool;
    }
    readReplicationName(reader, map->get("slot"), cdc.slot);
    readReplicationName(reader, map->get("publication"), cdc.publication);
    for (auto &[item, schema] : reader.stringList(map->get("schemas"))) {
        const auto parts = parseQualifiedName(schema, 1);
        if (!parts)
            reportNameError(reader, item, parts.error());
        else if (std::ranges::find(cdc.schemas, parts->front()) != cdc.schemas.end())
            reader.reportValue(item, "schema " + YamlReader::quote(schema) + " is listed twice");
        else
            cdc.schemas.push_back(parts->front());
    }
    const YamlField walField = map->get("max_retained_wal");
    if (const std::optional<std::string> size = reader.string(walField)) {
        if (const auto bytes = parseByteSize(*size))
            cdc.maxRetainedWal = *bytes;
        else
            reader.reportValue(walField, bytes.error() + ", got " + YamlReader::quote(*size));
    }
    readCount(reader, map->get("batch"), cdc.batch, 1000000);
}

/// Reports a malformed JSON path at the offending character of the value (see reportNameError).
void reportPathError(YamlReader &reader, const YamlField &field,
                     const JsonFieldPath::ParseError &error)
{
    reportNameError(reader, field, NameError{error.message, error.offset});
}

std::optional<JsonFieldPath> readJsonPath(YamlReader &reader, const YamlField &field,
                                          const std::optional<std::string> &text)
{
    if (!text)
        return std::nullopt;
    auto path = JsonFieldPath::parse(*text);
    if (!path) {
        reportPathError(reader, field, path.error());
        return std::nullopt;
    }
    return std::move(*path);
}

void readServiceMaskRule(YamlReader &reader, const YamlField &field,
                         std::vector<ServiceMaskRule> &rules)
{
    static const std::vector<std::string> ruleKeys
            = {"json", "header", "query", "transform", "unique"};
    const auto map = reader.mapping(field, ruleKeys, {"transform"}, true);
    if (!map)
        return;
    ServiceMaskRule rule;
    rule.location = reader.location(field);
    const std::array<std::pair<const char *, ServiceMaskRule::Target>, 3> targets = {{
            {"json", ServiceMaskRule::Target::Json},
            {"header", ServiceMaskRule::Target::Header},
            {"query", ServiceMaskRule::Target::Query},
    }};
    int given = 0;
    for (const auto &[key, target] : targets) {
        const YamlField selectorField = map->get(key);
        if (!selectorField.exists)
            continue;
        if (++given > 1) {
            reader.reportKey(selectorField, "give one of json, header or query per rule");
            continue;
        }
        rule.target = target;
        const std::optional<std::string> selector = reader.string(selectorField);
        if (!selector) {
            if (selectorField.node.IsNull())
                reader.reportValue(selectorField, "missing value");
            continue;
        }
        rule.selector = *selector;
        if (target == ServiceMaskRule::Target::Json) {
            (void)readJsonPath(reader, selectorField, selector);
        } else if (target == ServiceMaskRule::Target::Header && !isHeaderName(*selector)) {
            reader.reportValue(selectorField,
                               "invalid header name " + YamlReader::quote(*selector));
        } else if (target == ServiceMaskRule::Target::Header && isSecretHeaderName(*selector)) {
            reader.reportValue(selectorField, YamlReader::quote(*selector)
                                                      + " is a secret header: it is never "
                                                        "recorded, so there is nothing to mask");
        } else if (target == ServiceMaskRule::Target::Query && selector->empty()) {
            reader.reportValue(selectorField, "query parameter name must not be empty");
        }
    }
    if (given == 0)
        reader.reportValue(field, "a mask rule names a field: json: \"$.path\", header: NAME "
                                  "or query: NAME");

    readTransformSpec(reader, *map, ruleKeys, rule.transform, rule.unique, rule.params);
    rules.push_back(std::move(rule));
}

void readRecordHeaders(YamlReader &reader, const YamlField &field, ServiceConfig &service)
{
    if (!field.exists)
        return;
    service.recordHeaders.clear();
    std::vector<std::string> seen;
    for (auto &[item, name] : reader.stringList(field)) {
        std::string lower = name;
        std::ranges::transform(lower, lower.begin(), [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        });
        if (!isHeaderName(name))
            reader.reportValue(item, "invalid header name " + YamlReader::quote(name));
        else if (isSecretHeaderName(name))
            reader.reportValue(item, YamlReader::quote(name)
                                             + " is a secret header: it is never recorded");
        else if (std::ranges::find(seen, lower) != seen.end())
            reader.reportValue(item, "header " + YamlReader::quote(name) + " is listed twice");
        else
            service.recordHeaders.push_back(name);
        seen.push_back(std::move(lower));
    }
}

void readService(Context &ctx, const YamlField &field, std::vector<ServiceConfig> &services,
                 std::map<std::string, int, std::less<>> &serviceLines)
{
    YamlReader &reader = ctx.reader;
    const auto map = reader.mapping(field,
                                    {"name", "region", "listen", "upstream", "mappings", "mask",
                                     "keep", "record_headers"},
                                    {"name"});
    if (!map)
        return;
    ServiceConfig service;
    service.location = reader.location(field);
    const YamlField nameField = map->get("name");
    if (const std::optional<std::string> name = reader.string(nameField)) {
        service.name = *name;
        if (name->empty()) {
            reader.reportValue(nameField, "service name must not be empty");
        } else if (const auto it = serviceLines.find(*name); it != serviceLines.end()) {
            reader.reportValue(nameField, "duplicate service name " + YamlReader::quote(*name)
                                                  + " (first defined at line "
                                                  + std::to_string(it->second) + ")");
        } else {
            serviceLines.emplace(*name, reader.location(nameField).line);
        }
    }
    const YamlField regionField = map->get("region");
    if (const std::optional<std::string> region = reader.string(regionField)) {
        service.region = *region;
        if (!ctx.regionLines.contains(*region)) {
            std::vector<std::string> names;
            for (const auto &[known, line] : ctx.regionLines)
                names.push_back(known);
            std::string message = "unknown region " + YamlReader::quote(*region);
            const std::string suggestion = nearestMatch(*region, names);
            if (!suggestion.empty())
                message += " (did you mean \"" + suggestion + "\"?)";
            reader.reportValue(regionField, message);
        }
    }
    const YamlField listenField = map->get("listen");
    if (const std::optional<std::string> listen = reader.string(listenField)) {
        if (const auto valid = checkListenAddress(*listen); !valid)
            reader.reportValue(listenField, valid.error());
        service.listen = *listen;
    }
    const YamlField upstreamField = map->get("upstream");
    if (const std::optional<std::string> upstream = reader.string(upstreamField)) {
        if (const auto valid = checkHttpUrl(*upstream); !valid)
            reader.reportValue(upstreamField, valid.error());
        service.upstream = *upstream;
    }
    readText(reader, map->get("mappings"), service.mappings);
    for (const YamlField &item : reader.sequence(map->get("mask")))
        readServiceMaskRule(reader, item, service.mask);
    for (auto &[item, text] : reader.stringList(map->get("keep"))) {
        if (!readJsonPath(reader, item, text))
            continue;
        const bool masked = std::ranges::any_of(service.mask, [&text](const ServiceMaskRule &r) {
            return r.target == ServiceMaskRule::Target::Json && r.selector == text;
        });
        if (masked)
            reader.reportValue(item, "path " + YamlReader::quote(text)
                                             + " is both kept and masked by a rule");
        else
            service.keep.push_back(text);
    }
    readRecordHeaders(reader, map->get("record_headers"), service);
    services.push_back(std::move(service));
}

void readDrift(YamlReader &reader, const YamlField &field, DriftIgnoreConfig &drift)
{
    const auto map = reader.mapping(field, {"ignore"}, {});
    if (!map)
        return;
    const auto ignore = reader.mapping(map->get("ignore"), {"schemas", "names", "kinds"}, {});
    if (!ignore)
        return;
    drift.schemas = readTextList(reader, ignore->get("schemas"));
    drift.names = readTextList(reader, ignore->get("names"));
    drift.kinds = readTextList(reader, ignore->get("kinds"));
}

void readTimeouts(YamlReader &reader, const YamlField &field, TimeoutsConfig &timeouts)
{
    const auto map = reader.mapping(field, {"connect", "statement"}, {});
    if (!map)
        return;
    readDuration(reader, map->get("connect"), timeouts.connect);
    readDuration(reader, map->get("statement"), timeouts.statement);
}

/// Checks that need more than one section: databases used twice, blackouts naming regions.
void crossCheck(Context &ctx)
{
    YamlReader &reader = ctx.reader;
    if (ctx.source && ctx.golden && ctx.golden->dsn.sameDatabaseAs(ctx.source->dsn))
        reader.reportValue(ctx.golden->field, "golden points at the same database as the source");
    for (std::size_t i = 0; i < ctx.regions.size() && !reader.saturated(); ++i) {
        const DsnEntry &region = ctx.regions[i];
        std::string clash;
        if (ctx.source && region.dsn.sameDatabaseAs(ctx.source->dsn))
            clash = "the source: a refresh would overwrite it";
        else if (ctx.golden && region.dsn.sameDatabaseAs(ctx.golden->dsn))
            clash = "golden";
        for (std::size_t j = 0; j < i && clash.empty(); ++j) {
            if (region.dsn.sameDatabaseAs(ctx.regions[j].dsn))
                clash = ctx.regions[j].owner + " (line "
                        + std::to_string(reader.location(ctx.regions[j].field).line) + ")";
        }
        if (!clash.empty())
            reader.reportValue(region.field, "points at the same database as " + clash);
    }
    std::vector<std::string> names;
    for (const auto &[name, line] : ctx.regionLines)
        names.push_back(name);
    for (const auto &[item, name] : ctx.blackoutRegions) {
        if (reader.saturated())
            break;
        if (ctx.regionLines.contains(name))
            continue;
        std::string message = "unknown region " + YamlReader::quote(name);
        const std::string suggestion = nearestMatch(name, names);
        if (!suggestion.empty())
            message += " (did you mean \"" + suggestion + "\"?)";
        reader.reportValue(item, message);
    }
}

void readConfig(Context &ctx, const YAML::Node &document, Config &config)
{
    YamlReader &reader = ctx.reader;
    const auto root = reader.mapping(reader.root(document),
                                     {"version", "source", "golden", "regions", "blackouts",
                                      "masking", "cdc", "services", "drift", "timeouts"},
                                     {"version", "source", "golden", "regions"});
    if (!root)
        return;
    const YamlField versionField = root->get("version");
    if (const std::optional<long long> version
        = reader.integer(versionField, LLONG_MIN, LLONG_MAX)) {
        if (*version != 1)
            reader.reportValue(versionField, "unsupported config version "
                                                     + std::to_string(*version)
                                                     + " (this EnvSync reads version 1)");
    }
    readSource(ctx, root->get("source"), config.source);
    readGolden(ctx, root->get("golden"), config.golden);
    readRegions(ctx, root->get("regions"), config.regions);
    for (const YamlField &item : reader.sequence(root->get("blackouts")))
        readBlackout(ctx, item, config.blackouts);
    readMasking(reader, root->get("masking"), config.masking);
    readCdc(reader, root->get("cdc"), config.cdc);
    for (std::size_t i = 0; i < config.regions.size(); ++i) {
        const auto explicitSetting = ctx.regionCdc.find(i);
        config.regions[i].cdc = explicitSetting != ctx.regionCdc.end() ? explicitSetting->second
                                                                       : config.cdc.configured;
    }
    std::map<std::string, int, std::less<>> serviceLines;
    for (const YamlField &item : reader.sequence(root->get("services")))
        readService(ctx, item, config.services, serviceLines);
    readDrift(reader, root->get("drift"), config.driftIgnore);
    readTimeouts(reader, root->get("timeouts"), config.timeouts);
    crossCheck(ctx);
}

std::unexpected<std::vector<Diagnostic>> failure(const std::string &file, int line, int column,
                                                 std::string message)
{
    return std::unexpected(
            std::vector<Diagnostic>{Diagnostic{file, line, column, {}, std::move(message)}});
}

std::string absolutePath(const std::string &fileName)
{
    if (fileName.empty())
        return fileName;
    std::error_code error;
    const std::filesystem::path path = std::filesystem::absolute(fileName, error);
    return error ? fileName : path.lexically_normal().string();
}

/// The documented escape hatch for a group- or world-writable config (shared checkouts).
bool writableConfigAllowed()
{
    const char *value = std::getenv("ENVSYNC_ALLOW_WRITABLE_CONFIG");
    return value && std::string_view(value) == "1";
}

/// True when `gid` is the user private group of `uid` (Debian's default scheme: a group of the
/// user's name, the user's primary group, with no other members), where group-writable means
/// nobody else can write. Reentrant lookups: the loader runs on worker threads too.
bool isPrivateGroupOf(uid_t uid, gid_t gid)
{
    std::array<char, 16384> userBuffer{};
    std::array<char, 16384> groupBuffer{};
    passwd user{};
    group grp{};
    passwd *userFound = nullptr;
    group *groupFound = nullptr;
    if (::getpwuid_r(uid, &user, userBuffer.data(), userBuffer.size(), &userFound) != 0
        || userFound == nullptr
        || ::getgrgid_r(gid, &grp, groupBuffer.data(), groupBuffer.size(), &groupFound) != 0
        || groupFound == nullptr)
        return false;
    const bool noOtherMembers = grp.gr_mem == nullptr || grp.gr_mem[0] == nullptr;
    return user.pw_gid == gid && noOtherMembers && std::string_view(grp.gr_name) == user.pw_name;
}

/// Someone but the owner can change the file: world-writable, or group-writable for a group
/// that is not the owner's private group.
bool writableByOthers(const struct stat &info)
{
    if ((info.st_mode & S_IWOTH) != 0)
        return true;
    return (info.st_mode & S_IWGRP) != 0 && !isPrivateGroupOf(info.st_uid, info.st_gid);
}

/// strerror() text without strerror()'s shared buffer: the loader runs on worker threads too.
std::string errorText(int error)
{
    return std::generic_category().message(error);
}

/// Whether the 0-based line's indentation contains a tab.
bool indentedWithTab(std::string_view text, std::size_t line)
{
    std::size_t start = 0;
    for (std::size_t i = 0; i < line; ++i) {
        start = text.find('\n', start);
        if (start == std::string_view::npos)
            return false;
        ++start;
    }
    for (std::size_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
        if (text[i] == '\t')
            return true;
    }
    return false;
}

LoadResult parseText(std::string_view text, const std::string &fileName)
{
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3); // yaml-cpp skips the BOM but then counts positions without it
    if (text.size() > maxFileSize)
        return failure(fileName, 0, 0,
                       "file too large (" + std::to_string(text.size())
                               + " bytes; a config is at most "
                               + std::to_string(maxFileSize / 1024 / 1024) + " MiB)");
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        const std::string_view before = text.substr(0, nul);
        const auto line = static_cast<int>(std::ranges::count(before, '\n')) + 1;
        const std::size_t lineStart = before.rfind('\n');
        const auto column
                = static_cast<int>(lineStart == std::string_view::npos ? nul + 1 : nul - lineStart);
        return failure(fileName, line, column, "the file contains a NUL byte (is it binary?)");
    }

    std::optional<YAML::Node> document; // emplaced: assigning to a YAML::Node rewrites its target
    DocumentScan scan;
    try {
        // Scan first: YAML::LoadAll() can loop forever; YAML::Load() reads only the first one.
        scan = scanDocuments(std::string(text));
        if (!scan.stuckAt)
            document.emplace(YAML::Load(std::string(text)));
    } catch (const YAML::DeepRecursion &error) {
        const YAML::Mark &mark = error.mark;
        const bool known = !mark.is_null() && mark.line >= 0 && mark.column >= 0;
        return failure(fileName, known ? mark.line + 1 : 1, known ? mark.column + 1 : 1,
                       "malformed YAML: nested too deeply (" + std::to_string(error.depth())
                               + " levels)");
    } catch (const YAML::Exception &error) {
        const YAML::Mark &mark = error.mark;
        const bool known = !mark.is_null() && mark.line >= 0 && mark.column >= 0;
        std::string message = "malformed YAML: "
                              + (error.msg.empty() ? std::string("syntax error") : error.msg);
        // yaml-cpp never mentions the usual culprit: a tab in the indentation.
        if (known && indentedWithTab(text, static_cast<std::size_t>(mark.line)))
            message += " (tabs are not allowed for indentation in YAML; use spaces)";
        return failure(fileName, known ? mark.line + 1 : 1, known ? mark.column + 1 : 1,
                       std::move(message));
    }

    YamlReader reader(fileName, text);
    if (scan.stuckAt) {
        const SourceLocation where = reader.position(*scan.stuckAt);
        const std::size_t offset = reader.offsetOf(*scan.stuckAt);
        const std::string token = offset < text.size() ? std::string(1, text[offset]) : "";
        return failure(fileName, where.line, where.column,
                       "malformed YAML: unexpected " + YamlReader::quote(token)
                               + " where a value should start");
    }
    if (scan.extraDocument) {
        reader.report(*scan.extraDocument, {},
                      "only one YAML document is allowed (remove the second \"---\")");
    }
    if (scan.firstContentIndex > 0) {
        reader.report(*scan.firstContent, {},
                      "the config must be in the first YAML document (remove the \"---\" "
                      "lines before this one)");
        return std::unexpected(reader.takeDiagnostics());
    }
    if (!document || document->IsNull()) {
        reader.report(YAML::Mark(), {},
                      "the file is empty: expected a mapping with version, source, golden and "
                      "regions");
        return std::unexpected(reader.takeDiagnostics());
    }
    if (!document->IsMap()) {
        reader.report(YAML::Mark(), {},
                      "the top level must be a mapping (version: 1, source: ..., golden: ..., "
                      "regions: ...), got "
                              + YamlReader::describe(*document));
        return std::unexpected(reader.takeDiagnostics());
    }

    Config config;
    Context ctx{reader, {}, {}, {}, {}, {}, {}};
    readConfig(ctx, *document, config);
    if (reader.hasDiagnostics())
        return std::unexpected(reader.takeDiagnostics());
    config.path = absolutePath(fileName);
    return config;
}

} // namespace

std::string Diagnostic::format() const
{
    std::string text = file.empty() ? std::string("<config>") : file;
    if (line > 0)
        text += ':' + std::to_string(line) + ':' + std::to_string(column);
    text += ": ";
    if (!path.empty())
        text += path + ": ";
    text += message;
    return text;
}

LoadResult parseConfig(const std::string &yamlText, const std::string &fileName)
{
    // The boundary of the library: nothing thrown below (yaml-cpp, std::bad_alloc) gets out.
    try {
        return parseText(yamlText, fileName);
    } catch (const std::exception &error) {
        return failure(fileName, 0, 0,
                       std::string("internal error while reading the config: ") + error.what());
    } catch (...) {
        return failure(fileName, 0, 0, "internal error while reading the config");
    }
}

std::expected<std::string, std::string> readConfigText(const std::string &path)
{
    struct FdCloser
    {
        int fd;
        ~FdCloser() { ::close(fd); }
    };
    // O_NONBLOCK: opening a FIFO for reading would wait for a writer; the fstat below refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return std::unexpected("cannot read: " + errorText(errno));
    const FdCloser closer{fd};
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0)
        return std::unexpected("cannot read: " + errorText(errno));
    if (S_ISDIR(info.st_mode))
        return std::unexpected("cannot read: " + errorText(EISDIR));
    if (!S_ISREG(info.st_mode)) {
        return std::unexpected(std::string("cannot read: not a regular file (")
                               + (S_ISFIFO(info.st_mode)  ? "a pipe"
                                  : S_ISCHR(info.st_mode) ? "a character device"
                                  : S_ISBLK(info.st_mode) ? "a block device"
                                                          : "a socket")
                               + "); a config is a YAML file");
    }
    if (writableByOthers(info) && !writableConfigAllowed()) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
        return std::unexpected(std::string("is writable by ")
                               + ((info.st_mode & S_IWOTH) != 0 ? "everyone" : "its group")
                               + " (mode " + mode
                               + ") and its hooks run SQL: run 'chmod go-w' on it (or set "
                                 "ENVSYNC_ALLOW_WRITABLE_CONFIG=1 to accept it)");
    }
    if (static_cast<std::uint64_t>(info.st_size) > maxFileSize)
        return std::unexpected("file too large (a config is at most "
                               + std::to_string(maxFileSize / 1024 / 1024) + " MiB)");
    std::string text;
    std::array<char, 65536> buffer{};
    while (true) {
        const ssize_t count = ::read(fd, buffer.data(), buffer.size());
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            return std::unexpected("cannot read: " + errorText(errno));
        if (count == 0)
            break;
        text.append(buffer.data(), static_cast<std::size_t>(count));
        if (text.size() > maxFileSize) // grew while we read
            return std::unexpected("file too large (a config is at most "
                                   + std::to_string(maxFileSize / 1024 / 1024) + " MiB)");
    }
    return text;
}

LoadResult loadConfigFile(const std::string &path)
{
    auto text = readConfigText(path);
    if (!text)
        return failure(path, 0, 0, text.error());
    LoadResult result = parseConfig(*text, path);
    if (result)
        result->path = absolutePath(path);
    return result;
}

} // namespace envsync::config
