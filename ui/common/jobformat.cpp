#include "ui/common/jobformat.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace envsync::ui::jobformat {

QString duration(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return QStringLiteral("—");
    if (seconds < 1)
        return QStringLiteral("%1 ms").arg(std::lround(seconds * 1000));
    const long total = std::lround(seconds);
    if (total < 60)
        return QStringLiteral("%1 s").arg(total);
    if (total < 3600)
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min")
            .arg(total / 3600)
            .arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString bytes(std::int64_t value)
{
    return QLocale().formattedDataSize(value, 1, QLocale::DataSizeSIFormat);
}

QString count(std::int64_t value)
{
    return QLocale().toString(static_cast<qlonglong>(value));
}

QString rowRate(double rowsPerSecond)
{
    if (rowsPerSecond <= 0 || !std::isfinite(rowsPerSecond))
        return QStringLiteral("—");
    return QStringLiteral("%1 rows/s").arg(count(std::llround(rowsPerSecond)));
}

int overallPercent(const job::Progress &progress)
{
    switch (progress.phase) {
    case job::Phase::Preparing:
        return 0;
    case job::Phase::Schema:
        return 2;
    case job::Phase::Data: {
        if (progress.rowsEstimated <= 0)
            return 5;
        const double share = static_cast<double>(progress.rowsDone)
                / static_cast<double>(progress.rowsEstimated);
        return 5 + static_cast<int>(std::clamp(share, 0.0, 1.0) * 85.0);
    }
    case job::Phase::Indexes: {
        if (progress.postDataTotal <= 0)
            return 91;
        const double share = static_cast<double>(progress.postDataDone)
                / static_cast<double>(progress.postDataTotal);
        return 90 + static_cast<int>(std::clamp(share, 0.0, 1.0) * 5.0);
    }
    case job::Phase::Constraints:
        return 95;
    case job::Phase::Sequences:
        return 97;
    case job::Phase::Done:
        return 100;
    }
    return 0;
}

QString phaseLabel(job::Phase phase)
{
    const std::string_view name = job::phaseName(phase);
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

QString progressSummary(const job::Progress &progress)
{
    QStringList parts;
    parts << phaseLabel(progress.phase);
    parts << (progress.rowsEstimated > progress.rowsDone
                      ? QStringLiteral("%1 / ~%2 rows")
                                .arg(count(progress.rowsDone), count(progress.rowsEstimated))
                      : QStringLiteral("%1 rows").arg(count(progress.rowsDone)));
    parts << bytes(progress.bytesDone);
    if (progress.rowsPerSecond > 0)
        parts << rowRate(progress.rowsPerSecond);
    if (progress.phase == job::Phase::Data && progress.etaSeconds >= 0)
        parts << QStringLiteral("ETA %1").arg(duration(progress.etaSeconds));
    parts << QStringLiteral("%1/%2 tables").arg(progress.tablesDone).arg(progress.tablesTotal);
    parts << QStringLiteral("%1 elapsed").arg(duration(progress.elapsedSeconds));
    return parts.join(QStringLiteral(" · "));
}

} // namespace envsync::ui::jobformat
