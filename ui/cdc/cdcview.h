#pragma once

#include "core/config/config.h"

#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
class QStackedWidget;
class QTreeView;
QT_END_NAMESPACE

namespace envsync::ui {

class CdcController;
class CdcRegionModel;
class CdcTrendChart;

/// The CDC tab: the source's slot (exists/active, confirmed LSN, retained WAL with a warning
/// above cdc.max_retained_wal) and the stream reader; per region its state, applied LSN, lag,
/// throughput and conflicts; a live lag chart and a throughput chart over the last hour; Pause
/// and Resume for the selected region.
///
/// Everything that touches a database runs in CdcController on its workers. The view polls
/// every 2 s while it is visible (CdcController::setPolling) and shows what to do instead of
/// empty tables when CDC is not set up or no `cdc run` is reporting.
class CdcView : public QWidget
{
    Q_OBJECT

public:
    explicit CdcView(QWidget *parent = nullptr);
    ~CdcView() override;

    void setConfig(std::shared_ptr<const config::Config> config);

    [[nodiscard]] CdcController *controller() const { return m_controller; }
    [[nodiscard]] CdcRegionModel *regionModel() const { return m_model; }
    [[nodiscard]] QTreeView *regionTable() const { return m_table; }
    [[nodiscard]] CdcTrendChart *lagChart() const { return m_lagChart; }
    [[nodiscard]] CdcTrendChart *throughputChart() const { return m_rateChart; }
    [[nodiscard]] QPushButton *pauseButton() const { return m_pause; }
    [[nodiscard]] QPushButton *resumeButton() const { return m_resume; }
    /// "not set up" / "not running" / the reader's failure: what to do about it.
    [[nodiscard]] QLabel *noticeBanner() const { return m_notice; }
    [[nodiscard]] QLabel *errorBanner() const { return m_error; }
    /// Shown instead of the figures while CDC is not set up (says `envsyncctl cdc init`).
    [[nodiscard]] QLabel *setupLabel() const { return m_setup; }
    [[nodiscard]] QLabel *sourceLabel() const { return m_source; }
    [[nodiscard]] QLabel *walLabel() const { return m_wal; }
    [[nodiscard]] QLabel *walBadge() const { return m_walBadge; }
    [[nodiscard]] QLabel *readerLabel() const { return m_reader; }
    /// Selects `region`'s row; false when it is not shown.
    bool selectRegion(const QString &region);
    [[nodiscard]] QString selectedRegion() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildHeader(QWidget *content);
    void onPolled();
    void onPauseFinished(const QString &region, bool paused, const QString &error);
    void showNotice(const QString &text);
    void updateHeader();
    void updateButtons();
    [[nodiscard]] QString configArgument() const;

    CdcController *m_controller = nullptr;
    CdcRegionModel *m_model = nullptr;
    std::shared_ptr<const config::Config> m_config;
    QString m_pauseError; ///< the last pause/resume failure, shown until one succeeds

    QStackedWidget *m_pages = nullptr; ///< the "not set up" page, or the figures
    QLabel *m_setup = nullptr;
    QWidget *m_content = nullptr;
    QLabel *m_notice = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_wal = nullptr;
    QLabel *m_walBadge = nullptr;
    QLabel *m_reader = nullptr;
    QLabel *m_polledAt = nullptr;
    QTreeView *m_table = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    CdcTrendChart *m_lagChart = nullptr;
    CdcTrendChart *m_rateChart = nullptr;
};

} // namespace envsync::ui
