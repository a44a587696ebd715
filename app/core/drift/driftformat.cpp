#include "core/drift/driftformat.h"

#include "core/drift/ddl.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <array>

namespace envsync::drift {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// Display width in code points (good enough for the names and details we print).
std::size_t width(const std::string &text)
{
    return static_cast<std::size_t>(std::ranges::count_if(
            text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string padded(const std::string &text, std::size_t to)
{
    const std::size_t w = width(text);
    return w >= to ? text : text + std::string(to - w, ' ');
}

/// A region's drift reads "missing"/"extra"; a plain FROM → TO diff (no region) "added"/"removed".
std::string_view changeWord(Change change, const std::string &region)
{
    return region.empty() ? changeName(change) : regionChangeName(change);
}

} // namespace

QJsonObject toJsonObject(const Difference &d, const std::string &region)
{
    QJsonObject o;
    o[QStringLiteral("region")] = qs(region);
    o[QStringLiteral("object_kind")] = qs(kindName(d.kind));
    o[QStringLiteral("schema")] = qs(d.schema);
    o[QStringLiteral("name")] = qs(d.name);
    o[QStringLiteral("table")] = d.table.empty() ? QJsonValue() : QJsonValue(qs(d.table));
    o[QStringLiteral("change")] = qs(changeWord(d.change, region));
    o[QStringLiteral("severity")] = qs(severityName(d.severity));
    o[QStringLiteral("details")] = qs(d.detailText());
    o[QStringLiteral("ddl")] = qs(d.ddl());
    o[QStringLiteral("unsafe")] = d.unsafe();
    return o;
}

std::string toJson(const std::vector<Difference> &differences, const std::string &region)
{
    return toJson(std::vector<RegionDrift>{{region, differences}});
}

std::string toJson(const std::vector<RegionDrift> &drifts)
{
    QJsonArray array;
    for (const auto &drift : drifts) {
        for (const auto &d : drift.differences)
            array.append(toJsonObject(d, drift.region));
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented).toStdString();
}

std::string toTable(const std::vector<Difference> &differences, const std::string &region)
{
    return toTable(std::vector<RegionDrift>{{region, differences}});
}

std::string toTable(const std::vector<RegionDrift> &drifts)
{
    using Row = std::array<std::string, 6>;
    std::vector<Row> rows;
    rows.push_back({"REGION", "SEVERITY", "KIND", "CHANGE", "OBJECT", "DETAILS"});
    for (const auto &drift : drifts) {
        for (const auto &d : drift.differences)
            rows.push_back({drift.region, std::string(severityName(d.severity)),
                            std::string(kindName(d.kind)),
                            std::string(changeWord(d.change, drift.region)),
                            d.qualifiedName(), d.detailText()});
    }
    if (rows.size() == 1)
        return "no drift\n";
    std::array<std::size_t, 6> widths{};
    for (const auto &row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], width(row[i]));
    }
    std::string out;
    for (const auto &row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? padded(row[i], widths[i] + 2) : row[i];
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + '\n';
    }
    return out;
}

std::string toSql(const std::vector<Difference> &differences, bool allowUnsafe)
{
    return renderScript(differences, allowUnsafe);
}

std::string toSql(const std::vector<RegionDrift> &drifts, bool allowUnsafe)
{
    std::string out;
    for (const auto &drift : drifts) {
        out += "-- region " + drift.region + '\n';
        const std::string script = renderScript(drift.differences, allowUnsafe);
        out += script.empty() ? std::string("-- no drift\n") : script;
        out += '\n';
    }
    return out;
}

SeverityCounts countBySeverity(const std::vector<Difference> &differences)
{
    SeverityCounts counts;
    for (const auto &d : differences) {
        switch (d.severity) {
        case Severity::Info:
            ++counts.info;
            break;
        case Severity::Warning:
            ++counts.warning;
            break;
        case Severity::Breaking:
            ++counts.breaking;
            break;
        }
    }
    return counts;
}

} // namespace envsync::drift
