#pragma once

#include "core/config/config.h"

#include <QPointer>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QTableView;
class QTimer;
QT_END_NAMESPACE

namespace envsync::ui {

class EnvironmentsController;
class EnvironmentsModel;
struct EnvironmentChangeOutcome;
struct EnvironmentListOutcome;

/// Ephemeral environments (data flow 3): create one from a golden snapshot with a TTL and an
/// owner, watch the TTL count down, drop it. `envsyncctl env gc` (or the agent) drops the
/// expired ones; this view shows them in red until then.
///
/// Every database call runs in EnvironmentsController on its workers; the catalogue is read
/// when the tab is first shown after a config was opened and after every create or drop.
class EnvironmentsView : public QWidget
{
    Q_OBJECT

public:
    explicit EnvironmentsView(QWidget *parent = nullptr);
    ~EnvironmentsView() override;

    void setConfig(std::shared_ptr<const config::Config> config);
    void reload();
    /// Something else changed what the tab offers (a new snapshot for the picker): reads it
    /// again now when the tab is shown, otherwise when it is next shown.
    void reloadWhenShown();
    /// Creates an environment from the form (name, snapshot, TTL, owner).
    void createFromForm();
    /// Asks whether to drop the selected environment (window-modal; drops on Yes).
    void confirmDropSelected();

    /// The table's column layout, for the window's settings.
    [[nodiscard]] QByteArray columnState() const;
    void restoreColumnState(const QByteArray &state);

    [[nodiscard]] EnvironmentsController *controller() const { return m_controller; }
    [[nodiscard]] EnvironmentsModel *model() const { return m_model; }
    [[nodiscard]] QTableView *tableView() const { return m_table; }
    [[nodiscard]] QLineEdit *nameEdit() const { return m_nameEdit; }
    [[nodiscard]] QComboBox *snapshotCombo() const { return m_snapshotCombo; }
    [[nodiscard]] QComboBox *ttlCombo() const { return m_ttlCombo; }
    [[nodiscard]] QLineEdit *ownerEdit() const { return m_ownerEdit; }
    [[nodiscard]] QLabel *formHint() const { return m_formHint; }
    [[nodiscard]] QLabel *errorBanner() const { return m_banner; }
    [[nodiscard]] QLabel *summaryLabel() const { return m_summary; }
    [[nodiscard]] QAction *createAction() const { return m_createAction; }
    [[nodiscard]] QAction *dropAction() const { return m_dropAction; }
    [[nodiscard]] QAction *reloadAction() const { return m_reloadAction; }
    /// The open drop confirmation, if any.
    [[nodiscard]] QMessageBox *dropConfirmation() const;
    [[nodiscard]] QTimer *countdownTimer() const { return m_countdown; }

signals:
    /// The table shows a new catalogue (or a failure to read it).
    void listChanged();
    /// An environment was created or dropped (its name).
    void environmentChanged(const QString &name);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createActions();
    void createControls();
    QLayout *createForm();
    void updateActions();
    void onListLoaded(const EnvironmentListOutcome &outcome);
    void onChangeFinished(const EnvironmentChangeOutcome &outcome);
    void fillSnapshots(const QStringList &ready);
    void showError(const QString &text);
    void fitColumns();
    [[nodiscard]] QString formProblem() const;
    [[nodiscard]] QString selectedName() const;

    EnvironmentsController *m_controller = nullptr;
    EnvironmentsModel *m_model = nullptr;
    QTimer *m_countdown = nullptr;
    QPointer<QMessageBox> m_dropBox;
    bool m_loadPending = false;
    bool m_columnsRestored = false;
    bool m_columnsFitted = false;
    QString m_selectAfterLoad;

    QAction *m_createAction = nullptr;
    QAction *m_dropAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QComboBox *m_snapshotCombo = nullptr;
    QComboBox *m_ttlCombo = nullptr;
    QLineEdit *m_ownerEdit = nullptr;
    QLabel *m_formHint = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace envsync::ui
