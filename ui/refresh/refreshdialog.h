#pragma once

#include "ui/refresh/refreshcontroller.h"

#include <QDialog>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
QT_END_NAMESPACE

namespace envsync::ui {

/// "Refresh region…": pick a golden snapshot (the newest ready one preselected), read the
/// dry-run plan (size, method, expected duration, sessions the swap terminates, preserved
/// tables, window), and confirm. The Refresh button stays disabled until the plan is shown
/// and, where the production guard asks, the region's name is typed exactly (and, when the
/// source cannot be reached, "refresh anyway" is ticked: its own override); outside the
/// region's window it also needs "Refresh outside the window" and a reason (audited).
///
/// The plan is computed by RefreshController on a worker; picking another snapshot plans
/// again. The dialog only collects the request: the caller starts the refresh on accept.
class RefreshDialog : public QDialog
{
    Q_OBJECT

public:
    RefreshDialog(RefreshController *controller, const QString &region,
                  QWidget *parent = nullptr);

    /// What to run (valid once the dialog was accepted).
    [[nodiscard]] RefreshRequest request() const;
    [[nodiscard]] const QString &region() const { return m_region; }
    /// The plan on display (none while planning or after a failure).
    [[nodiscard]] const std::optional<refresh::RefreshPlan> &plan() const { return m_plan; }
    [[nodiscard]] bool isPlanning() const { return m_planning; }
    [[nodiscard]] bool needsTypedName() const { return m_needsTypedName; }
    [[nodiscard]] bool needsSourceUnreachableOk() const { return m_needsSourceUnreachableOk; }

    [[nodiscard]] QComboBox *snapshotCombo() const { return m_snapshotCombo; }
    [[nodiscard]] QLineEdit *confirmEdit() const { return m_confirmEdit; }
    [[nodiscard]] QCheckBox *sourceUnreachableCheck() const { return m_sourceUnreachableCheck; }
    [[nodiscard]] QCheckBox *forceCheck() const { return m_forceCheck; }
    [[nodiscard]] QLineEdit *reasonEdit() const { return m_reasonEdit; }
    [[nodiscard]] QPushButton *refreshButton() const { return m_refreshButton; }
    [[nodiscard]] QLabel *planLabel() const { return m_planLabel; }
    [[nodiscard]] QLabel *statusLabel() const { return m_statusLabel; }
    [[nodiscard]] QGroupBox *guardBox() const { return m_guardBox; }
    [[nodiscard]] QGroupBox *windowBox() const { return m_windowBox; }

signals:
    /// A plan (or a failure to make one) is on display.
    void planShown();

private:
    void createControls();
    QGroupBox *createGuardBox();
    QGroupBox *createWindowBox();
    void requestPlan(const QString &snapshot);
    void onPlanReady(const RefreshPlanOutcome &outcome);
    void fillSnapshots(const QStringList &ready, const std::string &chosen);
    void showPlan(const refresh::RefreshPlan &plan);
    void updateButton();
    void growToFit();

    RefreshController *m_controller;
    QString m_region;
    std::optional<refresh::RefreshPlan> m_plan;
    bool m_planning = false;
    bool m_needsTypedName = false;
    QString m_confirmName; ///< what the guard asks to be typed (from its verdict)
    bool m_needsSourceUnreachableOk = false;

    QComboBox *m_snapshotCombo = nullptr;
    QLabel *m_planLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QGroupBox *m_guardBox = nullptr;
    QLabel *m_guardLabel = nullptr;
    QLineEdit *m_confirmEdit = nullptr;
    QCheckBox *m_sourceUnreachableCheck = nullptr;
    QGroupBox *m_windowBox = nullptr;
    QLabel *m_windowLabel = nullptr;
    QCheckBox *m_forceCheck = nullptr;
    QLineEdit *m_reasonEdit = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_refreshButton = nullptr;
};

} // namespace envsync::ui
