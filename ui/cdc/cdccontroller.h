#pragma once

#include "core/cdc/cdcstatus.h"
#include "ui/cdc/cdchistory.h"
#include "ui/common/configjobcontroller.h"

#include <QDateTime>
#include <QString>
#include <QTimer>

#include <optional>

namespace envsync::ui {

/// One poll of the CDC figures (or why it failed).
struct CdcPoll
{
    std::optional<cdc::CdcStatus> status;
    QString error;
    QDateTime at; ///< UTC, when the poll started
};

/// Polls `cdc status` figures (readCdcStatus) and pauses/resumes regions, off the GUI thread.
///
/// Every job runs on the JobTracker with its own connections. Polls never overlap: the next one
/// is scheduled pollIntervalMs after the previous one delivered, so a slow poll is never stacked.
/// A new config discards a poll in flight and clears the samples. Signals on the GUI thread.
class CdcController : public ConfigJobController
{
    Q_OBJECT

public:
    static constexpr int pollIntervalMs = 2000;

    explicit CdcController(QObject *parent = nullptr);

    /// Takes `config` for the next polls; the samples of the previous estate are dropped.
    void useConfig(std::shared_ptr<const config::Config> config);
    /// Polls now and then every pollIntervalMs while on (the view: while it is visible).
    void setPolling(bool on);
    [[nodiscard]] bool isPolling() const { return m_polling; }
    /// Starts a poll unless one runs (then that one's result is as new); false without config.
    bool pollNow();
    [[nodiscard]] bool isPollBusy() const;
    /// `cdc pause` / `cdc resume` of `region`; ends with pauseFinished, then a poll.
    bool setPaused(const QString &region, bool paused);
    [[nodiscard]] bool isPauseBusy() const;

    [[nodiscard]] const CdcHistory &history() const { return m_history; }
    [[nodiscard]] const CdcPoll &lastPoll() const { return m_last; }
    [[nodiscard]] int pollsDelivered() const { return m_delivered; }

signals:
    void polled();
    /// `error` is empty when the flag was written.
    void pauseFinished(const QString &region, bool paused, const QString &error);

private:
    void deliver(CdcPoll poll);

    QTimer m_timer;
    CdcHistory m_history;
    CdcPoll m_last;
    bool m_polling = false;
    int m_delivered = 0;
};

} // namespace envsync::ui
