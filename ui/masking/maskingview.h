#pragma once

#include "core/config/config.h"

#include <QByteArray>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
QT_END_NAMESPACE

namespace envsync::ui {

class MaskingController;
class MaskingRulesModel;
struct MaskingOutcome;

/// Masking rules: every column of the source with its detected class, the transform the config
/// gives it (UNCLASSIFIED ones in red) and masked sample outputs, under a coverage badge
/// ("42/45 columns classified": green at 100 %, red otherwise). Source values are never shown.
///
/// The source is read by MaskingController on a worker when the tab is first shown after a
/// config was opened, and again on Reload.
class MaskingView : public QWidget
{
    Q_OBJECT

public:
    explicit MaskingView(QWidget *parent = nullptr);
    ~MaskingView() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    void reload();

    [[nodiscard]] QByteArray columnState() const;
    void restoreColumnState(const QByteArray &state);

    [[nodiscard]] MaskingController *controller() const { return m_controller; }
    [[nodiscard]] MaskingRulesModel *model() const { return m_model; }
    [[nodiscard]] QSortFilterProxyModel *proxy() const { return m_proxy; }
    [[nodiscard]] QTableView *tableView() const { return m_table; }
    [[nodiscard]] QLabel *coverageBadge() const { return m_badge; }
    [[nodiscard]] QLabel *saltLabel() const { return m_saltLabel; }
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QAction *reloadAction() const { return m_reloadAction; }
    [[nodiscard]] QLineEdit *filterEdit() const { return m_filter; }

signals:
    /// The table shows a new preview (or a failure).
    void resultsChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void createControls();
    void onLoadFinished(const MaskingOutcome &outcome);
    void setBadge(int classified, int total);
    void fitColumns();

    MaskingController *m_controller = nullptr;
    MaskingRulesModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    bool m_loadPending = false;
    bool m_columnsRestored = false;
    bool m_columnsFitted = false;

    QAction *m_reloadAction = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_saltLabel = nullptr;
    QLabel *m_banner = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace envsync::ui
