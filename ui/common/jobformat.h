#pragma once

#include "core/job/progress.h"

#include <QString>

#include <cstdint>

namespace envsync::ui::jobformat {

/// "850 ms", "42 s", "3 min 05 s", "2 h 07 min"; "—" for a negative (unknown) duration.
[[nodiscard]] QString duration(double seconds);
/// "12.3 MB" (QLocale's IEC-free decimal units, as database sizes are usually quoted).
[[nodiscard]] QString bytes(std::int64_t bytes);
/// "12,345" with the locale's group separator.
[[nodiscard]] QString count(std::int64_t value);
/// "45,200 rows/s"; "—" when 0 (nothing measured yet).
[[nodiscard]] QString rowRate(double rowsPerSecond);

/// 0..100 over the whole copy: the data phase by rows (5..90), the other phases by their
/// place in the sequence (schema, data, indexes, constraints, sequences, analyze, done).
[[nodiscard]] int overallPercent(const job::Progress &progress);
/// The phase as shown to people ("data", "indexes", …).
[[nodiscard]] QString phaseLabel(job::Phase phase);
/// "data · 1,234 / ~2,500 rows · 1.2 MB · 450 rows/s · ETA 3 s · 3/7 tables · 5 s elapsed"
[[nodiscard]] QString progressSummary(const job::Progress &progress);

} // namespace envsync::ui::jobformat
