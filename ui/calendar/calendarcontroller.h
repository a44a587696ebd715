#pragma once

#include "ui/common/configjobcontroller.h"

#include "core/config/config.h"
#include "core/db/controldb.h"
#include "core/schedule/calendar.h"
#include "core/schedule/conflicts.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envsync::ui {

/// Everything the Calendar tab draws for one range.
struct CalendarData
{
    std::shared_ptr<const config::Config> config;
    schedule::Calendar calendar;
    schedule::ExpectedDurations expected;
    std::vector<schedule::Conflict> conflicts;
    /// Region → its refresh history, newest first (empty when the control DB was unreadable).
    std::map<std::string, std::vector<db::RefreshRecord>> history;
    QString error;   ///< no calendar: a bad rule, zone or blackout
    QString warning; ///< the calendar is shown, but without history / expected durations
};

struct CalendarSaveOutcome
{
    QString region;
    std::shared_ptr<const config::Config> config; ///< the file as read back after the save
    QString error;
};

struct CalendarExportOutcome
{
    QString path;
    int events = 0;
    QString error;
};

/// Loads the calendar (history and expected durations from the control database, then the
/// pure engine: windows, blackouts, conflicts), saves a moved window to the config file and
/// writes ICS exports, all off the GUI thread.
///
/// Threading contract, as the other controllers: every job runs on the JobTracker and opens its
/// own connections; a newer load or config supersedes a load; one save at a time, never
/// superseded. The destructor cancels every job and waits for the workers. All signals are
/// emitted on the GUI thread.
class CalendarController : public ConfigJobController
{
    Q_OBJECT

public:
    explicit CalendarController(QObject *parent = nullptr);

    /// Builds the calendar of [fromUtc, toUtc); ends with loaded.
    bool load(const QDateTime &fromUtc, const QDateTime &toUtc);
    /// Rewrites the region's window in the config file and reads the file back; ends with
    /// saved (the controller then holds the new config). False while a save runs.
    bool saveWindow(const QString &region, const config::WindowConfig &window);
    /// Writes `data`'s calendar as iCalendar to `path`; ends with exported.
    bool exportIcs(const QString &path, const CalendarData &data);

    [[nodiscard]] bool isLoading() const;
    [[nodiscard]] bool isSaving() const;

signals:
    void loaded(const envsync::ui::CalendarData &data);
    void saved(const envsync::ui::CalendarSaveOutcome &outcome);
    void exported(const envsync::ui::CalendarExportOutcome &outcome);
};

} // namespace envsync::ui
