#include "ui/masking/maskingcontroller.h"

#include "core/db/connection.h"
#include "core/drift/snapshot.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

void runLoad(QPromise<MaskingOutcome> &promise, std::shared_ptr<const config::Config> config,
             masking::PreviewOptions options)
{
    if (promise.isCanceled())
        return;
    MaskingOutcome outcome;
    try {
        db::ConnectOptions connect;
        connect.connectTimeout = config->timeouts.connect;
        connect.statementTimeout = config->timeouts.statement;
        connect.applicationName = "envsync console masking";
        auto source = db::connect(config->source.dsn, connect, "source");
        if (!source) {
            outcome.error = QString::fromStdString(source.error().describe());
        } else {
            drift::SnapshotOptions schemaOptions;
            schemaOptions.who = "source";
            auto schema = drift::takeSnapshot(**source, schemaOptions);
            if (!schema) {
                outcome.error = QString::fromStdString(schema.error().describe());
            } else if (auto preview
                       = masking::previewMasking(**source, config->masking, *schema, options)) {
                outcome.preview
                        = std::make_shared<const masking::MaskPreview>(std::move(*preview));
            } else {
                outcome.error = QString::fromStdString(preview.error().describe());
            }
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("reading the masking rules failed: ")
                + QString::fromUtf8(e.what());
    }
    promise.addResult(std::move(outcome));
}

} // namespace

MaskingController::MaskingController(QObject *parent)
    : QObject(parent)
{
    // Room for a superseded load still waiting on a connect timeout.
    m_pool.setMaxThreadCount(2);
    m_pool.setObjectName(QStringLiteral("envsync-masking-workers"));
}

MaskingController::~MaskingController()
{
    ++m_generation;
    const auto watchers = findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly);
    for (QFutureWatcherBase *watcher : watchers) {
        watcher->disconnect(this);
        watcher->cancel();
    }
    m_pool.clear();
    m_pool.waitForDone();
}

void MaskingController::setConfig(std::shared_ptr<const config::Config> config)
{
    ++m_generation;
    m_config = std::move(config);
    setLoading(false);
}

void MaskingController::setSampling(int sampleRows, int previewValues)
{
    m_options.sampleRows = sampleRows;
    m_options.previewValues = previewValues;
}

bool MaskingController::load()
{
    if (!m_config)
        return false;
    const quint64 generation = ++m_generation;
    spdlog::info("reading the source schema and masking rules of {}", m_config->source.name);
    auto *watcher = new QFutureWatcher<MaskingOutcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation != m_generation)
            return; // superseded: discard
        setLoading(false);
        MaskingOutcome outcome;
        if (watcher->future().resultCount() > 0)
            outcome = watcher->result();
        else
            outcome.error = QStringLiteral("reading the masking rules returned nothing");
        if (outcome.preview)
            spdlog::info("masking coverage: {}/{} columns classified", outcome.preview->classified,
                         outcome.preview->total);
        else
            spdlog::error("masking rules: {}", outcome.error.toStdString());
        emit loadFinished(outcome);
    });
    setLoading(true);
    emit loadStarted();
    watcher->setFuture(QtConcurrent::run(&m_pool, runLoad, m_config, m_options));
    return true;
}

void MaskingController::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

} // namespace envsync::ui
