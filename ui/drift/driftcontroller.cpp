#include "ui/drift/driftcontroller.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString checkKey = QStringLiteral("check");

/// Worker: snapshot the reference and every region, diff them; each region done is posted.
DriftOutcome runDriftCheck(const JobContext &context, const config::Config &config,
                           const drift::DriftRequest &request,
                           const std::function<void(const QString &, int)> &onRegion)
{
    DriftOutcome outcome;
    if (job::cancelled(context.cancel))
        return outcome; // superseded before it started
    try {
        auto result = drift::checkDrift(
                config, request,
                [&](const std::string &region, int done, int) {
                    onRegion(QString::fromStdString(region), done);
                },
                context.cancel);
        if (result)
            outcome.report = std::make_shared<const drift::DriftReport>(std::move(*result));
        else
            outcome.error = QString::fromStdString(result.error().describe());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("drift check failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace

DriftController::DriftController(QObject *parent)
    : QObject(parent)
{
    connect(&m_jobs, &JobTracker::busyChanged, this,
            [this](const QString &, bool busy) { emit runningChanged(busy); });
    connect(&m_jobs, &JobTracker::jobFailed, this,
            [this](const QString &, const QString &message) { emit checkFailed(message); });
}

DriftController::~DriftController() = default;

void DriftController::setConfig(std::shared_ptr<const config::Config> config)
{
    m_jobs.discard(checkKey);
    m_config = std::move(config);
    m_report.reset();
}

std::vector<std::string> DriftController::regionNames() const
{
    std::vector<std::string> names;
    if (m_config) {
        for (const auto &region : m_config->regions)
            names.push_back(region.name);
    }
    return names;
}

void DriftController::cancel()
{
    if (!m_jobs.discard(checkKey))
        return;
    spdlog::info("drift check cancelled");
    emit checkCancelled();
}

bool DriftController::check(drift::Reference against)
{
    if (!m_config) {
        spdlog::warn("no drift check: no config is open");
        return false;
    }
    const int total = static_cast<int>(m_config->regions.size());
    spdlog::info("checking schema drift of {} region(s) against the {}", total,
                 against == drift::Reference::Golden ? "golden snapshot" : "source");
    auto onRegion = [this, total](const QString &region, int done) {
        if (done > 0)
            emit regionChecked(region, done, total);
    };
    m_jobs.start<DriftOutcome>(
            checkKey,
            [config = m_config, request = drift::DriftRequest{{}, against},
             onRegion](const JobContext &context) {
                return runDriftCheck(
                        context, *config, request,
                        [&context, onRegion](const QString &region, int done) {
                            context.post([onRegion, region, done] { onRegion(region, done); });
                        });
            },
            [this](DriftOutcome outcome) { onCheckDone(outcome); });
    emit checkStarted(total);
    return true;
}

void DriftController::onCheckDone(const DriftOutcome &outcome)
{
    if (!outcome.report) {
        spdlog::error("drift check failed: {}", outcome.error.toStdString());
        m_report.reset();
        emit checkFailed(outcome.error);
        return;
    }
    m_report = outcome.report;
    for (const Error &error : m_report->errors)
        spdlog::warn("drift: {}", error.describe());
    std::size_t differences = 0;
    for (const auto &regionDrift : m_report->drifts)
        differences += regionDrift.differences.size();
    spdlog::info("drift checked against {}: {} difference(s) in {} region(s), {} unreadable",
                 m_report->referenceName, differences, m_report->drifts.size(),
                 m_report->errors.size());
    emit checkFinished(m_report);
}

} // namespace envsync::ui
