#pragma once

#include "core/config/config.h"
#include "core/drift/driftcheck.h"
#include "ui/common/estatechange.h"

#include <QDateTime>
#include <QWidget>

#include <map>
#include <memory>
#include <string>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QToolButton;
class QTreeView;
QT_END_NAMESPACE

namespace envsync::ui {

class DriftController;
class DriftDetailPane;
class DriftFilterProxyModel;
class DriftHeatmapModel;

/// Schema drift: a region × object heatmap (schema › table › object rows, region columns,
/// colour = worst severity, number = differences), filters, and a detail pane comparing the
/// clicked cell's definitions with the reference plus its reconcile DDL.
///
/// The check itself runs in DriftController (on its JobTracker); this widget only
/// reacts to its signals on the GUI thread. A new config is checked once, after its first
/// status probe round (startPendingCheck), so the probe answers first and the connections of
/// the two do not compete; Re-check (F6) runs it again.
class DriftView : public QWidget
{
    Q_OBJECT

public:
    explicit DriftView(QWidget *parent = nullptr);
    ~DriftView() override;

    /// A new config: forget the last report; the check waits for startPendingCheck().
    void setConfig(std::shared_ptr<const config::Config> config);
    /// Runs the check a new config is waiting for (MainWindow calls it when a probe finishes).
    void startPendingCheck();
    /// Checks every region again against the selected reference (golden or source).
    void recheck();
    void cancelCheck();
    /// A job changed the estate: the heatmap is marked stale and checked again when the change
    /// can alter it (a region's database, or the newest golden snapshot when it is the
    /// reference). Environments are not compared, so they change nothing here.
    void estateChanged(EstateChange what, const QString &name);
    /// A status probe's answer for a region: when it disagrees with the heatmap (a region
    /// shown as unreadable is reachable again, or one compared is now unreachable) the
    /// heatmap is checked again, so the "could not be read" banner never outlives the outage.
    void regionProbed(const QString &region, bool reachable);
    /// Saves the heatmap (with its reference line and legend) as a PNG; false on failure.
    bool exportPng(const QString &path);

    [[nodiscard]] drift::Reference reference() const;
    void setReference(drift::Reference reference);

    [[nodiscard]] DriftController *controller() const { return m_controller; }
    [[nodiscard]] DriftHeatmapModel *model() const { return m_model; }
    [[nodiscard]] DriftFilterProxyModel *proxy() const { return m_proxy; }
    [[nodiscard]] QTreeView *heatmapView() const { return m_heatmap; }
    [[nodiscard]] DriftDetailPane *detailPane() const { return m_detail; }
    [[nodiscard]] QAction *recheckAction() const { return m_recheckAction; }
    [[nodiscard]] QAction *cancelAction() const { return m_cancelAction; }
    [[nodiscard]] QLabel *referenceLabel() const { return m_referenceLabel; }
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QComboBox *severityFilter() const { return m_severityCombo; }
    [[nodiscard]] QComboBox *schemaFilter() const { return m_schemaCombo; }
    [[nodiscard]] QComboBox *kindFilter() const { return m_kindCombo; }
    [[nodiscard]] QProgressBar *progressBar() const { return m_progress; }

protected:
    void showEvent(QShowEvent *event) override;

signals:
    /// The heatmap shows a new report (or a failure); for tests and the status bar.
    void resultsChanged();

private:
    void createControls();
    void onCheckStarted(int regionCount);
    /// "Stale: checked 5 min ago, before <why> · <next>"
    void showStale(const QString &next);
    void onRegionChecked(const QString &region, int done, int total);
    void onCheckFinished(const std::shared_ptr<const drift::DriftReport> &report);
    void onCheckFailed(const QString &message);
    void onRunningChanged(bool running);
    void rebuildFilterCombos();
    void applyFilters();
    void showCell(const QModelIndex &proxyIndex);
    void showPlaceholder(const QString &text);
    void fitColumns();
    void chooseExportFile();
    /// Marks the shown results stale (with their age and why) and re-checks once the current
    /// event is handled, so several changes at once cost one check.
    void recheckBecause(const QString &why);

    DriftController *m_controller = nullptr;
    DriftHeatmapModel *m_model = nullptr;
    DriftFilterProxyModel *m_proxy = nullptr;
    bool m_checkPending = false;
    bool m_recheckQueued = false;
    /// Why the shown results went stale (empty: they are not); the label says it.
    QString m_staleBecause;
    QDateTime m_checkedAt;                     ///< when the shown results were read (invalid: none)
    std::map<QString, bool> m_probedReachable; ///< region → its last probe's answer

    QAction *m_recheckAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_exportAction = nullptr;
    QComboBox *m_referenceCombo = nullptr;
    QComboBox *m_severityCombo = nullptr;
    QComboBox *m_schemaCombo = nullptr;
    QComboBox *m_kindCombo = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QLabel *m_referenceLabel = nullptr;
    QLabel *m_legend = nullptr;
    QLabel *m_checkedLabel = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_placeholder = nullptr;
    QStackedWidget *m_stack = nullptr;
    QTreeView *m_heatmap = nullptr;
    QWidget *m_heatmapPanel = nullptr;
    QSplitter *m_splitter = nullptr;
    DriftDetailPane *m_detail = nullptr;
    QString m_lastExportDir;
    bool m_splitterFitted = false;
};

} // namespace envsync::ui
