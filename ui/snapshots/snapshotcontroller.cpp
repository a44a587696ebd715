#include "ui/snapshots/snapshotcontroller.h"

#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/drift/catalogreader.h"
#include "core/masking/coverage.h"
#include "core/snapshot/snapshotusage.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString listKey = QStringLiteral("list");
const QString createKey = QStringLiteral("create");
const QString verifyKey = QStringLiteral("verify");

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

db::ConnectOptions connectOptions(const config::Config &config)
{
    return db::configuredConnectOptions(config, "envsync console");
}

/// The columns fail-closed masking refused on, structured (the error text lists them too, but
/// as one long line).
QStringList unclassifiedColumns(const config::Config &config)
{
    auto source = db::connect(config.source.dsn, connectOptions(config), "source");
    if (!source)
        return {};
    drift::CatalogOptions options;
    options.who = "source";
    auto schema = drift::readCatalog(**source, options);
    if (!schema)
        return {};
    QStringList out;
    for (const auto &column : masking::resolveCoverage(config.masking, *schema).columns) {
        if (!column.classified())
            out << qs(column.display() + " (" + column.type + ')');
    }
    return out;
}

SnapshotListOutcome runList(const config::Config &config,
                            const std::shared_ptr<job::CancelToken> &cancel)
{
    SnapshotListOutcome outcome;
    try {
        auto list = snapshot::listSnapshots(config, cancel);
        if (!list) {
            outcome.error = qs(list.error().describe());
        } else {
            outcome.snapshots = std::move(*list);
            // Without the refresh history the list is still worth showing.
            if (auto inUse = snapshot::snapshotsInUse(config, cancel))
                outcome.inUse = std::move(*inUse);
            else
                spdlog::warn("snapshots in use: {}", inUse.error().describe());
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("listing snapshots failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

SnapshotCreateOutcome runCreate(const config::Config &config,
                                const snapshot::CreateOptions &options)
{
    SnapshotCreateOutcome outcome;
    try {
        auto created = snapshot::createSnapshot(config, options);
        if (created) {
            outcome.created = std::move(*created);
        } else {
            const Error &error = created.error();
            outcome.error = qs(error.describe());
            outcome.cancelled = error.code == ErrorCode::Cancelled;
            if (error.refusal == Refusal::UnclassifiedColumns)
                outcome.unclassified = unclassifiedColumns(config);
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("snapshot create failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

SnapshotVerifyOutcome runVerify(const config::Config &config, const std::string &name,
                                const std::shared_ptr<job::CancelToken> &cancel)
{
    SnapshotVerifyOutcome outcome;
    try {
        auto report = snapshot::verifySnapshot(config, name, cancel);
        if (report)
            outcome.report = std::move(*report);
        else
            outcome.error = qs(report.error().describe());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("verify failed: ") + QString::fromUtf8(e.what());
    }
    return outcome;
}

} // namespace

SnapshotController::SnapshotController(QObject *parent)
    // 4 workers: a create, a verify and a list load may run at once
    : ConfigJobController(4, QStringLiteral("envsync-snapshot-workers"), {listKey}, parent)
{}

bool SnapshotController::isCreating() const
{
    return m_jobs.busy(createKey);
}

bool SnapshotController::isVerifying() const
{
    return m_jobs.busy(verifyKey);
}

bool SnapshotController::isLoading() const
{
    return m_jobs.busy(listKey);
}

bool SnapshotController::reload()
{
    if (!m_config)
        return false;
    m_jobs.start<SnapshotListOutcome>(
            listKey,
            [config = m_config](const JobContext &context) {
                return runList(*config, context.cancel);
            },
            [this](SnapshotListOutcome outcome) {
                if (!outcome.error.isEmpty())
                    spdlog::error("snapshots: {}", outcome.error.toStdString());
                emit listLoaded(outcome);
            });
    return true;
}

bool SnapshotController::create()
{
    if (!m_config || isCreating())
        return false;
    spdlog::info("snapshot create started");
    snapshot::CreateOptions options;
    options.jobs = m_copyJobs;
    options.maxRowsPerSecond = m_maxRowsPerSecond;
    auto onStep = [this](const QString &step) {
        spdlog::info("snapshot: {}", step.toStdString());
        emit createStep(step);
    };
    m_jobs.start<SnapshotCreateOutcome>(
            createKey,
            [config = m_config, options, onStep](const JobContext &context) mutable {
                options.cancel = context.cancel;
                options.progress = context.progress;
                options.step = [post = context.post, onStep](const std::string &step) {
                    post([onStep, step = qs(step)] { onStep(step); });
                };
                return runCreate(*config, options);
            },
            [this](SnapshotCreateOutcome outcome) { onCreated(outcome); },
            [this](const job::Progress &progress) { emit createProgress(progress); });
    emit createStarted();
    return true;
}

void SnapshotController::onCreated(const SnapshotCreateOutcome &outcome)
{
    if (outcome.created)
        spdlog::info("snapshot {} created", outcome.created->name);
    else if (outcome.cancelled)
        spdlog::warn("snapshot create cancelled");
    else
        spdlog::error("snapshot create failed: {}", outcome.error.toStdString());
    emit createFinished(outcome);
}

void SnapshotController::cancelCreate()
{
    if (m_jobs.cancel(createKey))
        spdlog::info("cancelling the snapshot create");
}

bool SnapshotController::verify(const QString &name)
{
    if (!m_config || isVerifying())
        return false;
    spdlog::info("verifying {}", name.isEmpty() ? std::string("the newest snapshot")
                                                : name.toStdString());
    m_jobs.start<SnapshotVerifyOutcome>(
            verifyKey,
            [config = m_config, name = name.toStdString()](const JobContext &context) {
                return runVerify(*config, name, context.cancel);
            },
            [this](SnapshotVerifyOutcome outcome) {
                if (outcome.report)
                    spdlog::info("verify {}: {}", outcome.report->name,
                                 outcome.report->ok() ? "passed" : "FAILED");
                else
                    spdlog::error("verify failed: {}", outcome.error.toStdString());
                emit verifyFinished(outcome);
            });
    emit verifyStarted(name);
    return true;
}

} // namespace envsync::ui
