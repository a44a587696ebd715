#pragma once

#include <QDialog>
#include <QString>

QT_BEGIN_NAMESPACE
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace envsync::ui {

/// "Record…": the golden version the recording belongs to (empty: the newest snapshot) and
/// how many learning runs the client makes (1: none).
class RecordDialog : public QDialog
{
    Q_OBJECT

public:
    RecordDialog(const QString &service, const QString &listen, const QString &upstream,
                 QWidget *parent = nullptr);

    [[nodiscard]] QString golden() const;
    [[nodiscard]] int learnPasses() const;
    [[nodiscard]] QLineEdit *goldenEdit() const { return m_golden; }
    [[nodiscard]] QSpinBox *learnSpin() const { return m_learn; }

private:
    QLineEdit *m_golden = nullptr;
    QSpinBox *m_learn = nullptr;
};

} // namespace envsync::ui
