#pragma once

#include "core/status/endpointstatus.h"

#include <QColor>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace envsync::ui {

/// Status icons for the tree and the table, drawn with QPainter (crisp at any DPI, no files).
/// Colour and glyph both carry the state, so colour-blind users can tell them apart.
class StatusIcons
{
public:
    enum class Kind {
        Pending,     ///< probe in flight: blue ring with dots
        Unreachable, ///< red ring with a cross
        Reachable,   ///< source/golden reachable: green with a tick
        Ok,          ///< region fresh: green with a tick
        Due,         ///< region due: amber with a clock hand
        Overdue,     ///< region overdue: red with "!"
        Unknown,     ///< region reachable, freshness unknown: grey with "?"
    };

    /// The icon kind of an endpoint; `pending` while its probe of this round is in flight.
    [[nodiscard]] static Kind kindFor(const status::EndpointStatus &endpoint, bool pending);
    /// The more alarming of two kinds (for group rows): unreachable > overdue > due > unknown >
    /// pending > ok/reachable.
    [[nodiscard]] static Kind worse(Kind a, Kind b);
    [[nodiscard]] static QColor colorFor(Kind kind);
    /// One word for tooltips and accessibility: "probing", "unreachable", "overdue", ...
    [[nodiscard]] static QString describe(Kind kind);

    /// Cached; GUI thread only.
    [[nodiscard]] static QIcon icon(Kind kind);
    /// Paints one icon at `size` device-independent pixels.
    [[nodiscard]] static QPixmap pixmap(Kind kind, int size, qreal devicePixelRatio = 1.0);

private:
    [[nodiscard]] static int severity(Kind kind);
};

} // namespace envsync::ui
