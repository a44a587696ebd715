#include "core/status/statusformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace envsync::status {

namespace {

QJsonValue jsonString(const std::optional<std::string> &text)
{
    return text ? QJsonValue(QString::fromStdString(*text)) : QJsonValue(QJsonValue::Null);
}

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

QJsonObject endpointJson(const EndpointStatus &e)
{
    QJsonObject object;
    object[QStringLiteral("name")] = QString::fromStdString(e.name);
    object[QStringLiteral("role")] = QString::fromLatin1(roleName(e.role));
    object[QStringLiteral("address")] = QString::fromStdString(e.address);
    object[QStringLiteral("reachable")] = e.reachable;
    object[QStringLiteral("server_version")] =
            e.reachable ? QJsonValue(QString::fromStdString(e.serverVersion)) : QJsonValue();
    object[QStringLiteral("size_bytes")] =
            e.reachable ? QJsonValue(static_cast<double>(e.sizeBytes)) : QJsonValue();
    if (e.lastRefresh) {
        QJsonObject last;
        last[QStringLiteral("finished_at")] = isoUtc(e.lastRefresh->finishedAt);
        last[QStringLiteral("snapshot")] = QString::fromStdString(e.lastRefresh->snapshot);
        last[QStringLiteral("source_as_of")] = e.lastRefresh->sourceAsOf.isValid()
                ? QJsonValue(isoUtc(e.lastRefresh->sourceAsOf))
                : QJsonValue();
        object[QStringLiteral("last_refresh")] = last;
    } else {
        object[QStringLiteral("last_refresh")] = QJsonValue();
    }
    object[QStringLiteral("freshness")] = QString::fromLatin1(freshnessName(e.freshness));
    object[QStringLiteral("age_seconds")] =
            e.age ? QJsonValue(static_cast<double>(e.age->count())) : QJsonValue();
    // "cdc": the age is the stream's lag (cdc run streams into the region); else "refresh".
    object[QStringLiteral("freshness_source")]
            = e.role == EndpointRole::Region
                      ? QJsonValue(QString::fromLatin1(freshnessSourceName(e.freshnessSource)))
                      : QJsonValue();
    object[QStringLiteral("freshness_sla_seconds")] =
            e.sla ? QJsonValue(static_cast<double>(e.sla->count())) : QJsonValue();
    object[QStringLiteral("error")] = jsonString(e.error);
    return object;
}

} // namespace

std::string toJson(const StatusReport &report)
{
    QJsonArray endpoints;
    for (const auto &endpoint : report.endpoints)
        endpoints.append(endpointJson(endpoint));
    QJsonObject root;
    root[QStringLiteral("checked_at")] = isoUtc(report.checkedAt);
    root[QStringLiteral("endpoints")] = endpoints;
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

std::string humanBytes(std::int64_t bytes)
{
    static constexpr std::array units = {"B", "kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000.0 && unit + 1 < units.size()) {
        value /= 1000.0;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

std::string humanDuration(std::chrono::seconds duration)
{
    const auto total = duration.count();
    const auto days = total / 86400;
    const auto hours = (total % 86400) / 3600;
    const auto minutes = (total % 3600) / 60;
    if (days > 0)
        return fmt::format("{}d {}h", days, hours);
    if (hours > 0)
        return fmt::format("{}h {}m", hours, minutes);
    if (minutes > 0)
        return fmt::format("{}m {}s", minutes, total % 60);
    return fmt::format("{}s", total);
}

std::string toTable(const StatusReport &report)
{
    const std::vector<std::string> header = {"NAME",    "ROLE",     "REACHABLE", "VERSION", "SIZE",
                                             "REFRESHED", "SNAPSHOT", "AGE",       "SLA",     "FRESHNESS"};
    std::vector<std::vector<std::string>> rows;
    for (const auto &e : report.endpoints) {
        rows.push_back({e.name,
                        roleName(e.role),
                        e.reachable ? "yes" : "NO",
                        e.reachable ? e.serverVersion : "-",
                        e.reachable ? humanBytes(e.sizeBytes) : "-",
                        e.lastRefresh ? e.lastRefresh->finishedAt.toUTC()
                                                .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
                                                .toStdString()
                                      : "-",
                        e.lastRefresh ? e.lastRefresh->snapshot : "-",
                        e.age ? humanDuration(*e.age)
                                        + (e.freshnessSource == FreshnessSource::Cdc ? " (CDC)"
                                                                                    : "")
                              : "-",
                        e.sla ? humanDuration(*e.sla) : "-",
                        e.role == EndpointRole::Region ? freshnessName(e.freshness) : "-"});
    }
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        widths[c] = header[c].size();
        for (const auto &row : rows)
            widths[c] = std::max(widths[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string> &cells) {
        std::string text;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            text += cells[c];
            if (c + 1 < cells.size())
                text += std::string(widths[c] - cells[c].size() + 2, ' ');
        }
        return text + '\n';
    };
    std::string out = line(header);
    for (const auto &row : rows)
        out += line(row);
    for (const auto &e : report.endpoints) {
        if (e.error)
            out += "error: " + *e.error + '\n';
    }
    return out;
}

} // namespace envsync::status
