#include "ui/cdc/cdccontroller.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString pollKey = QStringLiteral("poll");
const QString pauseKey = QStringLiteral("pause");

CdcPoll runPoll(const std::shared_ptr<const config::Config> &config,
                const std::shared_ptr<job::CancelToken> &cancel)
{
    CdcPoll poll;
    poll.at = QDateTime::currentDateTimeUtc();
    try {
        auto status = cdc::readCdcStatus(*config, cancel);
        if (status)
            poll.status = std::move(*status);
        else
            poll.error = QString::fromStdString(status.error().describe());
    } catch (const std::exception &e) {
        poll.error
                = QStringLiteral("reading the CDC status failed: ") + QString::fromUtf8(e.what());
    }
    return poll;
}

QString runSetPaused(const std::shared_ptr<const config::Config> &config, const QString &region,
                     bool paused)
{
    try {
        auto written = cdc::setRegionPaused(*config, region.toStdString(), paused);
        return written ? QString() : QString::fromStdString(written.error().describe());
    } catch (const std::exception &e) {
        return QStringLiteral("%1 failed: %2")
                .arg(paused ? QStringLiteral("pause") : QStringLiteral("resume"),
                     QString::fromUtf8(e.what()));
    }
}

} // namespace

CdcController::CdcController(QObject *parent)
    // 2 workers: a pause next to a poll
    : ConfigJobController(2, QStringLiteral("envsync-cdc-workers"), {pollKey}, parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(pollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &CdcController::pollNow);
}

void CdcController::useConfig(std::shared_ptr<const config::Config> config)
{
    m_timer.stop();
    setConfig(std::move(config));
    m_history.clear();
    m_last = {};
    if (m_polling)
        pollNow();
}

void CdcController::setPolling(bool on)
{
    m_polling = on;
    if (on)
        pollNow();
    else
        m_timer.stop();
}

bool CdcController::isPollBusy() const
{
    return m_jobs.busy(pollKey);
}

bool CdcController::isPauseBusy() const
{
    return m_jobs.busy(pauseKey);
}

bool CdcController::pollNow()
{
    if (!m_config)
        return false;
    m_timer.stop();
    if (isPollBusy())
        return true; // not stacked: its result comes soon enough
    m_jobs.start<CdcPoll>(
            pollKey,
            [config = m_config](const JobContext &context) {
                return runPoll(config, context.cancel);
            },
            [this](CdcPoll poll) { deliver(std::move(poll)); });
    return true;
}

void CdcController::deliver(CdcPoll poll)
{
    if (poll.status)
        m_history.add(*poll.status, poll.at);
    else
        m_history.addGap(poll.at);
    if (!poll.error.isEmpty() && poll.error != m_last.error)
        spdlog::warn("cdc: {}", poll.error.toStdString());
    m_last = std::move(poll);
    ++m_delivered;
    if (m_polling)
        m_timer.start();
    emit polled();
}

bool CdcController::setPaused(const QString &region, bool paused)
{
    if (!m_config || region.isEmpty() || isPauseBusy())
        return false;
    m_jobs.start<QString>(
            pauseKey,
            [config = m_config, region, paused](const JobContext &) {
                return runSetPaused(config, region, paused);
            },
            [this, region, paused](QString error) {
                if (error.isEmpty())
                    spdlog::info("cdc: {} {}", paused ? "paused" : "resumed", region.toStdString());
                else
                    spdlog::error("cdc: {}", error.toStdString());
                emit pauseFinished(region, paused, error);
                pollNow();
            });
    return true;
}

} // namespace envsync::ui
