#include "ui/environments/environmentscontroller.h"

#include "core/snapshot/snapshot.h"
#include "ui/common/errortext.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString listKey = QStringLiteral("list");
const QString changeKey = QStringLiteral("change");

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

EnvironmentListOutcome runList(std::shared_ptr<const config::Config> config,
                               const std::shared_ptr<job::CancelToken> &cancel)
{
    EnvironmentListOutcome outcome;
    try {
        auto list = env::listEnvironments(*config, cancel);
        if (!list) {
            outcome.error = qs(list.error().describe());
        } else {
            outcome.environments = std::move(*list);
            // Without the snapshot names the picker still offers "newest ready".
            if (auto snapshots = snapshot::listSnapshots(*config, cancel)) {
                for (const auto &info : *snapshots) {
                    if (info.state == "ready")
                        outcome.readySnapshots << qs(info.name);
                }
            } else {
                spdlog::warn("environments: snapshots: {}", snapshots.error().describe());
            }
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("listing environments failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

EnvironmentChangeOutcome runCreate(std::shared_ptr<const config::Config> config,
                                   env::CreateOptions options,
                                   const std::shared_ptr<job::CancelToken> &cancel)
{
    EnvironmentChangeOutcome outcome;
    outcome.name = qs(options.name);
    outcome.created = true;
    try {
        auto created = env::createEnvironment(*config, options, cancel);
        if (created)
            outcome.info = std::move(*created);
        else
            outcome.error = errorText(created.error());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("env create failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

EnvironmentChangeOutcome runDrop(std::shared_ptr<const config::Config> config, QString name,
                                 const std::shared_ptr<job::CancelToken> &cancel)
{
    EnvironmentChangeOutcome outcome;
    outcome.name = name;
    try {
        if (auto dropped = env::dropEnvironment(*config, name.toStdString(), {}, cancel); !dropped)
            outcome.error = errorText(dropped.error());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("env drop failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace

EnvironmentsController::EnvironmentsController(QObject *parent)
    // 2 workers: a list load next to a create or drop
    : ConfigJobController(2, QStringLiteral("envsync-environment-workers"), {listKey}, parent)
{}

bool EnvironmentsController::isChanging() const
{
    return m_jobs.busy(changeKey);
}

bool EnvironmentsController::isLoading() const
{
    return m_jobs.busy(listKey);
}

bool EnvironmentsController::reload()
{
    if (!m_config)
        return false;
    m_jobs.start<EnvironmentListOutcome>(
            listKey,
            [config = m_config](const JobContext &context) {
                return runList(config, context.cancel);
            },
            [this](EnvironmentListOutcome outcome) {
                if (!outcome.error.isEmpty())
                    spdlog::error("environments: {}", outcome.error.toStdString());
                emit listLoaded(outcome);
            });
    return true;
}

bool EnvironmentsController::create(const env::CreateOptions &options)
{
    if (!m_config || isChanging())
        return false;
    spdlog::info("creating environment {}", options.name);
    startChange([config = m_config, options](const JobContext &context) {
        return runCreate(config, options, context.cancel);
    });
    emit changeStarted(QStringLiteral("Creating %1…").arg(qs(options.name)));
    return true;
}

bool EnvironmentsController::drop(const QString &name)
{
    if (!m_config || isChanging() || name.isEmpty())
        return false;
    spdlog::info("dropping environment {}", name.toStdString());
    startChange([config = m_config, name](const JobContext &context) {
        return runDrop(config, name, context.cancel);
    });
    emit changeStarted(QStringLiteral("Dropping %1…").arg(name));
    return true;
}

void EnvironmentsController::startChange(
        std::function<EnvironmentChangeOutcome(const JobContext &)> work)
{
    m_jobs.start<EnvironmentChangeOutcome>(
            changeKey, std::move(work),
            [this](EnvironmentChangeOutcome outcome) { onChanged(outcome); });
}

void EnvironmentsController::onChanged(const EnvironmentChangeOutcome &outcome)
{
    if (outcome.error.isEmpty())
        spdlog::info("environment {} {}", outcome.name.toStdString(),
                     outcome.created ? "created" : "dropped");
    else
        spdlog::error("environment {}: {}", outcome.name.toStdString(),
                      outcome.error.toStdString());
    emit changeFinished(outcome);
}

} // namespace envsync::ui
