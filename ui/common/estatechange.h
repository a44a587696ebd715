#pragma once

#include <QMetaType>

namespace envsync::ui {

/// What a finished job changed in the estate. MainWindow passes it to every view that shows
/// that part, so none keeps showing what was true before the job (the drift heatmap re-checks,
/// catalogues reload, the dashboard probes again).
enum class EstateChange {
    Snapshot,    ///< a golden snapshot was made (the drift reference may be a newer one)
    Region,      ///< a region's database was refreshed or rolled back
    Environment, ///< an ephemeral environment was created or dropped
};

} // namespace envsync::ui

Q_DECLARE_METATYPE(envsync::ui::EstateChange)
