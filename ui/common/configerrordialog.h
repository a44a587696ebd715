#pragma once

#include <QDialog>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QPlainTextEdit;
QT_END_NAMESPACE

namespace envsync::ui {

/// Lists every problem of a config file ("FILE:LINE:COL: path: message"), one per line, in a
/// selectable monospace box with a Copy button, so the user can fix them all in one go.
class ConfigErrorDialog : public QDialog
{
    Q_OBJECT

public:
    ConfigErrorDialog(const QString &path, const QStringList &diagnostics,
                      QWidget *parent = nullptr);

    [[nodiscard]] QStringList diagnostics() const { return m_diagnostics; }

private:
    QStringList m_diagnostics;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace envsync::ui
