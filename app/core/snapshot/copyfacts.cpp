#include "core/snapshot/copyfacts.h"

#include "core/copy/copyengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace envsync::snapshot {

namespace {

QJsonArray toArray(const std::vector<std::string> &values)
{
    QJsonArray out;
    for (const auto &value : values)
        out.append(QString::fromStdString(value));
    return out;
}

std::vector<std::string> fromArray(const QJsonValue &value)
{
    std::vector<std::string> out;
    for (const QJsonValue &item : value.toArray())
        out.push_back(item.toString().toStdString());
    return out;
}

std::string text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString().toStdString();
}

} // namespace

std::string hex64(std::uint64_t value)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i)
        out[15 - i] = digits[(value >> (4 * i)) & 0xf];
    return out;
}

std::string CopyFacts::toJson() const
{
    QJsonArray tableArray;
    for (const TableFacts &t : tables) {
        tableArray.append(QJsonObject{{QStringLiteral("schema"), QString::fromStdString(t.schema)},
                                      {QStringLiteral("table"), QString::fromStdString(t.table)},
                                      {QStringLiteral("rows"), static_cast<qint64>(t.rows)},
                                      {QStringLiteral("digest"), QString::fromStdString(t.digest)},
                                      {QStringLiteral("format"), t.binary ? QStringLiteral("binary")
                                                                          : QStringLiteral("text")},
                                      {QStringLiteral("columns"), toArray(t.columns)}});
    }
    QJsonArray maskedArray;
    for (const MaskedSampleFacts &m : masked) {
        QJsonArray needles;
        for (const auto &perValue : m.needleHashes)
            needles.append(toArray(perValue));
        maskedArray.append(QJsonObject{
                {QStringLiteral("schema"), QString::fromStdString(m.schema)},
                {QStringLiteral("table"), QString::fromStdString(m.table)},
                {QStringLiteral("column"), QString::fromStdString(m.column)},
                {QStringLiteral("key_column"), QString::fromStdString(m.keyColumn)},
                {QStringLiteral("key_hashes"), toArray(m.keyHashes)},
                {QStringLiteral("value_hashes"), toArray(m.valueHashes)},
                {QStringLiteral("needle_hashes"), needles},
                {QStringLiteral("longest_needle"), static_cast<qint64>(m.longestNeedle)}});
    }
    const QJsonObject root{{QStringLiteral("format"), format},
                           {QStringLiteral("tables"), tableArray},
                           {QStringLiteral("masked"), maskedArray}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact).toStdString();
}

std::optional<CopyFacts> CopyFacts::fromJson(const std::string &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject root = document.object();
    CopyFacts facts;
    facts.format = root.value(QStringLiteral("format")).toInt();
    if (facts.format != currentFormat)
        return std::nullopt;
    for (const QJsonValue &value : root.value(QStringLiteral("tables")).toArray()) {
        const QJsonObject object = value.toObject();
        TableFacts t;
        t.schema = text(object, "schema");
        t.table = text(object, "table");
        t.rows = object.value(QStringLiteral("rows")).toInteger();
        t.digest = text(object, "digest");
        t.binary = text(object, "format") == "binary";
        t.columns = fromArray(object.value(QStringLiteral("columns")));
        facts.tables.push_back(std::move(t));
    }
    for (const QJsonValue &value : root.value(QStringLiteral("masked")).toArray()) {
        const QJsonObject object = value.toObject();
        MaskedSampleFacts m;
        m.schema = text(object, "schema");
        m.table = text(object, "table");
        m.column = text(object, "column");
        m.keyColumn = text(object, "key_column");
        m.keyHashes = fromArray(object.value(QStringLiteral("key_hashes")));
        m.valueHashes = fromArray(object.value(QStringLiteral("value_hashes")));
        for (const QJsonValue &perValue : object.value(QStringLiteral("needle_hashes")).toArray())
            m.needleHashes.push_back(fromArray(perValue));
        m.longestNeedle = object.value(QStringLiteral("longest_needle")).toInteger();
        facts.masked.push_back(std::move(m));
    }
    return facts;
}

CopyFacts CopyFacts::fromCopy(const copy::CopyStats &stats)
{
    CopyFacts facts;
    for (const copy::TableStats &t : stats.tables) {
        facts.tables.push_back(
                {t.schema, t.table, t.digestRows, hex64(t.digest), t.binary, t.columns});
        for (const copy::ColumnSample &sample : t.samples) {
            MaskedSampleFacts m{t.schema, t.table, sample.column, {}, {}, {}, {}, 0};
            const bool keyed
                    = !t.sampleKeyColumn.empty()
                      && std::ranges::all_of(sample.values, [](const copy::SampledValue &v) {
                             return v.keyHash.has_value();
                         });
            if (keyed)
                m.keyColumn = t.sampleKeyColumn;
            for (const copy::SampledValue &value : sample.values) {
                m.valueHashes.push_back(hex64(value.valueHash));
                std::vector<std::string> needles;
                for (const std::uint64_t needle : value.needleHashes)
                    needles.push_back(hex64(needle));
                m.needleHashes.push_back(std::move(needles));
                m.longestNeedle = std::max<std::int64_t>(m.longestNeedle, value.longestNeedle);
                if (keyed)
                    m.keyHashes.push_back(hex64(*value.keyHash));
            }
            facts.masked.push_back(std::move(m));
        }
    }
    return facts;
}

} // namespace envsync::snapshot
