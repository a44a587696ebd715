#include "core/report/reportjson.h"

#include "core/report/reportformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace envsync::report {

using namespace Qt::StringLiterals;

namespace {

QJsonValue text(const std::string &value)
{
    return QString::fromStdString(value);
}

QJsonValue optionalText(const std::optional<std::string> &value)
{
    return value ? text(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue time(const QDateTime &utc)
{
    return utc.isValid() ? text(isoTime(utc)) : QJsonValue(QJsonValue::Null);
}

QJsonValue seconds(std::optional<std::chrono::seconds> value)
{
    return value ? QJsonValue(static_cast<double>(value->count())) : QJsonValue(QJsonValue::Null);
}

QJsonObject driftObject(const drift::SeverityCounts &counts)
{
    return {{u"breaking"_s, counts.breaking},
            {u"warning"_s, counts.warning},
            {u"info"_s, counts.info}};
}

QJsonObject refreshObject(const RefreshEntry &entry)
{
    return {{u"started_at"_s, time(entry.startedAt)},
            {u"finished_at"_s, time(entry.finishedAt)},
            {u"duration_seconds"_s, seconds(entry.duration())},
            {u"snapshot"_s, text(entry.snapshot)},
            {u"result"_s, text(entry.result)},
            {u"by"_s, text(entry.actor)}};
}

QJsonObject regionObject(const RegionReport &region)
{
    QJsonArray refreshes;
    for (const RefreshEntry &entry : region.periodRefreshes)
        refreshes.append(refreshObject(entry));
    QJsonArray notes;
    for (const std::string &note : region.notes())
        notes.append(text(note));
    QJsonValue nextWindow = QJsonValue::Null;
    if (region.nextWindow) {
        nextWindow = QJsonObject{{u"start"_s, time(region.nextWindow->startUtc)},
                                 {u"end"_s, time(region.nextWindow->endUtc)},
                                 {u"blackout"_s, optionalText(region.nextWindow->blackout)}};
    }
    return {{u"name"_s, text(region.name)},
            {u"owner"_s, text(region.owner)},
            {u"status"_s, text(region.statusText())},
            {u"reachable"_s, region.reachable},
            {u"error"_s, optionalText(region.error)},
            {u"freshness"_s, text(status::freshnessName(region.freshness))},
            {u"data_as_of"_s, time(region.dataAsOf)},
            {u"snapshot"_s,
             region.snapshot.empty() ? QJsonValue(QJsonValue::Null) : text(region.snapshot)},
            {u"age_seconds"_s, seconds(region.age)},
            {u"age"_s, text(region.ageText())},
            {u"freshness_source"_s, text(status::freshnessSourceName(region.freshnessSource))},
            {u"sla_seconds"_s, static_cast<double>(region.sla.count())},
            {u"last_refresh"_s, region.lastRefresh ? QJsonValue(refreshObject(*region.lastRefresh))
                                                   : QJsonValue(QJsonValue::Null)},
            {u"next_window"_s, nextWindow},
            {u"refreshes_in_period"_s, static_cast<int>(region.periodRefreshes.size())},
            {u"failures_in_period"_s, region.failuresInPeriod()},
            {u"refreshes"_s, refreshes},
            {u"history_error"_s, optionalText(region.historyError)},
            {u"drift"_s,
             region.drift ? QJsonValue(driftObject(*region.drift)) : QJsonValue(QJsonValue::Null)},
            {u"drift_error"_s, optionalText(region.driftError)},
            {u"notes"_s, notes}};
}

QJsonObject summaryObject(const EstateSummary &summary)
{
    return {{u"text"_s, text(summary.text())},
            {u"regions"_s, summary.regions},
            {u"ok"_s, summary.ok},
            {u"due"_s, summary.due},
            {u"overdue"_s, summary.overdue},
            {u"unknown"_s, summary.unknown},
            {u"unreachable"_s, summary.unreachable},
            {u"refreshes"_s, summary.refreshes},
            {u"failures"_s, summary.failures},
            {u"drift"_s, driftObject(summary.drift)},
            {u"environments_alive"_s, summary.environmentsAlive
                                              ? QJsonValue(*summary.environmentsAlive)
                                              : QJsonValue(QJsonValue::Null)},
            {u"environments_error"_s, optionalText(summary.environmentsError)}};
}

} // namespace

std::string toJson(const FreshnessReport &report)
{
    QJsonArray regions;
    for (const RegionReport &region : report.regions)
        regions.append(regionObject(region));
    const QJsonObject root{{u"version"_s, reportSchemaVersion},
                           {u"generated_at"_s, time(report.generatedAt)},
                           {u"period"_s, QJsonObject{{u"from"_s, time(report.period.fromUtc)},
                                                     {u"to"_s, time(report.period.toUtc)}}},
                           {u"drift_reference"_s, text(report.driftReference)},
                           {u"needs_attention"_s, report.needsAttention()},
                           {u"summary"_s, summaryObject(report.summary)},
                           {u"regions"_s, regions}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

} // namespace envsync::report
