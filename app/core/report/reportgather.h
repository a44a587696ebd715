#pragma once

#include "core/config/config.h"
#include "core/job/canceltoken.h"
#include "core/report/reportmodel.h"

#include <QDateTime>

#include <memory>
#include <optional>

namespace envsync::report {

struct GatherOptions
{
    QDateTime nowUtc = QDateTime::currentDateTimeUtc();
    std::optional<QDateTime> fromUtc; ///< default: 30 days before `to`
    std::optional<QDateTime> toUtc;   ///< default: now
};

/// The period GatherOptions describes (30 days up to now unless given).
[[nodiscard]] Period periodOf(const GatherOptions &options);

/// Gathers the report from the estate: status probes (reachability, last successful refresh),
/// refresh history, drift against golden, next windows and blackouts, ephemeral environments.
/// Probes run in parallel; an unreachable region or an unreadable control database is recorded
/// in the report and never stops the others. Blocking: call it from a worker.
/// `cancel` cancels the probes and drift reads in flight; the report then says so
/// (FreshnessReport::cancelled) and must not be shown as complete.
[[nodiscard]] FreshnessReport gatherReport(const config::Config &config,
                                           const GatherOptions &options = {},
                                           const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::report
