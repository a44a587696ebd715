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
    /// The same states as text colours on the light base: darker where the fill colour would
    /// miss WCAG AA (4.5:1) against white — amber "due" text is dark amber, not yellow.
    [[nodiscard]] static QColor freshnessTextColor(status::Freshness freshness);
    /// WCAG 2 contrast ratio of two opaque colours (1..21).
    [[nodiscard]] static double contrastRatio(const QColor &a, const QColor &b);
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
