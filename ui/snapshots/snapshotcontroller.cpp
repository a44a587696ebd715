#include "ui/snapshots/snapshotcontroller.h"

#include "core/db/configuredconnect.h"
#include "core/db/connection.h"
#include "core/drift/snapshot.h"
#include "core/masking/coverage.h"
#include "core/snapshot/snapshotusage.h"
#include "ui/common/jobprogresschannel.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <atomic>
#include <exception>
#include <limits>
#include <mutex>

namespace envsync::ui {

namespace {

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
    drift::SnapshotOptions options;
    options.who = "source";
    auto schema = drift::takeSnapshot(**source, options);
    if (!schema)
        return {};
    QStringList out;
    for (const auto &column : masking::resolveCoverage(config.masking, *schema).columns) {
        if (!column.classified())
            out << qs(column.display() + " (" + column.type + ')');
    }
    return out;
}

void runList(QPromise<SnapshotListOutcome> &promise, std::shared_ptr<const config::Config> config)
{
    SnapshotListOutcome outcome;
    try {
        auto list = snapshot::listSnapshots(*config);
        if (!list) {
            outcome.error = qs(list.error().describe());
        } else {
            outcome.snapshots = std::move(*list);
            // Without the refresh history the list is still worth showing.
            if (auto inUse = snapshot::snapshotsInUse(*config))
                outcome.inUse = std::move(*inUse);
            else
                spdlog::warn("snapshots in use: {}", inUse.error().describe());
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("listing snapshots failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runCreate(QPromise<SnapshotCreateOutcome> &promise,
               std::shared_ptr<const config::Config> config, snapshot::CreateOptions options,
               const std::shared_ptr<JobProgressChannel> &channel)
{
    SnapshotCreateOutcome outcome;
    try {
        postProgressTo(options, promise, *channel);
        auto created = snapshot::createSnapshot(*config, options);
        if (created) {
            outcome.created = std::move(*created);
        } else {
            const Error &error = created.error();
            outcome.error = qs(error.describe());
            outcome.cancelled = error.code == ErrorCode::Cancelled;
            if (error.refusal == Refusal::UnclassifiedColumns)
                outcome.unclassified = unclassifiedColumns(*config);
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("snapshot create failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

void runVerify(QPromise<SnapshotVerifyOutcome> &promise,
               std::shared_ptr<const config::Config> config, std::string name)
{
    SnapshotVerifyOutcome outcome;
    try {
        auto report = snapshot::verifySnapshot(*config, name);
        if (report)
            outcome.report = std::move(*report);
        else
            outcome.error = qs(report.error().describe());
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("verify failed: ") + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

} // namespace

SnapshotController::SnapshotController(QObject *parent)
    // 4 workers: a create, a verify and a list load may run at once
    : ConfigJobController(4, QStringLiteral("envsync-snapshot-workers"), parent)
{}

SnapshotController::~SnapshotController()
{
    if (m_cancel)
        m_cancel->cancel(); // the copy stops and drops its building database
    forgetWatchers();
    m_pool.waitForDone();
}

void SnapshotController::clearWatchers()
{
    m_listWatcher = m_createWatcher = m_verifyWatcher = nullptr;
}

bool SnapshotController::reload()
{
    if (!m_config)
        return false;
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<SnapshotListOutcome>(this);
    m_listWatcher = watcher;
    // Also when this object stops listening (forgetWatchers): the watcher never leaks.
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_generation || watcher != m_listWatcher)
            return; // superseded by a newer load or config
        m_listWatcher = nullptr;
        emit busyChanged();
        SnapshotListOutcome outcome;
        if (watcher->future().resultCount() > 0)
            outcome = watcher->result();
        else
            outcome.error = QStringLiteral("listing snapshots returned nothing");
        if (!outcome.error.isEmpty())
            spdlog::error("snapshots: {}", outcome.error.toStdString());
        emit listLoaded(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runList, m_config));
    emit busyChanged();
    return true;
}

bool SnapshotController::create()
{
    if (!m_config || m_createWatcher)
        return false;
    spdlog::info("snapshot create started");
    m_cancel = std::make_shared<job::CancelToken>();
    snapshot::CreateOptions options;
    options.jobs = m_jobs;
    options.cancel = m_cancel;
    options.maxRowsPerSecond = m_maxRowsPerSecond;
    auto channel = std::make_shared<JobProgressChannel>();

    auto *watcher = new QFutureWatcher<SnapshotCreateOutcome>(this);
    m_createWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this,
            [this, channel] { drain(*channel); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, channel] {
        drain(*channel); // what the throttled progress signals did not deliver
        m_createWatcher = nullptr;
        m_cancel.reset();
        emit busyChanged();
        SnapshotCreateOutcome outcome;
        if (watcher->future().resultCount() > 0)
            outcome = watcher->result();
        else
            outcome.error = QStringLiteral("snapshot create returned nothing");
        if (outcome.created)
            spdlog::info("snapshot {} created", outcome.created->name);
        else if (outcome.cancelled)
            spdlog::warn("snapshot create cancelled");
        else
            spdlog::error("snapshot create failed: {}", outcome.error.toStdString());
        emit createFinished(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runCreate, m_config, options, channel));
    emit createStarted();
    emit busyChanged();
    return true;
}

void SnapshotController::cancelCreate()
{
    if (!m_cancel)
        return;
    spdlog::info("cancelling the snapshot create");
    m_cancel->cancel();
}

bool SnapshotController::verify(const QString &name)
{
    if (!m_config || m_verifyWatcher)
        return false;
    spdlog::info("verifying {}", name.isEmpty() ? std::string("the newest snapshot")
                                                : name.toStdString());
    auto *watcher = new QFutureWatcher<SnapshotVerifyOutcome>(this);
    m_verifyWatcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_verifyWatcher = nullptr;
        emit busyChanged();
        SnapshotVerifyOutcome outcome;
        if (watcher->future().resultCount() > 0)
            outcome = watcher->result();
        else
            outcome.error = QStringLiteral("verify returned nothing");
        if (outcome.report)
            spdlog::info("verify {}: {}", outcome.report->name,
                         outcome.report->ok() ? "passed" : "FAILED");
        else
            spdlog::error("verify failed: {}", outcome.error.toStdString());
        emit verifyFinished(outcome);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, runVerify, m_config, name.toStdString()));
    emit verifyStarted(name);
    emit busyChanged();
    return true;
}

void SnapshotController::drain(JobProgressChannel &channel)
{
    std::optional<job::Progress> progress;
    std::vector<std::string> steps;
    channel.take(progress, steps);
    for (const auto &step : steps) {
        spdlog::info("snapshot: {}", step);
        emit createStep(qs(step));
    }
    if (progress)
        emit createProgress(*progress);
}

} // namespace envsync::ui
