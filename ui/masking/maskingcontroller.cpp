#include "ui/masking/maskingcontroller.h"

#include "core/db/connection.h"
#include "core/drift/catalogreader.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace envsync::ui {

namespace {

const QString loadKey = QStringLiteral("load");

MaskingOutcome runLoad(const JobContext &context,
                       const std::shared_ptr<const config::Config> &config,
                       const masking::PreviewOptions &options)
{
    MaskingOutcome outcome;
    if (job::cancelled(context.cancel))
        return outcome;
    try {
        db::ConnectOptions connect;
        connect.connectTimeout = config->timeouts.connect;
        connect.statementTimeout = config->timeouts.statement;
        connect.applicationName = "envsync console masking";
        auto source = db::connect(config->source.dsn, connect, "source");
        if (!source) {
            outcome.error = QString::fromStdString(source.error().describe());
        } else {
            drift::CatalogOptions schemaOptions;
            schemaOptions.who = "source";
            schemaOptions.cancel = context.cancel;
            auto schema = drift::readCatalog(**source, schemaOptions);
            if (!schema) {
                outcome.error = QString::fromStdString(schema.error().describe());
            } else if (auto preview = masking::previewMasking(**source, config->masking, *schema,
                                                              options, context.cancel)) {
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
    return outcome;
}

} // namespace

MaskingController::MaskingController(QObject *parent)
    : QObject(parent)
{
    connect(&m_jobs, &JobTracker::busyChanged, this,
            [this](const QString &, bool busy) { emit loadingChanged(busy); });
    connect(&m_jobs, &JobTracker::jobFailed, this, [this](const QString &, const QString &error) {
        emit loadFinished(MaskingOutcome{nullptr, error});
    });
}

MaskingController::~MaskingController() = default;

void MaskingController::setConfig(std::shared_ptr<const config::Config> config)
{
    m_jobs.discard(loadKey);
    m_config = std::move(config);
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
    spdlog::info("reading the source schema and masking rules of {}", m_config->source.name);
    m_jobs.start<MaskingOutcome>(
            loadKey,
            [config = m_config, options = m_options](const JobContext &context) {
                return runLoad(context, config, options);
            },
            [this](MaskingOutcome outcome) {
                if (outcome.preview)
                    spdlog::info("masking coverage: {}/{} columns classified",
                                 outcome.preview->classified, outcome.preview->total);
                else
                    spdlog::error("masking rules: {}", outcome.error.toStdString());
                emit loadFinished(outcome);
            });
    emit loadStarted();
    return true;
}

} // namespace envsync::ui
