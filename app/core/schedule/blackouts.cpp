#include "core/schedule/blackouts.h"

#include "core/schedule/zonedtime.h"

#include <QTimeZone>

#include <algorithm>

namespace envsync::schedule {

namespace {

bool appliesTo(const config::BlackoutConfig &blackout, const std::string &region)
{
    return blackout.regions.empty()
            || std::ranges::find(blackout.regions, region) != blackout.regions.end();
}

} // namespace

Result<std::vector<BlackoutInterval>> blackoutsFor(const config::Config &config,
                                                   const config::RegionConfig &region)
{
    std::vector<BlackoutInterval> out;
    const QTimeZone zone(QByteArray::fromStdString(region.timezone));
    if (!zone.isValid())
        return fail(ErrorCode::Config, "unknown time zone " + region.timezone,
                    "region " + region.name);
    for (const config::BlackoutConfig &blackout : config.blackouts) {
        if (!appliesTo(blackout, region.name))
            continue;
        const QDate from = QDate::fromString(QString::fromStdString(blackout.from), Qt::ISODate);
        const QDate to = QDate::fromString(QString::fromStdString(blackout.to), Qt::ISODate);
        if (!from.isValid() || !to.isValid() || to < from)
            return fail(ErrorCode::Config,
                        "invalid blackout " + blackout.from + " .. " + blackout.to,
                        "region " + region.name);
        // zonedToUtc: in zones whose DST change is at midnight, 00:00 may not exist that day.
        out.push_back({zonedToUtc(from, QTime(0, 0), zone),
                       zonedToUtc(to.addDays(1), QTime(0, 0), zone), blackout.reason,
                       blackout.location});
    }
    return out;
}

Result<std::optional<BlackoutInterval>> blackoutAt(const config::Config &config,
                                                   const config::RegionConfig &region,
                                                   const QDateTime &nowUtc)
{
    auto blackouts = blackoutsFor(config, region);
    if (!blackouts)
        return std::unexpected(blackouts.error());
    for (const BlackoutInterval &blackout : *blackouts) {
        if (blackout.contains(nowUtc))
            return std::optional<BlackoutInterval>(blackout);
    }
    return std::optional<BlackoutInterval>();
}

} // namespace envsync::schedule
