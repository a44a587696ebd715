#include "ui/calendar/calendarcontroller.h"

#include "core/config/configloader.h"
#include "core/config/windoweditor.h"
#include "core/refresh/refreshhistory.h"
#include "core/schedule/expecteddurations.h"
#include "core/schedule/icsexport.h"
#include "core/util/savefile.h"

#include "ui/common/watcherresult.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

/// Refresh records read per region: enough to cover a month of windows with retries.
constexpr int historyRows = 200;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

/// History and expected durations: the control database may be down or not created yet; the
/// calendar is still worth showing without them, so failures become a warning.
void readControlData(const config::Config &config, CalendarData &data)
{
    auto expected = schedule::expectedDurations(config);
    if (!expected) {
        data.warning
                = QStringLiteral("Refresh history unavailable: ") + qs(expected.error().describe());
        return;
    }
    data.expected = std::move(*expected);
    for (const config::RegionConfig &region : config.regions) {
        auto history = refresh::regionHistory(config, region.name, historyRows);
        if (!history) {
            data.warning = QStringLiteral("Refresh history unavailable: ")
                           + qs(history.error().describe());
            return;
        }
        data.history[region.name] = std::move(*history);
    }
}

void runLoad(QPromise<CalendarData> &promise, std::shared_ptr<const config::Config> config,
             QDateTime fromUtc, QDateTime toUtc)
{
    CalendarData data;
    data.config = config;
    try {
        readControlData(*config, data);
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
    promise.addResult(std::move(data));
}

void runSave(QPromise<CalendarSaveOutcome> &promise, std::string path, QString region,
             config::WindowConfig window)
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
    promise.addResult(std::move(outcome));
}

void runExport(QPromise<CalendarExportOutcome> &promise, QString path, CalendarData data)
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
    promise.addResult(std::move(outcome));
}


} // namespace

CalendarController::CalendarController(QObject *parent)
    // 2 workers: a load next to a save or an export
    : ConfigJobController(2, QStringLiteral("envsync-calendar-workers"), parent)
{}

void CalendarController::clearWatchers()
{
    m_loadWatcher = m_saveWatcher = nullptr;
}

bool CalendarController::load(const QDateTime &fromUtc, const QDateTime &toUtc)
{
    if (!m_config)
        return false;
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<CalendarData>(this);
    m_loadWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_generation || watcher != m_loadWatcher)
            return; // superseded by a newer range or config
        m_loadWatcher = nullptr;
        emit busyChanged();
        CalendarData data = resultOf(watcher, "building the calendar");
        if (!data.error.isEmpty())
            spdlog::error("calendar: {}", data.error.toStdString());
        else if (!data.warning.isEmpty())
            spdlog::warn("calendar: {}", data.warning.toStdString());
        emit loaded(data);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runLoad, m_config, fromUtc, toUtc));
    emit busyChanged();
    return true;
}

bool CalendarController::saveWindow(const QString &region, const config::WindowConfig &window)
{
    if (!m_config || m_saveWatcher)
        return false;
    spdlog::info("calendar: moving the window of {} to {}", region.toStdString(), window.rrule);
    auto *watcher = new QFutureWatcher<CalendarSaveOutcome>(this);
    m_saveWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_saveWatcher = nullptr;
        CalendarSaveOutcome outcome = resultOf(watcher, "saving the window");
        if (outcome.error.isEmpty()) {
            spdlog::info("calendar: saved the window of {}", outcome.region.toStdString());
            m_config = outcome.config;
        } else {
            spdlog::error("calendar: {}", outcome.error.toStdString());
        }
        emit busyChanged();
        emit saved(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runSave, m_config->path, region, window));
    emit busyChanged();
    return true;
}

bool CalendarController::exportIcs(const QString &path, const CalendarData &data)
{
    if (!data.config || path.isEmpty())
        return false;
    auto *watcher = new QFutureWatcher<CalendarExportOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const CalendarExportOutcome outcome = resultOf(watcher, "exporting the calendar");
        if (outcome.error.isEmpty())
            spdlog::info("calendar: exported {} windows to {}", outcome.events,
                         outcome.path.toStdString());
        else
            spdlog::error("calendar: {}", outcome.error.toStdString());
        emit exported(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runExport, path, data));
    return true;
}

} // namespace envsync::ui
