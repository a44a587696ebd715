#include "ui/calendar/calendarcontroller.h"

#include "core/config/configloader.h"
#include "core/config/windoweditor.h"
#include "core/refresh/refreshhistory.h"
#include "core/schedule/expecteddurations.h"
#include "core/schedule/icsexport.h"
#include "core/util/savefile.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString loadKey = QStringLiteral("load");
const QString saveKey = QStringLiteral("save");

/// Refresh records read per region: enough to cover a month of windows with retries.
constexpr int historyRows = 200;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// History and expected durations: the control database may be down or not created yet; the
/// calendar is still worth showing without them, so failures become a warning.
void readControlData(const config::Config &config, CalendarData &data,
                     const std::shared_ptr<job::CancelToken> &cancel)
{
    auto expected = schedule::expectedDurations(config, cancel);
    if (!expected) {
        data.warning
                = QStringLiteral("Refresh history unavailable: ") + qs(expected.error().describe());
        return;
    }
    data.expected = std::move(*expected);
    for (const config::RegionConfig &region : config.regions) {
        auto history = refresh::regionHistory(config, region.name, historyRows, cancel);
        if (!history) {
            data.warning = QStringLiteral("Refresh history unavailable: ")
                           + qs(history.error().describe());
            return;
        }
        data.history[region.name] = std::move(*history);
    }
}

CalendarData runLoad(std::shared_ptr<const config::Config> config, QDateTime fromUtc,
                     QDateTime toUtc, const std::shared_ptr<job::CancelToken> &cancel)
{
    CalendarData data;
    data.config = config;
    try {
        readControlData(*config, data, cancel);
        auto calendar = schedule::buildCalendar(*config, fromUtc, toUtc, data.expected);
        if (calendar) {
            data.calendar = std::move(*calendar);
            data.conflicts = schedule::findConflicts(*config, data.calendar);
        } else {
            data.error = qs(calendar.error().describe());
        }
    } catch (const std::exception &e) {
        data.error = QStringLiteral("building the calendar failed: ") + QString::fromUtf8(e.what());
    }
    return data;
}

CalendarSaveOutcome runSave(std::string path, QString region, config::WindowConfig window)
{
    CalendarSaveOutcome outcome;
    outcome.region = region;
    try {
        if (auto written = config::saveRegionWindow(path, region.toStdString(), window); !written) {
            outcome.error = qs(written.error().describe());
        } else if (auto reread = config::loadConfigFile(path); !reread) {
            outcome.error = qs(reread.error().front().format());
        } else {
            outcome.config = std::make_shared<const config::Config>(std::move(*reread));
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("saving the window failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

CalendarExportOutcome runExport(QString path, CalendarData data)
{
    CalendarExportOutcome outcome;
    outcome.path = path;
    try {
        const std::string ics = schedule::calendarToIcs(data.calendar, *data.config);
        if (auto saved = util::saveFile(path.toStdString(), ics); !saved)
            outcome.error = qs(saved.error().describe());
        for (const schedule::RegionCalendar &region : data.calendar.regions)
            outcome.events += static_cast<int>(region.windows.size());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("exporting failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace

CalendarController::CalendarController(QObject *parent)
    // 2 workers: a load next to a save or an export
    : ConfigJobController(2, QStringLiteral("envsync-calendar-workers"), {loadKey}, parent)
{}

bool CalendarController::isLoading() const
{
    return m_jobs.busy(loadKey);
}

bool CalendarController::isSaving() const
{
    return m_jobs.busy(saveKey);
}

bool CalendarController::load(const QDateTime &fromUtc, const QDateTime &toUtc)
{
    if (!m_config)
        return false;
    m_jobs.start<CalendarData>(
            loadKey,
            [config = m_config, fromUtc, toUtc](const JobContext &context) {
                return runLoad(config, fromUtc, toUtc, context.cancel);
            },
            [this](CalendarData data) {
                if (!data.error.isEmpty())
                    spdlog::error("calendar: {}", data.error.toStdString());
                else if (!data.warning.isEmpty())
                    spdlog::warn("calendar: {}", data.warning.toStdString());
                emit loaded(data);
            });
    return true;
}

bool CalendarController::saveWindow(const QString &region, const config::WindowConfig &window)
{
    if (!m_config || isSaving())
        return false;
    spdlog::info("calendar: moving the window of {} to {}", region.toStdString(), window.rrule);
    m_jobs.start<CalendarSaveOutcome>(
            saveKey,
            [path = m_config->path, region, window](const JobContext &) {
                return runSave(path, region, window);
            },
            [this](CalendarSaveOutcome outcome) {
                if (outcome.error.isEmpty()) {
                    spdlog::info("calendar: saved the window of {}", outcome.region.toStdString());
                    m_config = outcome.config;
                } else {
                    spdlog::error("calendar: {}", outcome.error.toStdString());
                }
                emit saved(outcome);
            });
    return true;
}

bool CalendarController::exportIcs(const QString &path, const CalendarData &data)
{
    if (!data.config || path.isEmpty())
        return false;
    // Keyed by the file: exporting it again supersedes the older write's report.
    m_jobs.start<CalendarExportOutcome>(
            QStringLiteral("export:") + path,
            [path, data](const JobContext &) { return runExport(path, data); },
            [this](CalendarExportOutcome outcome) {
                if (outcome.error.isEmpty())
                    spdlog::info("calendar: exported {} windows to {}", outcome.events,
                                 outcome.path.toStdString());
                else
                    spdlog::error("calendar: {}", outcome.error.toStdString());
                emit exported(outcome);
            });
    return true;
}

} // namespace envsync::ui
