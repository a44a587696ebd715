#pragma once

#include "core/config/config.h"
#include "ui/services/serviceinfo.h"

#include <QPointer>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTreeView;
class QTreeWidget;
QT_END_NAMESPACE

namespace envsync::ui {

class JournalModel;
class MappingDialog;
class ServicesController;
class ServicesTreeModel;

/// The Services tab: per region its virtual services (config `services:`) with their state
/// (Stopped / Serving / Recording / Failed and why), address, golden version served, mapping
/// count, requests and unmatched requests; Start / Stop of the selected service or of every
/// service of the selected region; Record… (a recording proxy) with its exchanges live; the
/// live request journal of the selected service; the near misses of a selected unmatched
/// request; Open mapping (the matched or nearly matched mapping's JSON and file).
///
/// Servers, recordings, mapping files and the control database are handled by
/// ServicesController's worker thread; the view polls the journals while it is visible.
class ServicesView : public QWidget
{
    Q_OBJECT

public:
    explicit ServicesView(QWidget *parent = nullptr);
    ~ServicesView() override;

    void setConfig(std::shared_ptr<const config::Config> config);

    [[nodiscard]] ServicesController *controller() const { return m_controller; }
    [[nodiscard]] ServicesTreeModel *servicesModel() const { return m_model; }
    [[nodiscard]] QTreeView *servicesTree() const { return m_tree; }
    [[nodiscard]] JournalModel *journalModel() const { return m_journalModel; }
    [[nodiscard]] QTreeView *journalTable() const { return m_journal; }
    /// Says what to do while the journal is empty (stopped, no requests yet, failed).
    [[nodiscard]] QLabel *journalPlaceholder() const { return m_journalPlaceholder; }
    [[nodiscard]] QTreeWidget *nearMissTree() const { return m_nearMisses; }
    [[nodiscard]] QLabel *nearMissLabel() const { return m_nearMissLabel; }
    [[nodiscard]] QTreeWidget *recordedTree() const { return m_recorded; }
    [[nodiscard]] QTabWidget *detailTabs() const { return m_tabs; }
    [[nodiscard]] QPushButton *startButton() const { return m_start; }
    [[nodiscard]] QPushButton *stopButton() const { return m_stop; }
    [[nodiscard]] QPushButton *recordButton() const { return m_record; }
    [[nodiscard]] QPushButton *openMappingButton() const { return m_openMapping; }
    [[nodiscard]] QLabel *errorBanner() const { return m_error; }
    [[nodiscard]] QLabel *noticeBanner() const { return m_notice; }
    /// Shown instead of the services when there is no config or it lists none.
    [[nodiscard]] QLabel *emptyLabel() const { return m_empty; }
    /// The last mapping opened (nullptr once closed).
    [[nodiscard]] MappingDialog *mappingDialog() const;

    bool selectService(const QString &name);
    bool selectRegion(const QString &region);
    /// The selected service; empty when a region (or nothing) is selected.
    [[nodiscard]] QString selectedService() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildJournalPane();
    QWidget *buildNearMissPane();
    void onServicesReset();
    void onServiceChanged(const QString &name);
    void onSelectionChanged();
    void onJournalAppended(const QString &name, qsizetype count);
    void onJournalRowChanged();
    void onExchangeRecorded(const QString &name, const virt::RecordingEvent &event);
    void onRecordingFinished(const QString &name, const QStringList &learned, const QString &error);
    void onMappingOpened(const MappingDocument &mapping);
    void startSelected();
    void stopSelected();
    void recordSelected();
    void openSelectedMapping();
    /// The services Start/Stop act on: the selected one, or every one of the selected region.
    [[nodiscard]] QStringList targetServices() const;
    [[nodiscard]] QString selectedMappingId() const;
    void addRecordedRow(const virt::RecordingEvent &event);
    void updateBanners();
    void updateJournalPlaceholder();
    void updateButtons();
    [[nodiscard]] QString configArgument() const;

    ServicesController *m_controller = nullptr;
    ServicesTreeModel *m_model = nullptr;
    JournalModel *m_journalModel = nullptr;
    std::shared_ptr<const config::Config> m_config;
    QString m_shownService; ///< whose journal the table shows
    ServiceInfo::State m_shownState = ServiceInfo::State::Stopped; ///< its state last seen
    QString m_lastMessage; ///< the last recording result / mapping error, until the selection
                           ///< changes

    QLabel *m_error = nullptr;
    QLabel *m_notice = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_empty = nullptr;
    QTreeView *m_tree = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_record = nullptr;
    QTabWidget *m_tabs = nullptr;
    QStackedWidget *m_journalPages = nullptr;
    QLabel *m_journalPlaceholder = nullptr;
    QTreeView *m_journal = nullptr;
    QTreeWidget *m_recorded = nullptr;
    QLabel *m_nearMissLabel = nullptr;
    QTreeWidget *m_nearMisses = nullptr;
    QPushButton *m_openMapping = nullptr;
    QPointer<MappingDialog> m_mappingDialog;
};

} // namespace envsync::ui
