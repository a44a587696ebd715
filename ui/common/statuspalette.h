#pragma once

#include "core/status/endpointstatus.h"

#include <QColor>
#include <QString>

namespace envsync::ui {

/// Colours and words for endpoint states. Pure (no painting), so tests check the mapping and
/// every view (table, tree, chart, icons) agrees on what "amber" means.
struct StatusPalette
{
    /// ok green, due amber, overdue red, unknown grey.
    [[nodiscard]] static QColor freshnessColor(status::Freshness freshness);
    /// Reachable source/golden (no SLA of their own).
    [[nodiscard]] static QColor reachableColor();
    [[nodiscard]] static QColor unreachableColor();
    /// A probe in flight.
    [[nodiscard]] static QColor pendingColor();
    /// The SLA marker in the chart.
    [[nodiscard]] static QColor slaColor();

    /// "ok", "due", "overdue", "unknown" (the CLI's words).
    [[nodiscard]] static QString freshnessText(status::Freshness freshness);
    /// "Source", "Golden", "Region".
    [[nodiscard]] static QString roleText(status::EndpointRole role);
    /// Sort key: worse is larger (unknown sits between ok and due: it needs a look).
    [[nodiscard]] static int freshnessSeverity(status::Freshness freshness);
};

} // namespace envsync::ui
