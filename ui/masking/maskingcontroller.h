#pragma once

#include "core/config/config.h"
#include "core/masking/maskpreview.h"
#include "ui/common/jobtracker.h"

#include <QObject>
#include <QString>

#include <memory>

namespace envsync::ui {

/// What a masking-rules load hands back to the GUI thread.
struct MaskingOutcome
{
    std::shared_ptr<const masking::MaskPreview> preview; ///< null when the load failed
    QString error;
};

/// Reads the source schema, resolves the masking rules and masks a few sampled values, off the
/// GUI thread.
///
/// Threading contract: the load runs on this object's JobTracker with its own source
/// connection (read-only); the outcome is delivered on the GUI thread. A newer load or config
/// supersedes the running one (its token is cancelled, its result dropped). Only masked
/// outputs ever leave the worker: masking::previewMasking drops the sampled source values.
/// The destructor cancels and waits for the worker.
class MaskingController : public QObject
{
    Q_OBJECT

public:
    explicit MaskingController(QObject *parent = nullptr);
    ~MaskingController() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    [[nodiscard]] const std::shared_ptr<const config::Config> &config() const { return m_config; }

    /// Starts a load; supersedes one in flight. False without a config.
    bool load();
    [[nodiscard]] bool isLoading() const { return m_jobs.busy(); }

    /// Rows sampled per table and values masked per column (before the next load).
    void setSampling(int sampleRows, int previewValues);

signals:
    void loadStarted();
    void loadFinished(const envsync::ui::MaskingOutcome &outcome);
    void loadingChanged(bool loading);

private:
    // Room for a superseded load still stopping.
    JobTracker m_jobs{2, QStringLiteral("envsync-masking-workers")};
    std::shared_ptr<const config::Config> m_config;
    masking::PreviewOptions m_options;
};

} // namespace envsync::ui
